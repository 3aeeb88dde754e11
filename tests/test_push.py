"""Pushing the graph into a triple store: the same triples every time, and honest failures."""

from __future__ import annotations

import http.server
import json
import re
import urllib.parse
from typing import ClassVar

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from oxigraph_server import http_server, running_oxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from test_remote import PASSWORD, USER, DigestRecorder

from tipgraph.cli import main
from tipgraph.endpoint import Endpoint
from tipgraph.errors import EndpointError
from tipgraph.export import DATA_GRAPH, ONTOLOGY_GRAPH, NamedGraph
from tipgraph.push import (
    CHUNK_SIZE,
    chunks,
    count_triples,
    graphs_to_push,
    post_update,
    push,
    query_url_for,
    update_requests,
)
from tipgraph.rdflib_bridge import to_oxigraph
from tipgraph.readback import compare
from tipgraph.remote import run_query

CLEAN_ENV = {
    "TIPGRAPH_ENDPOINT": None,
    "TIPGRAPH_USER": None,
    "TIPGRAPH_PASSWORD": None,
    "NETRC": "/nonexistent/netrc",
}
EX = "https://example.org/"


@pytest.fixture()
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), env=CLEAN_ENV)

    return invoke


def run_query_update(url: str, text: str) -> None:
    post_update(Endpoint.parse(url, role="update endpoint"), text)


def all_quads(endpoint: Endpoint) -> int:
    rows = run_query(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    return int(rows[0][0].value)


def stored_graph(endpoint: Endpoint, iri: URIRef) -> Graph:
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    graph = run_query(endpoint, text).graph
    assert graph is not None
    return graph


@pytest.mark.parametrize("method", ["store", "update"])
def test_pushing_twice_leaves_the_same_triples(tmp_path, layout, method):
    with running_oxigraph(tmp_path) as server:
        stale = f"<{EX}stale> <{EX}stale> <{EX}stale>"
        for iri in (ONTOLOGY_GRAPH, DATA_GRAPH):  # left from an earlier push: must go
            run_query_update(server.update, f"INSERT DATA {{ GRAPH <{iri}> {{ {stale} }} }}")
        target = {"store": server.store} if method == "store" else {"update": server.update}
        notes: list[str] = []
        first = push(layout, **target, timeout=60, chunk_size=3000, progress=notes.append)
        first.check()
        total = all_quads(Endpoint.parse(server.query))
        second = push(layout, **target, timeout=60, chunk_size=3000, progress=notes.append)
        second.check()
        assert [c.graph for c in first.counts] == [ONTOLOGY_GRAPH, DATA_GRAPH]
        assert first.counts == second.counts
        assert (
            all_quads(Endpoint.parse(server.query)) == total == sum(c.local for c in first.counts)
        )
        for graph, count in zip(graphs_to_push(layout), first.counts, strict=True):
            assert count.local == count.store == len(graph) > 0
            local = Graph().parse(data=graph.ntriples(), format="nt")
            assert set(stored_graph(Endpoint.parse(server.query), graph.iri)) == set(local)
        assert len([note for note in notes if note.startswith("wrote <")]) == 4
        assert not [note for note in notes if note.startswith("note:")]


def test_one_graph_for_everything(tmp_path, layout, run):
    graph = "urn:example:tipgraph"
    with running_oxigraph(tmp_path) as server:
        result = run("push", "--store", server.store, "--graph", graph, "-f", "json")
        assert result.exit_code == 0, result.stderr
        (count,) = json.loads(result.stdout)
        total = sum(len(g) for g in graphs_to_push(layout))
        assert count == {"graph": graph, "local": total, "store": total}
        query = Endpoint.parse(server.query)
        assert count_triples(query, ONTOLOGY_GRAPH) == count_triples(query, DATA_GRAPH) == 0


def test_a_store_without_the_union_default_graph_gets_a_note(tmp_path, run):
    with running_oxigraph(tmp_path, union_default_graph=False) as server:
        result = run("push", "--store", server.store)
        assert result.exit_code == 0, result.stderr
        assert "note: the default graph of" in result.stderr
        assert "--union-default-graph" in result.stderr


def test_the_query_endpoint_is_beside_the_store():
    assert query_url_for("http://localhost:7878/store") == "http://localhost:7878/query"
    assert query_url_for("http://localhost:7878/update") == "http://localhost:7878/query"
    assert query_url_for("http://h:3030/tip/data/") == "http://h:3030/tip/query"
    assert query_url_for("http://u:p@h/ds/data?x=1") == "http://u:p@h/ds/query"


def blank_graph() -> Graph:
    """Ten plain triples and a three-item RDF list (blank nodes linking four triples)."""
    graph = Graph()
    for i in range(10):
        graph.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(i)))
    first, second = BNode(), BNode()
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    graph.add((URIRef(f"{EX}list"), URIRef(f"{EX}items"), first))
    graph.add((first, URIRef(rdf + "first"), Literal("a")))
    graph.add((first, URIRef(rdf + "rest"), second))
    graph.add((second, URIRef(rdf + "first"), Literal('b "quoted"\n')))
    graph.add((second, URIRef(rdf + "rest"), URIRef(rdf + "nil")))
    return graph


