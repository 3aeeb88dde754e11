"""Pushing to Virtuoso by each route, through the command, and checking what it holds.

One Virtuoso server (Debian's virtuoso-opensource) serves the tests of this file; the saved
queries are compared on it in test_engine_parity.py. Without Virtuoso the tests are skipped,
except on CI, where they fail.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from virtuoso_server import PASSWORD, USER, running_virtuoso

from tipgraph.cli import main
from tipgraph.endpoint import Endpoint
from tipgraph.export import DATA_GRAPH, ONTOLOGY_GRAPH
from tipgraph.push import graphs_to_push
from tipgraph.readback import compare, stored_triples

CLEAN_ENV = {
    "TIPGRAPH_ENDPOINT": None,
    "TIPGRAPH_USER": None,
    "TIPGRAPH_PASSWORD": None,
    "NETRC": "/nonexistent/netrc",
}
CREDENTIALS = {"TIPGRAPH_USER": USER, "TIPGRAPH_PASSWORD": PASSWORD}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        # The anonymous Graph Store endpoint writes as the SPARQL user.
        server.sql('GRANT SPARQL_UPDATE TO "SPARQL";\n')
        yield server


def push(virtuoso, route: str, url: str, env: dict[str, str], *more: str):
    args = ["push", route, url, "--endpoint", virtuoso.query, "-f", "json", *more]
    return CliRunner().invoke(main, args, env={**CLEAN_ENV, **env})


ROUTES = [
    pytest.param("--store", "/sparql-graph-crud-auth", CREDENTIALS, id="gsp-digest"),
    pytest.param("--store", "/sparql-graph-crud", {}, id="gsp-anonymous"),
    pytest.param("--update-endpoint", "/sparql-auth", CREDENTIALS, id="update-digest"),
]


@pytest.mark.parametrize(("route", "path", "env"), ROUTES)
def test_each_route_leaves_the_graphs_as_sent(virtuoso, layout, store, route, path, env):
    sql = "SPARQL CLEAR GRAPH <{}>;\n"
    virtuoso.sql(sql.format(ONTOLOGY_GRAPH) + sql.format(DATA_GRAPH))
    result = push(virtuoso, route, virtuoso.base + path, env)
    assert result.exit_code == 0, result.stderr
    graphs = graphs_to_push(layout, source=store)
    counts = json.loads(result.stdout)
    assert counts == [{"graph": g.iri, "local": len(g), "store": len(g)} for g in graphs]
    assert "note:" not in result.stderr  # the default graph shows the pushed triples
    reader = virtuoso.query_endpoint()
    for graph in graphs:
        assert compare(graph, stored_triples(reader, graph.iri)) is None


def test_pushing_twice_by_different_routes_leaves_the_same_triples(virtuoso, layout, store):
    for route, path, env in [p.values for p in ROUTES]:
        assert push(virtuoso, route, virtuoso.base + path, env).exit_code == 0
    reader = virtuoso.query_endpoint()
    for graph in graphs_to_push(layout, source=store):
        assert len(stored_triples(reader, graph.iri)) == len(graph)


@pytest.mark.parametrize(
    ("route", "path"),
    [("--store", "/sparql-graph-crud-auth"), ("--update-endpoint", "/sparql-auth")],
)
def test_wrong_or_missing_credentials_are_refused_and_kept_secret(virtuoso, route, path):
    wrong = {"TIPGRAPH_USER": USER, "TIPGRAPH_PASSWORD": "not-" + PASSWORD}
    for env, message in [(wrong, "the credentials were rejected"), ({}, "credentials needed")]:
        result = push(virtuoso, route, virtuoso.base + path, env)
        assert result.exit_code == 1
        assert f"HTTP 401 Unauthorized: {message}" in result.stderr
        assert PASSWORD not in result.stdout + result.stderr


def test_too_large_a_chunk_is_refused_by_virtuoso_and_said(virtuoso):
    result = push(
        virtuoso, "--update-endpoint", virtuoso.update, CREDENTIALS, "--chunk-size", "524288"
    )
    assert result.exit_code == 1
    line = result.stderr.splitlines()[-1]
    assert "HTTP 400 Bad Request" in line and "exceeded 10000 lines" in line
    assert line.endswith(f"written: <{ONTOLOGY_GRAPH}>; not written: <{DATA_GRAPH}>")


def test_queries_with_credentials_answer_digest(virtuoso):
    endpoint = Endpoint.parse(virtuoso.update)  # /sparql-auth answers queries too
    result = CliRunner().invoke(
        main,
        ["sparql", "-", "--endpoint", endpoint.url, "-f", "tsv"],
        input="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        env={**CLEAN_ENV, **CREDENTIALS},
    )
    assert result.exit_code == 0, result.stderr
    assert int(result.stdout.splitlines()[1]) > 2000
