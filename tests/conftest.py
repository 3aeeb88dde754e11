"""Shared fixtures: the project's layout and its graph, loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tipgraph.loader import load_graph
from tipgraph.paths import Layout

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def isolated_environment(tmp_path_factory):
    """Tests never read the user's settings nor write the user's cache: every TIPGRAPH_
    variable but the sources folder is removed, and the index goes to a temporary folder."""
    patch = pytest.MonkeyPatch()
    for name in list(os.environ):
        if name.startswith("TIPGRAPH_") and name != "TIPGRAPH_SOURCES":
            patch.delenv(name)
    patch.setenv("TIPGRAPH_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield
    patch.undo()


@pytest.fixture()
def run():
    """The CLI through click's runner: ``run("query", "members-of")``; exceptions propagate."""
    from click.testing import CliRunner

    from tipgraph.cli import main

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def layout() -> Layout:
    return Layout.resolve(ontology=ROOT / "ontology", data=ROOT / "data", queries=ROOT / "queries")


@pytest.fixture(scope="session")
def graph(layout):
    return load_graph(layout)


@pytest.fixture(scope="session")
def store(layout):
    from tipgraph.store import load_store

    return load_store(layout)


@pytest.fixture(scope="session")
def sources(layout) -> Path:
    """The source texts; without them a test is skipped, except on CI (CI set), where it fails."""
    if not layout.sources.is_dir():
        reason = f"source texts not found at {layout.sources} (set TIPGRAPH_SOURCES)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must provide them", pytrace=False)
        pytest.skip(reason)
    return layout.sources