def named(iri: str, graph: Graph) -> NamedGraph:
    """An rdflib graph as the named graph push writes."""
    return NamedGraph.of(iri, (ox.Triple(*map(to_oxigraph, triple)) for triple in graph))


def size(part: list[bytes]) -> int:
    return sum(len(line) + 1 for line in part)


def test_chunks_are_bounded_in_bytes_and_keep_blank_nodes_together():
    graph = named(f"{EX}g", blank_graph())
    limit = 3 * max(len(line) for line in graph.lines if b"_:" not in line) + 3
    parts = chunks(graph, limit)
    assert sorted(line for part in parts for line in part) == graph.lines
    blank_chunks = [part for part in parts if any(b"_:" in line for line in part)]
    assert len(blank_chunks) == 1
    assert sum(b"_:" in line for line in blank_chunks[0]) == 5
    others = [part for part in parts if part is not blank_chunks[0]]
    assert all(size(part) <= limit for part in others)
    assert any(len(part) == 3 for part in others)  # filled up to the limit, not one by one


def test_a_triple_longer_than_the_chunk_goes_alone():
    graph = named(f"{EX}g", blank_graph())
    parts = chunks(graph, 10)
    plain = [part for part in parts if not any(b"_:" in line for line in part)]
    assert all(len(part) == 1 for part in plain)
    assert sum(len(part) for part in parts) == len(graph)


def test_the_default_chunk_keeps_requests_small(layout):
    for graph in graphs_to_push(layout):
        parts = chunks(graph)
        assert all(size(part) <= CHUNK_SIZE for part in parts)
        assert sum(len(part) for part in parts) == len(graph)


def test_update_requests_rebuild_the_graph_exactly():
    pyoxigraph = pytest.importorskip("pyoxigraph")
    graph = blank_graph()
    store = pyoxigraph.Store()
    requests = update_requests(named(f"{EX}g", graph), 200)
    assert requests[0].startswith(f"DROP SILENT GRAPH <{EX}g> ;\nINSERT DATA")
    for _ in range(2):
        for text in requests:
            store.update(text)
    target = pyoxigraph.NamedNode(f"{EX}g")
    dump = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=target)
    rebuilt = Graph().parse(data=dump, format="nt")
    assert len(rebuilt) == len(graph)
    assert isomorphic(rebuilt, graph)


def test_an_empty_graph_is_only_dropped():
    empty = named(f"{EX}g", Graph())
    assert update_requests(empty) == [f"DROP SILENT GRAPH <{EX}g>"]


class FakeStore(http.server.BaseHTTPRequestHandler):
    """A store of the tests' own making: answers in SPARQL JSON unless told otherwise."""

    def reply(
        self, code: int, body: bytes = b"", content_type: str = "application/sparql-results+json"
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class HalfStore(FakeStore):
    """Takes the ontology graph; under /broken/ fails on the data graph; counts one triple."""

    updates = 0

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
        self.reply(500 if graph == str(DATA_GRAPH) and "/broken/" in self.path else 204)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        assert self.headers["Content-Type"] == "application/sparql-update"
        assert body.startswith(("DROP SILENT GRAPH", "INSERT DATA"))
        type(self).updates += 1
        # Under /broken/, the third request (the data graph's second) fails.
        self.reply(500 if "/broken/" in self.path and type(self).updates == 3 else 204)

    def do_GET(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["query"][0]
        if query.lstrip().startswith("CONSTRUCT"):
            self.send_response(200)
            self.send_header("Content-Type", "application/n-triples")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if query.lstrip().startswith("ASK"):
            answer: dict = {"head": {}, "boolean": True}
        else:
            binding = {"triples": {"type": "literal", "value": "1"}}
            answer = {"head": {"vars": ["triples"]}, "results": {"bindings": [binding]}}
        self.reply(200, json.dumps(answer).encode())


@pytest.fixture()
def half_store():
    with http_server(type("Half", (HalfStore,), {"updates": 0})) as base:
        yield base


def test_a_push_that_fails_midway_says_what_was_written(run, half_store):
    result = run("push", "--store", f"{half_store}/broken/store")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()[-1:]
    assert line.startswith(f"tipgraph: error: store {half_store}/broken/store: HTTP 500")
    assert line.endswith(f"; written: <{ONTOLOGY_GRAPH}>; not written: <{DATA_GRAPH}>")


def test_an_update_push_that_fails_midway_says_how_far_it_got(run, half_store):
    # The ontology goes in one request, the data in several; the third request fails.
    chunk = str(256 * 1024)
    result = run("push", "--update-endpoint", f"{half_store}/broken/update", "--chunk-size", chunk)
    assert result.exit_code == 1
    line = result.stderr.splitlines()[-1]
    assert f"written: <{ONTOLOGY_GRAPH}>; partly written: <{DATA_GRAPH}> (1 of " in line
    assert line.endswith("requests); not written: none")


def test_counts_that_differ_are_an_error(run, half_store):
    result = run("push", "--store", f"{half_store}/store", "-f", "tsv")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "graph\tlocal\tstore"
    error = result.stderr.splitlines()[-1]
    assert error.startswith(f"tipgraph: error: query endpoint {half_store}/query: triple counts")
    assert f"<{DATA_GRAPH}> 1 in the store" in error


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give either --store URL or --update-endpoint URL"),
        (["--store", "http://a/store", "--update-endpoint", "http://a/update"], "give either"),
        (["--store", "http://127.0.0.1:1/store", "--graph", "not an iri"], "not an absolute IRI"),
        (["--store", "mailto:someone"], "not an http:// or https:// URL"),
        (["--update-endpoint", "http://127.0.0.1:1/u", "--chunk-size", "100"], "x>=1024"),
    ],
)
def test_push_usage_errors(run, args, message):
    result = run("push", *args)
    assert result.exit_code == 2
    assert message in result.stderr


