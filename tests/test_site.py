"""``tipgraph site``: the static site for the shipped graph, its links, its determinism, and
the folders it refuses to write into."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from tipgraph.catalogue import Catalogue
from tipgraph.cli import main
from tipgraph.errors import InputError
from tipgraph.web.pages import PICTURES
from tipgraph.web.site import MARKER, write_site


class _Anchors(HTMLParser):
    """The links (href, src, action) and the ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        self.links += [values[a] for a in ("href", "src", "action") if values.get(a)]
        if values.get("id"):
            self.ids.add(values["id"])


def broken_links(root: Path) -> list[tuple[str, str, str]]:
    """(page, link, problem) for every link of every page that leads nowhere: a missing file,
    a missing fragment, a link that leaves the site, or a link to another host."""
    pages = {}
    for page in sorted(root.rglob("*.html")):
        parser = _Anchors()
        parser.feed(page.read_text(encoding="utf-8"))
        pages[page.resolve()] = parser
    broken = []
    for page, parser in pages.items():
        for link in parser.links:
            parts = urlsplit(link)
            where = str(page.relative_to(root.resolve()))
            if parts.scheme == "data":
                continue
            if parts.scheme or parts.netloc or link.startswith("/"):
                broken.append((where, link, "not relative"))
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_relative_to(root.resolve()):
                broken.append((where, link, "leaves the site"))
            elif not target.is_file():
                broken.append((where, link, "missing file"))
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in pages[target].ids
            ):
                broken.append((where, link, "missing fragment"))
    return broken


@pytest.fixture(scope="module")
def site(store, layout, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "out"
    write_site(store, layout, folder, timeout=60, max_rows=1_000_000)
    return folder


def test_a_page_for_every_resource_and_every_query(site, store, layout):
    from tipgraph.web.pages import Pages

    slugs = Pages(store, layout, live=False, timeout=60, max_rows=10).slugs
    assert len(slugs) > 1000
    for slug in slugs:
        assert (site / "id" / f"{slug}.html").is_file(), slug
        assert (site / "id" / f"{slug}.ttl").is_file(), slug
    for name in Catalogue(layout.queries).names():
        page = site / "queries" / f"{name}.html"
        assert page.is_file(), name
        assert (site / "queries" / f"{name}.csv").is_file(), name
    for name in PICTURES:
        assert "<svg" in (site / "pictures" / f"{name}.html").read_text(encoding="utf-8")
    for name in (
        "index.html",
        "search.html",
        "ontology.html",
        "scheme/theme.html",
        "id/index.html",
    ):
        assert (site / name).is_file(), name


def test_pages_carry_their_citations_and_the_query_answers(site):
    saarc = (site / "id" / "saarc.html").read_text(encoding="utf-8")
    assert "South Asian Association for Regional Cooperation" in saarc
    assert "SAARC, established in 1985" in saarc
    assert 'href="cite-hrc-p25-saarc.html"' in saarc or 'href="cite-' in saarc
    men = (site / "queries" / "mechanisms-covering-men-and-boys.html").read_text(encoding="utf-8")
    assert "para. 99" in men and 'href="../id/commit-mekong.html"' in men
    assert "<form" not in men  # no server to send a form to
    rows = json.loads((site / "queries" / "mechanisms-covering-men-and-boys.json").read_text())
    assert any(row["locator"] == "para. 99" for row in rows)


def test_no_broken_relative_link(site):
    assert broken_links(site) == []


def test_the_link_checker_finds_broken_links(tmp_path):
    (tmp_path / "a.html").write_text(
        '<a href="b.html">b</a> <a href="a.html#here">x</a> <a href="a.html#nowhere">y</a>'
        ' <a href="/abs.html">z</a> <a href="../out.html">o</a>'
        ' <script src="https://cdn.example/x.js"></script> <p id="here"></p>'
    )
    problems = {(link, problem) for _page, link, problem in broken_links(tmp_path)}
    assert problems == {
        ("b.html", "missing file"),
        ("a.html#nowhere", "missing fragment"),
        ("/abs.html", "not relative"),
        ("../out.html", "leaves the site"),
        ("https://cdn.example/x.js", "not relative"),
    }


def test_two_runs_write_the_same_bytes(site, store, layout, tmp_path):
    again = tmp_path / "again"
    write_site(store, layout, again, timeout=60, max_rows=1_000_000)

    def contents(root: Path) -> dict[str, bytes]:
        return {
            str(path.relative_to(root)): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }

    first, second = contents(site), contents(again)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_a_folder_with_other_files_is_refused_and_left_alone(store, layout, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not empty"):
        write_site(store, layout, folder, timeout=60, max_rows=10)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        write_site(store, layout, afile, timeout=60, max_rows=10)
    with pytest.raises(InputError, match="does not exist"):
        write_site(store, layout, tmp_path / "no" / "such", timeout=60, max_rows=10)


def test_a_previous_site_is_rewritten_keeping_other_files(site, store, layout, tmp_path):
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(site, folder)
    marker = json.loads((folder / MARKER).read_text())
    marker["files"].append("id/gone.html")
    (folder / MARKER).write_text(json.dumps(marker))
    (folder / "id" / "gone.html").write_text("from an older graph")
    (folder / "robots.txt").write_text("added by hand")
    report = write_site(store, layout, folder, timeout=60, max_rows=1_000_000)
    assert report.removed == 1
    assert not (folder / "id" / "gone.html").exists()
    assert (folder / "robots.txt").read_text() == "added by hand"


def test_a_bad_marker_or_a_symbolic_link_inside_is_refused(site, store, layout, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / MARKER).write_text("{not json")
    with pytest.raises(InputError, match="not a list of files"):
        write_site(store, layout, bad, timeout=60, max_rows=10)
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / MARKER).write_text(json.dumps({"generator": "tipgraph site", "files": []}))
    outside = tmp_path / "outside.html"
    outside.write_text("keep me")
    os.symlink(outside, linked / "index.html")
    with pytest.raises(InputError, match="symbolic link"):
        write_site(store, layout, linked, timeout=60, max_rows=1_000_000)
    assert outside.read_text() == "keep me"


def test_a_query_over_the_row_cap_stops_the_site(store, layout, tmp_path):
    from tipgraph.errors import TooManyRows

    with pytest.raises(TooManyRows):
        write_site(store, layout, tmp_path / "capped", timeout=60, max_rows=3)


def test_site_command_refuses_a_non_empty_folder(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    result = CliRunner().invoke(main, ["--no-cache", "site", "-o", str(folder)])
    assert result.exit_code == 2
    assert "not empty" in result.output
