"""Where each page lives, and how a page links to another: on the server by absolute path, in
the static site by a relative path to an ``.html`` file."""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from tipgraph.namespaces import BASE, CONCEPT_NS, ID_NS, SCHEME_NS, TIP_NS

SECTIONS = ("id", "queries", "pictures", "scheme")
FILE_SUFFIXES = (
    ".css",
    ".js",
    ".json",
    ".csv",
    ".tsv",
    ".svg",
    ".png",
    ".txt",
    ".html",
    ".ttl",
    ".jsonld",
)


def resource_target(iri: str) -> str | None:
    """The page (a logical path such as ``id/saarc`` or ``scheme/theme#redress``) that shows a
    resource of the graph, or None for an IRI the graph does not document."""
    for namespace, prefix in ((ID_NS, "id/"), (SCHEME_NS, "scheme/")):
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            return prefix + quote(local, safe="-._~") if _simple(local) else None
    if iri.startswith(CONCEPT_NS):
        scheme, _, local = iri[len(CONCEPT_NS) :].partition("/")
        if _simple(scheme) and _simple(local):
            return f"scheme/{scheme}#{quote(local, safe='-._~')}"
        return None
    if iri.startswith(TIP_NS) and _simple(iri[len(TIP_NS) :]):
        return "ontology#" + quote(iri[len(TIP_NS) :], safe="-._~")
    if iri == BASE + "def":
        return "ontology"
    return None


def _simple(local: str) -> bool:
    return bool(local) and "/" not in local and "#" not in local and "?" not in local


class Links:
    """Links from one page: ``href`` for a logical path, ``link`` for a resource IRI."""

    def href(self, target: str) -> str:
        raise NotImplementedError

    def link(self, iri: str) -> str | None:
        target = resource_target(iri)
        return None if target is None else self.href(target)


class ServerLinks(Links):
    """Absolute paths on the server: ``id/saarc`` → ``/id/saarc``."""

    def href(self, target: str) -> str:
        path, hash_, fragment = target.partition("#")
        if path in SECTIONS:
            path += "/"
        return "/" + path + hash_ + fragment


def site_file(target: str) -> str:
    """The file of the static site that holds a logical path (without its fragment)."""
    path = target.partition("#")[0]
    if path == "":
        return "index.html"
    if path in SECTIONS:
        return f"{path}/index.html"
    if path.endswith(FILE_SUFFIXES):
        return path
    return f"{path}.html"


class SiteLinks(Links):
    """Relative links between the files of the static site, from the page ``current``."""

    def __init__(self, current: str) -> None:
        self.folder = posixpath.dirname(site_file(current))

    def href(self, target: str) -> str:
        _, hash_, fragment = target.partition("#")
        relative = posixpath.relpath(site_file(target), self.folder or ".")
        return relative + hash_ + fragment
