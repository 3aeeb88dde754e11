"""The installed ``tipgraph`` command, run as a user runs it, in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def tipgraph_command() -> list[str]:
    script = Path(sys.executable).parent / "tipgraph"
    found = str(script) if script.exists() else shutil.which("tipgraph")
    if found is None:
        pytest.skip("the tipgraph console script is not installed")
    return [found]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIPGRAPH_")}
    env["TIPGRAPH_CACHE"] = os.environ["TIPGRAPH_CACHE"]  # the suite's own, never the user's
    if "TIPGRAPH_SOURCES" in os.environ:  # an installed package cannot guess where they are
        env["TIPGRAPH_SOURCES"] = os.environ["TIPGRAPH_SOURCES"]
    return subprocess.run(
        [*tipgraph_command(), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def test_men_and_boys_answer_cites_commit_and_not_saarc():
    result = run("query", "mechanisms-covering-men-and-boys", "-f", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    commit = [r for r in rows if r["mechanism"].endswith("/commit-mekong")]
    assert commit, rows
    # A/HRC/14/32 para. 99: "COMMIT ... has taken relevant steps to include men and boys"
    assert any(r["document"] == "A/HRC/14/32" and r["locator"] == "para. 99" for r in commit)
    assert not [r for r in rows if r["mechanism"].endswith("/saarc")]


def test_validate_and_fmt_check_pass_on_the_shipped_data():
    validate = run("validate")
    assert validate.returncode == 0, validate.stdout[-3000:]
    fmt = run("fmt", "--check")
    assert fmt.returncode == 0, fmt.stdout


def test_uncited_facts_is_empty():
    result = run("query", "uncited-facts", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_export_parses_the_same_in_an_independent_parser(tmp_path):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    import rdflib

    for fmt, mime in (("turtle", "text/turtle"), ("nt", "application/n-triples")):
        target = tmp_path / f"graph.{fmt}"
        result = run("export", "-o", str(target), "--format", fmt)
        assert result.returncode == 0, result.stderr
        store = pyoxigraph.Store()
        store.load(path=str(target), format=pyoxigraph.RdfFormat.from_media_type(mime))
        assert len(store) == len(rdflib.Graph().parse(target, format=fmt)) > 1000


def test_errors_are_one_line_without_traceback():
    result = run("query", "no-such-query")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_runs_from_another_folder(tmp_path):
    result = run(
        "query",
        "instruments-by-organization",
        "-p",
        "organization",
        "saarc",
        "-f",
        "csv",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "SAARC Convention" in result.stdout
