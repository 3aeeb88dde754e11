"""The saved queries stay selective: on more data a query costs about what its answer needs.

A query about one resource (the members of a mechanism, the citations of a claim) has the same
answer on the shipped data and on ten copies of it, and should cost about the same on both; a
query that lists everything of a kind has ten times the rows on ten copies and may take ten
times as long. A query that reads the whole graph to answer about one resource (an OPTIONAL
block joined before its subject is known, a property path evaluated from both ends) grows with
the data instead, and fails here.

No time is compared with a fixed threshold: each query runs side by side, in the same process,
on one copy and on ten copies of the data (made by ``benchmarks/scale_data.py``), and fails
when its time grows more than ``GROWTH`` times faster than its answer, plus ``SLACK``. A
query is timed once, and again ``RUNS`` times (the medians compared) only when that first
measure looks too slow; times under ``FLOOR`` seconds on ten copies are noise and pass.
"""

from __future__ import annotations

import importlib.util
import statistics
import time
from pathlib import Path

import pytest

from tipgraph.catalogue import Catalogue
from tipgraph.engine import run_saved_query
from tipgraph.paths import Layout
from tipgraph.store import load_store

ROOT = Path(__file__).resolve().parent.parent
QUERY_FOLDER = ROOT / "queries"
QUERY_NAMES = sorted(path.stem for path in QUERY_FOLDER.glob("*.rq"))

COPIES = 10
GROWTH = 4.0  # how much faster than its answer a query's time may grow
SLACK = 2.0
FLOOR = 0.005  # seconds: below this on ten copies, timing noise dominates
MIN_BASE = 0.0005  # seconds: the smallest time on one copy a ratio is taken from
RUNS = 5

# Queries that must read every statement of the graph, whatever their answer: their time may
# grow with the data.
WHOLE_GRAPH = {
    "uncited-facts": "checks every statement of the graph for a supporting citation",
}


def _scale_data():
    path = ROOT / "benchmarks" / "scale_data.py"
    spec = importlib.util.spec_from_file_location("scale_data", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue(QUERY_FOLDER)


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


def _time(store, query) -> tuple[float, int]:
    start = time.perf_counter()
    rows = len(run_saved_query(store, query, {}).rows)
    return time.perf_counter() - start, rows


def _measure(stores, query, runs: int) -> tuple[float, float, int, int]:
    """Median seconds on one copy and on ten, and the row counts, over ``runs`` runs."""
    small, big = [], []
    for _ in range(runs):
        seconds, small_rows = _time(stores[1], query)
        small.append(seconds)
        seconds, big_rows = _time(stores[COPIES], query)
        big.append(seconds)
    return statistics.median(small), statistics.median(big), small_rows, big_rows


def _allowed(name: str, small_rows: int, big_rows: int) -> float:
    needed = COPIES if name in WHOLE_GRAPH else max(big_rows, 1) / max(small_rows, 1)
    return GROWTH * needed + SLACK


def _growth(small: float, big: float) -> float:
    return big / max(small, MIN_BASE)


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_time_grows_with_the_answer_not_with_the_data(stores, catalogue, name):
    query = catalogue.get(name)
    _time(stores[1], query)  # parse and plan once before timing
    small, big, small_rows, big_rows = _measure(stores, query, 1)
    allowed = _allowed(name, small_rows, big_rows)
    if big > FLOOR and _growth(small, big) > allowed / 2:
        small, big, small_rows, big_rows = _measure(stores, query, RUNS)
    growth = _growth(small, big)
    assert big <= FLOOR or growth <= allowed, (
        f"{name}: {small * 1000:.1f} ms and {small_rows} rows on one copy, "
        f"{big * 1000:.1f} ms and {big_rows} rows on {COPIES} copies: the time grew "
        f"{growth:.1f}-fold, more than {allowed:.1f}-fold for an answer that grew "
        f"{max(big_rows, 1) / max(small_rows, 1):.1f}-fold"
    )


def test_ten_copies_answer_like_one_for_a_query_about_one_resource(stores, catalogue):
    # the copies rename every resource, so a query about one resource finds only the original
    query = catalogue.get("members-of")
    assert _time(stores[COPIES], query)[1] == _time(stores[1], query)[1] > 0
