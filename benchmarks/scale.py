"""Time tipgraph commands at several data sizes, side by side with raw pyoxigraph.

Usage:
    python benchmarks/scale.py [--scales 1,10,100] [--runs 3] [--data-root DIR]
                               [--validate-up-to N | --validate-all] [--no-index] [--raw-only]
                               [--markdown]

For each scale N, the shipped data is copied N times (``scale_data.generate``) into a temporary
folder, or into ``DIR/xN`` with ``--data-root`` (reused when it already exists). Every tipgraph
command and every raw pyoxigraph baseline then runs as a whole process of its own, ``--runs``
times, interleaved in rounds so that a noisy neighbour slows them alike; the table shows the
median wall time, the median CPU time (user + system) and the median peak resident memory of
each, and the ratio of each tipgraph command's wall and CPU times to those of the raw
pyoxigraph program doing the same work (the median of the ratios within each round). The
baselines import nothing but pyoxigraph and the standard library.

``--no-index`` leaves out ``tipgraph index`` and the ``--cache``/``--no-cache`` options, for a
tipgraph without the persistent index. ``push`` goes to an Oxigraph server this script starts
on a free 127.0.0.1 port and stops when it ends. Nothing is asserted: a failed command is
reported with its error line and marked failed in the table.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
MEMBERS_QUERY = "members-of"
MEMBERS_PARAMETER = "mechanism"
MEMBERS_SLUG = "saarc"
MATRIX_QUERY = "coverage-matrix"
ID = "https://w3id.org/tipgraph/id/"
VALIDATE_LIMIT = 10

# The raw pyoxigraph programs. Each runs as ``python -c PROGRAM ONTOLOGY DATA …`` and loads the
# Turtle files tipgraph loads: the ontology and vocabularies without the shapes, then the data.
PRELUDE = """\
import sys
from pathlib import Path
import pyoxigraph as ox

def files():
    ontology, data = Path(sys.argv[1]), Path(sys.argv[2])
    found = [p for p in sorted(ontology.rglob("*.ttl")) if p.name != "shapes.ttl"]
    return found + sorted(data.rglob("*.ttl"))

def load(store):
    for p in files():
        store.load(path=str(p), format=ox.RdfFormat.TURTLE, base_iri=p.resolve().as_uri())
"""
RAW_IMPORT = "import pyoxigraph"
RAW_LOAD = PRELUDE + "s = ox.Store()\nload(s)\nprint(len(s))\n"
RAW_LOAD_QUERY = PRELUDE + "s = ox.Store()\nload(s)\nprint(sum(1 for _ in s.query(sys.argv[3])))\n"
# One bulk operation over every file: a bulk_load call per file costs some 30 ms each (an SST
# file ingested per call), 30 s at ×10, so the quick way is one bulk_extend of all the triples.
RAW_BULK_LOAD = (
    PRELUDE
    + """\
from itertools import chain
s = ox.Store(sys.argv[3])
s.bulk_extend(chain.from_iterable(
    ox.parse(path=str(p), format=ox.RdfFormat.TURTLE, base_iri=p.resolve().as_uri())
    for p in files()
))
del s
"""
)
RAW_READ_ONLY_QUERY = (
    PRELUDE + "s = ox.Store.read_only(sys.argv[3])\nprint(sum(1 for _ in s.query(sys.argv[4])))\n"
)
RAW_SERIALISE = (
    PRELUDE
    + """\
s = ox.Store()
load(s)
s.dump(sys.argv[3], format=getattr(ox.RdfFormat, sys.argv[4]), from_graph=ox.DefaultGraph())
"""
)


@dataclass
class Sample:
    """One run of one process: wall and CPU seconds, peak resident memory in KiB."""

    wall: float
    cpu: float
    peak_kib: int
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Step:
    """A command to time, with what to do before each run (untimed) and its baseline's key."""

    key: str
    label: str
    argv: list[str]
    prepare: Callable[[], None] | None = None
    baseline: str | None = None
    samples: list[Sample] = field(default_factory=list)

    @property
    def failure(self) -> str | None:
        for sample in self.samples:
            if sample.returncode != 0:
                lines = sample.stderr.strip().splitlines() or [f"exit {sample.returncode}"]
                errors = [line for line in lines if line.startswith("tipgraph: ")]
                return (errors or lines)[-1]
        return None

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(sample, attribute) for sample in self.samples)


