"""Model v2: per-value citations in describe, prospective instruments, absences and counts.

The real graph answers from the sources (each expectation names its place); the synthetic
graphs show what the real data cannot: an ambiguous value, and a mechanism whose only binding
instrument is a draft.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from tipgraph.catalogue import Catalogue
from tipgraph.describe import describe_rows
from tipgraph.engine import run_saved_query
from tipgraph.namespaces import CONCEPT_NS, ID_NS, TIP_NS
from tipgraph.store import load_into

REGION = TIP_NS + "region"


def cited_values(store: ox.Store, slug: str, prop: str) -> dict[str, set[str]]:
    """Value IRI → the citation texts that describe shows for it."""
    found: dict[str, set[str]] = {}
    for direction, predicate, value, _label, citation in describe_rows(
        store, ox.NamedNode(ID_NS + slug)
    ):
        if direction.value == "out" and predicate.value == prop:
            found.setdefault(value.value, set()).add(citation.value if citation else "")
    return found


def test_describe_cis_shows_each_region_with_its_own_source(store):
    regions = cited_values(store, "cis", REGION)
    asia = regions[CONCEPT_NS + "region/asia-pacific"]
    europe = regions[CONCEPT_NS + "region/europe-central-asia"]
    # Summary p. 9: CIS stands under the heading "Asian Region".
    assert len(asia) == 1 and "p. 9" in next(iter(asia)) and "Asian Region" in next(iter(asia))
    # A/HRC/14/32 para. 31, under "Europe and Central Asia".
    assert len(europe) == 1 and "para. 31" in next(iter(europe))


def test_describe_cites_each_participant_with_the_passage_that_names_it(store):
    # Summary p. 16: Amnesty International in the first half of the list, UNODC in the second.
    participants = cited_values(
        store, "coe-committee-of-the-parties-thematic-debate-2010", TIP_NS + "participant"
    )
    amnesty = participants[ID_NS + "amnesty-international"]
    unodc = participants[ID_NS + "unodc"]
    assert all("Amnesty International" in text for text in amnesty)
    assert all("UNODC" in text for text in unodc)
    assert not amnesty & unodc


AMBIGUOUS = """
@prefix id: <https://w3id.org/tipgraph/id/> .
@prefix tip: <https://w3id.org/tipgraph/def/> .
@prefix region: <https://w3id.org/tipgraph/concept/region/> .
id:x tip:region region:africa , region:europe-central-asia ;
    tip:citation id:c1 , id:c2 .
id:c1 a tip:Citation ; tip:supports tip:region ; tip:locator "one" .
id:c2 a tip:Citation ; tip:supports tip:region ; tip:locator "two" .
id:x-region-africa a tip:ValueClaim ; tip:subject id:x ; tip:property tip:region ;
    tip:value region:africa ; tip:citation id:c2 .
"""


def test_a_value_claim_takes_the_place_of_property_level_citations():
    store = ox.Store()
    store.load(AMBIGUOUS.encode(), format=ox.RdfFormat.TURTLE)
    regions = cited_values(store, "x", REGION)
    # The claimed value has only its claim's citation; the other keeps both property-level ones.
    assert regions[CONCEPT_NS + "region/africa"] == {"?, two"}
    assert regions[CONCEPT_NS + "region/europe-central-asia"] == {"?, one", "?, two"}


ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def test_describe_cites_an_acronym_from_an_external_source_with_that_source(store):
    # A/HRC/14/32 para. 3 names the Commission without its acronym; ESCAP's own site gives it.
    acronym = cited_values(store, "escap", ALT_LABEL)
    assert acronym == {
        "ESCAP": {
            "ESCAP website (unescap.org), https://www.unescap.org/news/"
            "lead-un-body-asia-pacific-opens-focus-regional-cooperation-support-2030-agenda"
        }
    }
    (name,) = cited_values(store, "escap", LABEL).values()
    assert len(name) == 1 and "A/HRC/14/32, para. 3" in next(iter(name))


LABEL_CLAIMED = """
@prefix id: <https://w3id.org/tipgraph/id/> .
@prefix tip: <https://w3id.org/tipgraph/def/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
id:x rdfs:label "X organisation"@en ; skos:altLabel "XO"@en , "X Org"@en ;
    tip:citation id:c1 .
id:c1 a tip:Citation ; tip:locator "names it" .
id:c2 a tip:Citation ; tip:locator "its own site" .
id:x-altlabel-xo a tip:ValueClaim ; tip:subject id:x ; tip:property skos:altLabel ;
    tip:value "XO"@en ; tip:citation id:c2 .
