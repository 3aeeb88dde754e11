"""Each saved query as a web operation (``/api/<name>``), and their OpenAPI description.

Parameters come as URL parameters, typed and bound exactly as ``tipgraph query -p`` binds
them; the answer is JSON (rows as objects), CSV, TSV or SPARQL JSON.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from tipgraph.catalogue import Catalogue, SavedQuery
from tipgraph.engine import Rows, run_saved_query
from tipgraph.errors import InputError, QueryError, QueryTimeout, TooManyRows
from tipgraph.output import render
from tipgraph.parameter_info import describe_parameters
from tipgraph.web.negotiation import choose
from tipgraph.web.protocol import Answer, Refusal

MEDIA = {
    "json": "application/json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "sparql-json": "application/sparql-results+json",
}
SUFFIXES = {".json": "json", ".csv": "csv", ".tsv": "tsv", ".srj": "sparql-json"}
OFFERED = [MEDIA[name] for name in ("json", "csv", "tsv", "sparql-json")]


def split_suffix(name: str) -> tuple[str, str | None]:
    """``members-of.csv`` → (``members-of``, ``csv``); no suffix → (name, None)."""
    for suffix, fmt in SUFFIXES.items():
        if name.endswith(suffix):
            return name[: -len(suffix)], fmt
    return name, None


def values_of(params: Mapping[str, list[str]]) -> dict[str, str]:
    """URL parameters as parameter values; a parameter given twice is refused."""
    values = {}
    for name, found in params.items():
        if len(found) != 1:
            raise Refusal(400, f"parameter {name} given {len(found)} times")
        values[name] = found[0]
    return values


def rendered(rows: Rows, fmt: str) -> Answer:
    media = MEDIA[fmt]
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return Answer(200, media + charset, render(rows.variables, rows.rows, fmt).encode("utf-8"))


def run_operation(
    store: ox.Store,
    catalogue: Catalogue,
    name: str,
    params: Mapping[str, list[str]],
    accept: str | None,
    *,
    timeout: float,
    max_rows: int,
) -> Answer:
    """The answer of ``/api/<name>`` for these URL parameters."""
    name, fmt = split_suffix(name)
    try:
        query = catalogue.get(name)
    except InputError as error:
        return Answer.text(404, str(error))
    if fmt is None:
        media = choose(accept, OFFERED)
        if media is None:
            return Answer.text(406, f"this answer is available as {', '.join(OFFERED)}")
        fmt = next(key for key, value in MEDIA.items() if value == media)
    try:
        rows = run_saved_query(store, query, values_of(params), timeout=timeout, max_rows=max_rows)
    except Refusal as refusal:
        return refusal.answer()
    except InputError as error:
        return Answer.text(400, str(error))
    except QueryTimeout as error:
        return Answer.text(503, f"{error}; the server's limit is {timeout:g} s")
    except TooManyRows as error:
        return Answer.text(413, f"{error.args[0].split(';')[0]} (the server's cap)")
    except QueryError as error:
        return Answer.text(500, str(error))
    return rendered(rows, fmt)


def _operation(query: SavedQuery, store: ox.Store) -> dict:
    parameters = [
        {
            "name": info.name,
            "in": "query",
            "required": info.required,
            "description": info.description or info.name,
            "schema": info.json_schema(),
        }
        for info in describe_parameters(query, store)
    ]
    row_schema = {"type": "array", "items": {"type": "object"}}
    text = {"schema": {"type": "string"}}
    return {
        "get": {
            "operationId": query.name,
            "summary": query.summary,
            "description": query.description,
            "tags": list(query.tags),
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": "The answer, one object per row (or CSV, TSV, SPARQL JSON).",
                    "content": {
                        MEDIA["json"]: {"schema": row_schema},
                        MEDIA["csv"]: text,
                        MEDIA["tsv"]: text,
                        MEDIA["sparql-json"]: {"schema": {"type": "object"}},
                    },
                },
                "400": {"description": "A bad parameter value, named in the text."},
                "406": {"description": "None of the accepted formats is available."},
                "413": {"description": "The answer has more rows than the server's cap."},
                "503": {"description": "The query stopped at the server's time limit."},
            },
        }
    }


def openapi(store: ox.Store, catalogue: Catalogue, version: str) -> dict:
    """The OpenAPI 3.1 description of every saved query that reads."""
    good, _bad = catalogue.load()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "tipgraph saved queries",
            "version": version,
            "description": "The saved queries of the tipgraph knowledge graph as web "
            "operations. Add .json, .csv or .tsv to the path, or ask by Accept.",
        },
        "paths": {f"/api/{query.name}": _operation(query, store) for query in good},
    }
