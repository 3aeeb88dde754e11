"""Loading the ontology and data into a triple store, then counting what arrived.

Through the SPARQL 1.1 Graph Store HTTP Protocol (``PUT`` replaces a named graph) or, for
stores without it, SPARQL 1.1 Update (``DROP SILENT GRAPH``, then ``INSERT DATA`` in chunks).
Either way, pushing twice leaves the same triples.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from tipgraph.endpoint import Endpoint
from tipgraph.errors import EndpointError, InputError
from tipgraph.loader import load_files
from tipgraph.paths import Layout
from tipgraph.remote import run_query
from tipgraph.sparql_text import sparql_term
from tipgraph.transport import send
from tipgraph.turtle import DATA_GRAPH, ONTOLOGY_GRAPH

CHUNK_SIZE = 5000
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]+")


@dataclass(frozen=True)
class GraphCount:
    """Triples of one named graph here and in the store."""

    graph: URIRef
    local: int
    store: int


def graph_iri(text: str) -> URIRef:
    """A named-graph IRI typed by a user; an InputError unless it is absolute."""
    if not ABSOLUTE_IRI.fullmatch(text.strip()):
        raise InputError(f"graph {text[:80]!r}: not an absolute IRI")
    return URIRef(text.strip())


def graphs_to_push(layout: Layout, single: URIRef | None = None) -> list[tuple[URIRef, Graph]]:
    """Ontology and vocabularies, and data, each in its named graph; or all in ``single``."""
    data = load_files(layout.data_files())
    ontology = load_files(layout.ontology_files())
    if single is not None:
        return [(single, data + ontology)]
    return [(ONTOLOGY_GRAPH, ontology), (DATA_GRAPH, data - ontology)]


def query_url_for(url: str) -> str:
    """The query endpoint beside a store or update endpoint: its last path segment → ``query``.

    Oxigraph: ``/store`` and ``/update`` → ``/query``; Fuseki: ``/ds/data`` → ``/ds/query``.
    """
    parts = urllib.parse.urlsplit(url.strip())
    head = parts.path.rstrip("/").rpartition("/")[0]
    return urllib.parse.urlunsplit(parts._replace(path=f"{head}/query", query="", fragment=""))


def _node(term: Node, labels: dict[BNode, str]) -> str:
    if isinstance(term, BNode):
        return labels.setdefault(term, f"_:b{len(labels)}")
    if isinstance(term, URIRef | Literal):
        return sparql_term(term)
    raise InputError(f"cannot write a {type(term).__name__} as N-Triples")


def chunks(graph: Graph, size: int = CHUNK_SIZE) -> list[list[str]]:
    """The graph as sorted N-Triples lines in chunks of at most ``size``.

    Triples joined by blank nodes stay in one chunk (blank node labels hold within one
    request only), even when that makes the chunk bigger.
    """
    parent: dict[BNode, BNode] = {}

    def root(node: BNode) -> BNode:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for subject, _, obj in graph:
        if isinstance(subject, BNode) and isinstance(obj, BNode):
            parent[root(subject)] = root(obj)
    labels: dict[BNode, str] = {}
    groups: dict[object, list[str]] = {}
    for triple in graph:
        subject, _, obj = triple
        blank = subject if isinstance(subject, BNode) else obj
        key = root(blank) if isinstance(blank, BNode) else triple
        line = " ".join(_node(term, labels) for term in triple) + " ."
        groups.setdefault(key, []).append(line)
    result: list[list[str]] = []
    current: list[str] = []
    for group in sorted(sorted(lines) for lines in groups.values()):
        if current and len(current) + len(group) > size:
            result.append(current)
            current = []
        current.extend(group)
    return [*result, current] if current else result


def put_graph(store: Endpoint, iri: URIRef, graph: Graph) -> None:
    """Replace a named graph through the Graph Store HTTP Protocol."""
    lines = [line for chunk in chunks(graph, len(graph) or 1) for line in chunk]
    send(
        store,
        method="PUT",
        params=urllib.parse.urlencode({"graph": str(iri)}),
        data="".join(line + "\n" for line in lines).encode("utf-8"),
        headers={"Content-Type": "text/turtle"},
    )


def update_requests(iri: URIRef, graph: Graph, size: int = CHUNK_SIZE) -> list[str]:
    """SPARQL Update requests that replace a named graph: drop it, then insert in chunks."""
    target = sparql_term(iri)
    inserts = [
        f"INSERT DATA {{ GRAPH {target} {{\n" + "\n".join(chunk) + "\n} }"
        for chunk in chunks(graph, size)
    ]
    first = f"DROP SILENT GRAPH {target}"
    if inserts:
        first += " ;\n" + inserts.pop(0)
    return [first, *inserts]


def post_update(update: Endpoint, text: str) -> None:
    send(
        update,
        method="POST",
        data=urllib.parse.urlencode({"update": text}).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def write_graphs(
    graphs: list[tuple[URIRef, Graph]],
    writer: Endpoint,
    *,
    graph_store: bool = True,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[str], None] = lambda _: None,
) -> None:
    """Write each graph, replacing what the store held; a failure says what was written.

    ``writer`` is a Graph Store endpoint, or with ``graph_store=False`` an update endpoint.
    """
    written: list[str] = []
    for index, (iri, graph) in enumerate(graphs):
        started = time.perf_counter()
        requests = [] if graph_store else update_requests(iri, graph, chunk_size)
        done = 0
        try:
            if graph_store:
                put_graph(writer, iri, graph)
            for text in requests:
                post_update(writer, text)
                done += 1
        except EndpointError as error:
            partly = (
                f"; partly written: <{iri}> ({done} of {len(requests)} requests)" if done else ""
            )
            missing = [f"<{other}>" for other, _ in graphs[index + (1 if done else 0) :]]
            raise EndpointError(
                f"{error}; written: {', '.join(written) or 'none'}{partly}; "
                f"not written: {', '.join(missing) or 'none'}"
            ) from error
        written.append(f"<{iri}>")
        elapsed = time.perf_counter() - started
        progress(f"wrote <{iri}>: {len(graph)} triples in {elapsed:.2f} s")


def count_triples(endpoint: Endpoint, iri: URIRef) -> int:
    """The number of triples in a named graph of the store."""
    text = f"SELECT (COUNT(*) AS ?triples) WHERE {{ GRAPH {sparql_term(iri)} {{ ?s ?p ?o }} }}"
    rows = run_query(endpoint, text, "count").rows
    try:
        return int(str(rows[0][0]))
    except (IndexError, TypeError, ValueError):
        raise endpoint.error(f"no triple count for <{iri}> in the answer") from None


def shows_in_default_graph(endpoint: Endpoint, graphs: list[tuple[URIRef, Graph]]) -> bool:
    """Whether a triple that was pushed shows in the store's default graph."""
    for _iri, graph in graphs:
        for triple in graph:
            if not any(isinstance(term, BNode) for term in triple):
                pattern = " ".join(sparql_term(term) for term in triple)
                answer = run_query(endpoint, f"ASK {{ {pattern} }}", "default graph check")
                return str(answer.rows[0][0]) == "true"
    return True


