"""Time every saved query (with its defaults) on the shipped data copied 1, 10, 100 … times.

Usage: python benchmarks/query_scaling.py [--scales 1 10 100] [--runs N] [--queries DIR]
                                          [--data-root ROOT] [--only NAME …]

For each scale the data is generated with ``scale_data.generate`` (or read from
``ROOT/xN`` when ``--data-root`` names a folder holding ``x1``, ``x10`` … made by
``scale_data.py``), loaded into an in-memory pyoxigraph store, and each saved query is run N
times; the table gives the median milliseconds and the row count at each scale. A run slower
than ``--slow`` seconds is not repeated, and a query slower than ``--give-up`` seconds is not
run at the bigger scales (shown as ``-``).

The last column compares the first two scales: how many times faster a query's time grew than
its answer. A selective query costs what its answer needs: a query about one resource has the
same answer on one copy and on ten and should cost about the same, a query that lists everything
of a kind has ten times the rows and may take ten times as long. A query whose time grows more
than ``GROWTH`` times faster than its answer (plus ``SLACK``) reads the whole graph to answer
(an OPTIONAL block joined before its subject is known, a property path evaluated from both
ends) and is marked ``grows with the data``, unless ``WHOLE_GRAPH`` says why it must. Times
under ``FLOOR`` seconds are noise and are not judged. Nothing is asserted: this machine is
shared and timing belongs here, not in the tests.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tipgraph.catalogue import Catalogue  # noqa: E402
from tipgraph.engine import run_saved_query  # noqa: E402
from tipgraph.paths import Layout  # noqa: E402
from tipgraph.store import load_store  # noqa: E402

GROWTH = 4.0  # how much faster than its answer a query's time may grow
SLACK = 2.0
FLOOR = 0.005  # seconds: below this at the bigger scale, timing noise dominates
MIN_BASE = 0.0005  # seconds: the smallest time at the smaller scale a ratio is taken from

# Queries that must read every statement of the graph, whatever their answer.
WHOLE_GRAPH = {
    "uncited-facts": "checks every statement of the graph for a supporting citation",
}


def judgement(name: str, small: tuple[float, int], big: tuple[float, int], copies: float) -> str:
    """How a query's time grew between two scales, against how its answer grew."""
    (small_time, small_rows), (big_time, big_rows) = small, big
    answer_growth = max(big_rows, 1) / max(small_rows, 1)
    needed = copies if name in WHOLE_GRAPH else answer_growth
    growth = big_time / max(small_time, MIN_BASE)
    verdict = f"time x{growth:.1f}, answer x{answer_growth:.1f}"
    if big_time <= FLOOR:
        return verdict + " (too fast to judge)"
    if growth > GROWTH * needed + SLACK:
        return verdict + ": grows with the data"
    return verdict + (f" ({WHOLE_GRAPH[name]})" if name in WHOLE_GRAPH else "")


def scale_data():
    """The ``scale_data`` module next to this file."""
    spec = importlib.util.spec_from_file_location(
        "scale_data", Path(__file__).with_name("scale_data.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def time_query(store, query, runs: int, slow: float) -> tuple[float, int]:
    """The median seconds of ``runs`` runs (one when the first is slow) and the row count."""
    times = []
    rows = 0
    for _ in range(runs):
        start = time.perf_counter()
        rows = len(run_saved_query(store, query, {}).rows)
        times.append(time.perf_counter() - start)
        if times[0] > slow:
            break
    return statistics.median(times), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=5, help="runs per query and scale")
    parser.add_argument("--slow", type=float, default=1.0, help="seconds; do not repeat slower")
    parser.add_argument("--queries", type=Path, default=ROOT / "queries")
    parser.add_argument("--data-root", type=Path, help="folder of x1, x10 … (else generated)")
    parser.add_argument("--only", nargs="+", help="the queries to time (default: all)")
    parser.add_argument(
        "--give-up", type=float, default=5.0, help="seconds; skip bigger scales of a slower query"
    )
    args = parser.parse_args()

    catalogue = Catalogue(args.queries)
    queries = [q for q in catalogue if not args.only or q.name in args.only]
    results: dict[str, dict[int, tuple[float, int]]] = {q.name: {} for q in queries}
    with tempfile.TemporaryDirectory() as temporary:
        for scale in args.scales:
            if args.data_root:
                folder = args.data_root / f"x{scale}"
            else:
                folder = Path(temporary) / f"x{scale}"
                scale_data().generate(scale, folder)
            layout = Layout.resolve(
                ontology=folder / "ontology", data=folder / "data", queries=args.queries
            )
            start = time.perf_counter()
            store = load_store(layout)
            print(f"x{scale}: loaded in {time.perf_counter() - start:.1f} s", file=sys.stderr)
            for query in queries:
                done = results[query.name]
                if any(seconds > args.give_up for seconds, _rows in done.values()):
                    continue
                done[scale] = time_query(store, query, args.runs, args.slow)
                seconds, rows = results[query.name][scale]
                print(f"  {query.name}: {seconds * 1000:.1f} ms, {rows} rows", file=sys.stderr)
            del store

    width = max(len(name) for name in results)
    head = "".join(f" {f'x{s} ms':>10} {'rows':>6}" for s in args.scales)
    first, second = (args.scales + args.scales)[:2]
    print(f"{'query':<{width}}{head}  growth x{first} to x{second}")
    for name, by_scale in results.items():
        cells = "".join(
            f" {by_scale[s][0] * 1000:>10.1f} {by_scale[s][1]:>6}"
            if s in by_scale
            else f" {'-':>10} {'-':>6}"
            for s in args.scales
        )
        judged = ""
        if first in by_scale and second in by_scale and second != first:
            judged = "  " + judgement(name, by_scale[first], by_scale[second], second / first)
        print(f"{name:<{width}}{cells}{judged}")


if __name__ == "__main__":
    main()