def run_once(argv: list[str], env: dict[str, str]) -> Sample:
    """Run one whole process and read its own resource usage with wait4.

    The peak resident memory (ru_maxrss) of a child is never below this process's own peak:
    Linux records the memory of the process image that ``exec`` replaces. So this script
    imports neither pyoxigraph nor urllib and generates data in a subprocess.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.kill()
            process.wait()
            raise
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Sample(
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            peak_kib=usage.ru_maxrss,
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def executable(name: str) -> str:
    """A program installed next to this Python, else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        sys.exit(f"{name} is not installed in this environment")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(host: str, port: int) -> bool:
    """Whether an HTTP server on host:port answers a SPARQL ASK with 200.

    A bare socket rather than urllib: importing urllib.request (and ssl) would raise this
    process's own peak memory, which Linux carries into every child it starts.
    """
    request = f"GET /query?query=ASK%20%7B%7D HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n"
    try:
        with socket.create_connection((host, port), timeout=2) as connection:
            connection.sendall(request.encode("ascii"))
            status = connection.recv(64).split(b"\r\n", 1)[0].split()
    except OSError:
        return False
    return len(status) >= 2 and status[1] == b"200"


@contextlib.contextmanager
def oxigraph_server(location: Path, timeout: float = 30.0) -> Iterator[str]:
    """Serve an Oxigraph store on a free loopback port; yield its Graph Store URL; stop it."""
    host, port = "127.0.0.1", free_port()
    argv = [executable("oxigraph"), "serve", "--location", str(location)]
    argv += ["--bind", f"{host}:{port}", "--union-default-graph"]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + timeout
            while not answers(host, port):
                if server.poll() is not None:
                    log.seek(0)
                    message = log.read().decode("utf-8", "replace").strip()
                    raise RuntimeError(f"oxigraph serve exited {server.returncode}: {message}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not answer on {host}:{port}")
                time.sleep(0.1)
            yield f"http://{host}:{port}/store"
        finally:
            if server.poll() is None:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


def with_values(query: str, variable: str, iri: str) -> str:
    """The query with ``VALUES ?variable { <iri> }`` right after its first ``WHERE {``."""
    match = re.search(r"WHERE\s*\{", query, re.IGNORECASE)
    if match is None:
        raise ValueError("the query has no WHERE {")
    values = f"\n  VALUES ?{variable} {{ <{iri}> }}"
    return query[: match.end()] + values + query[match.end() :]


def reset(folder: Path) -> Callable[[], None]:
    """A preparation step: make ``folder`` exist and be empty."""

    def prepare() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    return prepare


def ensure_data(scale: int, data_root: Path | None, scratch: Path) -> Path:
    """The folder holding the layout at this scale, generated when it does not exist yet."""
    root = (data_root or scratch) / f"x{scale}"
    if (root / "data").is_dir() and (root / "ontology").is_dir() and (root / "queries").is_dir():
        print(f"x{scale}: reusing {root}", file=sys.stderr)
        return root
    if root.exists() and any(root.iterdir()):
        sys.exit(f"{root} exists but does not hold ontology/, data/ and queries/")
    root.mkdir(parents=True, exist_ok=True)
    # In a process of its own, so that this one stays small (see ``run_once``).
    generator = [sys.executable, str(HERE / "scale_data.py"), str(scale), str(root)]
    done = subprocess.run(generator, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"generating x{scale} failed: {done.stderr.strip()}")
    print(f"x{scale}: {done.stdout.strip()}", file=sys.stderr)
    return root


