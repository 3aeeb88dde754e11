"""Loading the ontology and data into a triple store, then checking what arrived.

Through the SPARQL 1.1 Graph Store HTTP Protocol (``PUT`` replaces a named graph) or, for
stores without it, SPARQL 1.1 Update (``DROP SILENT GRAPH``, then ``INSERT DATA`` in chunks
of a bounded size in bytes, sent as ``application/sparql-update``). Either way, pushing twice
leaves the same triples. Afterwards each graph is counted and read back (:mod:`tipgraph.readback`),
so that a store which drops or rewrites a triple is caught and the triple named.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from tipgraph.endpoint import Endpoint
from tipgraph.errors import EndpointError, InputError
from tipgraph.export import NamedGraph, blank_nodes, graph_parts
from tipgraph.paths import Layout
from tipgraph.readback import ContentDifference, compare, stored_triples
from tipgraph.remote import run_query
from tipgraph.sparql_text import sparql_term
from tipgraph.transport import send

# Bytes of N-Triples per INSERT DATA request. Virtuoso 7.2 refuses 4,000 triples (about
# 400 KB) in one request and Fuseki caps HTML forms at 1 MiB; 64 KiB (about 600 triples
# here) goes through every store tested.
CHUNK_SIZE = 64 * 1024
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]+")


@dataclass(frozen=True)
class GraphCount:
    """Triples of one named graph here and in the store."""

    graph: str
    local: int
    store: int


def graph_iri(text: str) -> str:
    """A named-graph IRI typed by a user; an InputError unless it is absolute."""
    if not ABSOLUTE_IRI.fullmatch(text.strip()):
        raise InputError(f"graph {text[:80]!r}: not an absolute IRI")
    return text.strip()


def graphs_to_push(
    layout: Layout, single: str | None = None, source: ox.Store | None = None
) -> list[NamedGraph]:
    """Ontology and vocabularies, and data, each in its named graph; or all in ``single``.

    ``source`` is the engine's store of the layout, loaded from the files when not given.
    """
    if source is None:
        from tipgraph.store import load_store

        source = load_store(layout)
    return graph_parts(source, layout, single)


def query_url_for(url: str) -> str:
    """The query endpoint beside a store or update endpoint: its last path segment → ``query``.

    Oxigraph: ``/store`` and ``/update`` → ``/query``; Fuseki: ``/ds/data`` → ``/ds/query``.
    """
    parts = urllib.parse.urlsplit(url.strip())
    head = parts.path.rstrip("/").rpartition("/")[0]
    return urllib.parse.urlunsplit(parts._replace(path=f"{head}/query", query="", fragment=""))


def chunks(graph: NamedGraph, size: int = CHUNK_SIZE) -> list[list[bytes]]:
    """The graph's sorted N-Triples lines in chunks of at most ``size`` bytes (with newlines).

    Triples joined by blank nodes stay in one chunk (blank node labels hold within one
    request only), and a single triple longer than ``size`` goes alone: either may make a
    chunk bigger than ``size``.
    """
    parent: dict[bytes, bytes] = {}

    def root(node: bytes) -> bytes:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    blank = [blank_nodes(line) for line in graph.lines]
    for labels in blank:
        if len(labels) == 2:
            parent[root(labels[0])] = root(labels[1])
    groups: dict[bytes, list[bytes]] = {}
    for line, labels in zip(graph.lines, blank, strict=True):
        groups.setdefault(root(labels[0]) if labels else line, []).append(line)
    result: list[list[bytes]] = []
    current: list[bytes] = []
    used = 0
    for group in sorted(groups.values()):
        length = sum(len(line) + 1 for line in group)
        if current and used + length > size:
            result.append(current)
            current, used = [], 0
        current.extend(group)
        used += length
    return [*result, current] if current else result


def put_graph(store: Endpoint, graph: NamedGraph) -> None:
    """Replace a named graph through the Graph Store HTTP Protocol."""
    send(
        store,
        method="PUT",
        params=urllib.parse.urlencode({"graph": graph.iri}),
        data=graph.ntriples(),
        headers={"Content-Type": "text/turtle"},
    )


def update_requests(graph: NamedGraph, size: int = CHUNK_SIZE) -> list[str]:
    """SPARQL Update requests that replace a named graph: drop it, then insert in chunks."""
    target = sparql_term(ox.NamedNode(graph.iri))
    inserts = [
        f"INSERT DATA {{ GRAPH {target} {{\n" + b"\n".join(chunk).decode("utf-8") + "\n} }"
        for chunk in chunks(graph, size)
    ]
    first = f"DROP SILENT GRAPH {target}"
    if inserts:
        first += " ;\n" + inserts.pop(0)
    return [first, *inserts]


def post_update(update: Endpoint, text: str) -> None:
    """Send one SPARQL Update request as its own body (no form encoding, no form-size limit)."""
    send(
        update,
        method="POST",
        data=text.encode("utf-8"),
        headers={"Content-Type": "application/sparql-update"},
    )


def write_graphs(
    graphs: list[NamedGraph],
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
    for index, graph in enumerate(graphs):
        iri = graph.iri
        started = time.perf_counter()
        requests = [] if graph_store else update_requests(graph, chunk_size)
        done = 0
        try:
            if graph_store:
                put_graph(writer, graph)
            for text in requests:
                post_update(writer, text)
                done += 1
        except EndpointError as error:
            partly = (
                f"; partly written: <{iri}> ({done} of {len(requests)} requests)" if done else ""
            )
            missing = [f"<{other.iri}>" for other in graphs[index + (1 if done else 0) :]]
            raise EndpointError(
                f"{error}; written: {', '.join(written) or 'none'}{partly}; "
                f"not written: {', '.join(missing) or 'none'}"
            ) from error
        written.append(f"<{iri}>")
        elapsed = time.perf_counter() - started
        progress(f"wrote <{iri}>: {len(graph)} triples in {elapsed:.2f} s")


def count_triples(endpoint: Endpoint, iri: str) -> int:
    """The number of triples in a named graph of the store."""
    target = sparql_term(ox.NamedNode(str(iri)))
    text = f"SELECT (COUNT(*) AS ?triples) WHERE {{ GRAPH {target} {{ ?s ?p ?o }} }}"
    rows = run_query(endpoint, text, "count").rows
    try:
        return int(rows[0][0].value)
    except (IndexError, TypeError, ValueError):
        raise endpoint.error(f"no triple count for <{iri}> in the answer") from None


def shows_in_default_graph(endpoint: Endpoint, graphs: list[NamedGraph]) -> bool:
    """Whether a triple that was pushed shows in the store's default graph."""
    for graph in graphs:
        for line in graph.lines:
            if not blank_nodes(line):
                pattern = line.decode("utf-8").rstrip(" .")
                answer = run_query(endpoint, f"ASK {{ {pattern} }}", "default graph check")
                return answer.rows[0][0].value == "true"
    return True


