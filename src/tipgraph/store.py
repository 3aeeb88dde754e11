"""The local SPARQL engine: the Turtle files loaded into an in-memory Oxigraph store.

rdflib holds the graph for validation, formatting and describing; queries run on Oxigraph,
which evaluates SPARQL orders of magnitude faster and behaves like the triple stores users
load the export into. This module converts terms between the two libraries.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from tipgraph.errors import InputError
from tipgraph.paths import Layout

XSD_STRING = str(XSD.string)


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


def to_rdflib(term) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def load_into(store: ox.Store, path: Path) -> None:
    """Load one Turtle file; a syntax error becomes an InputError naming file, line, column."""
    try:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    except SyntaxError as error:
        line, column = error.lineno, error.offset
        where = f"{line}:{column}" if line is not None else "1:1"
        reason = str(error).split(": ", 1)[-1] if line is None else error.msg
        raise InputError(f"{path}:{where}: Turtle syntax error: {reason}") from error
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error


def load_store(layout: Layout | None = None, files: Iterable[Path] | None = None) -> ox.Store:
    """An in-memory store with the layout's ontology, vocabularies and data (or ``files``)."""
    layout = layout or Layout.resolve()
    store = ox.Store()
    for path in files if files is not None else layout.ontology_files() + layout.data_files():
        load_into(store, path)
    return store


def store_from_graph(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)
    return store


def has_type(store: ox.Store, iri: URIRef) -> bool:
    """Whether the store types the resource (that is, knows it)."""
    pattern = store.quads_for_pattern(ox.NamedNode(str(iri)), ox.NamedNode(str(RDF.type)), None)
    return next(iter(pattern), None) is not None
