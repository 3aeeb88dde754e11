"""Reading the Turtle files into one rdflib graph, with errors that name file, line and column."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from tipgraph.errors import InputError
from tipgraph.namespaces import bind_prefixes
from tipgraph.paths import Layout
from tipgraph.store import read_file


def describe_syntax_error(path: Path, error: BadSyntax) -> str:
    """One line: file:line:column: reason."""
    text = error._str.decode("utf-8", "replace")
    offset = error._i
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{path}:{line}:{column}: Turtle syntax error: {error._why}"


def parse_file(graph: Graph, path: Path) -> None:
    """Parse one Turtle file into ``graph``; any failure becomes an InputError naming the file."""
    content = read_file(path)  # without a byte-order mark
    try:
        graph.parse(data=content, format="turtle", publicID=path.absolute().as_uri())
    except BadSyntax as error:
        raise InputError(describe_syntax_error(path, error)) from error
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from error
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error
    except Exception as error:  # rdflib raises a variety of types for bad terms
        raise InputError(f"{path}: cannot parse Turtle: {error}") from error


def load_files(paths: Iterable[Path]) -> Graph:
    """A new graph holding every triple of the given files."""
    graph = Graph()
    bind_prefixes(graph)
    for path in paths:
        parse_file(graph, path)
    return graph


def load_graph(layout: Layout | None = None, *, data_only: bool = False) -> Graph:
    """The ontology, vocabularies and data of a layout (only the data with ``data_only``)."""
    layout = layout or Layout.resolve()
    files = layout.data_files() if data_only else layout.ontology_files() + layout.data_files()
    return load_files(files)
