"""Shared fixtures: the project's layout and its graph, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tipgraph.loader import load_graph
from tipgraph.paths import Layout

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "data"


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
    if not layout.sources.is_dir():
        pytest.skip(f"source texts not found at {layout.sources} (set TIPGRAPH_SOURCES)")
    return layout.sources
