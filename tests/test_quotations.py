"""Every quotation in the shipped data stands in its source text, at the place cited; a name the
texts do not give comes from an external source, cited as such."""

from __future__ import annotations

import re

import pyoxigraph as ox

from tipgraph.citations import check_citations
from tipgraph.describe import value_claims
from tipgraph.namespaces import ID_NS, SKOS_NS, TIP, shorten

TIP_CITATION = ox.NamedNode(str(TIP.citation))
TIP_LOCATOR = ox.NamedNode(str(TIP.locator))


def test_every_quotation_is_in_its_source(store, sources):
    problems = check_citations(store, sources)
    listing = "\n".join(f"{shorten(p.citation)}: {p.message}" for p in problems)
    assert not problems, f"{len(problems)} quotation problems:\n{listing}"


def test_the_data_has_quotations_to_check(store):
    assert next(iter(store.quads_for_pattern(None, ox.NamedNode(str(TIP.quotation)), None)), None)


# Acronyms: A/HRC/14/32 para. 3 names some organisations without theirs (issue 8); those come
# from the organisation's own web page, an external source, cited per value.

ACRONYMS_FROM_THEIR_OWN_SITES = {
    "acp": "ACP",
    "cen-sad": "CEN-SAD",
    "comesa": "COMESA",
    "eclac": "ECLAC",
    "escap": "ESCAP",
    "escwa": "ESCWA",
    "francophonie": "OIF",
    "unece": "UNECE",
}
ALT_LABEL = ox.NamedNode(SKOS_NS + "altLabel")


def _as_a_word(text: str) -> re.Pattern[str]:
    """The text as a word of its own, or its plural (the Summary's "SOMs" gives "SOM")."""
    return re.compile(rf"(?<![\w-]){re.escape(text)}s?(?![\w-])")


def _external_sources(store: ox.Store, subject: ox.NamedNode, value: ox.Literal) -> set[str]:
    """The external documents that the value claims of this alternative label cite."""
    found = set()
    for claim in value_claims(store, subject, ALT_LABEL, value):
        for citation in store.quads_for_pattern(claim, ox.NamedNode(str(TIP.citation)), None):
            for doc in store.quads_for_pattern(
                citation.object, ox.NamedNode(str(TIP.document)), None
            ):
                external = ox.Quad(
                    doc.object, ox.NamedNode(str(TIP.externalSource)), ox.Literal(True)
                )
                if external in store:
                    found.add(doc.object.value)
    return found


def test_an_acronym_the_sources_do_not_give_is_cited_to_an_external_source(store, sources):
    texts = [path.read_text(encoding="utf-8") for path in sorted(sources.glob("*.txt"))]
    uncited = []
    from_outside = {}
    for quad in store.quads_for_pattern(None, ALT_LABEL, None):
        acronym = quad.object.value
        if " " in acronym or any(_as_a_word(acronym).search(text) for text in texts):
            continue
        slug = shorten(quad.subject.value)
        if not _external_sources(store, quad.subject, quad.object):
            uncited.append(f"{slug} {acronym}")
        from_outside[slug.removeprefix("id:")] = acronym
    assert not uncited, f"acronyms in no source text and cited to no external source: {uncited}"
    assert from_outside == ACRONYMS_FROM_THEIR_OWN_SITES


def test_each_acronym_from_outside_cites_the_page_by_its_address(store):
    for slug, acronym in ACRONYMS_FROM_THEIR_OWN_SITES.items():
        subject = ox.NamedNode(ID_NS + slug)
        value = ox.Literal(acronym, language="en")
        assert ox.Quad(subject, ALT_LABEL, value) in store, slug
        (claim,) = value_claims(store, subject, ALT_LABEL, value)
        (citation,) = [q.object for q in store.quads_for_pattern(claim, TIP_CITATION, None)]
        (locator,) = [q.object.value for q in store.quads_for_pattern(citation, TIP_LOCATOR, None)]
        assert locator.startswith(("https://", "http://")), (slug, locator)
        assert _external_sources(store, subject, value), slug