"""


def test_a_value_claim_on_a_label_takes_the_place_of_any_citation():
    store = ox.Store()
    store.load(LABEL_CLAIMED.encode(), format=ox.RdfFormat.TURTLE)
    # The claimed acronym has only its claim's citation; the other labels any citation.
    assert cited_values(store, "x", ALT_LABEL) == {
        "XO": {"?, its own site"},
        "X Org": {"?, names it"},
    }
    assert cited_values(store, "x", LABEL) == {"X organisation": {"?, names it"}}


DRAFT_ONLY = """
@prefix id: <https://w3id.org/tipgraph/id/> .
@prefix tip: <https://w3id.org/tipgraph/def/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix lifecycle: <https://w3id.org/tipgraph/concept/lifecycle/> .
@prefix absent: <https://w3id.org/tipgraph/concept/absence/> .
id:m a tip:Mechanism , org:FormalOrganization ; rdfs:label "M"@en .
id:m-draft a tip:Instrument ; rdfs:label "draft convention"@en ; tip:adoptedBy id:m ;
    tip:legallyBinding true ; tip:status lifecycle:drafted .
id:n a tip:Mechanism , org:FormalOrganization ; rdfs:label "N"@en .
id:n-treaty a tip:Instrument ; rdfs:label "treaty in force"@en ; tip:adoptedBy id:n ;
    tip:legallyBinding true ; tip:status lifecycle:in-force .
id:p a tip:Mechanism , org:FormalOrganization ; rdfs:label "P"@en .
id:p-has-no-convention a tip:AbsenceClaim ; tip:subject id:p ; tip:absent absent:convention ;
    tip:citation id:cite-p .
id:q a tip:Mechanism , org:FormalOrganization ; rdfs:label "Q"@en .
id:q-has-nothing a tip:AbsenceClaim ; tip:subject id:q ; tip:absent absent:specific-instrument ;
    tip:citation id:cite-q .
id:cite-p a tip:Citation ; tip:document id:doc ; tip:locator "p" ; tip:quotation "no convention" .
id:cite-q a tip:Citation ; tip:document id:doc ; tip:locator "q" ; tip:quotation "nothing" .
id:doc rdfs:label "a document" .
"""


@pytest.fixture(scope="module")
def draft_store(layout) -> ox.Store:
    store = ox.Store()
    for path in layout.ontology_files():
        load_into(store, path)
    store.load(DRAFT_ONLY.encode(), format=ox.RdfFormat.TURTLE)
    return store


def without_binding(store: ox.Store, layout, **params: str) -> dict[str, str]:
    query = Catalogue(layout.queries).get("mechanisms-without-binding-instrument")
    answer = run_saved_query(store, query, params)
    at = answer.variables.index
    return {row[at("mechanismLabel")].value: row[at("basis")].value for row in answer.rows}


def test_a_draft_binding_instrument_does_not_count_unless_asked(draft_store, layout):
    assert "M" in without_binding(draft_store, layout)
    assert "M" not in without_binding(draft_store, layout, includeProspective="true")
    # a binding instrument in force counts either way
    assert "N" not in without_binding(draft_store, layout)
    assert "N" not in without_binding(draft_store, layout, includeProspective="true")


def test_absence_of_a_broader_kind_is_stated_absence_of_a_narrower_one(draft_store, layout):
    basis = without_binding(draft_store, layout)
    # no specific instrument at all: no binding one either
    assert basis["Q"] == "stated absent"
    # no convention is not no binding instrument: another binding instrument may exist
    assert basis["P"] == "sources silent"
    assert basis["M"] == "sources silent"


ABSENCES_OF_OTHERS = """
@prefix id: <https://w3id.org/tipgraph/id/> .
@prefix tip: <https://w3id.org/tipgraph/def/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix role: <https://w3id.org/tipgraph/concept/role/> .
@prefix absent: <https://w3id.org/tipgraph/concept/absence/> .
id:m a tip:Mechanism , org:FormalOrganization ; rdfs:label "M"@en .
id:s a org:FormalOrganization ; rdfs:label "S"@en .
id:s-serves-m a tip:Partnership ; tip:partner id:s ; tip:counterpart id:m ;
    tip:role role:secretariat .
id:s-has-no-role a tip:AbsenceClaim ; tip:subject id:s ; tip:absent absent:implementing-role ;
    tip:citation id:cite-s .
id:lone a org:FormalOrganization ; rdfs:label "Lone"@en .
id:lone-has-no-funds a tip:AbsenceClaim ; tip:subject id:lone ; tip:absent absent:funds ;
    tip:citation id:cite-lone .
