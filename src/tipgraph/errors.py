"""Errors that the CLI turns into one line on stderr and an exit code."""

from __future__ import annotations

EXIT_FAILURE = 1
EXIT_USAGE = 2


class TipgraphError(Exception):
    """Base class: an error the user can act on, printed without a traceback."""

    exit_code = EXIT_FAILURE


class InputError(TipgraphError):
    """Bad input from the user: a malformed file, an unknown name, a bad parameter."""

    exit_code = EXIT_USAGE


class QueryError(TipgraphError):
    """A query that could not be parsed or run."""

    exit_code = EXIT_FAILURE


class EndpointError(TipgraphError):
    """A SPARQL endpoint or triple store that could not be reached, refused, or answered badly."""

    exit_code = EXIT_FAILURE


class CacheError(TipgraphError):
    """The persistent index could not be written or opened (a full disk, a read-only folder)."""

    exit_code = EXIT_FAILURE


class QueryTimeout(QueryError):
    """A local query stopped at its time limit; its evaluation may still be running."""


class TooManyRows(QueryError):
    """A local query's answer has more rows (or triples) than its cap allows."""
