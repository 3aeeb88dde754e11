"""The SVG pictures: well-formed and accessible, marks and links equal to the saved queries'
data, the same bytes on every run, hostile labels kept as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from tipgraph.catalogue import Catalogue
from tipgraph.engine import run_saved_query
from tipgraph.namespaces import ID_NS, TIP_NS
from tipgraph.output import plain
from tipgraph.pictures import (
    Picture,
    coverage_heatmap,
    members_per_mechanism,
    partnership_network,
    short_name,
    timeline,
    year_of,
)
from tipgraph.store import RDF_TYPE, has_type

SVG = "{http://www.w3.org/2000/svg}"
PICTURES = [coverage_heatmap, timeline, partnership_network, members_per_mechanism]
PREFIX = "/id?iri="


def link(iri: str) -> str:
    return PREFIX + iri


def unlink(href: str) -> str:
    assert href.startswith(PREFIX), href
    return href[len(PREFIX) :]


@pytest.fixture(scope="module")
def drawn(store, layout) -> dict[str, Picture]:
    return {draw.__name__: draw(store, link, queries=layout.queries) for draw in PICTURES}


def saved(store, layout, name: str, **values: str) -> list[dict[str, str]]:
    result = run_saved_query(store, Catalogue(layout.queries).get(name), values)
    return [
        {v: plain(t) for v, t in zip(result.variables, row, strict=True)} for row in result.rows
    ]


def links(root: ET.Element, kind: str) -> list[ET.Element]:
    return [a for a in root.iter(SVG + "a") if a.get("class") == kind]


@pytest.mark.parametrize("name", [draw.__name__ for draw in PICTURES])
def test_svg_is_well_formed_and_accessible(drawn, name):
    picture = drawn[name]
    root = ET.fromstring(picture.svg)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    x, y, width, height = (float(v) for v in root.get("viewBox").split())
    assert (x, y) == (0, 0) and width > 100 and height > 100
    title, desc = list(root)[:2]
    assert title.tag == SVG + "title" and title.text == picture.title
    assert desc.tag == SVG + "desc" and desc.text == picture.description
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert picture.description.endswith(".") and "\n" not in picture.description
    assert picture.rows and all(len(row) == len(picture.variables) for row in picture.rows)
    assert all(isinstance(cell, str) for row in picture.rows for cell in row)
    for element in root.iter():
        assert element.tag.startswith(SVG)  # nothing foreign: no script, no HTML
        assert element.tag not in (SVG + "script", SVG + "foreignObject", SVG + "image")
        for attribute, value in element.attrib.items():
            assert not attribute.startswith("on")
            assert "url(" not in value and "javascript:" not in value
    for anchor in root.iter(SVG + "a"):
        assert anchor.find(SVG + "title") is not None or anchor.find(SVG + "text") is not None


@pytest.mark.parametrize("draw", PICTURES)
def test_same_graph_same_bytes(store, layout, drawn, draw):
    assert draw(store, link, queries=layout.queries) == drawn[draw.__name__]


@pytest.mark.parametrize("name", [draw.__name__ for draw in PICTURES])
def test_every_link_goes_to_a_resource_of_the_graph(store, drawn, name):
    root = ET.fromstring(drawn[name].svg)
    hrefs = {unlink(a.get("href")) for a in root.iter(SVG + "a")}
    assert hrefs
    for iri in hrefs:
        assert has_type(store, ox.NamedNode(iri)), iri


def test_heatmap_has_one_cell_per_matrix_row(store, layout, drawn):
    matrix = saved(store, layout, "coverage-matrix")
    root = ET.fromstring(drawn["coverage_heatmap"].svg)
    cells = links(root, "cell")
    assert len(cells) == len(matrix) == len(drawn["coverage_heatmap"].rows)
    shown = sorted(int(cell.find(SVG + "text").text) for cell in cells)
    assert shown == sorted(int(row["citations"]) for row in matrix)
    tooltips = {cell.find(SVG + "title").text for cell in cells}
    for row in matrix:
        assert any(
            t.startswith(f"{row['mechanismLabel']} — {row['themeLabel']}: {row['citations']} ")
            and t.endswith(row["firstPlace"])
            for t in tooltips
        )


def test_heatmap_cells_link_to_a_citation_of_their_first_place(store, drawn):
    citation_class = ox.NamedNode(TIP_NS + "Citation")
    locator = ox.NamedNode(TIP_NS + "locator")
    picture = drawn["coverage_heatmap"]
    column = picture.variables.index("citation")
    place = picture.variables.index("firstPlace")
    for row in picture.rows:
        citation = ox.NamedNode(row[column])
        assert next(store.quads_for_pattern(citation, RDF_TYPE, citation_class), None), row
        locators = [q.object.value for q in store.quads_for_pattern(citation, locator, None)]
        assert any(row[place].endswith(", " + value) for value in locators), row


def test_heatmap_uses_acronyms(drawn):
    root = ET.fromstring(drawn["coverage_heatmap"].svg)
    names = {t.text for t in root.iter(SVG + "text")}
    assert {"SAARC", "CoE", "ECOWAS"} <= names


def test_timeline_marks_every_dated_step(store, layout, drawn):
    instruments = saved(store, layout, "instruments-timeline")
    events = saved(store, layout, "events-timeline")
    expected = {(r["instrument"], r["date"], r["propertyLabel"]) for r in instruments}
    expected |= {(r["event"], r["startDate"], "start") for r in events}
    expected |= {(r["event"], r["endDate"], "end") for r in events if r["endDate"]}
    root = ET.fromstring(drawn["timeline"].svg)
    marks = links(root, "mark")
    assert len(marks) == len(expected)
    hrefs = {unlink(mark.get("href")) for mark in marks}
    assert hrefs == {iri for iri, _, _ in expected}
    assert all(year_of(date) is not None for _, date, _ in expected)


def mark_x(mark: ET.Element) -> float:
    shape = mark[1]
    if shape.tag == SVG + "circle":
        return float(shape.get("cx"))
    if shape.tag == SVG + "rect":
        return float(shape.get("x")) + float(shape.get("width")) / 2
    return float(shape.get("points").split()[0].split(",")[0])


def test_timeline_positions_follow_the_dates(drawn):
    picture = drawn["timeline"]
    marks = links(ET.fromstring(picture.svg), "mark")
    dates = [row[picture.variables.index("date")] for row in picture.rows]
    assert len(marks) == len(dates)  # every date of the graph can be placed
    placed = sorted(
        (year_of(date), round(mark_x(mark), 1)) for mark, date in zip(marks, dates, strict=True)
    )
    by_year: dict[float, set[float]] = {}
    for year, x in placed:
        by_year.setdefault(year, set()).add(x)
    assert all(len(xs) == 1 for xs in by_year.values())  # one date, one place on the axis
    xs = [x for _, x in placed]
    assert xs == sorted(xs)


def test_network_nodes_and_edges_equal_the_partnerships(store, layout, drawn):
    partner = ox.NamedNode(TIP_NS + "partner")
    counterpart = ox.NamedNode(TIP_NS + "counterpart")
    agents = set()
    for quad in store.quads_for_pattern(None, partner, None):
        agents.add(quad.object.value)
        agents |= {q.object.value for q in store.quads_for_pattern(quad.subject, counterpart, None)}
    root = ET.fromstring(drawn["partnership_network"].svg)
    nodes = {unlink(a.get("href")) for a in links(root, "node")}
    assert nodes == agents
    edges = [p for p in root.iter(SVG + "path") if p.get("class") == "edge"]
    assert len(edges) == len(drawn["partnership_network"].rows)
    rows = saved(store, layout, "partners-of", organization="commit-mekong")
    pairs = {
        (r["party"], r["other"])
        for r in rows
        if r["side"] == "partner" and r["party"] == ID_NS + "commit-mekong"
    }
    table = drawn["partnership_network"].rows
    assert pairs <= {(row[3], row[4]) for row in table}


def test_members_bars_equal_the_member_counts(store, layout, drawn):
    counts = saved(store, layout, "member-counts")
    mechanism = ox.NamedNode(TIP_NS + "Mechanism")
    expected = {
        (r["organization"], r["memberCount"])
        for r in counts
        if next(store.quads_for_pattern(ox.NamedNode(r["organization"]), RDF_TYPE, mechanism), None)
    }
    root = ET.fromstring(drawn["members_per_mechanism"].svg)
    bars = links(root, "bar")
    assert {(unlink(b.get("href")), b.find(SVG + "text").text) for b in bars} == expected
    table = drawn["members_per_mechanism"].rows
    saarc = next(row for row in table if row[-1] == ID_NS + "saarc")
    assert saarc[1] == "8" and "OHCHR Summary" in saarc[4]


def test_short_name_prefers_an_acronym(store):
    assert short_name(store, ID_NS + "saarc") == "SAARC"
    assert short_name(store, ID_NS + "coe") == "CoE"
    assert short_name(store, ID_NS + "nordic-council", "Nordic Council") == "Nordic Council"


HOSTILE = """
PREFIX id: <https://w3id.org/tipgraph/id/>
PREFIX tip: <https://w3id.org/tipgraph/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX theme: <https://w3id.org/tipgraph/concept/theme/>
PREFIX role: <https://w3id.org/tipgraph/concept/role/>

