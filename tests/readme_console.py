"""The README's console examples, run for real: cog calls ``console`` inside the README, and
tests/test_readme.py checks that the README holds exactly what the commands print today.

Each command runs in bash from the checkout, on a pseudo-terminal of a fixed width (so tables
look as they do for a person), with the checkout's code, ontology, data and queries, the source
texts of TIPGRAPH_SOURCES and an index in a temporary folder. Nothing of the user's environment
reaches it but PATH and the sources folder.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import pty
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import cog

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 100
TIMEOUT = 120
DEFAULT_ADDRESS = "127.0.0.1:8000"
_scratch = Path(tempfile.mkdtemp(prefix="tipgraph-readme-"))
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)


def _environment(cwd: Path) -> dict[str, str]:
    sources = os.environ.get("TIPGRAPH_SOURCES")
    if not sources:
        raise RuntimeError("TIPGRAPH_SOURCES must name the source texts to run the README")
    return {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(_scratch),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "dumb",
        "COLUMNS": str(WIDTH),
        "TIPGRAPH_ONTOLOGY": str(cwd / "ontology"),
        "TIPGRAPH_DATA": str(cwd / "data"),
        "TIPGRAPH_QUERIES": str(cwd / "queries"),
        "TIPGRAPH_SOURCES": str(Path(sources).resolve()),
        "TIPGRAPH_CACHE": str(_scratch / "cache"),
        # the checkout's code, even where the installed tipgraph is another checkout's
        "PYTHONPATH": str(ROOT / "src"),
    }


def _run_on_terminal(command: str, cwd: Path, env: dict[str, str]) -> tuple[str, int]:
    """What a terminal of WIDTH columns shows for ``command``, and its exit status."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, WIDTH, 0, 0))
    process = subprocess.Popen(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        start_new_session=True,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed once the command and its children end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    status = process.wait(timeout=TIMEOUT)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return text, status


def _relative(text: str, cwd: Path, volatile: tuple[str, ...]) -> str:
    text = text.replace(f"{cwd}/", "").replace(str(_scratch), "/tmp/…")
    for pattern in volatile:
        text = re.sub(pattern, "…", text)
    return text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _serving(cwd: Path, env: dict[str, str]) -> Iterator[int]:
    """``tipgraph serve`` on a free port, until the block is written."""
    port = _free_port()
    server = subprocess.Popen(
        ["tipgraph", "serve", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("tipgraph serve did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def console(
    *commands: str,
    lines: int | None = None,
    keep_last: int = 0,
    cwd: Path | None = None,
    prepare: Callable[[Path], None] | None = None,
    volatile: tuple[str, ...] = (),
    serve: bool = False,
) -> None:
    """Write a console block: each command after ``$ `` and what it printed.

    ``lines`` keeps the first lines of each command's output, then ``…`` and the last
    ``keep_last`` lines. ``prepare`` gets a fresh copy of the checkout (a git clone of HEAD
    with the working tree's changes to data/ and ontology/) to change before the commands run
    there. Text matching a ``volatile`` pattern (a time taken) is shown as ``…``, so the README
    stays the same from run to run. With ``serve``, ``tipgraph serve`` runs on a free port for
    the commands, which name it as the default ``127.0.0.1:8000``. A command that fails is
    shown with its exit status.
    """
    where = cwd or ROOT
    if prepare is not None:
        where = _scratch / f"copy-{len(list(_scratch.glob('copy-*')))}"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(where)], check=True)
        for folder in ("ontology", "data", "queries"):
            shutil.rmtree(where / folder)
            shutil.copytree(ROOT / folder, where / folder)
        subprocess.run(["git", "-C", str(where), "add", "-A"], check=True)
        subprocess.run(
            [
                *("git", "-C", str(where), "-c", "user.name=readme"),
                *("-c", "user.email=readme@invalid", "commit", "-q", "--allow-empty"),
                *("-m", "the checkout as it is"),
            ],
            check=True,
        )
        prepare(where)
    env = _environment(where)
    with _serving(where, env) if serve else contextlib.nullcontext(8000) as port:
        runs = [
            _run_on_terminal(c.replace(DEFAULT_ADDRESS, f"127.0.0.1:{port}"), where, env)
            for c in commands
        ]
    cog.outl("```console")
    for command, (output, status) in zip(commands, runs, strict=True):
        output = output.replace(f"127.0.0.1:{port}", DEFAULT_ADDRESS)
        shown = (
            _relative(output, where, volatile).rstrip("\n").split("\n") if output.strip() else []
        )
        if lines is not None and len(shown) > lines + keep_last:
            shown = shown[:lines] + ["…"] + (shown[-keep_last:] if keep_last else [])
        cog.outl(f"$ {command}")
        for line in shown:
            cog.outl(line.rstrip())
        if status:
            cog.outl(f"[exit status {status}]")
    cog.outl("```")


def append_to(relative_path: str, text: str) -> Callable[[Path], None]:
    """A ``prepare`` step: add ``text`` at the end of one file of the copy."""

    def prepare(copy: Path) -> None:
        with (copy / relative_path).open("a", encoding="utf-8") as stream:
            stream.write(text)

    return prepare


def nothing(copy: Path) -> None:
    """A ``prepare`` step for commands that write files: they write into the copy."""
