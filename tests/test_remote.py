"""Saved queries on a SPARQL endpoint: the rows of the local run, and one clear line on failure."""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import warnings
from importlib import metadata
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from oxigraph_server import free_port, http_server, running_oxigraph
from query_cases import comparable, saved_query_cases
from rdflib import BNode, Literal, URIRef

from tipgraph.catalogue import Catalogue
from tipgraph.cli import main
from tipgraph.endpoint import Endpoint
from tipgraph.engine import run_saved_query, run_sparql
from tipgraph.errors import EndpointError, InputError
from tipgraph.push import graphs_to_push, write_graphs
from tipgraph.remote import parse_results, run_query
from tipgraph.remote import run_saved_query as run_remote
from tipgraph.turtle import canonical_turtle

ROOT = Path(__file__).resolve().parent.parent
XSD = "http://www.w3.org/2001/XMLSchema#"
USER = "alice"
PASSWORD = "s3cr3t-Pa55-for-the-tests"
CLEAN_ENV = {
    "TIPGRAPH_ENDPOINT": None,
    "TIPGRAPH_USER": None,
    "TIPGRAPH_PASSWORD": None,
    "NETRC": "/nonexistent/netrc",
}


@pytest.fixture(scope="session")
def loaded_store(tmp_path_factory, layout, store):
    """An Oxigraph endpoint holding the pushed graphs, and the local engine's store."""
    graphs = graphs_to_push(layout, source=store)
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        write_graphs(graphs, Endpoint.parse(server.store, role="store"))
        yield Endpoint.parse(server.query), store


# --- the same rows -------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "values"), saved_query_cases())
def test_saved_query_gives_the_same_rows_on_the_endpoint(loaded_store, query, values):
    endpoint, local = loaded_store
    try:
        expected = run_saved_query(local, query, values)
    except InputError as error:
        pytest.fail(f"{error} (give values for {query.name} in EXPLICIT_VALUES)")
    actual = run_remote(endpoint, query, values, local)
    assert actual.variables == expected.variables
    assert len(actual.rows) == len(expected.rows)
    assert comparable(query.text, actual.variables, actual.rows) == comparable(
        query.text, expected.variables, expected.rows
    )


def test_the_comparison_sees_order_and_values():
    text = 'SELECT ?a ?b (GROUP_CONCAT(?c; separator="; ") AS ?cs) WHERE {} ORDER BY ?a'
    variables = ["a", "b", "cs"]
    one, two = Literal("1"), Literal("2")
    rows = [(one, one, Literal("x; y")), (one, two, None), (two, one, None)]
    same = [(one, two, None), (one, one, Literal("y; x")), (two, one, None)]
    assert comparable(text, variables, rows) == comparable(text, variables, same)
    swapped = [(two, one, None), (one, one, Literal("x; y")), (one, two, None)]
    assert comparable(text, variables, rows) != comparable(text, variables, swapped)
    typed = [(one, one, Literal("x; y")), (one, Literal(2), None), (two, one, None)]
    assert comparable(text, variables, rows) != comparable(text, variables, typed)


def test_ask_construct_and_missing_prefixes_on_the_endpoint(loaded_store):
    endpoint, local = loaded_store
    ask = "ASK { id:saarc a tip:Mechanism }"
    assert (
        run_query(endpoint, ask).as_rdflib()
        == run_sparql(local, ask).as_rdflib()
        == [(Literal(True),)]
    )
    construct = (
        "CONSTRUCT { ?m rdfs:label ?label } WHERE { ?m a tip:Mechanism ; rdfs:label ?label }"
    )
    remote_graph = run_query(endpoint, construct).graph
    local_graph = run_sparql(local, construct).graph
    assert remote_graph is not None and local_graph is not None and len(local_graph) > 10
    assert canonical_turtle(remote_graph) == canonical_turtle(local_graph)


# --- the command line ----------------------------------------------------------------------


