"""Property-based tests: any parameter value stays a value; any graph survives canonical Turtle."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tipgraph.catalogue import Parameter, SavedQuery
from tipgraph.engine import run_saved_query
from tipgraph.errors import InputError, QueryError
from tipgraph.formatting import canonical_form
from tipgraph.parameters import to_term

ECHO = SavedQuery(
    name="echo",
    path=Path("echo.rq"),
    text="SELECT ?value WHERE { BIND(?_text_string AS ?value) }",
    summary="echo",
    description="",
    parameters=(Parameter("text", "_text_string", "string", "any text", required=True),),
)
EX = "https://example.org/"
# Text as people and attackers type it: any code point but surrogates and NUL.
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
LANGUAGE = st.sampled_from(["en", "fr", "es", "ar", "ru", "zh", "en-gb", "zh-hant", "pt-br"])
DATATYPES = ["string", "integer", "boolean", "gYear", "date", "decimal", "anyURI"]


@pytest.fixture(scope="module")
def empty_store() -> ox.Store:
    return ox.Store()


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=TEXT)
def test_any_string_parameter_comes_back_unchanged(empty_store, value):
    rows = run_saved_query(empty_store, ECHO, {"text": value})
    assert [row[0].value for row in rows.rows] == [value]


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.integers(-(10**18) + 1, 10**18 - 1).map(str), TEXT))
def test_any_integer_parameter_is_a_whole_number_or_refused(value):
    parameter = Parameter("from", "_from_integer", "integer", "", required=True)
    try:
        term = to_term(parameter, value)
    except InputError as error:
        assert str(error).startswith("parameter from (integer): ")
        assert "\n" not in str(error)
        return
    assert int(term.value) == int(value)


@settings(max_examples=100, deadline=None)
@given(value=TEXT)
def test_any_resource_parameter_is_an_iri_or_refused_in_one_line(value):
    parameter = Parameter("thing", "_thing_iri", "resource", "", required=True)
    try:
        term = to_term(parameter, value)
    except (InputError, QueryError) as error:
        assert "\n" not in str(error) and len(str(error)) < 300
        return
    assert isinstance(term, ox.NamedNode)


def literal(draw_value: str, kind: str, language: str | None) -> ox.Literal:
    if kind == "lang":
        return ox.Literal(draw_value, language=language)
    return ox.Literal(draw_value, datatype=ox.NamedNode(f"http://www.w3.org/2001/XMLSchema#{kind}"))


VALUES = st.builds(
    literal,
    TEXT,
    st.sampled_from(["string", "lang"]),
    LANGUAGE,
)
WELL_FORMED = st.one_of(
    VALUES,
    st.integers(-(10**12), 10**12).map(
        lambda n: ox.Literal(
            str(n), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
        )
    ),
    st.sampled_from(["true", "false"]).map(
        lambda b: ox.Literal(b, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    ),
    st.integers(1000, 2100).map(
        lambda y: ox.Literal(
            str(y), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")
        )
    ),
)


@pytest.mark.filterwarnings("ignore::UserWarning")
@settings(max_examples=60, deadline=None)
@given(objects=st.lists(WELL_FORMED, min_size=1, max_size=8))
def test_canonical_turtle_keeps_every_triple(tmp_path_factory, objects):
    triples = [
        ox.Triple(ox.NamedNode(f"{EX}s{i % 3}"), ox.NamedNode(f"{EX}p{i % 2}"), value)
        for i, value in enumerate(objects)
    ]
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE).decode("utf-8")
    path = tmp_path_factory.mktemp("fmt") / "g.ttl"
    canonical = canonical_form(path, text)
    again = ox.parse(canonical.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    assert {(q.subject, q.predicate, q.object) for q in again} == {
        (t.subject, t.predicate, t.object) for t in triples
    }
    assert canonical_form(path, canonical) == canonical  # a fixed point


@pytest.mark.filterwarnings("ignore::UserWarning")
@settings(max_examples=60, deadline=None)
@given(value=TEXT, kind=st.sampled_from(DATATYPES))
def test_a_literal_fmt_would_change_is_refused_never_rewritten(tmp_path_factory, value, kind):
    """Whatever the lexical form, fmt either keeps the literal exactly or refuses the file."""
    term = literal(value, kind, None)
    triple = ox.Triple(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), term)
    text = ox.serialize([triple], format=ox.RdfFormat.TURTLE).decode("utf-8")
    path = tmp_path_factory.mktemp("fmt") / "g.ttl"
    try:
        canonical = canonical_form(path, text)
    except InputError as error:
        assert str(error).startswith(str(path)) and "\n" not in str(error)
        return
    (again,) = list(ox.parse(canonical.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    assert again.object == term
