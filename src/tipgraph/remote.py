"""Running a query on a SPARQL 1.1 endpoint, answered as the same Rows as the local engine.

Parameters are bound by a ``VALUES`` block of escaped RDF terms inserted at the start of the
query's outermost WHERE group. Requests use content negotiation only (no ``format`` or
``output`` URL parameters), GET for short queries and URL-encoded POST for long ones.
Credentials come from the URL, from ``TIPGRAPH_USER``/``TIPGRAPH_PASSWORD`` or from the netrc
file (``$NETRC`` or ``~/.netrc``); they never appear in a message.
"""

from __future__ import annotations

import base64
import contextlib
import html
import http.client
import json
import netrc
import os
import re
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from importlib import metadata
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from tipgraph.catalogue import SavedQuery
from tipgraph.engine import Rows
from tipgraph.errors import EndpointError, InputError, QueryError
from tipgraph.namespaces import PREFIXES
from tipgraph.parameters import bind_parameters

if TYPE_CHECKING:
    from pyoxigraph import Store

DEFAULT_TIMEOUT = 30.0
MAX_GET_URL = 2000
MAX_MESSAGE = 200
MAX_ERROR_BODY = 65_536
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
QUERY_FORMS = ("select", "ask", "construct", "describe")
UPDATES = ("insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with")


def _version() -> str:
    try:
        return metadata.version("tipgraph")
    except metadata.PackageNotFoundError:
        return "unknown"


USER_AGENT = f"tipgraph/{_version()}"


# --- endpoints and credentials ---------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """A user name and password for HTTP Basic or Digest authentication."""

    user: str
    password: str = field(repr=False)

    def secrets(self) -> list[str]:
        """The forms in which the password could show up in text, longest first."""
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        forms = {self.password, urllib.parse.quote(self.password, safe=""), token}
        return sorted((form for form in forms if form), key=len, reverse=True)


