"""Running a query on a SPARQL 1.1 endpoint, answered as the same Rows as the local engine.

Queries go through SPARQLWrapper with content negotiation only (no ``format`` or ``output``
URL parameters): GET for short queries, URL-encoded POST for long ones. Parameters are bound
as for the local store (:mod:`tipgraph.sparql_text`). Failures are EndpointErrors, worded as
for the other requests (:mod:`tipgraph.transport`).
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from email.message import Message
from typing import IO

import pyoxigraph as ox
from SPARQLWrapper import (
    ASK,
    BASIC,
    CONSTRUCT,
    DESCRIBE,
    DIGEST,
    GET,
    JSON,
    POST,
    SELECT,
    TURTLE,
    URLENCODED,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import Unauthorized

from tipgraph.catalogue import SavedQuery
from tipgraph.endpoint import Endpoint
from tipgraph.engine import BOOLEAN, Rows
from tipgraph.errors import InputError, QueryError
from tipgraph.parameters import bind_parameters
from tipgraph.sparql_text import UPDATES, Term, insert_values, query_form, with_prologue
from tipgraph.transport import (
    SEND_ERRORS,
    USER_AGENT,
    Deadline,
    auth_challenge,
    content_type_of,
    deadline_handlers,
    describe_failure,
    read_body,
)

MAX_GET_URL = 2000
RESULTS_JSON = "application/sparql-results+json"
RDF_ACCEPT = "text/turtle, application/n-triples;q=0.9"
RESULT_TYPES = {"application/sparql-results+json", "application/json"}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
}
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
}
WRAPPER_FORMS = {"select": SELECT, "ask": ASK, "construct": CONSTRUCT, "describe": DESCRIBE}


# --- queries through SPARQLWrapper -------------------------------------------------------------

_OPENER_LOCK = threading.Lock()


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), parts.netloc.rpartition("@")[2].lower()


class _SameOriginCredentials(urllib.request.HTTPRedirectHandler):
    """Follows redirects, but without the Authorization header when they leave the origin.

    SPARQLWrapper puts Basic credentials in an ordinary header, which urllib would carry along.
    """

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        request = super().redirect_request(req, fp, code, msg, headers, newurl)
        if request is not None and _origin(newurl) != _origin(req.full_url):
            request.remove_header("Authorization")
        return request


@contextlib.contextmanager
def _process_opener(opener: urllib.request.OpenerDirector, deadline: Deadline) -> Iterator[None]:
    """Send SPARQLWrapper's requests through ``opener``, then put back the previous one.

    SPARQLWrapper sends through urllib's process-wide opener (and for Digest builds and installs
    one of its own, holding the credentials: that one gets the deadline's handlers too); the
    lock keeps other threads' queries out of it meanwhile.
    """
    build_opener = urllib.request.build_opener

    def with_deadline(*handlers: object) -> urllib.request.OpenerDirector:
        return build_opener(*deadline_handlers(deadline), *handlers)

    with _OPENER_LOCK:
        previous = urllib.request._opener
        urllib.request.install_opener(opener)
        urllib.request.build_opener = with_deadline  # type: ignore[assignment]
        try:
            yield
        finally:
            urllib.request.build_opener = build_opener
            urllib.request.install_opener(previous)


def _wrapper(
    endpoint: Endpoint, text: str, form: str, post: bool, challenge: Challenge | None = None
) -> SPARQLWrapper:
    """A SPARQLWrapper set up to send one query with content negotiation only.

    Without ``challenge`` no credentials go; with it, they answer that challenge: Digest for
    its realm, or Basic.
    """
    parts = urllib.parse.urlsplit(endpoint.url)
    # A GET adds "?query=…" to the URL it is given, so the URL's own parameters go with it.
    url = endpoint.url if post else urllib.parse.urlunsplit(parts._replace(query=""))
    sparql = SPARQLWrapper(url, agent=USER_AGENT)
    if not post:
        for key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
            sparql.addParameter(key, value)
    sparql.setOnlyConneg(True)
    sparql.setMethod(POST if post else GET)
    sparql.setRequestMethod(URLENCODED)
    # Not setQuery(): its own guess of the form, by a regular expression that a prologue on the
    # first line can mislead, would warn on stderr; the tokenizer has found the form already.
    sparql.queryString = text
    sparql.queryType = WRAPPER_FORMS[form]
    results = form in ("select", "ask")
    sparql.setReturnFormat(JSON if results else TURTLE)
    sparql.addCustomHttpHeader("Accept", RESULTS_JSON if results else RDF_ACCEPT)
    # The attribute, not setTimeout(), which keeps whole seconds only (0.5 would mean none).
    sparql.timeout = endpoint.timeout  # type: ignore[assignment]
    credentials = endpoint.credentials
    if credentials is None or challenge is None:
        return sparql
    if challenge.scheme == "digest":
        sparql.setHTTPAuth(DIGEST)
        sparql.setCredentials(credentials.user, credentials.password, realm=challenge.realm)
    else:
        sparql.setHTTPAuth(BASIC)
        sparql.setCredentials(credentials.user, credentials.password)
        if not (credentials.user and credentials.password):
            # SPARQLWrapper sends nothing when either is empty, which Basic allows.
            pair = f"{credentials.user}:{credentials.password}"
            token = base64.b64encode(pair.encode()).decode()
            sparql.addCustomHttpHeader("Authorization", f"Basic {token}")
    return sparql


def _fetch(sparql: SPARQLWrapper, deadline: Deadline) -> tuple[bytes, str]:
    """Send the query: the body and Content-Type of a 2xx answer; errors as they come."""
    result = sparql.query()
    with contextlib.closing(result.response) as response:
        return read_body(response, deadline), content_type_of(response.headers)


@dataclass(frozen=True)
class Challenge:
    """What a 401 answer asks for: ``basic`` or ``digest``, and the realm it names."""

    scheme: str
    realm: str | None


def _challenge(error: Unauthorized) -> Challenge | None:
    """The first Basic or Digest challenge of the 401 answer SPARQLWrapper turned into ``error``.

    The first one the server lists: urllib's Digest handler reads only the first header.
    """
    status = error.__context__
    if not isinstance(status, urllib.error.HTTPError):
        return None
    for header in status.headers.get_all("WWW-Authenticate") or []:
        scheme = header.strip().partition(" ")[0].lower()
        if scheme in ("basic", "digest"):
            found = auth_challenge(status.headers, scheme) or {}
            return Challenge(scheme, found.get("realm"))
    return None


def _query_endpoint(endpoint: Endpoint, text: str, form: str) -> tuple[bytes, str]:
    """Send query text of a known form; the body and Content-Type of a 2xx answer.

    The query goes without credentials; when the server answers 401 with a Basic or Digest
    challenge and credentials are known, it goes again answering it (sending Basic unasked
    would leave no way in to a server that wants Digest, such as Virtuoso's ``/sparql-auth``).
    Failures are EndpointErrors.
    """
    post = len(endpoint.url) + 1 + len(urllib.parse.urlencode({"query": text})) > MAX_GET_URL
    with Deadline(endpoint.timeout) as deadline:
        opener = urllib.request.build_opener(*deadline_handlers(deadline), _SameOriginCredentials())
        try:
            with _process_opener(opener, deadline):
                try:
                    return _fetch(_wrapper(endpoint, text, form, post), deadline)
                except Unauthorized as error:
                    challenge = _challenge(error) if endpoint.credentials else None
                    if challenge is None:
                        raise
                    with contextlib.suppress(Exception):
                        error.__context__.close()  # type: ignore[union-attr]
                return _fetch(_wrapper(endpoint, text, form, post, challenge), deadline)
        except SEND_ERRORS as error:
            message = describe_failure(error, endpoint, deadline)
            raise endpoint.error(message) from error


# --- answers -----------------------------------------------------------------------------------


def _mime(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _term(value: object) -> Term:
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise ValueError("a binding without a value")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return ox.BlankNode(text)
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return ox.Literal(text, language=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype:
            return ox.Literal(text, datatype=ox.NamedNode(datatype))
        return ox.Literal(text)
    raise ValueError(f"unsupported term type {str(kind)[:40]!r}")


def parse_results(body: bytes, content_type: str, form: str) -> Rows:
    """SPARQL 1.1 JSON results as Rows of pyoxigraph terms; ValueError when they are not."""
    mime = _mime(content_type)
    if mime not in RESULT_TYPES:
        raise ValueError(f"Content-Type {mime or 'missing'}")
    try:
        document = json.loads(body)
    except ValueError:
        raise ValueError("not valid JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("head"), dict):
        raise ValueError("no head")
    if form == "ask":
        if not isinstance(document.get("boolean"), bool):
            raise ValueError("no boolean answer")
        answer = "true" if document["boolean"] else "false"
        return Rows(["ask"], [(ox.Literal(answer, datatype=BOOLEAN),)])
    variables = document["head"].get("vars")
    results = document.get("results")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(variables, list) or not isinstance(bindings, list):
        raise ValueError("no variables or bindings")
    variables = [str(v) for v in variables]
    try:
        rows = [tuple(_term(b[v]) if v in b else None for v in variables) for b in bindings]
    except (TypeError, AttributeError, ValueError) as error:
        raise ValueError("malformed bindings") from error
    return Rows(variables, rows)


def parse_graph(body: bytes, content_type: str) -> list[ox.Triple]:
    """A CONSTRUCT or DESCRIBE answer as triples; ValueError when it is not RDF."""
    mime = _mime(content_type)
    if mime not in RDF_TYPES:
        raise ValueError(f"Content-Type {mime or 'missing'}")
    rdf_format = RDF_FORMATS[RDF_TYPES[mime]]
    try:
        return [
            ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=rdf_format)
        ]
    except SyntaxError as error:
        reason = str(error).splitlines()[0][:80]
        raise ValueError(f"cannot parse {rdf_format.name}: {reason}") from None


# --- queries -----------------------------------------------------------------------------------


def run_query(
    endpoint: Endpoint, text: str, name: str = "query", bindings: Mapping[str, Term] | None = None
) -> Rows:
    """Run query text on an endpoint; ``bindings`` maps variable names to RDF terms."""
    form = query_form(text)
    if form in UPDATES:
        raise QueryError(f"{name}: updates are not run; tipgraph queries are read-only")
    if form is None:
        raise QueryError(f"{name}: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    text = insert_values(with_prologue(text), bindings or {}, name)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{name}: the query is not valid Unicode text") from None
    body, content_type = _query_endpoint(endpoint, text, form)
    try:
        if form in ("select", "ask"):
            return parse_results(body, content_type, form)
        return Rows([], [], triples=parse_graph(body, content_type))
    except ValueError as error:
        kind = "SPARQL JSON results" if form in ("select", "ask") else "RDF"
        raise endpoint.error(f"the answer is not {kind} ({error})") from error


def run_saved_query(
    endpoint: Endpoint,
    query: SavedQuery,
    values: dict[str, str],
    source: ox.Store | None = None,
) -> Rows:
    """Run a saved query on an endpoint; resource parameters must be typed in ``source``."""
    bindings = bind_parameters(query, values, source)
    return run_query(endpoint, query.text, query.name, bindings)


ACRONYM_BATCH = 100  # IRIs per VALUES block: keeps each request well under URL and body limits


def acronyms_at(endpoint: Endpoint) -> Callable[[Collection[str]], dict[str, str]]:
    """Acronyms as the endpoint's graph records them, for answers read from that endpoint."""
    from tipgraph.acronyms import shortest

    def lookup(iris: Collection[str]) -> dict[str, str]:
        names: dict[str, list[str]] = {}
        ordered = sorted(iris)
        for start in range(0, len(ordered), ACRONYM_BATCH):
            values = " ".join(
                str(ox.NamedNode(iri)) for iri in ordered[start : start + ACRONYM_BATCH]
            )
            text = (
                "SELECT ?resource ?name WHERE { VALUES ?resource { "
                + values
                + " } ?resource skos:altLabel ?name }"
            )
            for resource, name in run_query(endpoint, text, "acronyms").rows:
                if isinstance(resource, ox.NamedNode) and isinstance(name, ox.Literal):
                    names.setdefault(resource.value, []).append(name.value)
        found = {iri: shortest(given) for iri, given in names.items()}
        return {iri: short for iri, short in found.items() if short}

    return lookup
