"""Ill-typed literals are violations with their location, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

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
