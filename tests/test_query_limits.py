"""Hostile local queries: bounded in time and rows, refused when they would crash the engine
or reach the network. Run through the installed command in a subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tipgraph.errors import InputError
from tipgraph.sparql_text import (
    MAX_NESTING,
    check_query_shape,
    check_services,
    service_endpoints,
)

ROOT = Path(__file__).resolve().parent.parent
CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIPGRAPH_")}
    env["TIPGRAPH_CACHE"] = os.environ["TIPGRAPH_CACHE"]  # the suite's own, never the user's
    return env


def tipgraph(*args: str, input: str, timeout: float = 15) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tipgraph", *args],
        input=input,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment(),
        timeout=timeout,
    )


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_service_is_refused_without_allow_service():
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"
    result = tipgraph("sparql", "-", input=query)
    assert result.returncode == 2
    line = one_line_error(result)
    assert "127.0.0.1" in line and "--allow-service" in line


def test_service_with_a_variable_is_refused():
    result = tipgraph("sparql", "-", input="SELECT * WHERE { SERVICE SILENT ?x { ?s ?p ?o } }")
    assert result.returncode == 2
    assert "variable" in one_line_error(result)


def test_cross_product_stops_at_the_time_limit():
    started = time.monotonic()
    result = tipgraph("sparql", "-", "--timeout", "2", input=CROSS_PRODUCT)
    assert time.monotonic() - started < 20  # unbounded, the cross product runs for hours
    assert result.returncode == 1
    assert "stopped at the time limit of 2 s (--timeout)" in one_line_error(result)


def test_answer_over_the_row_cap_fails():
    result = tipgraph("sparql", "-", "--max-rows", "10", input=CROSS_PRODUCT)
    assert result.returncode == 1
    line = one_line_error(result)
    assert "more than 10 rows" in line and "--max-rows" in line


def test_deep_nesting_is_refused_before_the_engine():
    query = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
    result = tipgraph("sparql", "-", input=query)
    assert result.returncode == 2
    assert "nests brackets" in one_line_error(result)


@pytest.mark.parametrize("value", ["inf", "nan", "1e308", "0", "-1"])
def test_unusable_timeouts_are_usage_errors(value):
    result = tipgraph("sparql", "-", "--timeout", value, input="ASK {}")
    assert result.returncode == 2
    assert "--timeout" in one_line_error(result)


def test_ctrl_c_stops_a_running_cross_product():
    process = subprocess.Popen(
        [sys.executable, "-m", "tipgraph", "sparql", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=environment(),
    )
    try:
        process.stdin.write(CROSS_PRODUCT)
        process.stdin.close()
        time.sleep(1.5)
        assert process.poll() is None
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)  # raises when Ctrl-C does not end it
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert process.stderr.read().strip() == "tipgraph: interrupted"


# The detection functions.


def test_service_endpoints_ignore_strings_iris_and_comments():
    text = """PREFIX ex: <http://example.org/>
    # SERVICE <http://comment.example/>
    SELECT * WHERE {
      ?s ?p "SERVICE <http://string.example/>" .
      ?s <http://x/SERVICE> ?o .
      SERVICE <http://a.example/sparql> { ?s ?p ?o }
      service silent <https://B.example:8443/q> { ?s ?p ?o }
      SERVICE ex:endpoint { ?s ?p ?o }
      SERVICE ?where { ?s ?p ?o }
    }"""
    assert service_endpoints(text) == [
        "http://a.example/sparql",
        "https://B.example:8443/q",
        "http://example.org/endpoint",
        None,
    ]


def test_check_services_allows_named_hosts_only():
    text = "SELECT * WHERE { SERVICE <http://a.example/q> { ?s ?p ?o } }"
    check_services(text, ["A.example"])
    check_services("SELECT * WHERE { ?s ?p 'SERVICE <http://a/>' }")
    with pytest.raises(InputError, match=r"--allow-service a\.example"):
        check_services(text, ["b.example"])
    with pytest.raises(InputError, match="no host"):
        check_services("SELECT * WHERE { SERVICE <relative> { ?s ?p ?o } }", ["a"])


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE " + "{" * 300 + "?s ?p ?o" + "}" * 300,
        "SELECT * WHERE { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }",
        "SELECT * WHERE { ?s ?p " + "[ ?p " * 300 + "?o" + " ]" * 300 + " }",
        "SELECT * WHERE { ?s " + "/".join(["<http://p>"] * 6000) + " ?o }",
        "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 6000) + " }",
        "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 6000 + "}",
        "SELECT * WHERE { FILTER(" + "+".join(["1"] * 6000) + ") }",
        "SELECT * WHERE { FILTER(" + "1-" * 6000 + "1) }",
        "SELECT * WHERE { ?s ?p ?o } # " + "x" * 1_000_000,
    ],
    ids=["braces", "parentheses", "blank-nodes", "path", "union", "optional", "plus", "minus",
         "size"],
)  # fmt: skip
def test_check_query_shape_refuses_what_would_crash_the_engine(text):
    with pytest.raises(InputError):
        check_query_shape(text)


def test_check_query_shape_accepts_ordinary_queries():
    check_query_shape("SELECT * WHERE " + "{" * MAX_NESTING + "?s ?p ?o" + "}" * MAX_NESTING)
    check_query_shape('SELECT * WHERE { ?s ?p "{{{{{{{{(((((" }')
    for path in (ROOT / "queries").glob("*.rq"):
        check_query_shape(path.read_text(encoding="utf-8"), path.stem)
