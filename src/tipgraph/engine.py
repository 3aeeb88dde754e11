"""Running SPARQL over the local graph, with errors that name the query and position."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal
from rdflib.query import Result as RdflibResult
from rdflib.term import Node

from tipgraph.catalogue import SavedQuery
from tipgraph.errors import QueryError
from tipgraph.namespaces import PREFIXES
from tipgraph.parameters import bind_parameters


@dataclass
class Rows:
    """A SELECT or ASK answer: column names and rows of RDF terms (None where unbound)."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    graph: Graph | None = None  # the answer of a CONSTRUCT or DESCRIBE


def _syntax_error(name: str, error: Exception) -> QueryError:
    line = getattr(error, "lineno", None)
    column = getattr(error, "col", None)
    where = f" at line {line}, column {column}" if line is not None else ""
    message = getattr(error, "msg", None) or str(error).splitlines()[0]
    return QueryError(f"{name}: SPARQL syntax error{where}: {message}")


def parse_query(text: str, name: str):
    """Parse and algebrise a query, raising QueryError on bad syntax."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text, initNs=PREFIXES)
    except ParseException as error:
        raise _syntax_error(name, error) from error
    except Exception as error:
        raise QueryError(f"{name}: cannot prepare query: {error}") from error


def to_rows(result: RdflibResult) -> Rows:
    if result.type == "ASK":
        return Rows(["ask"], [(Literal(bool(result.askAnswer)),)])
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return Rows([], [], graph=result.graph)
    variables = [str(v) for v in result.vars or []]
    return Rows(variables, [tuple(row) for row in result])


def run_sparql(graph: Graph, text: str, name: str = "query", bindings=None) -> Rows:
    """Run query text over a graph; ``bindings`` maps variable names to RDF terms."""
    if _is_update(text):
        raise QueryError(f"{name}: updates are not run; tipgraph queries are read-only")
    prepared = parse_query(text, name)
    try:
        result = graph.query(prepared, initBindings=bindings or {})
        return to_rows(result)
    except Exception as error:
        raise QueryError(f"{name}: query failed: {error}") from error


def run_saved_query(graph: Graph, query: SavedQuery, values: dict[str, str]) -> Rows:
    """Run a saved query with parameter values (strings as typed), bound as RDF terms."""
    bindings = bind_parameters(query, values, graph)
    return run_sparql(graph, query.text, query.name, bindings)


PROLOGUE = re.compile(r"\s*(?:#[^\n]*\n|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)", re.I)
UPDATE = re.compile(r"\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)


def _is_update(text: str) -> bool:
    position = 0
    while match := PROLOGUE.match(text, position):
        if match.end() == position:
            break
        position = match.end()
    return bool(UPDATE.match(text, position))