def steps_for(
    scale: int, root: Path, work: Path, store_url: str, args: argparse.Namespace
) -> list[Step]:
    """The raw baselines and the tipgraph commands to time at one scale, in running order."""
    ontology, data, queries = root / "ontology", root / "data", root / "queries"
    members = with_values(
        (queries / f"{MEMBERS_QUERY}.rq").read_text(encoding="utf-8"),
        f"_{MEMBERS_PARAMETER}_iri",
        ID + MEMBERS_SLUG,
    )
    matrix = (queries / f"{MATRIX_QUERY}.rq").read_text(encoding="utf-8")
    python = [sys.executable, "-c"]
    files = [str(ontology), str(data)]
    built = work / "raw-store"
    cache = work / "cache"

    steps = [
        Step("import", "raw: import pyoxigraph", [*python, RAW_IMPORT]),
        Step("load", "raw: load in memory", [*python, RAW_LOAD, *files]),
        Step(
            "load-members",
            f"raw: load + {MEMBERS_QUERY}",
            [*python, RAW_LOAD_QUERY, *files, members],
        ),
        Step(
            "load-matrix", f"raw: load + {MATRIX_QUERY}", [*python, RAW_LOAD_QUERY, *files, matrix]
        ),
        Step(
            "bulk-load",
            "raw: bulk_extend on disk",
            [*python, RAW_BULK_LOAD, *files, str(work / "raw-bulk")],
            prepare=reset(work / "raw-bulk"),
        ),
        Step(
            "ro-members",
            f"raw: read-only open + {MEMBERS_QUERY}",
            [*python, RAW_READ_ONLY_QUERY, *files, str(built), members],
        ),
        Step(
            "ro-matrix",
            f"raw: read-only open + {MATRIX_QUERY}",
            [*python, RAW_READ_ONLY_QUERY, *files, str(built), matrix],
        ),
        Step(
            "serialise-nt",
            "raw: load + dump N-Triples",
            [*python, RAW_SERIALISE, *files, str(work / "raw.nt"), "N_TRIPLES"],
        ),
        Step(
            "serialise-ttl",
            "raw: load + dump Turtle",
            [*python, RAW_SERIALISE, *files, str(work / "raw.ttl"), "TURTLE"],
        ),
    ]

    if args.raw_only:
        return steps
    base = [executable("tipgraph"), "--ontology", str(ontology), "--data", str(data)]
    base += ["--queries", str(queries)]
    cached = base if args.no_index else [*base, "--cache", str(cache)]
    cold = base if args.no_index else [*base, "--no-cache"]
    members_args = ["query", MEMBERS_QUERY, "-p", MEMBERS_PARAMETER, MEMBERS_SLUG]
    members_args += ["--format", "tsv"]
    matrix_args = ["query", MATRIX_QUERY, "--format", "tsv"]

    steps.append(Step("tg-version", "tipgraph --version", [*base, "--version"], baseline="import"))
    if not args.no_index:
        steps.append(
            Step("tg-index", "index", [*cached, "index"], reset(cache), baseline="bulk-load")
        )
    cold_label = "" if args.no_index else " (cold)"
    steps.append(
        Step(
            "tg-members",
            " ".join(members_args) + cold_label,
            [*cold, *members_args],
            baseline="load-members",
        )
    )
    if not args.no_index:
        steps.append(
            Step(
                "tg-members-indexed",
                " ".join(members_args) + " (indexed)",
                [*cached, *members_args],
                baseline="ro-members",
            )
        )
    steps.append(
        Step(
            "tg-matrix",
            " ".join(matrix_args) + cold_label,
            [*cold, *matrix_args],
            baseline="load-matrix",
        )
    )
    if not args.no_index:
        steps.append(
            Step(
                "tg-matrix-indexed",
                " ".join(matrix_args) + " (indexed)",
                [*cached, *matrix_args],
                baseline="ro-matrix",
            )
        )
    if args.validate_all or scale <= args.validate_up_to:
        steps.append(
            Step(
                "tg-validate-nq",
                "validate --no-quotations",
                [*cached, "validate", "--no-quotations"],
                baseline="load-members",
            )
        )
        steps.append(
            Step("tg-validate", "validate", [*cached, "validate"], baseline="load-members")
        )
    steps += [
        Step("tg-describe", "describe coe", [*cached, "describe", "coe"], baseline="load-members"),
        Step("tg-stats", "stats", [*cached, "stats"], baseline="load-members"),
        Step(
            "tg-export-nt",
            "export --format nt",
            [*cached, "export", "--format", "nt", "-o", str(work / "export.nt")],
            baseline="serialise-nt",
        ),
        Step(
            "tg-export-ttl",
            "export (turtle)",
            [*cached, "export", "-o", str(work / "export.ttl")],
            baseline="serialise-ttl",
        ),
        Step(
            "tg-push",
            "push --store (local oxigraph)",
            [*cached, "push", "--timeout", "900", "--store", store_url],
            baseline="serialise-nt",
        ),
    ]
    return steps


