"""Finding a resource by IRI, prefixed name, slug, name or acronym; refusing with candidates."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from tipgraph.errors import InputError
from tipgraph.lookup import forget, names_of, normalise, read_names, resolve

ID = "https://w3id.org/tipgraph/id/"
SAARC = ox.NamedNode(ID + "saarc")
GRETA = ox.NamedNode(ID + "coe-greta")


@pytest.mark.parametrize(
    "text",
    [
        "saarc",
        "SAARC",
        "Saarc",
        " saarc ",
        "id:saarc",
        ID + "saarc",
        f"<{ID}saarc>",
        "South Asian Association for Regional Cooperation",
        "south asian association for regional cooperation",
    ],
)
def test_saarc_by_every_kind_of_name(store, text):
    assert resolve(store, text) == SAARC


@pytest.mark.parametrize("text", ["greta", "GRETA", "Greta", "coe-greta", "id:coe-greta"])
def test_greta_by_acronym_slug_or_prefixed_name(store, text):
    assert resolve(store, text) == GRETA


def test_names_are_compared_without_case_accents_or_punctuation(store):
    coe = ox.NamedNode(ID + "coe")
    assert resolve(store, "Council of Europe") == coe
    assert resolve(store, "COUNCIL OF ÉUROPE") == coe
    assert resolve(store, "council  of\teurope") == coe
    commit = ox.NamedNode(ID + "commit-mekong")
    assert resolve(store, "COMMIT-Mekong") == commit
    assert resolve(store, "commit mekong") == commit
    assert resolve(store, "COMMIT") == commit


def test_country_codes_titles_and_concepts_are_names(store):
    assert resolve(store, "BGD") == ox.NamedNode(ID + "state-bgd")
    assert resolve(store, "Bangladesh") == ox.NamedNode(ID + "state-bgd")
    boys = ox.NamedNode("https://w3id.org/tipgraph/concept/target-group/boys")
    assert resolve(store, "boys") == boys  # a slug with no id: resource, and a label
    assert resolve(store, "target:boys") == boys


def test_a_slug_names_its_own_resource_before_any_label(store):
    # id:can is the Andean Community; CAN is also its acronym
    assert resolve(store, "can") == ox.NamedNode(ID + "can")
    assert resolve(store, "CAN") == ox.NamedNode(ID + "can")


def test_an_ambiguous_name_lists_the_candidates_by_slug_and_label(store):
    with pytest.raises(InputError) as caught:
        resolve(store, "coordination")
    message = str(caught.value)
    assert message.startswith("'coordination' names 2 resources: ")
    assert "function:coordination (coordination)" in message
    assert "theme:coordination (coordination)" in message
    assert "\n" not in message
    # the listed names resolve
    assert resolve(store, "theme:coordination").value.endswith("/theme/coordination")


def test_a_misspelt_name_suggests_close_ones(store):
    with pytest.raises(InputError) as caught:
        resolve(store, "saarcc")
    message = str(caught.value)
    assert message.startswith("no resource 'saarcc' in the graph; did you mean saarc (South Asian")
    with pytest.raises(InputError, match=r"did you mean coe-greta \(Group of Experts"):
        resolve(store, "id:greta")
    with pytest.raises(InputError, match=r"did you mean saarc \("):
        resolve(store, ID + "saarcc")


def test_a_word_of_a_name_suggests_the_names_holding_it_shortest_first(store):
    with pytest.raises(InputError) as caught:
        resolve(store, "mekong")
    message = str(caught.value)
    assert "did you mean commit-mekong (Coordinated Mekong" in message
    assert message.count("), ") + message.count(")?") <= 5


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_an_empty_name_is_refused(store, text):
    with pytest.raises(InputError, match="no name given"):
        resolve(store, text)


@pytest.mark.parametrize(
    "text",
    [
        "a\x1b[31mred",
        "line one\nline two",
        "} ; DROP ALL ; {",
        "\"'} ; DROP ALL ; {",
        "x" * 10_000,
        "é" * 10_000,
        "saarc" * 2_000,
        "<http://example.org/>",
        "foo:bar",
        "\x00\x01\x7f",
    ],
    ids=lambda text: repr(text[:12]),
)
def test_hostile_text_is_refused_in_one_short_line(store, text):
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        resolve(store, text)
    message = str(caught.value)
    assert "\n" not in message and "\x1b" not in message and "\x00" not in message
    assert len(message) < 600
    assert time.perf_counter() - started < 10  # a backtracking pattern would take minutes


@pytest.mark.parametrize("text", ["http://example.org/%zz", "http://[::1/", "id:%zz"])
def test_an_iri_oxigraph_refuses_is_an_input_error(store, text):
    with pytest.raises(InputError, match=r"is not a valid IRI|is not a slug"):
        resolve(store, text)


def test_an_untyped_iri_is_no_resource(store):
    with pytest.raises(InputError, match="no resource"):
        resolve(store, "http://example.org/nothing")


def test_rdflib_graphs_are_read_too(graph):
    assert resolve(graph, "SAARC") == SAARC
    with pytest.raises(InputError, match="did you mean saarc"):
        resolve(graph, "saarcc")


def test_names_are_read_once_per_store(store):
    first = names_of(store)
    assert names_of(store) is first
    forget()
    assert names_of(store) is not first


def test_a_changed_store_is_seen_after_forget():
    store = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    thing = ox.NamedNode(ID + "thing")
    store.add(ox.Quad(thing, label, ox.Literal("Thing")))
    assert resolve(store, "Thing") == thing
    other = ox.NamedNode(ID + "other")
    store.add(ox.Quad(other, label, ox.Literal("Other")))
    forget()
    assert resolve(store, "other") == other


def test_normalise():
    assert normalise("  Ça  va—BIEN!  ") == "ca va bien"
    assert normalise("AU.COMMIT") == "au commit"
    assert normalise("Straße") == "strasse"
    assert normalise("}{;") == ""


def test_the_names_of_a_hundred_times_bigger_graph_are_all_read(store):
    """The graph may grow a hundredfold: every name is read (how long it takes is for
    benchmarks/scale.py, which times describe and queries by name on copies of the data)."""
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    quads = list(store.quads_for_pattern(None, label, None))
    big = ox.Store()
    big.extend(
        ox.Quad(ox.NamedNode(f"{q.subject.value}-c{k}"), label, ox.Literal(f"{q.object.value} {k}"))
        for k in range(100)
        for q in quads
    )
    names = read_names(big)
    assert len(names.resources) > 100 * len(quads)
