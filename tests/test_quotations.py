"""Every quotation in the shipped data stands in its source text, at the place cited."""

from __future__ import annotations

from tipgraph.citations import check_citations
from tipgraph.namespaces import shorten


def test_every_quotation_is_in_its_source(graph, sources):
    problems = check_citations(graph, sources)
    listing = "\n".join(f"{shorten(str(p.citation))}: {p.message}" for p in problems)
    assert not problems, f"{len(problems)} quotation problems:\n{listing}"


def test_the_data_has_quotations_to_check(graph):
    from tipgraph.namespaces import TIP

    assert len(set(graph.subjects(TIP.quotation, None))) > 0
