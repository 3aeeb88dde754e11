"""Pushing the graph into a triple store: the same triples every time, and honest failures."""

from __future__ import annotations

import http.server
import json
import urllib.parse

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from oxigraph_server import http_server, running_oxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from tipgraph.cli import main
from tipgraph.endpoint import Endpoint
from tipgraph.export import DATA_GRAPH, ONTOLOGY_GRAPH, NamedGraph
from tipgraph.push import (
    chunks,
    count_triples,
    graphs_to_push,
    post_update,
    push,
    query_url_for,
    update_requests,
)
from tipgraph.rdflib_bridge import to_oxigraph
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


def test_chunks_are_bounded_and_keep_blank_nodes_together():
    graph = blank_graph()
    parts = chunks(named(f"{EX}g", graph), 3)
    assert sum(len(part) for part in parts) == len(graph)
    blank_chunks = [part for part in parts if any(b"_:" in line for line in part)]
    assert len(blank_chunks) == 1
    assert sum(b"_:" in line for line in blank_chunks[0]) == 5
    assert all(len(part) <= 3 for part in parts if part is not blank_chunks[0])


def test_update_requests_rebuild_the_graph_exactly():
    pyoxigraph = pytest.importorskip("pyoxigraph")
    graph = blank_graph()
    store = pyoxigraph.Store()
    requests = update_requests(named(f"{EX}g", graph), 3)
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


class HalfStore(http.server.BaseHTTPRequestHandler):
    """Takes the ontology graph; under /broken/ fails on the data graph; counts one triple."""

    updates = 0

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
        self.reply(500 if graph == str(DATA_GRAPH) and "/broken/" in self.path else 204)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        assert "update" in urllib.parse.parse_qs(body)
        type(self).updates += 1
        # Under /broken/, the third request (the data graph's second) fails.
        self.reply(500 if "/broken/" in self.path and type(self).updates == 3 else 204)

    def do_GET(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["query"][0]
        if query.lstrip().startswith("ASK"):
            answer: dict = {"head": {}, "boolean": True}
        else:
            binding = {"triples": {"type": "literal", "value": "1"}}
            answer = {"head": {"vars": ["triples"]}, "results": {"bindings": [binding]}}
        self.reply(200, json.dumps(answer).encode())

    def reply(self, code: int, body: bytes = b"") -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


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
    result = run("push", "--update-endpoint", f"{half_store}/broken/update", "--chunk-size", "2000")
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
    ],
)
def test_push_usage_errors(run, args, message):
    result = run("push", *args)
    assert result.exit_code == 2
    assert message in result.stderr
