"""The library API: the operations the CLI offers, importable from ``tipgraph``."""

from __future__ import annotations

import pytest
import rdflib

import tipgraph


def test_run_a_saved_query_with_parameters(layout):
    rows = tipgraph.run_query("instruments-by-organization", {"organization": "saarc"}, layout)
    labels = {str(row[rows.variables.index("instrumentLabel")]) for row in rows.rows}
    # A/HRC/14/32 para. 25 and the Summary, p. 13: the SAARC Convention.
    assert any("SAARC Convention" in label for label in labels)


def test_bad_parameters_raise_input_error(layout):
    with pytest.raises(tipgraph.InputError, match="parameter from"):
        tipgraph.run_query("instruments-adopted-between", {"from": "soon"}, layout)
    with pytest.raises(tipgraph.InputError, match="unknown query"):
        tipgraph.run_query("no-such-query", {}, layout)


def test_load_validate_and_export(layout):
    graph = tipgraph.load_graph(layout)
    assert len(graph) > 10_000
    report = tipgraph.validate(layout, check_quotations=False)
    assert isinstance(report, tipgraph.ValidationReport) and report.conforms
    exported = rdflib.Graph().parse(data=tipgraph.export_text(layout, "turtle"), format="turtle")
    assert len(exported) == len(graph)


def test_everything_listed_is_importable():
    missing = [name for name in tipgraph.__all__ if not hasattr(tipgraph, name)]
    assert missing == []