def tipgraph(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``python -m tipgraph`` in a clean environment (plus ``env``)."""
    clean = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    clean["NETRC"] = "/nonexistent/netrc"
    return subprocess.run(
        [sys.executable, "-m", "tipgraph", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**clean, **env},
        cwd=ROOT,
    )


def test_cli_push_then_query_prints_what_the_local_run_prints(tmp_path):
    name = "mechanisms-covering-men-and-boys"
    with running_oxigraph(tmp_path) as server:
        pushed = tipgraph("push", "--store", server.store, "-f", "tsv")
        assert pushed.returncode == 0, pushed.stderr
        header, *counts = pushed.stdout.splitlines()
        assert header == "graph\tlocal\tstore"
        assert len(counts) == 2
        for line in counts:
            _graph, here, there = line.split("\t")
            assert here == there and int(here) > 0
        for fmt in ("table", "tsv", "sparql-json"):
            local = tipgraph("query", name, "-f", fmt)
            assert local.returncode == 0, local.stderr
            assert local.stdout.count("\n") > 3
            option = tipgraph("query", name, "-f", fmt, "--endpoint", server.query)
            assert (option.returncode, option.stderr) == (0, "")
            assert option.stdout == local.stdout
        by_env = tipgraph("query", name, TIPGRAPH_ENDPOINT=server.query)
        assert by_env.stdout == tipgraph("query", name).stdout


@pytest.fixture()
def run():
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, **env: str | None):
        return runner.invoke(main, list(args), input=input, env={**CLEAN_ENV, **env})

    return invoke


def test_resource_parameters_are_checked_locally_before_sending(run):
    dead = f"http://127.0.0.1:{free_port()}/query"
    for value, message in [("no-such-body", "no resource"), ("} ; DROP ALL ; {", "not a slug")]:
        result = run(
            "query", "instruments-by-organization", "-p", "organization", value, "--endpoint", dead
        )
        assert result.exit_code == 2
        assert message in result.stderr


# --- what goes over the wire ---------------------------------------------------------------

ANSWER = {
    "head": {"vars": ["x"]},
    "results": {
        "bindings": [{"x": {"type": "literal", "value": "1", "datatype": XSD + "integer"}}]
    },
}


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every query with one row and keeps what it was sent."""

    requests: ClassVar[list[dict]] = []

    def do_GET(self) -> None:
        self.answer(b"")

    def do_POST(self) -> None:
        self.answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def answer(self, body: bytes) -> None:
        self.requests.append(
            {"method": self.command, "path": self.path, "headers": self.headers, "body": body}
        )
        reply = json.dumps(ANSWER).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args) -> None:
        pass


class DigestRecorder(Recorder):
    """Wants HTTP Digest authentication (RFC 2617, qop=auth) before it answers."""

    realm = "tipgraph-tests"
    nonce = "6d2f1a0b"

    def answer(self, body: bytes) -> None:
        header = self.headers.get("Authorization", "")
        if header.startswith("Digest ") and self.valid(header[7:]):
            super().answer(body)
            return
        self.send_response(401)
        challenge = f'Digest realm="{self.realm}", nonce="{self.nonce}", qop="auth"'
        self.send_header("WWW-Authenticate", challenge)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def valid(self, header: str) -> bool:
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header))

        def md5(text: str) -> str:
            return hashlib.md5(text.encode()).hexdigest()

        first = md5(f"{USER}:{self.realm}:{PASSWORD}")
        second = md5(f"{self.command}:{fields.get('uri')}")
        parts = [fields.get(k) for k in ("nonce", "nc", "cnonce", "qop")]
        return fields.get("response") == md5(":".join([first, *map(str, parts), second]))


class BasicRecorder(Recorder):
    """Asks for HTTP Basic authentication (any credentials) before it answers."""

    def answer(self, body: bytes) -> None:
        if self.headers.get("Authorization", "").startswith("Basic "):
            super().answer(body)
            return
        self.requests.append({"method": self.command, "path": self.path, "headers": self.headers})
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="tipgraph-tests"')
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture()
def recorder():
    handler = type("Recording", (Recorder,), {"requests": []})
    with http_server(handler) as base:
        yield base, handler.requests


@pytest.fixture()
def basic_recorder():
    handler = type("BasicRecording", (BasicRecorder,), {"requests": []})
    with http_server(handler) as base:
        yield base, handler.requests


