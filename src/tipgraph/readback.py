"""Reading a pushed graph back from the store and naming the triples it does not hold as sent.

Counts alone miss a store that rewrites a literal (Virtuoso 7.2 has turned
``"2002"^^xsd:gYear`` into ``"2002-01"^^xsd:gYearMonth`` while keeping the count), so each
graph is read back with CONSTRUCT and compared, as canonical N-Triples, with what was sent.
Blank nodes get canonical labels on both sides first, so only real differences remain.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from tipgraph.endpoint import Endpoint
from tipgraph.export import NamedGraph, has_blank_nodes
from tipgraph.remote import run_query
from tipgraph.sparql_text import sparql_term

SHOWN = 3


@dataclass(frozen=True)
class ContentDifference:
    """The triples of one graph that were sent but are not stored, and the other way round."""

    graph: str
    missing: list[bytes]
    extra: list[bytes]

    def describe(self) -> str:
        """One clause naming the first differing triples (sent vs. stored)."""

        def listed(lines: list[bytes]) -> str:
            shown = "; ".join(line.decode("utf-8", "replace") for line in lines[:SHOWN])
            more = f" (and {len(lines) - SHOWN} more)" if len(lines) > SHOWN else ""
            return shown + more

        parts = []
        if self.missing:
            parts.append(f"{len(self.missing)} sent but not stored: {listed(self.missing)}")
        if self.extra:
            parts.append(f"{len(self.extra)} stored but not sent: {listed(self.extra)}")
        return f"<{self.graph}> " + ", ".join(parts)


def canonical_lines(triples: list[ox.Triple]) -> list[bytes]:
    """Sorted N-Triples lines, with canonical blank node labels when there are any."""
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    lines = [line for line in text.split(b"\n") if line]
    if has_blank_nodes(lines):
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        text = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS)
        lines = [line for line in text.split(b"\n") if line]
    return sorted(set(lines))


def stored_triples(endpoint: Endpoint, iri: str) -> list[ox.Triple]:
    """The triples of a named graph, as the store's query endpoint gives them back."""
    target = sparql_term(ox.NamedNode(iri))
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {target} {{ ?s ?p ?o }} }}"
    return run_query(endpoint, text, f"reading <{iri}> back").triples or []


def compare(graph: NamedGraph, stored: list[ox.Triple]) -> ContentDifference | None:
    """What differs between a graph as sent and as read back; None when nothing does."""
    sent = ox.parse(b"\n".join(graph.lines), format=ox.RdfFormat.N_TRIPLES)
    expected = canonical_lines([ox.Triple(q.subject, q.predicate, q.object) for q in sent])
    actual = canonical_lines(stored)
    if expected == actual:
        return None
    have, want = set(actual), set(expected)
    missing = [line for line in expected if line not in have]
    extra = [line for line in actual if line not in want]
    return ContentDifference(graph.iri, missing, extra)
