"""pyshacl-turbo (the default engine) and pySHACL (the reference) give the same report.

pySHACL runs once per case; it is slow, so the cases are the fixtures, the shipped data and a
few small mutated copies of real data, each holding several defects at once.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import SH

from tipgraph.cli import main
from tipgraph.errors import InputError
from tipgraph.paths import Layout
from tipgraph.validation import ValidationEngineError, ValidationReport, validate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "data"
FIXTURE_FILES = sorted((FIXTURES / "invalid").glob("*.ttl")) + sorted(
    (FIXTURES / "valid").glob("*.ttl")
)


def result_count(report: ValidationReport) -> int:
    assert report.results_graph is not None
    return len(list(report.results_graph.objects(None, SH.result)))


def assert_same_report(layout: Layout, files: list[Path] | None) -> ValidationReport:
    """Validate with both engines; the verdict, the violations and the result count agree."""
    turbo = validate(layout, files, engine="turbo")
    reference = validate(layout, files, engine="pyshacl")
    assert turbo.conforms == reference.conforms, (turbo.to_text(), reference.to_text())
    assert turbo.violations == reference.violations, (turbo.to_text(), reference.to_text())
    assert result_count(turbo) == result_count(reference)
    return turbo


def test_the_engines_agree_on_the_shipped_data(layout):
    assert assert_same_report(layout, None).conforms


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_engines_agree_on_each_fixture(layout, path):
    report = assert_same_report(layout, [path])
    assert report.conforms == (path.parent.name == "valid")


def mutate(source: Path, target: Path, replacements: list[tuple[str, str, int]]) -> Path:
    """Write ``source`` to ``target`` with each ``old`` (seen at least ``count`` times) replaced."""
    text = source.read_text(encoding="utf-8")
    for old, new, count in replacements:
        assert text.count(old) >= count, f"{source.name} no longer has {old!r} {count} times"
        text = text.replace(old, new)
    target.write_text(text, encoding="utf-8")
    return target


# The SAARC file with the documents and the states it refers to conforms; each defect below
# breaks a different kind of rule: core shapes, SPARQL whole-graph rules, the quotation check.
SAARC_DEFECTS = [
    # a coverage claim loses its only citation (core, qualified count)
    ("    tip:citation id:cite-sum-pg13-saarc-gender ;\n", "", 1),
    # entry into force before adoption (SPARQL)
    (
        '    tip:adopted "2009"^^xsd:gYear ;\n',
        '    tip:adopted "2009"^^xsd:gYear ;\n    tip:enteredIntoForce "2001"^^xsd:gYear ;\n',
        1,
    ),
    # a member that no file defines (SPARQL) and so is not an agent (core)
    ("org:member id:state-bgd ;", "org:member id:state-nowhere ;", 1),
    # a paragraph number as a string (core datatype)
    ("    tip:paragraph 25 ;\n", '    tip:paragraph "25" ;\n', 1),
    # the wrong paragraph for a quotation (quotation check)
    ("    tip:paragraph 93 ;\n", "    tip:paragraph 94 ;\n", 1),
    # an unknown property and a resource with a bad slug (SPARQL)
    (
        "id:saarc-member-bgd\n",
        'id:saarc tip:nickname "South Asia" .\n\n'
        "id:Bad_Slug a tip:Claim .\n\n"
        "id:saarc-member-bgd\n",
        1,
    ),
]


def test_the_engines_agree_on_a_mechanism_with_several_defects(layout, tmp_path):
    mutated = mutate(DATA / "mechanisms" / "saarc.ttl", tmp_path / "saarc.ttl", SAARC_DEFECTS)
    files = [DATA / "documents.ttl", *sorted((DATA / "states").glob("*.ttl")), mutated]
    report = assert_same_report(layout, files)
    messages = "\n".join(v.message for v in report.violations)
    for expected in [
        "coverage claim without a citation",
        "entry into force (2001) before adoption (2009)",
        "id:state-nowhere is referred to but not defined",
        "unknown property tip:nickname on id:saarc",
        "resource IRI id:Bad_Slug is not id:",
        "the quotation is not in paragraph 94",
    ]:
        assert expected in messages, report.to_text()
    assert any(v.path == "tip:paragraph" and v.value == "25" for v in report.violations)
    assert all(v.files == (str(mutated),) for v in report.violations), report.to_text()


def test_the_engines_agree_when_every_citation_names_an_undefined_document(layout, tmp_path):
    mutated = mutate(
        DATA / "mechanisms" / "saarc.ttl",
        tmp_path / "saarc.ttl",
        [("tip:document id:a-hrc-14-32 ;", "tip:document id:a-hrc-14-99 ;", 10)],
    )
    files = [DATA / "documents.ttl", *sorted((DATA / "states").glob("*.ttl")), mutated]
    report = assert_same_report(layout, files)
    wrong_class = [v for v in report.violations if v.value == "id:a-hrc-14-99"]
    assert len(wrong_class) >= 10, report.to_text()


# Constraints without a sh:message, whose default wording pyshacl-turbo does not share with
# pySHACL: datatype, node kind, minimum and sh:or (reworded in tipgraph.shacl_messages).
DEFAULT_MESSAGES = """\
PREFIX id: <https://w3id.org/tipgraph/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX tip: <https://w3id.org/tipgraph/def/>

