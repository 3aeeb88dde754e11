"""Bad query files fail alone with file:line; byte-order marks are accepted; FIFOs refused."""

from __future__ import annotations

import codecs
import os
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from tipgraph.catalogue import Catalogue
from tipgraph.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "queries" / "member-counts.rq"

BAD_FILES: dict[str, tuple[bytes, str]] = {
    "bad-yaml.rq": (
        b"#+ summary: fine\n#+ params:\n#+   x: [unclosed\nSELECT * { ?s ?p ?o }\n",
        ":3: bad #+ YAML header",
    ),
    "unknown-type.rq": (
        b"#+ summary: typed\n#+ params:\n#+   org:\n#+     type: colour\n"
        b"SELECT * { ?s ?p ?_org_iri }\n",
        ":3: parameter org: unknown type 'colour'",
    ),
    "Not_Kebab.rq": (b"#+ summary: named badly\nSELECT * { ?s ?p ?o }\n", ":1: query names are"),
    "undecodable.rq": (
        b"#+ summary: latin-1\n# caf\xe9\nSELECT * { ?s ?p ?o }\n",
        ":2: not UTF-8 text",
    ),
    "no-summary.rq": (b"#+ tags: [x]\nSELECT * { ?s ?p ?o }\n", ":1: the #+ header needs"),
}


@pytest.fixture
def folder(tmp_path):
    queries = tmp_path / "queries"
    queries.mkdir()
    shutil.copyfile(GOOD, queries / GOOD.name)
    for name, (content, _) in BAD_FILES.items():
        (queries / name).write_bytes(content)
    return queries


def run(*args: str):
    return CliRunner().invoke(main, ["--no-cache", *args])


def test_each_bad_file_is_one_warning_with_file_and_line(folder):
    result = run("--queries", str(folder), "queries", "-f", "tsv")
    assert result.exit_code == 1
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [
        "name",
        "member-counts",
    ]
    warnings = result.stderr.splitlines()
    assert len(warnings) == len(BAD_FILES), result.stderr
    for name, (_, message) in BAD_FILES.items():
        line = next(w for w in warnings if f"{folder / name}:" in w)
        assert line.startswith(f"tipgraph: warning: {folder / name}{message}"), line


def test_the_good_query_still_runs(folder):
    result = run("--queries", str(folder), "query", "member-counts", "-f", "tsv")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) > 1


def test_running_a_bad_query_is_one_line(folder):
    result = run("--queries", str(folder), "query", "unknown-type")
    assert result.exit_code == 2
    assert result.stderr == (
        f"tipgraph: error: {folder / 'unknown-type.rq'}:3: parameter org: unknown type "
        "'colour' (use one of: resource, string, integer, year, boolean)\n"
    )


def test_a_byte_order_mark_is_accepted_in_a_query(tmp_path):
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "member-counts.rq").write_bytes(codecs.BOM_UTF8 + GOOD.read_bytes())
    query = Catalogue(queries).get("member-counts")
    assert not query.text.startswith("\ufeff")
    assert query.summary
    result = run("--queries", str(queries), "query", "member-counts", "-f", "tsv")
    assert result.exit_code == 0, result.output


def test_a_byte_order_mark_is_accepted_in_turtle(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    documents = data / "documents.ttl"
    documents.write_bytes(codecs.BOM_UTF8 + documents.read_bytes())
    for args in (["--no-cache"], []):
        result = CliRunner().invoke(
            main, [*args, "--data", str(data), "--cache", str(tmp_path / "cache"), "stats"]
        )
        assert result.exit_code == 0, result.output
    checked = run("--data", str(data), "validate", "--no-quotations")
    assert checked.exit_code == 0, checked.output
    checked = run("validate", "--no-quotations", str(documents))
    assert "syntax" not in checked.output


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def never_opened(path: Path):
    """A watchdog that unblocks the test (by opening the FIFO's other end) if it hangs."""

    def release() -> None:
        with open(path, "wb"):
            pass

    timer = threading.Timer(5, release)
    timer.daemon = True
    timer.start()
    return timer


def test_a_fifo_among_the_queries_is_refused_without_opening_it(folder):
    make_fifo(folder / "pipe.rq")
    timer = never_opened(folder / "pipe.rq")
    try:
        result = run("--queries", str(folder), "queries", "-f", "tsv")
    finally:
        timer.cancel()
    assert result.exit_code == 1
    assert f"tipgraph: warning: {folder / 'pipe.rq'}: not a regular file (a FIFO)" in (
        result.stderr
    )
    assert "member-counts" in result.stdout


@pytest.mark.parametrize("cached", [True, False])
def test_a_fifo_among_the_data_is_one_line(tmp_path, cached):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    make_fifo(data / "actors" / "pipe.ttl")
    timer = never_opened(data / "actors" / "pipe.ttl")
    try:
        args = ["--cache", str(tmp_path / "cache")] if cached else ["--no-cache"]
        result = CliRunner().invoke(main, [*args, "--data", str(data), "stats"])
        checked = CliRunner().invoke(main, ["--data", str(data), "validate"])
        given = CliRunner().invoke(main, ["validate", str(data / "actors" / "pipe.ttl")])
    finally:
        timer.cancel()
    for outcome in (result, checked, given):
        assert outcome.exit_code == 2, outcome.output
        assert outcome.stderr == (
            f"tipgraph: error: {data / 'actors' / 'pipe.ttl'}: not a regular file (a FIFO); "
            "refusing to open it\n"
        )