id:cite-s a tip:Citation ; tip:document id:doc ; tip:locator "s" ; tip:quotation "not one" .
id:cite-lone a tip:Citation ; tip:document id:doc ; tip:locator "l" ; tip:quotation "no funds" .
id:doc rdfs:label "a document" .
"""


def test_stated_absences_name_the_mechanism_a_secretariat_serves_and_no_other(layout):
    store = ox.Store()
    for path in layout.ontology_files():
        load_into(store, path)
    store.load(ABSENCES_OF_OTHERS.encode(), format=ox.RdfFormat.TURTLE)
    answer = run_saved_query(store, Catalogue(layout.queries).get("stated-absences"), {})
    at = answer.variables.index
    rows = {
        row[at("subject")].value.removeprefix(ID_NS): (
            row[at("mechanism")] and row[at("mechanism")].value.removeprefix(ID_NS),
            row[at("mechanismLabel")] and row[at("mechanismLabel")].value,
        )
        for row in answer.rows
    }
    # the secretariat's absence belongs to the mechanism it serves
    assert rows["s"] == ("m", "M")
    # a subject no mechanism holds gives one row with no mechanism, not one row per label
    assert rows["lone"] == (None, None)
    assert len(answer.rows) == 2


def test_the_ontology_declares_every_new_term(graph):
    from rdflib import URIRef
    from rdflib.namespace import RDF

    for name in (
        "AbsenceClaim",
        "Quantity",
        "TreatyParticipation",
        "status",
        "asOf",
        "disagreesWith",
        "qualifier",
        "absent",
        "party",
        "treaty",
        "foundation",
        "proposed",
        "drafted",
        "voted",
        "appointed",
        "upgraded",
        "buildsOn",
        "minimumRecoveryDays",
    ):
        assert (URIRef(TIP_NS + name), RDF.type, None) in graph, name


def test_every_lifecycle_step_with_a_date_names_a_declared_date_property(graph):
    from rdflib import URIRef
    from rdflib.namespace import RDF

    steps = list(graph.subject_objects(URIRef(TIP_NS + "dateProperty")))
    assert len(steps) >= 6
    for _status, prop in steps:
        assert (prop, RDF.type, None) in graph, prop


# What the model first could not say: an instrument's basis, an exception to it, a body that
# only reports to another, a period an instrument grants, and the date a body was upgraded.


def test_describe_the_directive_shows_what_it_builds_on_with_its_source(store):
    basis = cited_values(store, "eu-directive-trafficking", TIP_NS + "buildsOn")
    # Summary p. 17: "Building on the CoE anti-trafficking Convention as well as on the UN
    # Trafficking Protocol, the draft 'Directive …'".
    assert set(basis) == {ID_NS + "coe-convention", ID_NS + "palermo-protocol"}
    for citations in basis.values():
        assert len(citations) == 1 and "p. 17" in next(iter(citations))


def test_the_united_kingdom_and_denmark_are_not_bound_by_the_directive_but_stay_members(graph):
    from rdflib import Namespace, URIRef
    from rdflib.namespace import RDF

    tip = Namespace(TIP_NS)
    directive = URIRef(ID_NS + "eu-directive-trafficking")
    not_bound = {
        graph.value(claim, tip.party)
        for claim in graph.subjects(tip.treaty, directive)
        if (claim, RDF.type, tip.TreatyParticipation) in graph
        and (claim, tip.role, URIRef(CONCEPT_NS + "role/not-bound")) in graph
    }
    # Summary p. 17 footnote 3 and Dakar report footnote 10: "The Directive will be legally
    # binding on EU member states, except the United Kingdom and Denmark".
    assert not_bound == {URIRef(ID_NS + "state-gbr"), URIRef(ID_NS + "state-dnk")}
    members = set(graph.objects(None, URIRef("http://www.w3.org/ns/org#member")))
    assert not_bound <= members


def test_describe_the_coe_convention_shows_its_recovery_period_from_both_sources(store):
    period = cited_values(store, "coe-convention", TIP_NS + "minimumRecoveryDays")
    # A/HRC/14/32 para. 77 and Summary p. 15: "Victims are entitled to a minimum of 30 days".
    assert list(period) == ["30"]
    places = period["30"]
    assert any("para. 77" in p for p in places) and any("p. 15" in p for p in places)


def test_the_ecowas_unit_was_upgraded_in_2006_not_established(store):
    upgraded = cited_values(store, "ecowas-anti-trafficking-unit", TIP_NS + "upgraded")
    # Summary p. 5: "In 2006, the unit became a fully fledged unit".
    assert list(upgraded) == ["2006"]
    assert cited_values(store, "ecowas-anti-trafficking-unit", TIP_NS + "established") == {}
