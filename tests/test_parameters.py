"""Parameters are typed, checked before a query runs, and bound as RDF terms, never pasted."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from tipgraph.catalogue import Parameter, SavedQuery
from tipgraph.engine import run_saved_query
from tipgraph.errors import InputError
from tipgraph.parameters import bind_parameters, resolve_resource, to_term
from tipgraph.rdflib_bridge import to_rdflib

HOSTILE = [
    "'",
    '"',
    "\"'} ; DROP ALL ; {",
    "} ; DROP ALL ; {",
    "{ ?s ?p ?o }",
    'x" . ?s ?p ?o . FILTER("',
    "line one\nline two\r\n",
    "<http://example.org/>",
    "\\u0022 ) }",
    "x" * 10_000,
]

ECHO = SavedQuery(
    name="echo",
    path=None,  # type: ignore[arg-type]
    text="SELECT ?value WHERE { BIND(?_text_string AS ?value) }",
    summary="echo",
    description="",
    parameters=(Parameter("text", "_text_string", "string", "any text", required=True),),
)


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:20]))
def test_hostile_strings_stay_values(graph, value):
    before = len(graph)
    rows = run_saved_query(graph, ECHO, {"text": value})
    assert rows.as_rdflib() == [(Literal(value),)]
    assert len(graph) == before


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:20]))
def test_hostile_resource_values_are_refused_in_one_short_line(graph, value):
    with pytest.raises(InputError) as caught:
        resolve_resource(value, graph)
    message = str(caught.value)
    assert "not a slug, prefixed name or http" in message or "no resource" in message
    assert "\n" not in message and len(message) < 200


@pytest.mark.parametrize("value", ["1; DROP ALL", "2002 }", "", "1e3", "two thousand"])
def test_ill_typed_integers_are_refused(value):
    parameter = Parameter("from", "_from_integer", "year", "", required=True)
    with pytest.raises(InputError, match="parameter from"):
        to_term(parameter, value)


def test_years_are_checked():
    parameter = Parameter("from", "_from_integer", "year", "", required=True)
    assert to_rdflib(to_term(parameter, "2002")) == Literal(2002, datatype=XSD.integer)
    with pytest.raises(InputError, match="four-digit year"):
        to_term(parameter, "99")


def test_booleans():
    parameter = Parameter("binding", "_binding_boolean", "boolean", "", required=True)
    assert to_rdflib(to_term(parameter, "yes")) == Literal(True)
    with pytest.raises(InputError):
        to_term(parameter, "maybe")


def test_resources_by_slug_prefixed_name_or_iri(graph):
    saarc = URIRef("https://w3id.org/tipgraph/id/saarc")
    assert to_rdflib(resolve_resource("saarc", graph)) == saarc
    assert to_rdflib(resolve_resource("id:saarc", graph)) == saarc
    assert to_rdflib(resolve_resource(str(saarc), graph)) == saarc
    with pytest.raises(InputError, match="no resource 'no-such-thing' in the graph"):
        resolve_resource("no-such-thing", graph)


def test_missing_and_unknown_parameters_are_usage_errors():
    with pytest.raises(InputError, match="missing parameter text"):
        bind_parameters(ECHO, {})
    with pytest.raises(InputError, match="unknown parameter 'txt'"):
        bind_parameters(ECHO, {"text": "a", "txt": "b"})


def test_resource_parameters_take_a_name_or_acronym(store, catalogue_query):
    members = catalogue_query("members-of")
    by_slug = run_saved_query(store, members, {"mechanism": "saarc"}).rows
    assert len(by_slug) == 7
    for name in ("SAARC", "South Asian Association for Regional Cooperation", "id:saarc"):
        assert run_saved_query(store, members, {"mechanism": name}).rows == by_slug
    covering = catalogue_query("mechanisms-covering-theme")
    by_label = run_saved_query(store, covering, {"theme": "Redress and Compensation"}).rows
    assert (
        by_label and by_label == run_saved_query(store, covering, {"theme": "theme:redress"}).rows
    )


def test_a_resource_parameter_names_the_parameter_when_it_is_ambiguous_or_unknown(
    store, catalogue_query
):
    covering = catalogue_query("mechanisms-covering-theme")
    theme = covering.parameters[0].name
    with pytest.raises(InputError, match=rf"parameter {theme} \(resource\): 'coordination' names"):
        run_saved_query(store, covering, {theme: "coordination"})
    members = catalogue_query("members-of")
    with pytest.raises(InputError, match="did you mean saarc"):
        run_saved_query(store, members, {"mechanism": "saarcc"})


def test_without_a_graph_only_slugs_prefixed_names_and_iris_are_taken():
    assert resolve_resource("saarc").value.endswith("/id/saarc")
    with pytest.raises(InputError, match="is not a slug, prefixed name or http"):
        resolve_resource("SAARC")


@pytest.fixture(scope="module")
def catalogue_query(layout):
    from tipgraph.catalogue import Catalogue

    return Catalogue(layout.queries).get
