"""Servers for the triple-store tests, all on 127.0.0.1: Oxigraph and small stand-in servers."""

from __future__ import annotations

import contextlib
import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

STARTUP_SECONDS = 30


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def answers_sparql(
    process: subprocess.Popen | None,
    query_url: str,
    *,
    pause: float,
    seconds: float = STARTUP_SECONDS,
) -> bool:
    """Whether the server started as ``process`` answers ``ASK {}`` at ``query_url`` before
    ``seconds`` pass; False as soon as the process ends."""
    deadline = time.monotonic() + seconds
    probe = f"{query_url}?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if process is None or process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(probe, timeout=max(1.0, pause * 10)) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            time.sleep(pause)
    return False


class OxigraphServer:
    """``oxigraph serve`` on a free loopback port, storing in ``location``."""

    def __init__(self, location: Path, *, union_default_graph: bool = True) -> None:
        self.location = location
        self.union_default_graph = union_default_graph
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def store(self) -> str:
        return f"{self.base}/store"

    @property
    def query(self) -> str:
        return f"{self.base}/query"

    @property
    def update(self) -> str:
        return f"{self.base}/update"

    def start(self) -> None:
        binary = oxigraph_binary()
        if binary is None:
            pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
        for _attempt in range(3):  # the free port may be taken before the server binds it
            self.port = free_port()
            command = [binary, "serve", "--location", str(self.location)]
            command += ["--bind", f"127.0.0.1:{self.port}"]
            if self.union_default_graph:
                command.append("--union-default-graph")
            log = self.location.with_suffix(".log")
            with log.open("wb") as output:
                self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
            if self._wait_until_ready():
                return
            self.stop()
        raise RuntimeError(f"oxigraph did not start: {log.read_text(errors='replace')[-2000:]}")

    def _wait_until_ready(self) -> bool:
        return answers_sparql(self.process, self.query, pause=0.05)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@contextlib.contextmanager
def running_oxigraph(folder: Path, *, union_default_graph: bool = True) -> Iterator[OxigraphServer]:
    """An Oxigraph server storing under ``folder``, stopped on leaving."""
    server = OxigraphServer(folder / "store", union_default_graph=union_default_graph)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@contextlib.contextmanager
def http_server(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threaded HTTP server on a free loopback port; yields its base URL."""
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