def asked_then_answered(requests: list[dict], user: str, password: str) -> None:
    """The first request went without credentials, the second answered the Basic challenge."""
    first, second = requests
    assert "Authorization" not in first["headers"]
    assert second["headers"]["Authorization"] == basic(user, password)


def test_short_query_is_a_get_with_content_negotiation_only(recorder):
    base, requests = recorder
    rows = run_query(Endpoint.parse(f"{base}/sparql"), "SELECT ?x WHERE { ?x ?p ?o }")
    assert rows.variables == ["x"] and rows.as_rdflib() == [(Literal(1),)]
    (request,) = requests
    assert request["method"] == "GET"
    path, _, query = request["path"].partition("?")
    assert path == "/sparql"
    assert urllib.parse.parse_qs(query) == {"query": ["SELECT ?x WHERE { ?x ?p ?o }"]}
    assert request["headers"]["Accept"] == "application/sparql-results+json"
    assert request["headers"]["User-Agent"] == f"tipgraph/{metadata.version('tipgraph')}"
    assert "Authorization" not in request["headers"]


def test_long_query_is_a_url_encoded_post(recorder):
    base, requests = recorder
    text = "SELECT ?x WHERE { ?x ?p ?o }\n# " + "padding " * 300
    run_query(Endpoint.parse(f"{base}/sparql?key=value"), text)
    (request,) = requests
    assert request["method"] == "POST"
    assert request["path"] == "/sparql?key=value"
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qs(request["body"].decode("ascii")) == {"query": [text]}
    assert request["headers"]["Accept"] == "application/sparql-results+json"


def test_parameters_travel_in_a_values_block(recorder, graph):
    base, requests = recorder
    saved = Catalogue(ROOT / "queries").get("instruments-by-organization")
    run_remote(Endpoint.parse(f"{base}/sparql"), saved, {"organization": "ecowas"}, graph)
    sent = urllib.parse.parse_qs(requests[0]["body"].decode("ascii"))["query"][0]
    block = re.search(r"VALUES \(([^)]*)\) \{ \(([^)]*)\) \}", sent)
    assert block, sent
    names, values = block.group(1).split(), block.group(2).split()
    assert dict(zip(names, values, strict=True))["?_organization_iri"] == (
        "<https://w3id.org/tipgraph/id/ecowas>"
    )


def test_updates_are_refused_without_a_request(recorder, run):
    base, requests = recorder
    result = run("sparql", "-", "--endpoint", base, input="INSERT DATA { id:a id:b id:c }")
    assert result.exit_code == 1
    assert "updates are not run" in result.stderr
    assert requests == []


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_credentials_from_the_environment(basic_recorder, run):
    base, requests = basic_recorder
    env = {"TIPGRAPH_USER": USER, "TIPGRAPH_PASSWORD": PASSWORD}
    result = run("sparql", "-", "--endpoint", base, input="SELECT ?x {}", **env)
    assert result.exit_code == 0, result.stderr
    asked_then_answered(requests, USER, PASSWORD)


def test_credentials_from_netrc(basic_recorder, run, tmp_path):
    base, requests = basic_recorder
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n")
    result = run("sparql", "-", "--endpoint", base, input="SELECT ?x {}", NETRC=str(netrc))
    assert result.exit_code == 0, result.stderr
    asked_then_answered(requests, USER, PASSWORD)


def test_credentials_in_the_url_are_used_and_not_sent_in_it(basic_recorder):
    base, requests = basic_recorder
    url = base.replace("//", f"//{USER}:{urllib.parse.quote(PASSWORD)}@") + "/sparql"
    endpoint = Endpoint.parse(url)
    assert PASSWORD not in endpoint.url and PASSWORD not in repr(endpoint)
    run_query(endpoint, "SELECT ?x {}")
    asked_then_answered(requests, USER, PASSWORD)
    assert not [r for r in requests if PASSWORD in r["path"]]


def test_a_user_without_a_password_still_goes_by_basic(basic_recorder):
    base, requests = basic_recorder
    run_query(Endpoint.parse(base.replace("//", f"//{USER}@") + "/sparql"), "SELECT ?x {}")
    asked_then_answered(requests, USER, "")


