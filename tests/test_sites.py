"""Where an organisation is: its primary site (org:hasPrimarySite), an org:Site of its own with
the place as the source names it, in the organisation's file, cited by the passage that names
the place."""

from __future__ import annotations

import json

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from tipgraph.describe import describe_rows
from tipgraph.namespaces import ID, ID_NS, ORG_NS, TIP

HAS_PRIMARY_SITE = URIRef(ORG_NS + "hasPrimarySite")
SITE = URIRef(ORG_NS + "Site")


def primary_sites(graph: Graph) -> dict[URIRef, URIRef]:
    """Site → the organisation whose primary site it is (each site has one; checked below)."""
    owners: dict[URIRef, list[URIRef]] = {}
    for organisation, site in graph.subject_objects(HAS_PRIMARY_SITE):
        owners.setdefault(site, []).append(organisation)
    assert all(len(found) == 1 for found in owners.values()), owners
    return {site: found[0] for site, found in owners.items()}


def test_every_site_belongs_to_one_organisation_and_every_place_is_a_site(graph):
    sites = set(graph.subjects(RDF.type, SITE))
    assert sites == set(primary_sites(graph))
    # the literal seat is gone from the data and from the ontology
    assert not list(graph.triples((None, TIP.seat, None)))
    assert (TIP.seat, None, None) not in graph


def test_each_site_is_written_in_its_organisations_file(layout):
    """A site is the organisation's own, so it lives where the organisation is described."""
    checked = 0
    for path in layout.data_files():
        file_graph = Graph().parse(path, format="turtle")
        for site in file_graph.subjects(RDF.type, SITE):
            assert (None, HAS_PRIMARY_SITE, site) in file_graph, (path.name, site)
            checked += 1
    assert checked >= 17


def test_a_site_is_cited_by_the_passage_that_places_its_organisation(graph):
    """The site's citations are among those that state its organisation's org:hasPrimarySite,
    and each quotation names the place the site's label gives."""
    for site, organisation in primary_sites(graph).items():
        stating = {
            c
            for c in graph.objects(organisation, TIP.citation)
            if (c, TIP.supports, HAS_PRIMARY_SITE) in graph
        }
        cited = set(graph.objects(site, TIP.citation))
        assert cited and cited <= stating, site
        place = str(graph.value(site, RDFS.label)).split(",")[0]
        assert all(place in str(graph.value(c, TIP.quotation)) for c in cited), site


def test_two_organisations_in_one_city_have_a_site_each(graph):
    """The sources place LAS and the UNODC Regional Office in Cairo, and ECOWAS and its
    Anglophone Regional Advisor in Abuja, without saying that they share premises."""
    sites = {org: site for site, org in primary_sites(graph).items()}
    for first, second in (
        ("las", "unodc-regional-office-cairo"),
        ("ecowas", "ecowas-anti-trafficking-unit-regional-advisor-anglophone"),
    ):
        assert sites[ID[first]] != sites[ID[second]]
    assert str(graph.value(ID["site-las-cairo"], RDFS.label)) == "Cairo, Egypt"


def test_describe_shows_the_site_with_its_citation_both_ways(store):
    def rows(slug: str) -> list[tuple]:
        return [
            tuple(term.value if term is not None else None for term in row)
            for row in describe_rows(store, ox.NamedNode(ID_NS + slug))
        ]

    saarc = [r for r in rows("saarc") if r[1] == ORG_NS + "hasPrimarySite"]
    assert [(r[0], r[2], r[3]) for r in saarc] == [
        ("out", ID_NS + "site-saarc-kathmandu", "Kathmandu, Nepal")
    ]
    assert "Annex, item 4" in saarc[0][4]
    site = rows("site-saarc-kathmandu")
    assert ("in", ORG_NS + "hasPrimarySite", ID_NS + "saarc") in [r[:3] for r in site]
    assert all(r[4] and "Kathmandu, Nepal" in r[4] for r in site)


def test_a_site_is_found_by_its_place(run):
    hits = json.loads(run("search", "Kathmandu", "-f", "json").output)
    assert hits[0]["iri"] == ID_NS + "site-saarc-kathmandu"
    result = run("describe", "Kathmandu, Nepal", "-f", "json")
    assert result.exit_code == 0
    described = json.loads(result.output)
    assert ("in", ID_NS + "saarc") in [(row["direction"], row["value"]) for row in described]
    # the city alone is no name of the site: it is suggested
    missed = run("describe", "Kathmandu")
    assert missed.exit_code == 2 and "site-saarc-kathmandu (Kathmandu, Nepal)" in missed.stderr


def test_the_invitees_query_reads_the_site(run):
    rows = json.loads(run("query", "dakar-consultation-invitees", "-f", "json").output)
    by_invitee = {row["invitee"]: row for row in rows}
    bali = by_invitee[ID_NS + "bali-process"]
    assert bali["site"] == ID_NS + "site-bali-process-wellington"
    assert bali["siteLabel"] == "Wellington, New Zealand"


def test_the_site_page_links_back_to_its_organisation(store, layout):
    from tipgraph.web.links import SiteLinks
    from tipgraph.web.pages import Pages

    pages = Pages(store, layout, live=False, timeout=60, max_rows=10)
    assert "site-saarc-kathmandu" in pages.slugs
    page = pages.resource("site-saarc-kathmandu", SiteLinks("id/site-saarc-kathmandu"))
    assert "<h1>Kathmandu, Nepal</h1>" in page
    assert 'href="saarc.html"' in page