def build_read_only_store(step_env: dict[str, str], root: Path, target: Path) -> None:
    """Bulk-load the layout once, untimed, for the read-only query baselines."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    files = [str(root / "ontology"), str(root / "data")]
    sample = run_once([sys.executable, "-c", RAW_BULK_LOAD, *files, str(target)], step_env)
    if sample.returncode != 0:
        first = (sample.stderr.strip().splitlines() or ["?"])[0]
        print(f"  building the read-only baseline store failed: {first}", file=sys.stderr)


def measure(steps: list[Step], runs: int, env: dict[str, str]) -> None:
    """Run every step ``runs`` times, one round after another; report failures as they come."""
    for round_number in range(1, runs + 1):
        print(f"  round {round_number}/{runs}", file=sys.stderr)
        for step in steps:
            if step.prepare is not None:
                step.prepare()
            sample = run_once(step.argv, env)
            step.samples.append(sample)
            if sample.returncode != 0 and round_number == 1:
                print(f"  {step.label}: failed: {step.failure}", file=sys.stderr)


@dataclass
class Row:
    scale: int
    command: str
    wall: str
    cpu: str
    peak: str
    baseline: str
    ratio: str
    cpu_ratio: str


def round_ratio(step: Step, reference: Step, attribute: str) -> str:
    """The median over rounds of the ratio of the two processes' figures in the same round."""
    ratios = [
        getattr(ours, attribute) / getattr(theirs, attribute)
        for ours, theirs in zip(step.samples, reference.samples, strict=True)
        if getattr(theirs, attribute) > 0
    ]
    return f"{statistics.median(ratios):.1f}×" if ratios else ""


def rows_for(scale: int, steps: list[Step]) -> list[Row]:
    by_key = {step.key: step for step in steps}
    rows = []
    for step in steps:
        if step.failure is not None:
            rows.append(Row(scale, step.label, "failed", "", "", "", "", ""))
            continue
        baseline, ratio, cpu_ratio = "", "", ""
        reference = by_key.get(step.baseline) if step.baseline else None
        if reference is not None:
            baseline = reference.label.removeprefix("raw: ")
            if reference.failure is None:
                ratio = round_ratio(step, reference, "wall")
                cpu_ratio = round_ratio(step, reference, "cpu")
            else:
                baseline += " (failed)"
        rows.append(
            Row(
                scale,
                step.label,
                f"{step.median('wall'):.3f}",
                f"{step.median('cpu'):.3f}",
                f"{step.median('peak_kib') / 1024:.0f}",
                baseline,
                ratio,
                cpu_ratio,
            )
        )
    return rows


HEADERS = ("scale", "command", "wall s", "CPU s", "peak MB", "raw baseline", "ratio", "CPU ratio")
NUMERIC = (True, False, True, True, True, False, True, True)


def cells(row: Row) -> list[str]:
    figures = [row.wall, row.cpu, row.peak, row.baseline, row.ratio, row.cpu_ratio]
    return [f"×{row.scale}", row.command, *figures]


def plain_table(rows: list[Row]) -> str:
    table = [list(HEADERS), *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]
    lines = []
    for line in table:
        padded = [
            cell.rjust(width) if numeric else cell.ljust(width)
            for cell, width, numeric in zip(line, widths, NUMERIC, strict=True)
        ]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def markdown_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |"]
    lines.append("|" + "|".join("---:" if n else "---" for n in NUMERIC) + "|")
    lines += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def parse_scales(text: str) -> list[int]:
    try:
        scales = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text}") from None
    if not scales or min(scales) < 1:
        raise argparse.ArgumentTypeError("scales are whole numbers of at least 1")
    return scales


