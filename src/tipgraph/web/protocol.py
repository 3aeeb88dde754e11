"""The SPARQL 1.1 Protocol, read-only: a query from a request, run with limits, answered in the
format the client accepts. Updates are refused, recognised by parsing, not by keywords."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs

import pyoxigraph as ox

from tipgraph.engine import run_sparql
from tipgraph.errors import InputError, QueryError, QueryTimeout, TooManyRows
from tipgraph.sparql_text import MAX_QUERY_CHARS, UPDATES, check_services, query_form
from tipgraph.web import results
from tipgraph.web.negotiation import choose

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
MAX_BODY = 4 * MAX_QUERY_CHARS  # bytes: at most four per character of the longest query
MAX_UPDATE_CHECK = 200_000  # longer refused text is not parsed again to tell an update apart


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, media type and body."""

    status: int
    media: str
    body: bytes

    @classmethod
    def text(cls, status: int, message: str) -> Answer:
        return cls(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())


class Refusal(Exception):
    """A request the endpoint refuses, with its HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status

    def answer(self) -> Answer:
        return Answer.text(self.status, str(self))


def parses_as_update(text: str) -> bool:
    """Whether the text is a SPARQL Update request, by the grammar (rdflib's update parser)."""
    if len(text) > MAX_UPDATE_CHECK:
        return False
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # pyparsing's ParseException and its kin: not an update
        return False
    return True


def _one(values: Mapping[str, list[str]], name: str) -> str | None:
    found = values.get(name, [])
    if len(found) > 1:
        raise Refusal(400, f"give the {name} parameter once, not {len(found)} times")
    return found[0] if found else None


def query_of(
    method: str, params: Mapping[str, list[str]], content_type: str | None, body: bytes
) -> str:
    """The query text of a request (GET ``?query=``, POST form or ``application/sparql-query``)."""
    media = (content_type or "").split(";")[0].strip().lower()
    values = {k: list(v) for k, v in params.items()}
    if method == "POST":
        if media == UPDATE:
            raise Refusal(403, "this endpoint is read-only: SPARQL updates are refused")
        if media == FORM:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise Refusal(400, "the form is not UTF-8 text") from None
            for name, found in parse_qs(text, keep_blank_values=True).items():
                values.setdefault(name, []).extend(found)
        elif media == QUERY:
            if "query" in values:
                raise Refusal(400, "give the query in the body or as a parameter, not both")
            try:
                values["query"] = [body.decode("utf-8")]
            except UnicodeDecodeError:
                raise Refusal(400, "the query is not UTF-8 text") from None
        else:
            raise Refusal(
                415, f"send the query as {FORM} or {QUERY}, not {media or 'an unnamed type'}"
            )
    if "update" in values:
        raise Refusal(403, "this endpoint is read-only: SPARQL updates are refused")
    for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri"):
        if name in values:
            raise Refusal(400, f"{name} is not supported: the graph is one default graph")
    text = _one(values, "query")
    if text is None or not text.strip():
        raise Refusal(400, "no query: give it as ?query=… or POST it")
    return text


def run(
    store: ox.Store,
    text: str,
    accept: str | None,
    *,
    timeout: float,
    max_rows: int,
    allow_service: Collection[str] = (),
) -> Answer:
    """Run the query and answer in the accepted format; every refusal is a text answer."""
    try:
        return _run(store, text, accept, timeout, max_rows, allow_service)
    except Refusal as refusal:
        return refusal.answer()


def _run(
    store: ox.Store,
    text: str,
    accept: str | None,
    timeout: float,
    max_rows: int,
    allow_service: Collection[str],
) -> Answer:
    if len(text) > MAX_QUERY_CHARS:
        raise Refusal(413, f"the query is longer than {MAX_QUERY_CHARS:,} characters")
    try:
        check_services(text, allow_service, "query")
    except InputError as error:
        raise Refusal(403, f"{error} (SERVICE is not run by this endpoint)") from None
    form = query_form(text)
    if form in UPDATES:
        # Update text is refused whether or not it is well-formed; only the status differs.
        if parses_as_update(text):
            raise Refusal(403, "this endpoint is read-only: SPARQL updates are refused")
        raise Refusal(
            400, f"query: SPARQL syntax error: not a valid query, nor an update ({form.upper()})"
        )
    try:
        rows = run_sparql(store, text, "query", timeout=timeout, max_rows=max_rows)
    except QueryTimeout as error:
        raise Refusal(503, f"{error}; the server's limit is {timeout:g} s") from None
    except TooManyRows as error:
        raise Refusal(413, f"{error.args[0].split(';')[0]} (the server's cap)") from None
    except (QueryError, InputError) as error:
        if parses_as_update(text):
            raise Refusal(403, "this endpoint is read-only: SPARQL updates are refused") from None
        raise Refusal(400, str(error)) from None
    if rows.triples is not None:
        return _negotiated(
            accept, results.GRAPH_TYPES, lambda m: results.graph_answer(rows.triples, m)
        )
    if form == "ask":
        return _negotiated(accept, results.RESULT_TYPES, lambda m: results.boolean_answer(rows, m))
    return _negotiated(accept, results.RESULT_TYPES, lambda m: results.solutions_answer(rows, m))


def _negotiated(accept: str | None, offered: Sequence[str], make) -> Answer:
    media = choose(accept, offered)
    if media is None:
        raise Refusal(406, f"this answer is available as {', '.join(offered)}")
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return Answer(200, media + charset, make(media))