def redact(url: str) -> str:
    """The URL without user name or password, for messages."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "(malformed URL)"
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _netrc_entry(host: str) -> tuple[str, str] | None:
    path = os.environ.get("NETRC") or os.path.expanduser("~/.netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except netrc.NetrcParseError as error:
        # The parser's message may quote a token of the file, which could be a password.
        raise InputError(f"{path}: cannot parse line {error.lineno}") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    if entry is None:
        return None
    login, _account, password = entry
    return login or "", password or ""


def find_credentials(parts: urllib.parse.SplitResult) -> Credentials | None:
    """Credentials for a URL: its own user info, else the environment, else the netrc file."""
    env_user = os.environ.get("TIPGRAPH_USER")
    env_password = os.environ.get("TIPGRAPH_PASSWORD")
    if parts.username is not None:
        user = urllib.parse.unquote(parts.username)
        if parts.password is not None:
            return Credentials(user, urllib.parse.unquote(parts.password))
        if env_password is not None:
            return Credentials(user, env_password)
        stored = _netrc_entry(parts.hostname or "")
        return Credentials(user, stored[1] if stored and stored[0] == user else "")
    if env_user:
        return Credentials(env_user, env_password or "")
    stored = _netrc_entry(parts.hostname or "")
    return Credentials(*stored) if stored else None


@dataclass(frozen=True)
class Endpoint:
    """An HTTP(S) URL to send requests to, without user info, with its credentials and timeout.

    ``role`` names it in messages: endpoint, store or update endpoint.
    """

    url: str
    role: str = "endpoint"
    timeout: float = DEFAULT_TIMEOUT
    credentials: Credentials | None = None

    @classmethod
    def parse(cls, url: str, timeout: float = DEFAULT_TIMEOUT, role: str = "endpoint") -> Endpoint:
        """Check a URL typed by a user and find its credentials; bad URLs are InputErrors."""
        shown = redact(url)
        try:
            parts = urllib.parse.urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise InputError(f"{role} {shown}: not a valid URL") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(f"{role} {shown}: not an http:// or https:// URL")
        if not timeout > 0:
            raise InputError(f"the timeout must be more than 0 seconds, not {timeout}")
        host = parts.hostname
        netloc = f"[{host}]" if ":" in host else host
        if port is not None:
            netloc += f":{port}"
        clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        return cls(clean, role, float(timeout), find_credentials(parts))

    def error(self, what: str) -> EndpointError:
        """An EndpointError naming this endpoint, with any trace of the password removed."""
        message = f"{self.role} {self.url}: {what}"
        for secret in self.credentials.secrets() if self.credentials else []:
            message = message.replace(secret, "***")
        return EndpointError("".join(c if c.isprintable() else " " for c in message))


# --- HTTP --------------------------------------------------------------------------------------


def _opener(endpoint: Endpoint) -> urllib.request.OpenerDirector:
    if endpoint.credentials is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
    parts = urllib.parse.urlsplit(endpoint.url)
    origin = f"{parts.scheme}://{parts.netloc}/"
    user, password = endpoint.credentials.user, endpoint.credentials.password
    # Basic credentials go with the first request (no extra round trip, no resent bodies);
    # a server that asks for Digest gets Digest.
    passwords.add_password(None, origin, user, password, is_authenticated=True)
    return urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(passwords),
        urllib.request.HTTPDigestAuthHandler(passwords),
    )


def _truncate(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def _close(error: urllib.error.HTTPError) -> None:
    with contextlib.suppress(Exception):
        error.close()


def _server_message(error: urllib.error.HTTPError) -> str:
    """The first line of the text a server sent with an error status (of an HTML page's body)."""
    try:
        body = error.read(MAX_ERROR_BODY) or b""
    except Exception:
        body = b""
    _close(error)
    text = body.decode("utf-8", "replace")
    content_type = (error.headers.get("Content-Type", "") if error.headers else "").lower()
    if "html" in content_type or text.lstrip().startswith("<"):
        body_only = re.sub(r"<(script|style|head)\b.*?</\1\s*>", "\n", text, flags=re.I | re.S)
        stripped = [re.sub(r"<[^>]*>", "\n", part) for part in (body_only, text)]
        text = html.unescape(stripped[0] if stripped[0].strip() else stripped[1])
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return _truncate(line)
    return ""


def _http_problem(error: urllib.error.HTTPError, endpoint: Endpoint) -> str:
    code = error.code
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = str(error.reason or "")
    if code == 401:
        detail = (
            "the credentials were rejected"
            if endpoint.credentials
            else "credentials needed: set TIPGRAPH_USER and TIPGRAPH_PASSWORD or use ~/.netrc"
        )
    elif code == 403:
        detail = "access refused" + (" for these credentials" if endpoint.credentials else "")
    elif code == 404:
        detail = "nothing at this URL (check its path)"
    else:
        detail = _server_message(error)
        if 500 <= code < 600:
            detail = "server error" + (f": {detail}" if detail else "")
    _close(error)
    return f"HTTP {code} {phrase}".rstrip() + (f": {detail}" if detail else "")


def _network_problem(reason: object, endpoint: Endpoint) -> str:
    host = urllib.parse.urlsplit(endpoint.url).netloc
    if isinstance(reason, ConnectionRefusedError):
        return f"connection refused by {host} (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return f"cannot resolve the host name {urllib.parse.urlsplit(endpoint.url).hostname}"
    if isinstance(reason, TimeoutError):
        return f"no answer within {endpoint.timeout:g} s"
    if isinstance(reason, ssl.SSLError):
        return f"TLS failure: {getattr(reason, 'reason', None) or reason}"
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return f"the connection broke ({type(reason).__name__})"
    if isinstance(reason, OSError):
        return f"network error: {reason.strerror or reason}"
    return f"network error: {reason}"


def send(
    endpoint: Endpoint,
    *,
    method: str = "GET",
    params: str = "",
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[bytes, str]:
    """Send one request to an endpoint, with URL-encoded ``params`` added to its URL.

    Returns the body and the Content-Type of a 2xx answer; anything else is an EndpointError.
    """
    url = endpoint.url
    if params:
        url += ("&" if "?" in url else "?") + params
    request = urllib.request.Request(
        url, data=data, method=method, headers={"User-Agent": USER_AGENT, **(headers or {})}
    )
    try:
        with _opener(endpoint).open(request, timeout=endpoint.timeout) as response:
            return response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        raise endpoint.error(_http_problem(error, endpoint)) from error
    except urllib.error.URLError as error:
        raise endpoint.error(_network_problem(error.reason, endpoint)) from error
    except (OSError, http.client.HTTPException) as error:
        raise endpoint.error(_network_problem(error, endpoint)) from error
    except ValueError as error:
        if "scheme" in str(error):
            raise endpoint.error(
                "cannot authenticate: the server asks for a scheme other than Basic or Digest"
            ) from error
        raise endpoint.error(f"cannot send the request: {error}") from error


# --- SPARQL text -------------------------------------------------------------------------------

_LONG_STRINGS = r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""' + "|" + r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
_SHORT_STRINGS = r'"(?:[^"\\\n\r]|\\.)*"' + "|" + r"'(?:[^'\\\n\r]|\\.)*'"
_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<space>\s+)",
            r"(?P<comment>#[^\n\r]*)",
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
            f"(?P<string>{_LONG_STRINGS}|{_SHORT_STRINGS})",
            r"(?P<variable>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)",
            r"(?P<name>(?:[\w\-.:%]|\\.)+)",
            r"(?P<other>.)",
        ]
    ),
    re.DOTALL,
)
_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]*")
_LANGUAGE = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_VARIABLE = re.compile(r"[A-Za-z0-9_]+")
_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
)


