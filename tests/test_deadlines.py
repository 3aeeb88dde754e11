"""Every request to a server has one deadline, and answers have a size cap."""

from __future__ import annotations

import http.server
import time

import pytest
from click.testing import CliRunner
from oxigraph_server import http_server

from tipgraph import transport
from tipgraph.cli import main
from tipgraph.endpoint import Endpoint
from tipgraph.errors import EndpointError, InputError
from tipgraph.remote import run_query
from tipgraph.transport import send

ANSWER = b'{"head": {"vars": []}, "boolean": true}'


class Hostile(http.server.BaseHTTPRequestHandler):
    """/drip-headers and /drip-body send a byte every 0.2 s; /endless an endless body;
    /large a body larger than the cap (set low by the test)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer()

    do_PUT = do_POST

    def drip(self, data: bytes) -> None:
        for byte in data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.2)

    def answer(self) -> None:
        try:
            path = self.path.split("?")[0]
            if path == "/digest-drip" and not self.headers.get("Authorization", "").startswith(
                "Digest "
            ):
                self.send_response(401)
                challenge = 'Digest realm="tip", nonce="abc", qop="auth"'
                self.send_header("WWW-Authenticate", challenge)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/digest-drip":
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
                self.drip(ANSWER * 100)
            elif path == "/drip-headers":
                self.drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" * 100)
            elif path == "/drip-body":
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
                self.drip(ANSWER * 100)
            elif path in ("/endless", "/large"):
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    self.wfile.write(b" " * 65536)
                    if path == "/endless":
                        time.sleep(0.01)
        except OSError:
            self.close_connection = True


@pytest.fixture(scope="module")
def hostile():
    with http_server(Hostile) as url:
        yield url


@pytest.mark.parametrize("path", ["/drip-headers", "/drip-body", "/endless"])
def test_a_slow_or_endless_answer_fails_at_the_deadline(hostile, path):
    endpoint = Endpoint.parse(hostile + path, 1.0)
    started = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        run_query(endpoint, "ASK {}")
    elapsed = time.monotonic() - started
    assert elapsed < 10, elapsed  # the server would drip for minutes: far beyond the 1 s
    assert str(caught.value) == f"endpoint {hostile}{path}: no answer within 1 s"


def test_the_deadline_holds_for_a_query_sent_with_digest(hostile, monkeypatch):
    monkeypatch.setenv("TIPGRAPH_USER", "alice")
    monkeypatch.setenv("TIPGRAPH_PASSWORD", "secret")
    monkeypatch.setenv("NETRC", "/nonexistent/netrc")
    endpoint = Endpoint.parse(hostile + "/digest-drip", 1.0)
    assert endpoint.credentials is not None
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r": no answer within 1 s$"):
        run_query(endpoint, "ASK {}")
    assert time.monotonic() - started < 10


def test_a_push_request_has_the_same_deadline(hostile):
    endpoint = Endpoint.parse(hostile + "/drip-body", 0.8, "store")
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r"^store .*: no answer within 0.8 s$"):
        send(endpoint, method="PUT", data=b"")
    assert time.monotonic() - started < 10


def test_an_answer_beyond_the_size_cap_is_refused(hostile, monkeypatch):
    monkeypatch.setattr(transport, "MAX_RESPONSE", 1_000_000)
    endpoint = Endpoint.parse(hostile + "/large", 4.0)
    with pytest.raises(EndpointError, match=r"the answer is larger than"):
        run_query(endpoint, "ASK {}")


def test_the_command_line_says_one_line_at_the_deadline(hostile):
    result = CliRunner().invoke(
        main, ["sparql", "-", "--endpoint", hostile + "/drip-body", "--timeout", "0.6"], "ASK {}"
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"tipgraph: error: endpoint {hostile}/drip-body: no answer within 0.6 s\n"
    )


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "0", "-1", "1e308", "soon"])
def test_impossible_timeouts_are_usage_errors(value):
    args = ["sparql", "-", "--endpoint", "http://127.0.0.1:9/query", "--timeout", value]
    result = CliRunner().invoke(main, args, "ASK {}")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "timeout" in result.stderr


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 0.0, -1.0, 1e308])
def test_the_library_refuses_them_too(value):
    with pytest.raises(InputError):
        Endpoint.parse("http://127.0.0.1:9/query", value)
