"""Running SPARQL on the local store, with errors that name the query and position."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tipgraph.catalogue import SavedQuery
from tipgraph.errors import InputError, QueryError, QueryTimeout, TooManyRows
from tipgraph.namespaces import PREFIXES, XSD_NS
from tipgraph.parameters import bind_parameters
from tipgraph.sparql_text import Term, check_query_shape, check_services, insert_values
from tipgraph.timeouts import LOCAL_TIMEOUT, MAX_ROWS, check_timeout

if TYPE_CHECKING:
    from rdflib import Graph

PROLOGUE = re.compile(r"\s*(?:#[^\n]*\n|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)", re.I)
UPDATE = re.compile(r"\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
POSITION = re.compile(r"^error at (\d+):(\d+): ")
BOOLEAN = ox.NamedNode(XSD_NS + "boolean")

# The engine parses and plans by recursion; a thread with a large stack (address space,
# committed only as used) keeps deep but accepted queries from overflowing it.
STACK_SIZE = 256 * 1024 * 1024
WAIT_SLICE = 0.1


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


class _Stopped(Exception):
    """The waiting thread gave up on the query; the evaluating thread ends quietly."""


def _collect(store: ox.Store, text: str, name: str, max_rows: int, stop: threading.Event) -> Rows:
    def too_many() -> QueryError:
        return TooManyRows(
            f"{name}: the answer has more than {max_rows:,} rows; raise the cap with --max-rows"
        )

    # The engine's answer must be dropped in this thread: no ``for`` loop keeps a hidden
    # reference to it that a traceback could carry to another thread.
    result = solution = None
    try:
        result = store.query(text, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return Rows(["ask"], [(ox.Literal("true" if result else "false", datatype=BOOLEAN),)])
        solutions = isinstance(result, ox.QuerySolutions)
        variables = [v.value for v in result.variables] if solutions else []
        found: list = []
        while (solution := next(result, None)) is not None:
            if stop.is_set():
                raise _Stopped
            if len(found) >= max_rows:
                raise too_many()
            found.append(tuple(solution[v] for v in variables) if solutions else solution)
        if solutions:
            return Rows(variables, found)
        return Rows([], [], triples=found)
    except SyntaxError as error:
        raise _syntax_error(name, error) from error
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryError(f"{name}: query failed: {error}") from error
    finally:
        result = solution = None


def _start(target: Callable[[], None], name: str) -> threading.Thread:
    def new() -> threading.Thread:
        return threading.Thread(target=target, name=f"tipgraph query {name}", daemon=True)

    try:
        previous = threading.stack_size(STACK_SIZE)
    except (ValueError, RuntimeError):
        previous = None
    thread = new()
    try:
        thread.start()
    except RuntimeError:
        if previous is None:
            raise
        threading.stack_size(previous)  # no room for the large stack: the default one
        thread = new()
        thread.start()
    finally:
        if previous is not None:
            threading.stack_size(previous)
    return thread


def _bounded(work: Callable[[threading.Event], Rows], name: str, timeout: float) -> Rows:
    """Run ``work`` in another thread and wait for it at most ``timeout`` seconds.

    pyoxigraph releases the GIL while it parses and evaluates, so this thread keeps waiting
    in short slices and sees Ctrl-C. On the time limit or an interrupt the evaluating thread
    is told to stop at its next row; an evaluation inside a single engine call (a sort, a
    count) cannot be stopped and is abandoned (a command line ends the process).
    """
    outcome: dict[str, object] = {}
    stop = threading.Event()

    def target() -> None:
        try:
            outcome["rows"] = work(stop)
        except _Stopped:
            pass
        except BaseException as error:  # handed to the waiting thread
            outcome["error"] = error

    deadline = time.monotonic() + timeout
    thread = _start(target, name)
    try:
        while thread.is_alive():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeout(
                    f"query {name} stopped at the time limit of {timeout:g} s (--timeout)"
                )
            thread.join(min(remaining, WAIT_SLICE))
    except BaseException:
        stop.set()
        raise
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["rows"]  # type: ignore[return-value]


def run_sparql(
    source: ox.Store | Graph,
    text: str,
    name: str = "query",
    bindings: Mapping[str, Term] | None = None,
    *,
    timeout: float = LOCAL_TIMEOUT,
    max_rows: int = MAX_ROWS,
    allow_service: Collection[str] = (),
) -> Rows:
    """Run a query; ``bindings`` maps variable names to terms, bound by a VALUES block.

    The project's prefixes are predefined, so ad-hoc queries may leave them out.

    The query is bounded: it stops with QueryTimeout after ``timeout`` seconds and with
    QueryError when its answer has more than ``max_rows`` rows (or triples). Text too large
    or too deeply nested for the engine is refused with InputError, and so is a SERVICE
    call unless its host is in ``allow_service``.
    """
    timeout = check_timeout(timeout)
    if max_rows < 1:
        raise InputError(f"the row cap (--max-rows) must be at least 1, not {max_rows}")
    check_query_shape(text, name)
    if _is_update(text):
        raise QueryError(f"{name}: updates are not run; tipgraph queries are read-only")
    check_services(text, allow_service, name)
    text = insert_values(text, bindings or {}, name)
    store = as_store(source)
    return _bounded(lambda stop: _collect(store, text, name, max_rows, stop), name, timeout)


def run_saved_query(
    source: ox.Store | Graph,
    query: SavedQuery,
    values: dict[str, str],
    *,
    timeout: float = LOCAL_TIMEOUT,
    max_rows: int = MAX_ROWS,
    allow_service: Collection[str] = (),
) -> Rows:
    """Run a saved query with parameter values (strings as typed), bound as RDF terms.

    The limits are those of :func:`run_sparql`.
    """
    store = as_store(source)
    bindings = bind_parameters(query, values, store)
    return run_sparql(
        store,
        query.text,
        query.name,
        bindings,
        timeout=timeout,
        max_rows=max_rows,
        allow_service=allow_service,
    )