def _tokens(text: str) -> Iterator[tuple[str, int, str]]:
    """(kind, end offset, text) of each token, leaving out white space and comments."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield kind, match.end(), match.group()


def query_form(text: str) -> str | None:
    """The query's form (select, ask, construct, describe) or update keyword, lower case."""
    for kind, _end, token in _tokens(text):
        if kind == "name" and token.lower() in QUERY_FORMS + UPDATES:
            return token.lower()
    return None


def missing_prefixes(text: str) -> list[str]:
    """The project prefixes a query uses without declaring them."""
    declared: set[str] = set()
    used: set[str] = set()
    after_prefix = False
    for kind, _end, token in _tokens(text):
        if kind != "name":
            after_prefix = False
            continue
        if after_prefix and token.endswith(":"):
            declared.add(token[:-1])
        elif ":" in token:
            used.add(token.split(":", 1)[0])
        after_prefix = token.lower() == "prefix"
    return [prefix for prefix in PREFIXES if prefix in used - declared]


def with_prologue(text: str) -> str:
    """The query with declarations of the project prefixes it uses but does not declare.

    They go on its first line, so that an endpoint's error messages give the right line.
    """
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}> " for p in missing_prefixes(text)) + text


def where_group_start(text: str, name: str = "query") -> int:
    """The offset just inside the opening brace of the query's outermost WHERE group.

    Braces inside strings, IRIs and comments do not count, nor do those of a CONSTRUCT
    template or of an EXISTS in the SELECT clause.
    """
    form = None
    where = False
    braces = parens = groups = 0
    for kind, end, token in _tokens(text):
        if kind == "name":
            word = token.lower()
            if form is None and word in QUERY_FORMS:
                form = word
            elif word == "where" and form and braces == 0 and parens == 0:
                where = True
        elif kind != "other":
            continue
        elif token == "(":
            parens += 1
        elif token == ")":
            parens = max(parens - 1, 0)
        elif token == "{":
            if form and braces == 0 and parens == 0:
                if form == "construct" and where and groups == 0:
                    raise QueryError(f"{name}: CONSTRUCT WHERE {{ … }} cannot take parameters")
                if where or form != "construct" or groups == 1:
                    return end
                groups += 1
            braces += 1
        elif token == "}":
            braces = max(braces - 1, 0)
    raise QueryError(f"{name}: no WHERE group to bind the parameters in")


def _escape(text: str) -> str:
    """A string's content for a short quoted SPARQL literal.

    Always the short form, because rdflib's n3() writes some long strings (a newline, then a
    backslash and a quote at the end) that do not parse back. A ``u`` or ``U`` after a
    backslash is written as an eight-digit code point escape, so that the value stays the
    same whether an engine reads ``\\u`` escapes before parsing (as the SPARQL grammar has
    it) or while parsing.
    """
    escaped = text.translate(_ESCAPES)
    return re.sub(r"(?<=\\\\)([uU])", lambda m: f"\\U{ord(m.group(1)):08X}", escaped)


