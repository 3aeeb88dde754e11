"""Ill-typed literals are violations with their location, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import SH

from tipgraph.cli import main
from tipgraph.validation import validate

INVALID = Path(__file__).resolve().parent / "data" / "invalid"
CASES = [
    ("paragraph-not-a-number.ttl", "tip:paragraph", "ninety-nine"),
    ("paragraph-ill-typed-integer.ttl", "tip:paragraph", "ninety-nine"),
    ("ill-typed-date-on-any-property.ttl", "rdfs:comment", "2010-13-45"),
]


@pytest.mark.parametrize(("name", "path", "value"), CASES)
@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_an_ill_typed_literal_is_a_located_violation(layout, name, path, value, engine):
    file = INVALID / name
    report = validate(layout, [file], engine=engine)
    assert not report.conforms
    located = [v for v in report.violations if v.path == path and v.value == value]
    assert located, report.to_text()
    assert all(v.files == (str(file),) for v in located)
    assert all(
        v.focus == "id:cite-hrc-p99-commit-men" or v.focus == "id:commit-mekong" for v in located
    )


@pytest.mark.parametrize(("name", "path", "value"), CASES)
def test_the_command_line_reports_it_without_a_traceback(name, path, value):
    result = CliRunner().invoke(main, ["validate", str(INVALID / name)])
    assert result.exit_code == 1
    assert f"[path {path}] [value {value}]" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("ninety-nine", "integer"),
        ("1.5", "integer"),
        ("maybe", "boolean"),
        ("2010-02-30", "date"),
        ("20x0", "gYear"),
        ("2010-13", "gYearMonth"),
        ("abc", "decimal"),
        ("-1", "nonNegativeInteger"),
        ("not a time", "dateTime"),
    ],
)
def test_every_xsd_datatype_is_checked(layout, tmp_path, lexical, datatype):
    file = tmp_path / "data.ttl"
    file.write_text(
        "@prefix id: <https://w3id.org/tipgraph/id/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f'id:thing rdfs:comment "{lexical}"^^xsd:{datatype} .\n',
        encoding="utf-8",
    )
    report = validate(layout, [file], check_quotations=False)
    messages = [v.message for v in report.violations if v.value == lexical]
    assert f"ill-typed literal: not a valid xsd:{datatype}" in messages


ILL_FORMED_DATES = """\
PREFIX id: <https://w3id.org/tipgraph/id/>
PREFIX tip: <https://w3id.org/tipgraph/def/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

id:x-instrument a tip:Instrument ;
    tip:adopted "20O4"^^xsd:gYear ;
    tip:periodStart "2002-13"^^xsd:gYearMonth ;
    tip:periodEnd "2002-1-05"^^xsd:date ;
    tip:established "2004"^^xsd:gYear ;
    tip:ratificationCount "-01"^^xsd:integer .
"""
ILL_FORMED = {"20O4": "tip:adopted", "2002-13": "tip:periodStart", "2002-1-05": "tip:periodEnd"}


@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_the_shapes_refuse_ill_formed_dates_in_either_engine(layout, tmp_path, engine):
    file = tmp_path / "dates.ttl"
    file.write_text(ILL_FORMED_DATES, encoding="utf-8")
    report = validate(layout, [file], engine=engine, check_quotations=False)
    graph = report.results_graph
    flagged = {str(graph.value(r, SH.value)) for r in graph.objects(None, SH.result)}
    assert set(ILL_FORMED) <= flagged  # by the shapes themselves, not only by tipgraph
    assert "2004" not in flagged
    lines = ILL_FORMED_DATES.splitlines()
    for value, path in ILL_FORMED.items():
        (violation,) = [v for v in report.violations if v.value == value]
        assert violation.path == path
        assert f'"{value}"' in lines[violation.triple_line - 1]
    (count,) = [v for v in report.violations if v.path == "tip:ratificationCount"]
    assert count.value == "-01"  # as written, not the store's canonical "-1"
    assert '"-01"' in lines[count.triple_line - 1]


def test_any_shacl_validator_refuses_ill_formed_dates(layout):
    """pySHACL alone, without tipgraph's checks, on the shapes as shipped."""
    from pyshacl import validate as shacl_validate

    data = Graph().parse(data=ILL_FORMED_DATES, format="turtle")
    shapes = Graph().parse(layout.shapes_file(), format="turtle")
    conforms, results, _ = shacl_validate(data, shacl_graph=shapes, advanced=True)
    assert not conforms
    flagged = {str(results.value(r, SH.value)) for r in results.objects(None, SH.result)}
    assert set(ILL_FORMED) <= flagged
