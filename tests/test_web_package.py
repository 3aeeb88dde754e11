"""The web templates and static files ship with the package: the installed copy (a plain
``pip install .`` on CI) holds every file of the checkout, and the package-data patterns of
pyproject.toml cover every file that is added."""

from __future__ import annotations

import fnmatch
import sys
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "src" / "tipgraph" / "web"


def shipped_files() -> list[Path]:
    return sorted(p for folder in ("templates", "static") for p in (WEB / folder).iterdir())


def package_data() -> dict[str, list[str]]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    with (ROOT / "pyproject.toml").open("rb") as stream:
        return tomllib.load(stream)["tool"]["setuptools"]["package-data"]


def test_package_data_patterns_cover_every_template_and_static_file():
    patterns = package_data()["tipgraph.web"]
    for path in shipped_files():
        relative = path.relative_to(WEB).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


def test_the_installed_package_holds_every_template_and_static_file():
    installed = files("tipgraph.web")
    for path in shipped_files():
        relative = path.relative_to(WEB).as_posix()
        copy = installed.joinpath(*relative.split("/"))
        assert copy.is_file(), relative
        assert copy.read_bytes() == path.read_bytes(), relative
    assert files("tipgraph").joinpath("web_assets", "search.js").is_file()


def test_the_installed_templates_render_a_page(store, layout):
    from tipgraph.web.links import SiteLinks
    from tipgraph.web.pages import Pages

    pages = Pages(store, layout, live=False, timeout=60, max_rows=1000)
    page = pages.resource("saarc", SiteLinks("id/saarc"))
    assert page.startswith("<!doctype html>")
    assert 'href="../static/style.css"' in page