def sparql_term(term: Node) -> str:
    """An IRI or literal in SPARQL syntax, escaped so that no value can change the query."""
    if isinstance(term, URIRef):
        if not _IRI.fullmatch(str(term)):
            raise QueryError(f"{str(term)[:80]!r} cannot be written as a SPARQL IRI")
        return term.n3()
    if isinstance(term, Literal):
        quoted = '"' + _escape(str(term)) + '"'
        if term.language:
            if not _LANGUAGE.fullmatch(term.language):
                raise QueryError(f"bad language tag {term.language[:40]!r}")
            return f"{quoted}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{quoted}^^{sparql_term(URIRef(term.datatype))}"
        return quoted
    raise QueryError(f"a {type(term).__name__} cannot be bound as a parameter")


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (term term) }`` for variable names (without ``?``) and terms."""
    for variable in bindings:
        if not _VARIABLE.fullmatch(variable):
            raise QueryError(f"bad variable name {variable[:40]!r}")
    names = " ".join(f"?{variable}" for variable in bindings)
    terms = " ".join(sparql_term(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def insert_values(text: str, bindings: Mapping[str, Node], name: str = "query") -> str:
    """The query with a VALUES block for ``bindings`` at the start of its WHERE group.

    The block takes no line of its own, so that line numbers in error messages still hold.
    """
    if not bindings:
        return text
    position = where_group_start(text, name)
    return f"{text[:position]} {values_block(bindings)} {text[position:]}"


# --- answers -----------------------------------------------------------------------------------


def _mime(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _term(value: object) -> Node:
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise ValueError("a binding without a value")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return Literal(text, lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != str(XSD.string):
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    raise ValueError(f"unsupported term type {str(kind)[:40]!r}")


def parse_results(body: bytes, content_type: str, form: str) -> Rows:
    """SPARQL 1.1 JSON results as Rows of rdflib terms; ValueError when they are not."""
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
        return Rows(["ask"], [(Literal(document["boolean"]),)])
    variables = document["head"].get("vars")
    results = document.get("results")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(variables, list) or not isinstance(bindings, list):
        raise ValueError("no variables or bindings")
    variables = [str(v) for v in variables]
    try:
        rows = [tuple(_term(b[v]) if v in b else None for v in variables) for b in bindings]
    except (TypeError, AttributeError) as error:
        raise ValueError("malformed bindings") from error
    return Rows(variables, rows)


def parse_graph(body: bytes, content_type: str) -> Graph:
    """A CONSTRUCT or DESCRIBE answer as a graph; ValueError when it is not RDF."""
    syntax = RDF_TYPES.get(_mime(content_type))
    if syntax is None:
        raise ValueError(f"Content-Type {_mime(content_type) or 'missing'}")
    graph = Graph()
    try:
        graph.parse(data=body, format=syntax)
    except Exception as error:
        raise ValueError(f"cannot parse {syntax}: {str(error).splitlines()[0][:80]}") from None
    return graph


# --- queries -----------------------------------------------------------------------------------


def run_query(
    endpoint: Endpoint, text: str, name: str = "query", bindings: Mapping[str, Node] | None = None
) -> Rows:
    """Run query text on an endpoint; ``bindings`` maps variable names to RDF terms."""
    form = query_form(text)
    if form in UPDATES:
        raise QueryError(f"{name}: updates are not run; tipgraph queries are read-only")
    if form is None:
        raise QueryError(f"{name}: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    text = insert_values(with_prologue(text), bindings or {}, name)
    try:
        encoded = urllib.parse.urlencode({"query": text})
    except UnicodeEncodeError:
        raise InputError(f"{name}: the query is not valid Unicode text") from None
    accept = RESULTS_JSON if form in ("select", "ask") else RDF_ACCEPT
    if len(endpoint.url) + 1 + len(encoded) <= MAX_GET_URL:
        body, content_type = send(endpoint, params=encoded, headers={"Accept": accept})
    else:
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        body, content_type = send(
            endpoint, method="POST", data=encoded.encode("ascii"), headers=headers
        )
    try:
        if form in ("select", "ask"):
            return parse_results(body, content_type, form)
        return Rows([], [], graph=parse_graph(body, content_type))
    except ValueError as error:
        kind = "SPARQL JSON results" if form in ("select", "ask") else "RDF"
        raise endpoint.error(f"the answer is not {kind} ({error})") from error


def run_saved_query(
    endpoint: Endpoint,
    query: SavedQuery,
    values: dict[str, str],
    source: Graph | Store | None = None,
) -> Rows:
    """Run a saved query on an endpoint; resource parameters must be typed in ``source``."""
    bindings = bind_parameters(query, values, source)
    return run_query(endpoint, query.text, query.name, bindings)
