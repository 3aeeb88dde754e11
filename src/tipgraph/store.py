"""The local engine: the Turtle files in an Oxigraph store (in memory, or the on-disk index).

Oxigraph parses, queries and serialises on every hot path; rdflib stays where it is the right
tool (canonical Turtle for ``fmt``, pySHACL as the reference validator).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from tipgraph.errors import InputError
from tipgraph.namespaces import RDF_NS, RDFS_NS, SKOS_NS
from tipgraph.paths import Layout

# The general RDF terms the code reads from the graph, as Oxigraph nodes, defined once here.
RDF_TYPE = ox.NamedNode(RDF_NS + "type")
RDFS_LABEL = ox.NamedNode(RDFS_NS + "label")
SUBCLASS_OF = ox.NamedNode(RDFS_NS + "subClassOf")
PREF_LABEL = ox.NamedNode(SKOS_NS + "prefLabel")
ALT_LABEL = ox.NamedNode(SKOS_NS + "altLabel")


def syntax_error(path: Path, error: SyntaxError) -> InputError:
    """One line: file:line:column: reason."""
    line, column = error.lineno, error.offset
    where = f"{line}:{column}" if line is not None else "1:1"
    reason = str(error.msg if line is not None else error)
    if reason.startswith("Parser error") and ": " in reason:
        reason = reason.split(": ", 1)[1]
    return InputError(f"{path}:{where}: Turtle syntax error: {reason}")


def read_file(path: Path) -> bytes:
    """A Turtle file's bytes; an InputError naming the file when it cannot be read."""
    try:
        return path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a byte-order mark is ignored
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error


def parse_turtle(path: Path, content: bytes) -> list[ox.Quad]:
    """The triples (as default-graph quads) of one file; a syntax error names file and line."""
    try:
        return list(
            ox.parse(content, format=ox.RdfFormat.TURTLE, base_iri=path.absolute().as_uri())
        )
    except SyntaxError as error:
        raise syntax_error(path, error) from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text ({error.reason})") from error


def parse_files(paths: Iterable[Path]) -> Iterator[ox.Quad]:
    """The triples (as default-graph quads) of every file, file by file."""
    for path in paths:
        yield from parse_turtle(path, read_file(path))


def load_into(store: ox.Store, path: Path) -> None:
    """Load one Turtle file; a syntax error becomes an InputError naming file, line, column."""
    try:
        store.load(read_file(path), format=ox.RdfFormat.TURTLE, base_iri=path.absolute().as_uri())
    except SyntaxError as error:
        raise syntax_error(path, error) from error


def load_store(layout: Layout | None = None, files: Iterable[Path] | None = None) -> ox.Store:
    """A new in-memory store with the layout's ontology, vocabularies and data (or ``files``)."""
    layout = layout or Layout.resolve()
    store = ox.Store()
    paths = files if files is not None else layout.ontology_files() + layout.data_files()
    for path in paths:
        load_into(store, path)
    return store


def has_type(store: ox.Store, iri: ox.NamedNode) -> bool:
    """Whether the store (or an rdflib graph a library user passes) types the resource."""
    if not isinstance(store, ox.Store):
        from rdflib import RDF, URIRef

        return (URIRef(iri.value), RDF.type, None) in store
    return next(iter(store.quads_for_pattern(iri, RDF_TYPE, None)), None) is not None
