"""Virtuoso (Debian's ``virtuoso-opensource``) on free loopback ports, with a database of its own.

The server gets a temporary folder with its ini file and database, both ports chosen free, and
a dba password set through ``isql`` before the tests use it. Its process group is killed when
it stops, so no helper process outlives the tests.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from oxigraph_server import answers_sparql, free_port

from tipgraph.endpoint import Credentials, Endpoint
from tipgraph.paths import Layout
from tipgraph.push import graphs_to_push, write_graphs

STARTUP_SECONDS = 90
USER = "dba"
# Virtuoso's default dba password, replaced at start; the tests send the new one.
DEFAULT_PASSWORD = "dba"
PASSWORD = "tipgraphVirtuosoT3sts"

INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 8
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/vsp
MaxClientConnections = 8
ServerThreads = 8
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


def isql_binary() -> str | None:
    return shutil.which("isql-vt") or shutil.which("isql-v")


def require_virtuoso() -> tuple[str, str]:
    """The server and isql binaries; a skip without them, but a failure on CI (CI set)."""
    server, isql = virtuoso_binary(), isql_binary()
    if server is None or isql is None:
        reason = "Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it (.ci/run)", pytrace=False)
        pytest.skip(reason)
    return server, isql


class VirtuosoServer:
    """``virtuoso-t`` in the foreground, in its own process group, storing in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sql_port = 0
        self.http_port = 0
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query(self) -> str:
        """The public endpoint: read-only for the anonymous SPARQL user."""
        return f"{self.base}/sparql"

    @property
    def update(self) -> str:
        """The authenticated endpoint (Digest), where updates are allowed."""
        return f"{self.base}/sparql-auth"

    @property
    def store(self) -> str:
        """The Graph Store Protocol endpoint (Digest for writes)."""
        return f"{self.base}/sparql-graph-crud-auth"

    def credentials(self) -> Credentials:
        return Credentials(USER, PASSWORD)

    def query_endpoint(self, timeout: float = 120) -> Endpoint:
        return Endpoint.parse(self.query, timeout)

    def start(self) -> None:
        server, isql = require_virtuoso()
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "vsp").mkdir(exist_ok=True)
        log = self.folder / "virtuoso.out"
        for _attempt in range(3):  # a free port may be taken before the server binds it
            self.sql_port, self.http_port = free_port(), free_port()
            ini = self.folder / "virtuoso.ini"
            ini.write_text(
                INI.format(folder=self.folder, sql_port=self.sql_port, http_port=self.http_port)
            )
            with log.open("wb") as output:
                self.process = subprocess.Popen(
                    [server, "+foreground", "+configfile", str(ini)],
                    cwd=self.folder,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            if self._wait_until_ready():
                try:
                    self._set_up(isql)
                except BaseException:
                    self.stop()
                    raise
                return
            self.stop()
        text = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"virtuoso did not start: {text}")

    def _wait_until_ready(self) -> bool:
        return answers_sparql(self.process, self.query, pause=0.2, seconds=STARTUP_SECONDS)

    def sql(self, statements: str, password: str = PASSWORD) -> str:
        """Run SQL statements through isql as dba; their output, or a RuntimeError."""
        _server, isql = require_virtuoso()
        done = subprocess.run(
            [isql, f"127.0.0.1:{self.sql_port}", USER, password],
            input=statements,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {(done.stdout + done.stderr)[-2000:]}")
        return done.stdout

    def _set_up(self, isql: str) -> None:
        """A password of the tests' own for dba, who may update through /sparql-auth."""
        self.sql(f"USER_SET_PASSWORD('{USER}', '{PASSWORD}');\n", password=DEFAULT_PASSWORD)

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None


@contextlib.contextmanager
def loaded_virtuoso(folder: Path, layout: Layout, store: ox.Store) -> Iterator[VirtuosoServer]:
    """A Virtuoso server holding the graphs that push writes, put through its Graph Store."""
    with running_virtuoso(folder) as server:
        writer = Endpoint(server.store, "store", 120.0, server.credentials())
        write_graphs(graphs_to_push(layout, source=store), writer)
        yield server


@contextlib.contextmanager
def running_virtuoso(folder: Path) -> Iterator[VirtuosoServer]:
    """A Virtuoso server with its database under ``folder``, stopped on leaving."""
    server = VirtuosoServer(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