id:x-instrument a tip:Instrument ;
    rdfs:label "X"@en ;
    tip:legallyBinding "yes" ;
    tip:ratificationCount -1 ;
    tip:signatureCount "3" .

id:x-partnership a tip:Partnership ; tip:about "an instrument" .

id:x-citation a tip:Citation ; tip:locator "p. 1" ; tip:paragraph 1.5 ; tip:supports "label" .
"""


def test_the_engines_word_default_messages_alike(layout, tmp_path):
    path = tmp_path / "defaults.ttl"
    path.write_text(DEFAULT_MESSAGES, encoding="utf-8")
    report = assert_same_report(layout, [path])
    messages = {v.message for v in report.violations}
    for expected in [
        "Value is not Literal with datatype xsd:boolean",
        "Value is not Literal with datatype xsd:integer",
        'Value is not >= Literal("0", datatype=xsd:integer)',
        "Value is not of Node Kind sh:IRI",
        'Node Literal("an instrument") must conform to one or more shapes in '
        "[ sh:class tip:Instrument ] , [ sh:class tip:Event ]",
    ]:
        assert expected in messages, report.to_text()
    assert not any("ConstraintComponent violated" in m for m in messages), report.to_text()


def test_an_unknown_engine_is_a_usage_error(layout):
    with pytest.raises(InputError, match="unknown validation engine"):
        validate(layout, [], engine="fast")


NONCONFORMANT_SHAPES = """\
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX ex: <https://example.org/>

ex:Shape a sh:NodeShape ;
    sh:targetNode ex:graph ;
    sh:sparql [
        sh:message "inner select without this" ;
        sh:select \"\"\"
            SELECT $this ?value WHERE {
                { SELECT ?value WHERE { ?value a <https://example.org/Thing> } }
            }\"\"\" ;
    ] .
"""


@pytest.fixture()
def unsupported_layout(tmp_path) -> Layout:
    """A layout whose shapes pyshacl-turbo refuses, with data that would break them."""
    ontology, data = tmp_path / "ontology", tmp_path / "data"
    ontology.mkdir()
    data.mkdir()
    (ontology / "shapes.ttl").write_text(NONCONFORMANT_SHAPES, encoding="utf-8")
    (data / "thing.ttl").write_text(
        "<https://example.org/a> a <https://example.org/Thing> .\n", encoding="utf-8"
    )
    return Layout.resolve(
        ontology=ontology, data=data, queries=ROOT / "queries", sources=tmp_path / "none"
    )


def test_shapes_the_engine_refuses_are_an_error_not_a_verdict(unsupported_layout):
    with pytest.raises(ValidationEngineError, match="must project") as raised:
        validate(unsupported_layout)
    assert len(str(raised.value).splitlines()) == 1
    assert "shapes.ttl" in str(raised.value)


def test_a_missing_engine_is_an_error_not_a_verdict(layout, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyshacl_turbo", None)  # makes the import fail
    with pytest.raises(ValidationEngineError, match="pyshacl-turbo cannot be loaded"):
        validate(layout, [FIXTURES / "valid" / "mechanism-with-coverage-claim.ttl"])


def test_the_cli_reports_an_engine_failure_in_one_line(unsupported_layout):
    result = CliRunner().invoke(
        main,
        [
            "--ontology",
            str(unsupported_layout.ontology),
            "--data",
            str(unsupported_layout.data),
            "validate",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    assert "conforms" not in result.stdout
    assert result.stderr.startswith("tipgraph: error: pyshacl-turbo cannot validate")
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_cli_runs_the_reference_engine():
    path = FIXTURES / "invalid" / "period-ends-before-start.ttl"
    runner = CliRunner()
    outputs = [
        runner.invoke(main, ["validate", "--engine", engine, str(path)], catch_exceptions=False)
        for engine in ("turbo", "pyshacl")
    ]
    assert [r.exit_code for r in outputs] == [1, 1]
    assert outputs[0].stdout == outputs[1].stdout