def test_credentials_are_not_sent_unasked(recorder, run):
    base, requests = recorder
    env = {"TIPGRAPH_USER": USER, "TIPGRAPH_PASSWORD": PASSWORD}
    result = run("sparql", "-", "--endpoint", base, input="SELECT ?x {}", **env)
    assert result.exit_code == 0, result.stderr
    (request,) = requests
    assert "Authorization" not in request["headers"]


def test_the_first_scheme_offered_is_answered(run):
    class Both(DigestRecorder):
        def answer(self, body: bytes) -> None:
            header = self.headers.get("Authorization", "")
            if header.startswith("Digest ") and self.valid(header[7:]):
                Recorder.answer(self, body)
                return
            self.requests.append({"headers": self.headers})
            self.send_response(401)
            challenge = f'Digest realm="{self.realm}", nonce="{self.nonce}", qop="auth"'
            self.send_header("WWW-Authenticate", challenge)
            self.send_header("WWW-Authenticate", 'Basic realm="tipgraph-tests"')
            self.send_header("Content-Length", "0")
            self.end_headers()

    handler = type("Both", (Both,), {"requests": []})
    env = {"TIPGRAPH_USER": USER, "TIPGRAPH_PASSWORD": PASSWORD}
    with http_server(handler) as base:
        result = run("sparql", "-", "--endpoint", f"{base}/auth", input="SELECT ?x {}", **env)
    assert result.exit_code == 0, result.stderr
    sent = [r["headers"].get("Authorization", "") for r in handler.requests]
    assert not [header for header in sent if header.startswith("Basic")]


def test_digest_authentication(run):
    handler = type("Digest", (DigestRecorder,), {"requests": []})
    env = {"TIPGRAPH_USER": USER, "TIPGRAPH_PASSWORD": PASSWORD}
    with http_server(handler) as base:
        result = run("sparql", "-", "--endpoint", f"{base}/auth", input="SELECT ?x {}", **env)
        assert result.exit_code == 0, result.stderr
        assert len(handler.requests) == 1
        wrong = {"TIPGRAPH_USER": USER, "TIPGRAPH_PASSWORD": "wrong"}
        result = run("sparql", "-", "--endpoint", f"{base}/auth", input="SELECT ?x {}", **wrong)
        assert result.exit_code == 1
        assert "HTTP 401 Unauthorized: the credentials were rejected" in result.stderr


def test_digest_credentials_stay_with_the_query(run):
    handler = type("Digest", (DigestRecorder,), {"requests": []})
    env = {"TIPGRAPH_USER": USER, "TIPGRAPH_PASSWORD": PASSWORD}
    with http_server(handler) as base:
        result = run("sparql", "-", "--endpoint", f"{base}/auth", input="SELECT ?x {}", **env)
        assert result.exit_code == 0, result.stderr
        # Nothing left behind in urllib's process-wide opener answers the challenge.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/auth?query=ASK%7B%7D", timeout=5)
        refused.value.close()
        assert refused.value.code == 401


def test_get_keeps_the_parameters_of_the_endpoint_url(recorder):
    base, requests = recorder
    run_query(Endpoint.parse(f"{base}/sparql?key=a%2Fb&empty="), "SELECT ?x {}")
    (request,) = requests
    assert request["method"] == "GET"
    path, _, query = request["path"].partition("?")
    assert path == "/sparql"
    parsed = urllib.parse.parse_qs(query, keep_blank_values=True)
    assert parsed == {"key": ["a/b"], "empty": [""], "query": ["SELECT ?x {}"]}


def test_credentials_do_not_follow_a_redirect_to_another_origin(recorder):
    other, requests = recorder

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", other + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    with http_server(Redirect) as base:
        url = base.replace("//", f"//{USER}:{urllib.parse.quote(PASSWORD)}@") + "/sparql"
        rows = run_query(Endpoint.parse(url), "SELECT ?x {}")
    assert rows.as_rdflib() == [(Literal(1),)]
    (request,) = requests
    assert "Authorization" not in request["headers"]


