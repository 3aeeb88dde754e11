"""Names shown with their acronyms: which alternative name is an acronym, and the label cells
of answers for reading (table, markdown, web pages) against the data formats."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from tipgraph.acronyms import acronym, in_store, is_acronym, named, with_acronyms
from tipgraph.namespaces import ID_NS, RDFS_NS, SKOS_NS

SAARC_NAME = "South Asian Association for Regional Cooperation"
COMMIT_NAME = "Coordinated Mekong Ministerial Initiative against Human Trafficking"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[("SAARC", True), ("CoE", True), ("COMP.ACT", True), ("UN", True), ("GRETA", True)],
        *[("Hague Programme", False), ("Council of the EU", False), ("EU ", False)],
        *[("saarc", False), ("S", False), ("Siliadin", False), ("ABCDEFGHIJKLM", False)],
        *[("", False), ("SAARC\n", False), ("1702", False)],
    ],
)
def test_an_acronym_is_one_short_word_with_two_capitals(text, expected):
    assert is_acronym(text) is expected


@pytest.mark.parametrize(
    ("label", "short", "shown"),
    [
        (SAARC_NAME, "SAARC", f"{SAARC_NAME} (SAARC)"),
        (SAARC_NAME, None, SAARC_NAME),
        ("SAARC Regional Task Force", "SAARC", "SAARC Regional Task Force"),
        ("ECOWAS/ECCAS Monitoring Commission", "ECCAS", "ECOWAS/ECCAS Monitoring Commission"),
        ("Subsaarc body", "SAARC", "Subsaarc body (SAARC)"),
    ],
)
def test_a_name_gets_its_acronym_once(label, short, shown):
    assert named(label, short) == shown


def _store(*triples: tuple[str, str, ox.Literal]) -> ox.Store:
    store = ox.Store()
    for subject, predicate, value in triples:
        store.add(ox.Quad(ox.NamedNode(ID_NS + subject), ox.NamedNode(predicate), value))
    return store


def test_the_shortest_acronym_is_shown_and_other_names_are_not():
    store = _store(
        ("commit", SKOS_NS + "altLabel", ox.Literal("COMMIT-Mekong", language="en")),
        ("commit", SKOS_NS + "altLabel", ox.Literal("COMMIT", language="en")),
        ("commit", SKOS_NS + "altLabel", ox.Literal("COMMIT MOU", language="en")),
        ("hague", SKOS_NS + "altLabel", ox.Literal("Hague Programme", language="en")),
        ("hague", RDFS_NS + "label", ox.Literal("The Hague Programme", language="en")),
    )
    assert acronym(store, ID_NS + "commit") == "COMMIT"
    assert acronym(store, ID_NS + "hague") is None
    assert acronym(store, ID_NS + "nothing") is None


def test_only_label_columns_of_resources_with_an_acronym_change():
    store = _store(("saarc", SKOS_NS + "altLabel", ox.Literal("SAARC", language="en")))
    saarc, other = ox.NamedNode(ID_NS + "saarc"), ox.NamedNode(ID_NS + "other")
    name = ox.Literal(SAARC_NAME, language="en")
    variables = ["mechanism", "mechanismLabel", "quotation", "partnerLabel"]
    rows = [
        (saarc, name, ox.Literal("SAARC said so"), name),  # partnerLabel has no partner column
        (other, ox.Literal("Other"), None, None),
        (None, ox.Literal("Unbound"), None, None),
        (saarc, None, None, None),
        (ox.Literal("not a resource"), ox.Literal("x"), None, None),
    ]
    shown = with_acronyms(in_store(store), variables, rows)
    assert shown[0] == [saarc, ox.Literal(f"{SAARC_NAME} (SAARC)", language="en"), rows[0][2], name]
    assert [list(row) for row in rows[1:]] == shown[1:]


def test_a_table_shows_acronyms_and_the_data_formats_give_the_query_values(run):
    query = ("query", "mechanisms-covering-men-and-boys")
    table = run(*query, "--format", "markdown").output
    assert f"| {COMMIT_NAME} (COMMIT) |" in table
    for fmt in ("tsv", "csv", "json", "sparql-json"):
        output = run(*query, "--format", fmt).output
        assert COMMIT_NAME in output
        assert "(COMMIT)" not in output
    rows = json.loads(run(*query, "--format", "json").output)
    assert {row["mechanismLabel"] for row in rows} == {COMMIT_NAME}


def test_an_ad_hoc_query_table_shows_acronyms_too(run):
    text = "SELECT ?m ?mLabel WHERE { BIND(id:saarc AS ?m) ?m rdfs:label ?mLabel }"
    assert f"{SAARC_NAME} (SAARC)" in run("sparql", "-", "-f", "table", input=text).output
    assert "(SAARC)" not in run("sparql", "-", "-f", "tsv", input=text).output
