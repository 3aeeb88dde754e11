"""Sending HTTP requests to an endpoint and turning every failure into one EndpointError line.

Every request has one deadline, ``timeout`` seconds for all of it: connecting, sending and
receiving. A watchdog shuts the connection down when the deadline passes, so a server that
drips its answer a byte at a time fails then; answers are read up to :data:`MAX_RESPONSE`.

Credentials go only when the server asks for them, by the scheme it names: Basic or Digest.
:func:`send` makes the other requests of a push: Graph Store ``PUT`` and SPARQL Update
``POST``. The same translation
of errors serves the queries that :mod:`tipgraph.remote` sends through SPARQLWrapper.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import html
import http.client
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from email.message import Message
from http import HTTPStatus
from importlib import metadata

from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from tipgraph.endpoint import Endpoint

MAX_MESSAGE = 200
MAX_RESPONSE = 512 * 1024 * 1024
READ_CHUNK = 65_536
MAX_ERROR_BODY = 65_536
# The statuses SPARQLWrapper turns into its own exceptions, having read the body.
WRAPPER_STATUSES: dict[type[SPARQLWrapperException], int] = {
    QueryBadFormed: 400,
    Unauthorized: 401,
    EndPointNotFound: 404,
    URITooLong: 414,
    EndPointInternalError: 500,
}
SEND_ERRORS = (SPARQLWrapperException, OSError, http.client.HTTPException, ValueError)


def _version() -> str:
    try:
        return metadata.version("tipgraph")
    except metadata.PackageNotFoundError:
        return "unknown"


USER_AGENT = f"tipgraph/{_version()}"


class DeadlineExpired(TimeoutError):
    """The whole request took longer than its timeout."""


class ResponseTooLarge(OSError):
    """The answer is larger than :data:`MAX_RESPONSE`."""


class Deadline:
    """One deadline for a request: a watchdog shuts its connections down when it passes.

    Use it as a context manager around the request; the connections register themselves
    through :meth:`watch`.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        """Seconds left, at least a little, so that socket timeouts stay positive."""
        return max(self.end - time.monotonic(), 0.001)

    def check(self) -> None:
        if self.expired or time.monotonic() >= self.end:
            self.expired = True
            raise DeadlineExpired(f"no answer within {self.seconds:g} s")

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            self._shut(sock)
        else:
            sock.settimeout(self.remaining())

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def read_body(response: http.client.HTTPResponse, deadline: Deadline) -> bytes:
    """The whole body, read in chunks until the deadline or :data:`MAX_RESPONSE`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        deadline.check()
        chunk = response.read(READ_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > MAX_RESPONSE:
            raise ResponseTooLarge(f"the answer is larger than {MAX_RESPONSE // 2**20} MiB")
        chunks.append(chunk)
    # A connection shut down by the watchdog looks like the end of a body without a length.
    deadline.check()
    return b"".join(chunks)


def deadline_handlers(deadline: Deadline) -> list[urllib.request.BaseHandler]:
    """HTTP and HTTPS handlers whose connections the deadline watches."""

    class Watched:
        """Connects within the time left, then hands the socket to the watchdog."""

        def connect(self) -> None:
            self.timeout = deadline.remaining()
            super().connect()  # type: ignore[misc]
            deadline.watch(self.sock)  # type: ignore[attr-defined]

    class Connection(Watched, http.client.HTTPConnection):
        pass

    class SecureConnection(Watched, http.client.HTTPSConnection):
        pass

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req):  # type: ignore[no-untyped-def]
            return self.do_open(Connection, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):  # type: ignore[no-untyped-def]
            return self.do_open(SecureConnection, req, context=self._context)

    return [Handler(), SecureHandler()]


def _opener(endpoint: Endpoint, deadline: Deadline) -> urllib.request.OpenerDirector:
    """An opener that sends no credentials until the server asks, then answers its challenge.

    Nothing goes pre-emptively: a server such as Virtuoso's ``/sparql-auth`` answers unasked
    Basic credentials with a bare 401 and no Digest challenge, leaving no way in. A 401 with a
    Basic or Digest challenge is answered once with the credentials (the body is sent again).
    """
    if endpoint.credentials is None:
        return urllib.request.build_opener(*deadline_handlers(deadline))
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    parts = urllib.parse.urlsplit(endpoint.url)
    origin = f"{parts.scheme}://{parts.netloc}/"
    user, password = endpoint.credentials.user, endpoint.credentials.password
    passwords.add_password(None, origin, user, password)
    return urllib.request.build_opener(
        *deadline_handlers(deadline),
        urllib.request.HTTPBasicAuthHandler(passwords),
        urllib.request.HTTPDigestAuthHandler(passwords),
    )


def _truncate(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def _first_line(body: bytes, content_type: str) -> str:
    """The first line of the text a server sent with an error status (of an HTML page's body)."""
    text = body[:MAX_ERROR_BODY].decode("utf-8", "replace")
    if "html" in content_type.lower() or text.lstrip().startswith("<"):
        body_only = re.sub(r"<(script|style|head)\b.*?</\1\s*>", "\n", text, flags=re.I | re.S)
        stripped = [re.sub(r"<[^>]*>", "\n", part) for part in (body_only, text)]
        text = html.unescape(stripped[0] if stripped[0].strip() else stripped[1])
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return _truncate(line)
    return ""


def content_type_of(headers: Message | None) -> str:
    return (headers.get("Content-Type") or "") if headers is not None else ""


def _server_message(error: urllib.error.HTTPError) -> str:
    """The first line of the body of an HTTP error that is still unread."""
    try:
        body = error.read(MAX_ERROR_BODY) or b""
    except Exception:
        body = b""
    return _first_line(body, content_type_of(error.headers))


def _quoted_body(error: SPARQLWrapperException) -> bytes:
    """The body of an error status, quoted as a bytes literal in SPARQLWrapper's message."""
    _, marker, quoted = str(error).partition("\n\nResponse:\n")
    try:
        body = ast.literal_eval(quoted) if marker else b""
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return b""
    return body if isinstance(body, bytes) else b""


def auth_challenge(headers: Message | None, scheme: str) -> dict[str, str] | None:
    """The parameters of the server's WWW-Authenticate challenge for ``scheme``, if it makes one."""
    for header in (headers.get_all("WWW-Authenticate") or []) if headers is not None else []:
        name, _, rest = header.strip().partition(" ")
        if name.lower() == scheme:
            items = urllib.request.parse_http_list(rest)
            pairs = (item.split("=", 1) for item in items if "=" in item)
            return {key.strip().lower(): value.strip().strip('"') for key, value in pairs}
    return None


def _http_problem(
    endpoint: Endpoint,
    code: int,
    reason: object,
    headers: Message | None,
    message: Callable[[], str],
) -> str:
    """What an HTTP error status means; ``message`` gives the server's own first line."""
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = str(reason or "")
    if code == 401:
        if not endpoint.credentials:
            detail = "credentials needed: set TIPGRAPH_USER and TIPGRAPH_PASSWORD or use ~/.netrc"
        elif (
            headers
            and headers.get_all("WWW-Authenticate")
            and all(auth_challenge(headers, scheme) is None for scheme in ("basic", "digest"))
        ):
            detail = "cannot authenticate: the server asks for a scheme other than Basic or Digest"
        else:
            detail = "the credentials were rejected"
    elif code == 403:
        detail = "access refused" + (" for these credentials" if endpoint.credentials else "")
    elif code == 404:
        detail = "nothing at this URL (check its path)"
    else:
        detail = message()
        if 500 <= code < 600:
            detail = "server error" + (f": {detail}" if detail else "")
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


def describe_failure(
    error: BaseException, endpoint: Endpoint, deadline: Deadline | None = None
) -> str:
    """What went wrong with a request, from SPARQLWrapper's exceptions or urllib's."""
    if deadline is not None and deadline.expired:
        return f"no answer within {endpoint.timeout:g} s"
    if isinstance(error, ResponseTooLarge):
        return str(error)
    if isinstance(error, SPARQLWrapperException):
        # SPARQLWrapper raises these while handling the HTTPError, whose body it has read.
        status = error.__context__
        if isinstance(status, urllib.error.HTTPError):
            code, reason, headers = status.code, status.reason, status.headers
            with contextlib.suppress(Exception):
                status.close()
        else:
            code, reason, headers = WRAPPER_STATUSES.get(type(error), 0), "", None
        body = _quoted_body(error)
        return _http_problem(
            endpoint, code, reason, headers, lambda: _first_line(body, content_type_of(headers))
        )
    if isinstance(error, urllib.error.HTTPError):
        try:
            return _http_problem(
                endpoint, error.code, error.reason, error.headers, lambda: _server_message(error)
            )
        finally:
            with contextlib.suppress(Exception):
                error.close()
    if isinstance(error, urllib.error.URLError):
        return _network_problem(error.reason, endpoint)
    if isinstance(error, ValueError):
        if "scheme" in str(error):
            return "cannot authenticate: the server asks for a scheme other than Basic or Digest"
        return f"cannot send the request: {error}"
    return _network_problem(error, endpoint)


def _answer_to(
    endpoint: Endpoint, request: urllib.request.Request, deadline: Deadline
) -> str | None:
    """The Authorization header for ``request``, answering the challenge to a HEAD probe.

    A request with a body is not sent unauthenticated first: a server that refuses it with
    401 may close the connection while the body is still going out (Virtuoso does), and a
    large body would go twice. The bodiless probe learns the challenge; None when there is
    none (or no Basic or Digest one).
    """
    credentials = endpoint.credentials
    if credentials is None:
        return None
    probe = urllib.request.Request(
        request.full_url, method="HEAD", headers={"User-Agent": USER_AGENT}
    )
    try:
        opener = urllib.request.build_opener(*deadline_handlers(deadline))
        with opener.open(probe, timeout=deadline.remaining()):
            return None
    except urllib.error.HTTPError as error:
        with contextlib.suppress(Exception):
            error.close()
        if error.code != 401:
            return None
        headers = error.headers
    digest = auth_challenge(headers, "digest")
    if digest is not None and digest.get("realm") is not None and digest.get("nonce"):
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, request.full_url, credentials.user, credentials.password)
        answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, digest)
        return f"Digest {answer}" if answer else None
    if auth_challenge(headers, "basic") is not None:
        pair = f"{credentials.user}:{credentials.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")
    return None


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
    Credentials go only when the server asks for them (see :func:`_answer_to`).
    """
    url = endpoint.url
    if params:
        url += ("&" if "?" in url else "?") + params
    request = urllib.request.Request(
        url, data=data, method=method, headers={"User-Agent": USER_AGENT, **(headers or {})}
    )
    with Deadline(endpoint.timeout) as deadline:
        try:
            if data is not None:
                authorization = _answer_to(endpoint, request, deadline)
                if authorization is not None:
                    request.add_unredirected_header("Authorization", authorization)
            opener = _opener(endpoint, deadline)
            with opener.open(request, timeout=deadline.remaining()) as response:
                return read_body(response, deadline), content_type_of(response.headers)
        except SEND_ERRORS as error:
            # Still under the deadline: the text of an error status is read here too.
            message = describe_failure(error, endpoint, deadline)
            raise endpoint.error(message) from error
