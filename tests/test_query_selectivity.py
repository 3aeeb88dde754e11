"""Copies of the data stay apart: a query about one resource has the same answer on the
shipped data and on ten copies of it (made by ``benchmarks/scale_data.py``, which the
benchmarks rely on). How each query's time grows with the data is measured by
``benchmarks/query_scaling.py``, not asserted here: timing belongs to the benchmarks."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tipgraph.catalogue import Catalogue
from tipgraph.engine import run_saved_query
from tipgraph.paths import Layout
from tipgraph.store import load_store

ROOT = Path(__file__).resolve().parent.parent
QUERY_FOLDER = ROOT / "queries"
COPIES = 10


def _scale_data():
    path = ROOT / "benchmarks" / "scale_data.py"
    spec = importlib.util.spec_from_file_location("scale_data", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """In-memory stores of one copy and of ``COPIES`` copies of the shipped data."""
    generate = _scale_data().generate
    loaded = {}
    for copies in (1, COPIES):
        folder = tmp_path_factory.mktemp(f"x{copies}")
        generate(copies, folder)
        layout = Layout.resolve(
            ontology=folder / "ontology", data=folder / "data", queries=QUERY_FOLDER
        )
        loaded[copies] = load_store(layout)
    return loaded


def _rows(store, name: str) -> int:
    return len(run_saved_query(store, Catalogue(QUERY_FOLDER).get(name), {}).rows)


def test_ten_copies_answer_like_one_for_a_query_about_one_resource(stores):
    # the copies rename every resource, so a query about one resource finds only the original
    assert _rows(stores[COPIES], "members-of") == _rows(stores[1], "members-of") > 0


def test_a_query_listing_everything_of_a_kind_has_ten_times_the_rows(stores):
    assert _rows(stores[COPIES], "coverage-matrix") == COPIES * _rows(stores[1], "coverage-matrix")
