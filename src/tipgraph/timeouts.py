"""The limits of a query and the one rule for a time limit a user gives: a finite number of
seconds, at most a day. No pyoxigraph here, so the command line reads them cheaply."""

from __future__ import annotations

import math

from tipgraph.errors import InputError

MAX_TIMEOUT = 86_400.0
LOCAL_TIMEOUT = 60.0  # a query on the local graph
ENDPOINT_TIMEOUT = 30.0  # each request to a SPARQL endpoint or store
MAX_ROWS = 1_000_000


def timeout_problem(timeout: float) -> str | None:
    """Why a number of seconds cannot be a time limit, or None when it can."""
    if not (isinstance(timeout, int | float) and math.isfinite(timeout)):
        return f"the timeout must be a finite number of seconds, not {timeout}"
    if not 0 < timeout <= MAX_TIMEOUT:
        return (
            f"the timeout must be more than 0 and at most {MAX_TIMEOUT:g} seconds, not {timeout:g}"
        )
    return None


def check_timeout(timeout: float) -> float:
    """The time limit in seconds; InputError (naming --timeout) when it is unusable."""
    problem = timeout_problem(timeout)
    if problem:
        raise InputError(f"{problem} (--timeout)")
    return float(timeout)