id:evil a tip:Mechanism, org:FormalOrganization ;
  rdfs:label "<script>alert('x')</script> & \\"Co\\" ]]>" ;
  skos:altLabel "<b>EV</b>" ;
  tip:memberCount 3 ;
  tip:citation id:cite-evil .
id:other a org:FormalOrganization ; rdfs:label "Other </svg><svg onload=alert(1)>" .
id:doc a tip:SourceDocument ; rdfs:label "Doc <i>1</i>" .
id:cite-evil a tip:Citation ; tip:document id:doc ; tip:locator "p. <1>" ;
  tip:quotation "q & <q>" ; tip:supports tip:memberCount, tip:adopted .
theme:evil a skos:Concept ; skos:inScheme <https://w3id.org/tipgraph/scheme/theme> ;
  skos:prefLabel "theme <img src=x onerror=alert(1)>"@en .
id:claim a tip:CoverageClaim ; tip:subject id:evil ; tip:covers theme:evil ;
  tip:citation id:cite-evil .
id:instrument a tip:Instrument ; rdfs:label "Instrument <x>" ; tip:adopted "2004"^^xsd:gYear ;
  tip:citation id:cite-evil .
id:event a tip:Event ; rdfs:label "Event ' \\" <" ; tip:startDate "2005-02-03"^^xsd:date ;
  tip:citation id:cite-evil .