# --- a store that rewrites a literal ---------------------------------------------------------

GYEAR = b'"2002"^^<http://www.w3.org/2001/XMLSchema#gYear>'
GYEAR_MONTH = b'"2002-01"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'


class RewritingStore(FakeStore):
    """Keeps what it is sent, as Virtuoso once did: "2002"^^xsd:gYear comes back a gYearMonth.

    Graph Store PUT and SPARQL Update (INSERT DATA) both work; queries are answered from the
    graphs kept (counts are right, the content is not).
    """

    graphs: ClassVar[dict[str, list[bytes]]] = {}
    content_types: ClassVar[list[str]] = []

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
        self.graphs[graph] = self.keep(body)
        self.reply(204, b"", "text/plain")

    def do_POST(self) -> None:
        self.content_types.append(self.headers["Content-Type"])
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        graph = re.search(r"GRAPH <([^>]*)>", body)
        assert graph is not None
        if body.startswith("DROP SILENT GRAPH"):
            self.graphs[graph.group(1)] = []
        insert = body.partition("INSERT DATA { GRAPH ")[2]
        if insert:
            lines = insert.partition("{\n")[2].rpartition("\n} }")[0].encode()
            self.graphs.setdefault(graph.group(1), []).extend(self.keep(lines))
        self.reply(204, b"", "text/plain")

    @staticmethod
    def keep(body: bytes) -> list[bytes]:
        return [line.replace(GYEAR, GYEAR_MONTH) for line in body.splitlines() if line]

    def do_GET(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["query"][0]
        graph = re.search(r"GRAPH <([^>]*)>", query)
        lines = self.graphs.get(graph.group(1), []) if graph else []
        if query.lstrip().startswith("CONSTRUCT"):
            self.reply(200, b"\n".join(lines) + b"\n", "application/n-triples")
            return
        if query.lstrip().startswith("ASK"):
            answer: dict = {"head": {}, "boolean": True}
        else:
            binding = {"triples": {"type": "literal", "value": str(len(lines))}}
            answer = {"head": {"vars": ["triples"]}, "results": {"bindings": [binding]}}
        self.reply(200, json.dumps(answer).encode())


@pytest.fixture()
def rewriting_store():
    handler = type("Rewriting", (RewritingStore,), {"graphs": {}, "content_types": []})
    with http_server(handler) as base:
        yield base, handler


@pytest.mark.parametrize("route", ["--store", "--update-endpoint"])
def test_a_store_that_rewrites_a_literal_fails_the_push_naming_the_triple(
    run, layout, rewriting_store, route
):
    base, handler = rewriting_store
    sent = [line for g in graphs_to_push(layout) for line in g.lines if GYEAR in line]
    assert sent, "the data should hold a gYear 2002 (the SAARC Convention's adoption)"
    result = run("push", route, f"{base}/store", "-f", "tsv")
    assert result.exit_code == 1
    # The counts agree: only the content check sees the change.
    for line in result.stdout.splitlines()[1:]:
        _graph, here, there = line.split("\t")
        assert here == there
    error = result.stderr.splitlines()[-1]
    assert error.startswith(f"tipgraph: error: query endpoint {base}/query: the store does not")
    assert f"<{DATA_GRAPH}> {len(sent)} sent but not stored: {sent[0].decode()}" in error
    assert sent[0].replace(GYEAR, GYEAR_MONTH).decode() in error
    assert "stored but not sent" in error
    if route == "--update-endpoint":
        assert set(handler.content_types) == {"application/sparql-update"}


def test_a_faithful_store_passes_the_content_check(run, rewriting_store, monkeypatch):
    base, handler = rewriting_store
    monkeypatch.setattr(handler, "keep", staticmethod(lambda body: body.splitlines()))
    result = run("push", "--update-endpoint", f"{base}/update")
    assert result.exit_code == 0, result.stderr


def test_a_cut_short_answer_is_named_as_such(tmp_path, layout):
    from tipgraph.push import GraphCount, PushReport

    report = PushReport("http://h/query", [GraphCount("urn:g", 3, 3)], [], ["<urn:g> 2 of 3"])
    with pytest.raises(EndpointError, match=r"fewer triples than it counts.*<urn:g> 2 of 3"):
        report.check()


def test_readback_compares_blank_nodes_by_structure():
    graph = named(f"{EX}g", blank_graph())
    relabelled = [
        ox.Triple(
            *(
                ox.BlankNode("x" + t.value) if isinstance(t, ox.BlankNode) else t
                for t in (q.subject, q.predicate, q.object)
            )
        )
        for q in ox.parse(graph.ntriples(), format=ox.RdfFormat.N_TRIPLES)
    ]
    assert compare(graph, relabelled) is None
    changed = [
        ox.Triple(t.subject, t.predicate, ox.Literal("c"))
        if isinstance(t.object, ox.Literal) and t.object.value == "a"
        else t
        for t in relabelled
    ]
    difference = compare(graph, changed)
    assert difference is not None
    assert len(difference.missing) == len(difference.extra) == 1
    assert difference.missing[0].endswith(b'"a" .')


# --- credentials on a push -------------------------------------------------------------------


class DigestStore(RewritingStore):
    """Wants Digest for everything; refuses a request without it before reading its body."""

    seen: ClassVar[list[tuple[str, str]]] = []
    realm = DigestRecorder.realm
    nonce = DigestRecorder.nonce

    def authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        self.seen.append((self.command, header.split(" ")[0] if header else ""))
        if header.startswith("Digest ") and DigestRecorder.valid(self, header[7:]):
            return True
        self.send_response(401)
        challenge = f'Digest realm="{DigestRecorder.realm}", nonce="{DigestRecorder.nonce}", '
        self.send_header("WWW-Authenticate", challenge + 'qop="auth"')
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        return False

    def do_HEAD(self) -> None:
        if self.authorised():
            self.reply(200, b"", "text/plain")

    def do_PUT(self) -> None:
        if self.authorised():
            super().do_PUT()

    def do_POST(self) -> None:
        if self.authorised():
            super().do_POST()

    def do_GET(self) -> None:
        if self.authorised():
            super().do_GET()


@pytest.mark.parametrize("route", ["--store", "--update-endpoint"])
def test_a_push_answers_digest_without_sending_a_body_unasked(run, route):
    handler = type("Digest", (DigestStore,), {"graphs": {}, "content_types": [], "seen": []})
    handler.keep = staticmethod(lambda body: body.splitlines())
    env = {"TIPGRAPH_USER": USER, "TIPGRAPH_PASSWORD": PASSWORD}
    with http_server(handler) as base:
        result = runner_invoke(["push", route, f"{base}/store"], env)
    assert result.exit_code == 0, result.stderr
    writes = [scheme for method, scheme in handler.seen if method in ("PUT", "POST")]
    assert writes and set(writes) == {"Digest"}  # every body went once, answering the challenge
    assert "Basic" not in {scheme for _, scheme in handler.seen}


def test_a_rejected_push_keeps_the_password_secret(run):
    handler = type("Digest", (DigestStore,), {"graphs": {}, "content_types": [], "seen": []})
    env = {"TIPGRAPH_USER": USER, "TIPGRAPH_PASSWORD": "wrong-" + PASSWORD}
    with http_server(handler) as base:
        for route in ("--store", "--update-endpoint"):
            result = runner_invoke(["push", route, f"{base}/store"], env)
            assert result.exit_code == 1
            assert "HTTP 401 Unauthorized: the credentials were rejected" in result.stderr
            assert PASSWORD not in result.stdout + result.stderr
    shown = f"http://{USER}:{PASSWORD}@127.0.0.1:1/store"
    result = runner_invoke(["push", "--store", shown], {})
    assert result.exit_code == 1
    assert PASSWORD not in result.stdout + result.stderr


def runner_invoke(args: list[str], env: dict[str, str]):
    return CliRunner().invoke(main, args, env={**CLEAN_ENV, **env})