def terminate_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so that the server and temporary folders are cleaned up."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def answer_rows(steps: list[Step]) -> dict[str, int]:
    """Rows each query answered, by query; a note on stderr where tipgraph and raw differ."""
    by_key = {step.key: step for step in steps}
    counts: dict[str, int] = {}
    pairs = [
        (MEMBERS_QUERY, "load-members", "tg-members"),
        (MEMBERS_QUERY, "ro-members", "tg-members-indexed"),
        (MATRIX_QUERY, "load-matrix", "tg-matrix"),
        (MATRIX_QUERY, "ro-matrix", "tg-matrix-indexed"),
    ]
    for query, raw_key, tipgraph_key in pairs:
        raw, ours = by_key.get(raw_key), by_key.get(tipgraph_key)
        if raw is None or raw.failure is not None or not raw.samples:
            continue
        expected = int(raw.samples[-1].stdout.strip() or 0)
        counts.setdefault(query, expected)
        if ours is None or ours.failure is not None:
            continue
        got = len(ours.samples[-1].stdout.splitlines()) - 1  # less the TSV header
        if got != expected:
            print(f"  {ours.label}: {got} rows, raw pyoxigraph {expected}", file=sys.stderr)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales",
        type=parse_scales,
        default=[1, 10, 100],
        help="comma-separated numbers of copies of the data (default 1,10,100; 400 also works)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per command (default 3)")
    parser.add_argument(
        "--data-root",
        type=Path,
        help="keep the generated data in DIR/xN and reuse it (default: a temporary folder)",
    )
    parser.add_argument(
        "--validate-up-to",
        type=int,
        default=VALIDATE_LIMIT,
        metavar="N",
        help=f"time validate only up to ×N (default {VALIDATE_LIMIT})",
    )
    parser.add_argument("--validate-all", action="store_true", help="time validate at every scale")
    parser.add_argument(
        "--no-index",
        action="store_true",
        help="skip `tipgraph index` and leave out --cache/--no-cache",
    )
    parser.add_argument(
        "--raw-only", action="store_true", help="time only the raw pyoxigraph baselines"
    )
    parser.add_argument("--markdown", action="store_true", help="also print a markdown table")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs is at least 1")
    terminate_on_sigterm()

    # The push requests go to 127.0.0.1; keep any configured proxy out of the way.
    env = dict(os.environ, NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    print(f"python: {sys.executable}")
    source = [sys.executable, "-c", "import tipgraph; print(tipgraph.__file__)"]
    found = subprocess.run(source, capture_output=True, text=True, env=env)
    package = found.stdout.strip() or (found.stderr.strip().splitlines() or ["?"])[-1]
    print(f"tipgraph: {executable('tipgraph')} ({package})")
    print(f"cpus: {os.cpu_count()}, runs per command: {args.runs} (medians shown)", flush=True)

    all_rows: list[Row] = []
    summaries: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tipgraph-scale-") as scratch_name:
        scratch = Path(scratch_name)
        with oxigraph_server(scratch / "oxigraph") as store_url:
            for scale in args.scales:
                root = ensure_data(scale, args.data_root, scratch / "layouts")
                work = scratch / f"work-x{scale}"
                work.mkdir()
                build_read_only_store(env, root, work / "raw-store")
                steps = steps_for(scale, root, work, store_url, args)
                print(f"x{scale}: timing {len(steps)} commands", file=sys.stderr)
                measure(steps, args.runs, env)
                load = next(step for step in steps if step.key == "load")
                triples = load.samples[-1].stdout.strip() if load.failure is None else "?"
                answered = ", ".join(f"{q} {n} rows" for q, n in answer_rows(steps).items())
                summary = f"×{scale}: {triples} triples (ontology, vocabularies and data)"
                summaries.append(summary + (f"; {answered}" if answered else ""))
                rows = rows_for(scale, steps)
                all_rows += rows
                print(f"\n{summaries[-1]}\n{plain_table(rows)}", flush=True)
                shutil.rmtree(work, ignore_errors=True)
                if args.data_root is None:
                    shutil.rmtree(root, ignore_errors=True)
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak MB reads no lower than this script's own peak, {floor:.0f} MB")
    if args.markdown:
        print("\n" + "\n".join(f"- {summary}" for summary in summaries) + "\n")
        print(markdown_table(all_rows))


if __name__ == "__main__":
    main()
