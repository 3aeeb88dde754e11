"""Where an endpoint is and who we are to it: its URL, its timeout and its credentials.

Credentials come from the URL, from ``TIPGRAPH_USER``/``TIPGRAPH_PASSWORD`` or from the netrc
file (``$NETRC`` or ``~/.netrc``); they never appear in a message.
"""

from __future__ import annotations

import base64
import netrc
import os
import urllib.parse
from dataclasses import dataclass, field

from tipgraph.errors import EndpointError, InputError
from tipgraph.timeouts import ENDPOINT_TIMEOUT, timeout_problem

# A day: longer deadlines are typing mistakes (and overflow the timers of the standard library).


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
    timeout: float = ENDPOINT_TIMEOUT
    credentials: Credentials | None = None

    @classmethod
    def parse(cls, url: str, timeout: float = ENDPOINT_TIMEOUT, role: str = "endpoint") -> Endpoint:
        """Check a URL typed by a user and find its credentials; bad URLs are InputErrors."""
        shown = redact(url)
        try:
            parts = urllib.parse.urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise InputError(f"{role} {shown}: not a valid URL") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(f"{role} {shown}: not an http:// or https:// URL")
        problem = timeout_problem(timeout)
        if problem:
            raise InputError(problem)
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