@dataclass(frozen=True)
class PushReport:
    """The query endpoint that counted, and the counts of each graph pushed."""

    endpoint: str
    counts: list[GraphCount]

    def check(self) -> None:
        """An EndpointError when a graph in the store does not hold the triples written."""
        wrong = [c for c in self.counts if c.local != c.store]
        if wrong:
            details = "; ".join(
                f"<{c.graph}> {c.store} in the store, {c.local} here" for c in wrong
            )
            raise EndpointError(f"query endpoint {self.endpoint}: triple counts differ: {details}")


def push(
    layout: Layout,
    *,
    store: str | None = None,
    update: str | None = None,
    endpoint: str | None = None,
    graph: str | None = None,
    timeout: float,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[str], None] = lambda _: None,
) -> PushReport:
    """Write the graphs to a store, then count each there (through ``endpoint`` if given).

    ``progress`` gets a line per graph written, and a note when the store's default graph
    does not show the pushed triples (the saved queries read the default graph).
    """
    if (store is None) == (update is None):
        raise InputError("give either --store URL or --update-endpoint URL")
    url = store or update or ""
    writer = Endpoint.parse(url, timeout, "store" if store else "update endpoint")
    reader = Endpoint.parse(endpoint or query_url_for(url), timeout, "query endpoint")
    graphs = graphs_to_push(layout, graph_iri(graph) if graph else None)
    write_graphs(graphs, writer, graph_store=bool(store), chunk_size=chunk_size, progress=progress)
    counts = [GraphCount(iri, len(g), count_triples(reader, iri)) for iri, g in graphs]
    if not shows_in_default_graph(reader, graphs):
        progress(
            f"note: the default graph of {reader.url} does not show the pushed graphs, and the "
            "saved queries read the default graph (Oxigraph: serve with --union-default-graph)"
        )
    return PushReport(reader.url, counts)
