"""SHACL validation: the shipped data conforms; each invalid fixture fails with its message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tipgraph.validation import validate

FIXTURES = Path(__file__).resolve().parent / "data"
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))


def expected_message(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: MESSAGE'"
    return first.removeprefix("# expect: ")


def test_the_shipped_data_conforms(layout):
    report = validate(layout)
    assert report.conforms, report.to_text()


def test_there_are_enough_invalid_fixtures():
    assert len(INVALID) >= 5


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_each_invalid_fixture_fails_with_its_message(layout, path):
    report = validate(layout, [path])
    assert not report.conforms
    messages = [v.message for v in report.violations]
    assert any(expected_message(path) in m for m in messages), messages
    assert all(v.files == (str(path),) for v in report.violations), report.to_text()
    # every result is located: in the fixture, at a line the scan found, which names its node
    lines = path.read_text(encoding="utf-8").splitlines()
    for v in report.violations:
        assert v.file == str(path) and v.note == "", v
        assert 1 <= v.line <= len(lines) and v.rule, v
        if v.focus.startswith("id:") and not v.message.startswith("unknown property"):
            assert v.focus.split(":", 1)[1] in lines[v.line - 1], (v, lines[v.line - 1])


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_each_valid_fixture_passes(layout, path):
    report = validate(layout, [path])
    assert report.conforms, report.to_text()


def test_reports_render_as_text_json_and_turtle(layout):
    path = FIXTURES / "invalid" / "coverage-claim-without-citation.ttl"
    report = validate(layout, [path])
    assert "id:commit-mekong-covers-men" in report.to_text()
    document = json.loads(report.to_json())
    assert document["conforms"] is False
    assert document["violations"][0]["focus"] == "id:commit-mekong-covers-men"
    assert document["violations"][0]["path"] == "tip:citation"
    assert "sh:ValidationReport" in report.to_turtle()
