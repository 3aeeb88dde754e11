"""Every quotation in the shipped data stands in its source text, at the place cited."""

from __future__ import annotations

import pyoxigraph as ox

from tipgraph.citations import check_citations
from tipgraph.namespaces import TIP, shorten


def test_every_quotation_is_in_its_source(store, sources):
    problems = check_citations(store, sources)
    listing = "\n".join(f"{shorten(p.citation)}: {p.message}" for p in problems)
    assert not problems, f"{len(problems)} quotation problems:\n{listing}"


def test_the_data_has_quotations_to_check(store):
    assert next(iter(store.quads_for_pattern(None, ox.NamedNode(str(TIP.quotation)), None)), None)
