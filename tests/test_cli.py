"""The command line through click's runner: outputs, exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, Namespace

from tipgraph.namespaces import ORG_NS, TIP_NS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    "command",
    ["queries", "query", "sparql", "validate", "export", "describe", "stats", "fmt", "push"],
)
def test_every_command_has_help_with_an_example(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output


def test_queries_lists_names_and_parameters(run):
    result = run("queries", "-f", "json")
    rows = json.loads(result.output)
    by_name = {row["name"]: row for row in rows}
    assert "mechanisms-covering-men-and-boys" in by_name
    organization, prospective = by_name["instruments-by-organization"]["parameters"]
    assert prospective["name"] == "includeProspective" and prospective["default"] is False
    assert organization["name"] == "organization" and organization["type"] == "resource"
    assert organization["default"] == "saarc" and organization["required"] is False
    assert "saarc" in [choice["value"] for choice in organization["suggested"]]
    (theme,) = by_name["mechanisms-covering-theme"]["parameters"]
    assert theme["kind"] == "concept"
    assert theme["schemes"] == ["https://w3id.org/tipgraph/scheme/theme"]
    allowed = {choice["value"] for choice in theme["allowed"]}
    assert {"theme:redress", "theme:prevention"} <= allowed
    assert not [value for value in allowed if not value.startswith("theme:")]


def test_queries_other_formats_keep_their_columns(run):
    result = run("queries", "-f", "tsv")
    lines = result.output.splitlines()
    assert lines[0] == "name\tsummary\tparameters"
    assert any("organization (resource, default saarc)" in line for line in lines)


def test_query_with_parameter(run):
    result = run(
        "query", "instruments-by-organization", "-p", "organization", "saarc", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    labels = [row["instrumentLabel"] for row in json.loads(result.output)]
    assert any("SAARC Convention" in label for label in labels)


def test_unknown_query_suggests_close_names(run):
    result = run("query", "mechanisms-covering-men")
    assert result.exit_code == 2
    assert "did you mean: mechanisms-covering-men-and-boys" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "organisation", "saarc"], "unknown parameter 'organisation'"),
        (["-p", "organization", "no-such-body"], "no resource 'no-such-body'"),
        (["-p", "organization", "} ; DROP ALL ; {"], "is not a slug"),
    ],
)
def test_bad_parameters_are_usage_errors(run, args, message):
    result = run("query", "instruments-by-organization", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_ill_typed_year_is_a_usage_error(run):
    result = run("query", "instruments-adopted-between", "-p", "from", "two thousand")
    assert result.exit_code == 2
    assert "parameter from (year)" in result.stderr


def test_sparql_from_standard_input(run):
    text = "SELECT ?label WHERE { id:saarc rdfs:label ?label }"
    result = run("sparql", "-", "-f", "csv", input=text)
    assert result.exit_code == 0
    assert result.output.splitlines()[1] == "South Asian Association for Regional Cooperation"


def test_sparql_syntax_error_names_the_position(run):
    result = run("sparql", "-", input="SELECT ?x WHERE {\n  ?x ?y\n}")
    assert result.exit_code == 1
    assert "SPARQL syntax error at line" in result.stderr
    assert "Traceback" not in result.stderr


def test_sparql_refuses_updates(run):
    result = run("sparql", "-", input="PREFIX x: <http://x/>\nDROP ALL")
    assert result.exit_code == 1
    assert "read-only" in result.stderr


def test_malformed_turtle_gives_file_line_and_column(run, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "broken.ttl").write_text(
        '@prefix id: <https://w3id.org/tipgraph/id/> .\nid:a id:b "unterminated .\n',
        encoding="utf-8",
    )
    result = run("--data", str(data), "query", "uncited-facts")
    assert result.exit_code == 2
    assert f"{data / 'broken.ttl'}:2:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_data_folder_is_a_usage_error(run, tmp_path):
    result = run("--data", str(tmp_path / "nowhere"), "stats")
    assert result.exit_code == 2


def test_validate_fixture_exit_codes_and_formats(run):
    bad = FIXTURES / "invalid" / "period-ends-before-start.ttl"
    result = run("validate", str(bad), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output)["conforms"] is False
    good = FIXTURES / "valid"
    assert run("validate", str(good)).exit_code == 0


def test_describe_shows_facts_with_citations(run):
    result = run("describe", "saarc-convention", "-f", "json")
    rows = json.loads(result.output)
    adopted = [r for r in rows if r["property"].endswith("adopted")]
    assert adopted and all(r["citation"] for r in adopted)


def test_describe_unknown_resource(run):
    result = run("describe", "atlantis")
    assert result.exit_code == 2
    assert "no resource 'atlantis'" in result.stderr


def test_stats_counts(run, graph):
    """Each count equals the number of resources of its class, counted here with rdflib over
    the files, independently of the stats queries."""
    rows = json.loads(run("stats", "-f", "json").output)
    summary = {r["name"]: r["count"] for r in rows if r["section"] == "summary"}

    def typed(*names: str) -> int:
        spaces = {"tip": Namespace(TIP_NS), "org": Namespace(ORG_NS)}
        classes = {spaces[name[:3]][name[4:]] for name in names}
        return len({s for s, _, o in graph.triples((None, RDF.type, None)) if o in classes})

    mechanism_files = list((ROOT / "data" / "mechanisms").glob("*.ttl"))
    assert summary["mechanisms"] == typed("tip:Mechanism") >= len(mechanism_files) - 1
    assert summary["citations"] == typed("tip:Citation")
    assert summary["memberships"] == typed("org:Membership")
    assert summary["coverage claims"] == typed("tip:CoverageClaim")
    assert summary["sites"] == typed("org:Site") > 0
    total = next(r["count"] for r in rows if r["section"] == "triples")
    assert total == len(graph)


def test_export_writes_atomically_and_deterministically(run, tmp_path):
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert run("export", "-o", str(first)).exit_code == 0
    assert run("export", "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ttl", "b.ttl"]  # no temporary left


def test_export_into_missing_folder_is_a_usage_error(run, tmp_path):
    result = run("export", "-o", str(tmp_path / "no" / "g.ttl"))
    assert result.exit_code == 2


def test_fmt_check_reports_a_non_canonical_file(run, tmp_path):
    messy = tmp_path / "messy.ttl"
    messy.write_text(
        "@prefix id: <https://w3id.org/tipgraph/id/> .\nid:b id:p id:c . id:a id:p id:c .\n",
        encoding="utf-8",
    )
    result = run("fmt", "--check", str(messy))
    assert result.exit_code == 1
    assert f"would reformat {messy}" in result.output
    assert run("fmt", str(messy)).exit_code == 0
    assert run("fmt", "--check", str(messy)).exit_code == 0


@pytest.mark.parametrize(("fmt", "parser"), [("nt", "nt"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_every_export_format_is_deterministic_and_parses(run, tmp_path, fmt, parser):
    import rdflib

    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    assert run("export", "--format", fmt, "-o", str(first)).exit_code == 0
    assert run("export", "--format", fmt, "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    dataset = rdflib.Dataset()
    dataset.parse(first, format=parser)
    assert len(dataset) > 10_000


def test_trig_export_puts_ontology_and_data_in_their_graphs(run, tmp_path):
    import rdflib

    target = tmp_path / "g.trig"
    assert run("export", "--format", "trig", "-o", str(target)).exit_code == 0
    dataset = rdflib.Dataset()
    dataset.parse(target, format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {
        "https://w3id.org/tipgraph/graph/ontology",
        "https://w3id.org/tipgraph/graph/data",
    } <= names


def test_describe_summarises_the_claims_about_a_resource(run):
    rows = json.loads(run("describe", "commit-mekong", "-f", "json").output)
    summaries = {
        r["value"].rsplit("/", 1)[-1]: r["valueLabel"] for r in rows if r["direction"] == "in"
    }
    # A/HRC/14/32 para. 99 shows COMMIT meeting recommendation 120 (gender-sensitive responses).
    assert "gender-sensitive" in summaries["commit-mekong-meets-recommendation-120"]
    # para. 3: COMMIT answered the questionnaire.
    assert summaries["commit-mekong-questionnaire-response"] == "answered"


def test_serve_on_a_port_in_use_is_one_error_line(run):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"tipgraph: error: cannot serve on 127.0.0.1:{port}: ")
    assert "Traceback" not in result.output and result.stderr.count("\n") == 1