def test_a_question_like_form_in_a_string_does_not_change_the_request(recorder):
    base, requests = recorder
    # SPARQLWrapper's own guess of the form would take this ASK for a SELECT, with a warning.
    text = 'ASK { ?x rdfs:label ?l FILTER(?l != "a: <b> insert") }'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(EndpointError, match="no boolean answer"):
            run_query(Endpoint.parse(f"{base}/sparql"), text)
    (request,) = requests
    assert request["method"] == "GET"
    assert request["headers"]["Accept"] == "application/sparql-results+json"


def test_json_results_become_the_terms_of_a_local_run():
    document = {
        "head": {"vars": ["iri", "plain", "string", "lang", "typed", "old", "blank", "none"]},
        "results": {
            "bindings": [
                {
                    "iri": {"type": "uri", "value": "https://w3id.org/tipgraph/id/saarc"},
                    "plain": {"type": "literal", "value": "a\nb"},
                    "string": {"type": "literal", "value": "s", "datatype": XSD + "string"},
                    "lang": {"type": "literal", "value": "x", "xml:lang": "en"},
                    "typed": {
                        "type": "literal",
                        "value": "2002-01",
                        "datatype": XSD + "gYearMonth",
                    },
                    "old": {"type": "typed-literal", "value": "true", "datatype": XSD + "boolean"},
                    "blank": {"type": "bnode", "value": "b0"},
                }
            ]
        },
    }
    rows = parse_results(json.dumps(document).encode(), "application/sparql-results+json", "select")
    assert rows.as_rdflib() == [
        (
            URIRef("https://w3id.org/tipgraph/id/saarc"),
            Literal("a\nb"),
            Literal("s"),
            Literal("x", lang="en"),
            Literal("2002-01", datatype=URIRef(XSD + "gYearMonth")),
            Literal(True),
            BNode("b0"),
            None,
        )
    ]
    assert rows.as_rdflib()[0][2].datatype is None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"head": {"vars": ["x"]}}', "application/sparql-results+json"),
        (b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": 1}]}}', "application/json"),
        (b'{"head": {}, "results": {"bindings": [{"x": {"type": "triple"}}]}}', "application/json"),
        (b"[]", "application/sparql-results+json"),
        (b"{}", "application/sparql-results+json"),
        (b'{"head": {"vars": []}, "results": {"bindings": []}}', "text/html"),
    ],
)
def test_malformed_results_are_refused(body, content_type):
    with pytest.raises(ValueError):
        parse_results(body, content_type, "select")


# --- failures ------------------------------------------------------------------------------

MESSAGES = {
    400: b"Parse error: unexpected '}' at line 3, column 7\nEncountered: ...\n",
    500: b"<html><head><title>Error</title></head><body><h1>java.lang.NullPointerException"
    b"</h1></body></html>",
}


