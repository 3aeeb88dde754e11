"""The graph serialised deterministically for triple stores, by Oxigraph.

Every export goes through sorted canonical N-Triples lines: the same graph always gives the
same bytes, whether it came from the index or from parsing the files. Blank nodes get fresh
labels at every parse, so a graph that has any is written through rdflib's canonical
labelling instead (slower; the shipped graph has none).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from tipgraph.namespaces import BASE, PREFIXES
from tipgraph.paths import Layout
from tipgraph.store import parse_files

FORMATS = ("turtle", "nt", "trig", "jsonld")
ONTOLOGY_GRAPH = BASE + "graph/ontology"
DATA_GRAPH = BASE + "graph/data"
_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class NamedGraph:
    """A graph to write into a store: its IRI and its sorted N-Triples lines."""

    iri: str
    lines: list[bytes]

    def __len__(self) -> int:
        return len(self.lines)

    def ntriples(self) -> bytes:
        return b"".join(line + b"\n" for line in self.lines)

    @classmethod
    def of(cls, iri: str, triples) -> NamedGraph:
        """A named graph of pyoxigraph triples."""
        return cls(iri, _lines(triples))


def _lines(triples) -> list[bytes]:
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return sorted(line for line in text.split(b"\n") if line)


def _all_lines(store: ox.Store) -> list[bytes]:
    text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return sorted(line for line in text.split(b"\n") if line)


def blank_nodes(line: bytes) -> list[bytes]:
    """The blank node labels of an N-Triples line (subject, object; never the predicate)."""
    subject, _, rest = line.partition(b" ")
    obj = rest.partition(b" ")[2].rstrip(b" .")
    return [term for term in (subject, obj) if term.startswith(b"_:")]


def has_blank_nodes(lines: list[bytes]) -> bool:
    return any(blank_nodes(line) for line in lines if b"_:" in line)


def graph_parts(
    store: ox.Store,
    layout: Layout,
    single: str | None = None,
    everything: list[bytes] | None = None,
) -> list[NamedGraph]:
    """Ontology and vocabularies, and data, each in its named graph; or all in ``single``.

    The ontology triples are those of the ontology files; the data are the rest of the store.
    """
    everything = _all_lines(store) if everything is None else everything
    if single is not None:
        return [NamedGraph(single, everything)]
    ontology = _lines(parse_files(layout.ontology_files()))
    in_ontology = set(ontology)
    data = [line for line in everything if line not in in_ontology]
    return [NamedGraph(ONTOLOGY_GRAPH, ontology), NamedGraph(DATA_GRAPH, data)]


def _triples(lines: list[bytes]):
    return ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES)


def export_bytes(
    store: ox.Store, layout: Layout, fmt: str = "turtle", *, data_only: bool = False
) -> bytes:
    """The graph (or only the data) as ``fmt``: turtle, nt, trig or jsonld."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    everything = _all_lines(store)
    if has_blank_nodes(everything):
        return _export_with_rdflib(store, layout, fmt, data_only=data_only)
    ontology, data = graph_parts(store, layout, everything=everything)
    if fmt == "trig":
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(part.iri))
            for part in ([data] if data_only else [ontology, data])
            for t in _triples(part.lines)
        ]
        return _serialise(quads, ox.RdfFormat.TRIG)
    lines = data.lines if data_only else sorted(ontology.lines + data.lines)
    if fmt == "nt":
        return b"".join(line + b"\n" for line in lines)
    if fmt == "jsonld":
        return _readable_json(ox.serialize(_triples(lines), format=ox.RdfFormat.JSON_LD))
    return _serialise(_triples(lines), _RDF_FORMATS[fmt])


def _serialise(statements, rdf_format: ox.RdfFormat) -> bytes:
    """Turtle or TriG with the project's prefixes, declared in alphabetical order."""
    text = ox.serialize(statements, format=rdf_format, prefixes=PREFIXES)
    lines = text.split(b"\n")
    count = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), 0)
    return b"\n".join(sorted(lines[:count]) + lines[count:])


def _readable_json(content: bytes) -> bytes:
    """JSON-LD indented, keys sorted, so that a diff shows what changed."""
    document = json.loads(content)
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    return text.encode("utf-8") + b"\n"


def turtle_of(triples) -> bytes:
    """Triples (a CONSTRUCT answer, say) as Turtle with the project's prefixes, sorted."""
    return _serialise(_triples(_lines(triples)), ox.RdfFormat.TURTLE)


def _export_with_rdflib(store: ox.Store, layout: Layout, fmt: str, *, data_only: bool) -> bytes:
    """Canonical blank node labels need rdflib's graph canonicalisation."""
    from tipgraph.rdflib_bridge import graph_from_triples
    from tipgraph.turtle import serialise

    everything = graph_from_triples(t for t in store.quads_for_pattern(None, None, None))
    ontology = graph_from_triples(parse_files(layout.ontology_files()))
    data = everything - ontology
    if data_only:
        return serialise(data, fmt).encode("utf-8")
    return serialise(everything, fmt, ontology=ontology).encode("utf-8")


def export_text(
    layout: Layout | None = None, fmt: str = "turtle", *, data_only: bool = False
) -> str:
    """The layout's graph as text in ``fmt`` (turtle, nt, trig, jsonld)."""
    from tipgraph.store import load_store

    layout = layout or Layout.resolve()
    return export_bytes(load_store(layout), layout, fmt, data_only=data_only).decode("utf-8")
