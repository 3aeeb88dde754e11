"""``tipgraph site``: every page of the server written as files, with relative links, so the
graph can be put on any static host (or opened from disk).

The output is deterministic: the same graph gives the same bytes. A folder is written only
when it is new, empty, or a site this command wrote before (it holds MARKER, the list of the
files written); then only the files of that list are replaced or removed, never others.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tipgraph.errors import InputError
from tipgraph.paths import Layout
from tipgraph.web import api
from tipgraph.web.links import SiteLinks, site_file
from tipgraph.web.pages import PICTURES, Pages
from tipgraph.web.results import JSONLD, TURTLE

MARKER = ".tipgraph-site.json"
GENERATOR = "tipgraph site"


@dataclass(frozen=True)
class SiteReport:
    folder: Path
    files: int
    removed: int


def _page(target: str, render: Callable[[SiteLinks], str]) -> tuple[str, bytes]:
    return site_file(target), render(SiteLinks(target)).encode("utf-8")


def site_files(
    store: ox.Store, layout: Layout, *, timeout: float, max_rows: int
) -> Iterator[tuple[str, bytes]]:
    """(relative path, content) of every file of the site, in a stable order."""
    from importlib.resources import files

    from tipgraph.search import search_script, static_index

    pages = Pages(store, layout, live=False, timeout=timeout, max_rows=max_rows)
    static = files("tipgraph.web").joinpath("static")
    yield "static/style.css", static.joinpath("style.css").read_bytes()
    yield "static/site.js", static.joinpath("site.js").read_bytes()
    yield "static/search.js", search_script().encode("utf-8")
    index = json.dumps(static_index(store), ensure_ascii=False, sort_keys=True)
    yield "search-index.json", index.encode("utf-8") + b"\n"
    yield "search-index.js", f"window.tipgraphSearchIndex = {index};\n".encode()
    yield _page("", pages.home)
    yield _page("search", lambda links: pages.search("", links))
    yield _page("id", pages.resource_index)
    for slug in pages.slugs:
        yield _page(f"id/{slug}", lambda links, slug=slug: pages.resource(slug, links))
        yield f"id/{slug}.ttl", pages.resource_data(slug, TURTLE)
        yield f"id/{slug}.jsonld", pages.resource_data(slug, JSONLD)
    yield _page("queries", pages.queries)
    good, _bad = pages.catalogue.load()
    for query in good:
        target = f"queries/{query.name}"
        links = SiteLinks(target)
        downloads = [
            (label, links.href(f"{target}.{fmt}"))
            for label, fmt in (("CSV", "csv"), ("TSV", "tsv"), ("JSON", "json"))
        ]
        try:
            rows = pages.run_query(query.name, {})  # a failing query stops the site here
        except InputError:
            rows = None  # a required parameter without a default: the page says so
        _status, page = pages.query(query.name, {}, links, downloads if rows is not None else [])
        yield site_file(target), page.encode("utf-8")
        for fmt in ("csv", "tsv", "json") if rows is not None else ():
            yield f"{target}.{fmt}", api.rendered(rows, fmt).body
    yield _page("ontology", pages.ontology)
    yield _page("scheme", pages.schemes)
    for name in pages.scheme_names():
        yield _page(f"scheme/{name}", lambda links, name=name: pages.scheme(name, links) or "")
    yield _page("pictures", pages.pictures_index)
    for name in PICTURES:
        target = f"pictures/{name}"
        links = SiteLinks(target)
        yield site_file(target), pages.picture(name, links, links.href(f"{target}.csv")).encode()
        yield f"{target}.csv", pages.picture_csv(name)


def _previous_files(folder: Path) -> list[str] | None:
    """The files a previous run wrote into ``folder``; None when it is new or empty.

    InputError when the folder holds anything else: it is not ours to write into.
    """
    if not folder.exists():
        return None
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    marker = folder / MARKER
    if not marker.exists():
        if any(folder.iterdir()):
            raise InputError(
                f"{folder}: the folder is not empty and holds no site written by tipgraph "
                f"(no {MARKER}); choose a new or empty folder"
            )
        return None
    try:
        document = json.loads(marker.read_text(encoding="utf-8"))
        listed = document["files"]
        if document.get("generator") != GENERATOR or not all(isinstance(f, str) for f in listed):
            raise ValueError("not a tipgraph site list")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(
            f"{marker}: not a list of files written by tipgraph site ({error})"
        ) from None
    return listed


def _inside(folder: Path, relative: str) -> Path:
    """The path of a site file, checked: no component may be a symbolic link or special file,
    so that writing never leaves the folder nor replaces anything but a regular file."""
    path = folder
    parts = relative.split("/")
    for index, part in enumerate(parts):
        if part in ("", ".", ".."):
            raise InputError(f"{relative}: not a file name of the site")
        path = path / part
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        last = index == len(parts) - 1
        expected = stat.S_ISREG(info.st_mode) if last else stat.S_ISDIR(info.st_mode)
        if not expected:
            kind = (
                "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a regular file or folder"
            )
            raise InputError(f"{path}: is {kind}; refusing to write the site through it")
    return path


def write_site(
    store: ox.Store, layout: Layout, folder: Path, *, timeout: float, max_rows: int
) -> SiteReport:
    """Write the site into ``folder`` (see the module's description of what is refused)."""
    folder = Path(folder)
    if not folder.parent.is_dir():
        raise InputError(f"{folder}: the folder {folder.parent} does not exist")
    previous = _previous_files(folder)
    contents = dict(site_files(store, layout, timeout=timeout, max_rows=max_rows))
    targets = {relative: _inside(folder, relative) for relative in contents}
    folder.mkdir(exist_ok=True)
    for relative, content in contents.items():
        path = targets[relative]
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.read_bytes() == content:
            continue
        path.write_bytes(content)
    removed = 0
    for relative in previous or []:
        if relative in contents:
            continue
        try:
            path = _inside(folder, relative)
        except InputError:
            continue
        if path.is_file():
            path.unlink()
            removed += 1
    listing = {"generator": GENERATOR, "files": sorted(contents)}
    _inside(folder, MARKER).write_text(json.dumps(listing, indent=1) + "\n", encoding="utf-8")
    return SiteReport(folder, len(contents), removed)