class Failing(http.server.BaseHTTPRequestHandler):
    """Fails in the way its path names: /status/CODE, /garbage, /bad-json, /slow, /echo."""

    release = threading.Event()

    def do_GET(self) -> None:
        self.fail()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.fail()

    def reply(self, code: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        if code == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="tipgraph-tests"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def fail(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            self.reply(code, MESSAGES.get(code, b""), "text/html" if code == 500 else "text/plain")
        elif path == "/garbage":
            self.reply(200, b"<html>Welcome</html>", "text/html")
        elif path == "/bad-json":
            self.reply(200, b'{"head": {"vars": ', "application/sparql-results+json")
        elif path == "/long":
            self.reply(400, b"x" * 1000 + b"\nsecond line")
        elif path == "/slow":
            self.release.wait(10)
            self.reply(200, json.dumps(ANSWER).encode(), "application/sparql-results+json")
        elif path == "/bearer":
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Bearer realm="tipgraph-tests"')
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/echo" and "Authorization" not in self.headers:
            self.reply(401, b"")
        elif path == "/echo":
            header = self.headers.get("Authorization", "none")
            decoded = base64.b64decode(header.split()[-1]).decode() if " " in header else ""
            self.reply(400, f"rejected {header} ({decoded}) from {self.path}".encode())
        else:
            self.reply(404, b"")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def failing():
    with http_server(Failing) as base:
        yield base
        Failing.release.set()


FAILURES = [
    ("refused", "connection refused by 127.0.0.1:"),
    ("unknown-host", "cannot resolve the host name tipgraph-test.invalid"),
    ("/status/400", "HTTP 400 Bad Request: Parse error: unexpected '}' at line 3, column 7"),
    ("/status/401", "HTTP 401 Unauthorized: credentials needed"),
    ("/status/403", "HTTP 403 Forbidden: access refused"),
    ("/status/404", "HTTP 404 Not Found: nothing at this URL"),
    ("/status/500", "HTTP 500 Internal Server Error: server error: java.lang.NullPointerException"),
    ("/status/503", "HTTP 503 Service Unavailable: server error"),
    ("/garbage", "the answer is not SPARQL JSON results (Content-Type text/html)"),
    ("/bad-json", "the answer is not SPARQL JSON results (not valid JSON)"),
    ("/slow", "no answer within 0.5 s"),
]


def failure_url(failing: str, case: str) -> str:
    if case == "refused":
        return f"http://127.0.0.1:{free_port()}/query"
    if case == "unknown-host":
        return "http://tipgraph-test.invalid/query"
    return failing + case


@pytest.mark.parametrize(("case", "message"), FAILURES, ids=[case for case, _ in FAILURES])
def test_failures_are_one_line_on_stderr_and_exit_1(run, failing, case, message):
    url = failure_url(failing, case)
    result = run(
        "sparql", "-", "--endpoint", url, "--timeout", "0.5", input="SELECT ?s { ?s ?p ?o }"
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"tipgraph: error: endpoint {url}: ")
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_saved_query_failure_names_the_endpoint(run, failing):
    result = run("query", "mechanisms-covering-men-and-boys", "--endpoint", failing + "/status/503")
    assert result.exit_code == 1
    assert result.stderr == (
        f"tipgraph: error: endpoint {failing}/status/503: "
        "HTTP 503 Service Unavailable: server error\n"
    )


def test_the_server_message_is_its_first_line_truncated(run, failing):
    result = run("sparql", "-", "--endpoint", failing + "/long", input="ASK {}")
    assert result.exit_code == 1
    assert "second line" not in result.stderr
    assert result.stderr.rstrip().endswith("x" * 199 + "…")


def test_a_password_shows_nowhere(run, failing):
    env = {"TIPGRAPH_USER": USER, "TIPGRAPH_PASSWORD": PASSWORD}
    secrets = [PASSWORD, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()]
    in_url = f"http://{USER}:{PASSWORD}@127.0.0.1:{failing.rsplit(':', 1)[1]}/echo"
    urls = [failure_url(failing, case) for case, _ in FAILURES] + [failing + "/echo", in_url]
    for url in urls:
        for args in (["sparql", "-"], ["query", "mechanisms-covering-men-and-boys"]):
            result = run(*args, "--endpoint", url, "--timeout", "0.5", input="ASK {}", **env)
            assert result.exit_code == 1
            shown = result.stdout + result.stderr
            assert not [secret for secret in secrets if secret in shown], shown
    echoed = run("sparql", "-", "--endpoint", in_url, input="ASK {}").stderr
    assert (
        f"endpoint {failing}/echo: HTTP 400 Bad Request: rejected Basic *** ({USER}:***)" in echoed
    )


def test_a_scheme_other_than_basic_or_digest_is_named(run, failing):
    env = {"TIPGRAPH_USER": USER, "TIPGRAPH_PASSWORD": PASSWORD}
    result = run("sparql", "-", "--endpoint", failing + "/bearer", input="ASK {}", **env)
    assert result.exit_code == 1
    assert result.stderr == (
        f"tipgraph: error: endpoint {failing}/bearer: HTTP 401 Unauthorized: cannot "
        "authenticate: the server asks for a scheme other than Basic or Digest\n"
    )


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/query", "http://", "http://127.0.0.1:99999/query", "not a url"]
)
def test_malformed_endpoint_urls_are_usage_errors(run, url):
    result = run("sparql", "-", "--endpoint", url, input="ASK {}")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
