"""Running SPARQL on the local store, with errors that name the query and position."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tipgraph.catalogue import SavedQuery
from tipgraph.errors import QueryError
from tipgraph.namespaces import PREFIXES, XSD_NS
from tipgraph.parameters import bind_parameters
from tipgraph.sparql_text import Term, insert_values

if TYPE_CHECKING:
    from rdflib import Graph

PROLOGUE = re.compile(r"\s*(?:#[^\n]*\n|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)", re.I)
UPDATE = re.compile(r"\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
POSITION = re.compile(r"^error at (\d+):(\d+): ")
BOOLEAN = ox.NamedNode(XSD_NS + "boolean")


@dataclass
class Rows:
    """A SELECT or ASK answer: column names and rows of pyoxigraph terms (None where unbound).

    A CONSTRUCT or DESCRIBE answer has no rows and its triples in ``triples``.
    """

    variables: list[str]
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    triples: list[ox.Triple] | None = None

    def as_rdflib(self) -> list[tuple]:
        """The rows with rdflib terms, for code that works with rdflib."""
        from tipgraph.rdflib_bridge import to_rdflib

        return [tuple(to_rdflib(term) for term in row) for row in self.rows]

    @property
    def graph(self) -> Graph | None:
        """A CONSTRUCT or DESCRIBE answer as an rdflib graph (None for other queries)."""
        if self.triples is None:
            return None
        from tipgraph.rdflib_bridge import graph_from_triples

        return graph_from_triples(self.triples)


def _is_update(text: str) -> bool:
    position = 0
    while (match := PROLOGUE.match(text, position)) and match.end() > position:
        position = match.end()
    return bool(UPDATE.match(text, position))


def _syntax_error(name: str, error: SyntaxError) -> QueryError:
    message = str(error)
    if match := POSITION.match(message):
        line, column = match.groups()
        reason = message[match.end() :].splitlines()[0]
        if len(reason) > 160:
            reason = reason[:157] + "..."
        return QueryError(f"{name}: SPARQL syntax error at line {line}, column {column}: {reason}")
    return QueryError(f"{name}: SPARQL syntax error: {message.splitlines()[0]}")


def as_store(source: ox.Store | Graph) -> ox.Store:
    """The store to query. An rdflib graph is copied into a new store on every call, so an
    answer always reflects the graph as it is now."""
    if isinstance(source, ox.Store):
        return source
    from tipgraph.rdflib_bridge import store_from_graph

    return store_from_graph(source)


def run_sparql(
    source: ox.Store | Graph,
    text: str,
    name: str = "query",
    bindings: Mapping[str, Term] | None = None,
) -> Rows:
    """Run a query; ``bindings`` maps variable names to terms, bound by a VALUES block.

    The project's prefixes are predefined, so ad-hoc queries may leave them out.
    """
    if _is_update(text):
        raise QueryError(f"{name}: updates are not run; tipgraph queries are read-only")
    text = insert_values(text, bindings or {}, name)
    try:
        result = as_store(source).query(text, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return Rows(["ask"], [(ox.Literal("true" if result else "false", datatype=BOOLEAN),)])
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [tuple(solution[v] for v in variables) for solution in result]
            return Rows(variables, rows)
        return Rows([], [], triples=list(result))
    except SyntaxError as error:
        raise _syntax_error(name, error) from error
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryError(f"{name}: query failed: {error}") from error


def run_saved_query(source: ox.Store | Graph, query: SavedQuery, values: dict[str, str]) -> Rows:
    """Run a saved query with parameter values (strings as typed), bound as RDF terms."""
    store = as_store(source)
    bindings = bind_parameters(query, values, store)
    return run_sparql(store, query.text, query.name, bindings)
