"""Running SPARQL on the local store, with errors that name the query and position."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.term import Node

from tipgraph.catalogue import SavedQuery
from tipgraph.errors import QueryError
from tipgraph.namespaces import PREFIXES
from tipgraph.parameters import bind_parameters
from tipgraph.sparql_text import insert_values
from tipgraph.store import store_from_graph, to_rdflib

PROLOGUE = re.compile(r"\s*(?:#[^\n]*\n|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)", re.I)
UPDATE = re.compile(r"\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
POSITION = re.compile(r"^error at (\d+):(\d+): ")


@dataclass
class Rows:
    """A SELECT or ASK answer: column names and rows of RDF terms (None where unbound)."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    graph: Graph | None = None  # the answer of a CONSTRUCT or DESCRIBE


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


_CONVERTED: dict[int, tuple[Graph, int, ox.Store]] = {}


def _as_store(source: ox.Store | Graph) -> ox.Store:
    """The store to query; an rdflib graph is copied into one (once per graph state)."""
    if isinstance(source, ox.Store):
        return source
    cached = _CONVERTED.get(id(source))
    if cached is None or cached[0] is not source or cached[1] != len(source):
        cached = (source, len(source), store_from_graph(source))
        _CONVERTED[id(source)] = cached
    return cached[2]


def run_sparql(
    source: ox.Store | Graph,
    text: str,
    name: str = "query",
    bindings: Mapping[str, Node] | None = None,
) -> Rows:
    """Run a query; ``bindings`` maps variable names to rdflib terms, bound by a VALUES block.

    The project's prefixes are predefined, so ad-hoc queries may leave them out.
    """
    if _is_update(text):
        raise QueryError(f"{name}: updates are not run; tipgraph queries are read-only")
    text = insert_values(text, bindings or {}, name)
    try:
        result = _as_store(source).query(text, prefixes=PREFIXES)
    except SyntaxError as error:
        raise _syntax_error(name, error) from error
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryError(f"{name}: query failed: {error}") from error
    if isinstance(result, ox.QueryBoolean):
        return Rows(["ask"], [(Literal(bool(result)),)])
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [tuple(to_rdflib(solution[v]) for v in variables) for solution in result]
        return Rows(variables, rows)
    graph = Graph()
    for triple in result:
        graph.add(
            (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
        )
    return Rows([], [], graph=graph)


def run_saved_query(source: ox.Store | Graph, query: SavedQuery, values: dict[str, str]) -> Rows:
    """Run a saved query with parameter values (strings as typed), bound as RDF terms."""
    store = _as_store(source)
    bindings = bind_parameters(query, values, store)
    return run_sparql(store, query.text, query.name, bindings)