@dataclass(frozen=True)
class PushReport:
    """The query endpoint that checked, the counts of each graph, and what the store changed."""

    endpoint: str
    counts: list[GraphCount]
    differences: list[ContentDifference] = field(default_factory=list)
    short_answers: list[str] = field(default_factory=list)

    def check(self) -> None:
        """An EndpointError when a graph in the store does not hold the triples written."""
        problems = []
        wrong = [c for c in self.counts if c.local != c.store]
        if wrong:
            details = "; ".join(
                f"<{c.graph}> {c.store} in the store, {c.local} here" for c in wrong
            )
            problems.append(f"triple counts differ: {details}")
        if self.short_answers:
            problems.append(
                "the store answered CONSTRUCT with fewer triples than it counts, so the content "
                f"could not be checked: {'; '.join(self.short_answers)} (a result-size limit? "
                "Virtuoso: raise ResultSetMaxRows in [SPARQL])"
            )
        elif self.differences:
            problems.append(
                "the store does not hold the triples as sent: "
                + "; ".join(d.describe() for d in self.differences)
            )
        if problems:
            raise EndpointError(f"query endpoint {self.endpoint}: " + "; ".join(problems))


def check_graph(
    reader: Endpoint, graph: NamedGraph
) -> tuple[GraphCount, ContentDifference | None, str | None]:
    """Count a pushed graph in the store and read it back; a note when the answer was cut."""
    stored_count = count_triples(reader, graph.iri)
    stored = stored_triples(reader, graph.iri)
    count = GraphCount(graph.iri, len(graph), stored_count)
    short = None
    if len(stored) < stored_count:
        short = f"<{graph.iri}> {len(stored)} of {stored_count} triples"
    return count, compare(graph, stored), short


def push(
    layout: Layout,
    *,
    source: ox.Store | None = None,
    store: str | None = None,
    update: str | None = None,
    endpoint: str | None = None,
    graph: str | None = None,
    timeout: float,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[str], None] = lambda _: None,
) -> PushReport:
    """Write the graphs to a store, then count and read back each (through ``endpoint``).

    ``chunk_size`` is in bytes of N-Triples per INSERT DATA request. ``progress`` gets a line
    per graph written, and a note when the store's default graph does not show the pushed
    triples (the saved queries read the default graph).
    """
    if (store is None) == (update is None):
        raise InputError("give either --store URL or --update-endpoint URL")
    url = store or update or ""
    writer = Endpoint.parse(url, timeout, "store" if store else "update endpoint")
    reader = Endpoint.parse(endpoint or query_url_for(url), timeout, "query endpoint")
    graphs = graphs_to_push(layout, graph_iri(graph) if graph else None, source)
    write_graphs(graphs, writer, graph_store=bool(store), chunk_size=chunk_size, progress=progress)
    checked = [check_graph(reader, g) for g in graphs]
    if not shows_in_default_graph(reader, graphs):
        progress(
            f"note: the default graph of {reader.url} does not show the pushed graphs, and the "
            "saved queries read the default graph (Oxigraph: serve with --union-default-graph)"
        )
    return PushReport(
        reader.url,
        [count for count, _, _ in checked],
        [difference for _, difference, _ in checked if difference is not None],
        [short for _, _, short in checked if short is not None],
    )