id:partnership a tip:Partnership ; tip:partner id:evil ; tip:counterpart id:other ;
  tip:role role:funder ; tip:citation id:cite-evil .
role:funder skos:prefLabel "funder <&>"@en .
"""


@pytest.fixture(scope="module")
def hostile_store():
    store = ox.Store()
    store.load(HOSTILE.encode(), format=ox.RdfFormat.TURTLE)
    return store


@pytest.mark.parametrize("draw", PICTURES)
def test_hostile_labels_and_links_stay_text(hostile_store, layout, draw):
    def hostile_link(iri: str) -> str:
        return f"/id/{iri.rsplit('/', 1)[-1]}?a=1&b=\"'<x>"

    picture = draw(hostile_store, hostile_link, queries=layout.queries)
    assert picture.rows
    root = ET.fromstring(picture.svg)
    assert all(el.tag.startswith(SVG) for el in root.iter())
    assert "<script" not in picture.svg and "<img" not in picture.svg and "<b>" not in picture.svg
    assert not any(name.startswith("on") for el in root.iter() for name in el.attrib)
    for anchor in root.iter(SVG + "a"):
        assert anchor.get("href").endswith("?a=1&b=\"'<x>")
    texts = " ".join("".join(el.itertext()) for el in root.iter(SVG + "title"))
    assert "<" in texts  # the hostile text is there, as text


def test_hostile_label_round_trips_in_the_heatmap(hostile_store, layout):
    picture = coverage_heatmap(hostile_store, link, queries=layout.queries)
    root = ET.fromstring(picture.svg)
    (cell,) = links(root, "cell")
    assert cell.find(SVG + "title").text.startswith(
        "<script>alert('x')</script> & \"Co\" ]]> — theme <img src=x onerror=alert(1)>: 1 "
    )
    assert unlink(cell.get("href")) == ID_NS + "cite-evil"


def test_control_characters_are_dropped(layout):
    store = ox.Store()
    text = HOSTILE.replace("Instrument <x>", "Instrument \\u0001\\u0008 ok")
    store.load(text.encode(), format=ox.RdfFormat.TURTLE)
    picture = timeline(store, link, queries=layout.queries)
    root = ET.fromstring(picture.svg)
    assert any("".join(t.itertext()) == "Instrument  ok" for t in root.iter(SVG + "text"))


def test_an_empty_graph_gives_empty_pictures(layout):
    for draw in PICTURES:
        picture = draw(ox.Store(), link, queries=layout.queries)
        root = ET.fromstring(picture.svg)
        assert root.get("role") == "img"
        assert picture.rows == []
        assert list(root.iter(SVG + "a")) == []
