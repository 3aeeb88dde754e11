"""Binding parameters for an endpoint: escaped VALUES blocks inserted in the right group."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef, namespace

from tipgraph.catalogue import Catalogue
from tipgraph.errors import QueryError
from tipgraph.namespaces import ID, PREFIXES
from tipgraph.parameters import bind_parameters
from tipgraph.rdflib_bridge import to_rdflib
from tipgraph.sparql_text import (
    as_term,
    insert_values,
    missing_prefixes,
    query_form,
    sparql_term,
    values_block,
    where_group_start,
    with_prologue,
)

ROOT = Path(__file__).resolve().parent.parent
GYEARMONTH = namespace.XSD.gYearMonth


def rdflib_rows(graph: Graph, text: str, bindings=None) -> list[tuple]:
    """Rows from rdflib's own SPARQL engine, independent of the project's engine."""
    bindings = {name: to_rdflib(as_term(term)) for name, term in (bindings or {}).items()}
    result = graph.query(text, initNs=PREFIXES, initBindings=bindings)
    return [tuple(row) for row in result]


BINDING = {"x": URIRef("https://example.org/x")}


def inserted(text: str) -> str:
    """The query with a one-variable VALUES block, marked so tests can find where it went."""
    return insert_values(text, BINDING)


def before_block(text: str) -> str:
    result = inserted(text)
    return result[: result.index("VALUES")]


def test_the_block_opens_the_where_group():
    text = "SELECT ?y WHERE { ?x ?p ?y }"
    block = "VALUES (?x) { (<https://example.org/x>) }"
    assert inserted(text) == f"SELECT ?y WHERE {{ {block}  ?x ?p ?y }}"


@pytest.mark.parametrize(
    "text",
    [
        # prefixes and comments before the query, with braces and '#' that do not count
        "PREFIX ex: <http://example.org/ns#>\n# { a comment } WHERE {\nSELECT ?y WHERE {@",
        "BASE <http://example.org/>\nPREFIX where: <http://example.org/w#>\nSELECT ?y\nWHERE {@",
        # braces in strings of the SELECT clause, escaped quotes, single and long strings
        'SELECT (CONCAT("{", ?y, "\\"}") AS ?z) WHERE {@',
        "SELECT (CONCAT('{', ?y, '\\'{') AS ?z) where {@",
        'SELECT ("""a "{" b\n}""" AS ?z) WHERE {@',
        "SELECT ('''{'' }''' AS ?z) WHERE {@",
        # an EXISTS group inside the SELECT clause
        "SELECT ?y (EXISTS { ?y ?p ?o } AS ?e) WHERE {@",
        # WHERE is optional; ?where is a variable, not the keyword
        "SELECT * {@",
        "SELECT ?where {@",
        "ASK {@",
        "ASK WHERE {@",
        "DESCRIBE ?y WHERE {@",
        "SELECT ?y FROM <http://example.org/g> WHERE {@",
        # a CONSTRUCT template comes before the WHERE group, with or without the keyword
        "CONSTRUCT { ?y ?p '{' } WHERE {@",
        "CONSTRUCT { ?y ?p ?o } {@",
        # comments after PREFIX lines, and a local name with an escaped '#'
        "PREFIX ex: <http://example.org/> # { WHERE {\nSELECT ?y WHERE {@ # {\n",
        "PREFIX ex: <http://example.org/>\nSELECT (ex:a\\#b AS ?y) WHERE {@",
    ],
)
def test_the_outermost_where_group_is_found(text):
    """``@`` marks the place just inside the brace that opens the WHERE group."""
    source = text.replace("@", "") + "\n ?y ?p ?o }"
    assert where_group_start(source) == text.index("@")


def test_subqueries_and_later_groups_are_left_alone():
    text = "SELECT ?y WHERE { { SELECT ?y WHERE { ?y ?p ?o } } OPTIONAL { ?y ?q ?r } }"
    assert before_block(text) == "SELECT ?y WHERE { "


def test_construct_where_short_form_cannot_take_parameters():
    with pytest.raises(QueryError, match="CONSTRUCT WHERE"):
        inserted("CONSTRUCT WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("text", ["SELECT ?x", "# SELECT ?x WHERE { ?x ?p ?o }", "'{'"])
def test_no_group_is_an_error(text):
    with pytest.raises(QueryError, match="no WHERE group"):
        inserted(text)


def test_line_numbers_stay_as_they_were():
    text = "# a comment\nSELECT ?y WHERE { # {\n  ?x rdfs:label ?y\n}\n"
    completed = insert_values(with_prologue(text), BINDING)
    assert completed.count("\n") == text.count("\n")
    assert completed.splitlines()[1:] == [
        "SELECT ?y WHERE { VALUES (?x) { (<https://example.org/x>) }  # {",
        "  ?x rdfs:label ?y",
        "}",
    ]
    assert rdflib_rows(Graph(), completed) == []


def test_no_bindings_leave_the_query_unchanged():
    assert insert_values("SELECT ?x", {}) == "SELECT ?x"


NASTY = [
    "plain",
    'a "quoted" word',
    "back\\slash and \\u0022 and \\n as text",
    "\\U0001F642, \\\\u005C and a last \\u",
    "line\nbreak\r\nand tab\t",
    'ends in a newline and a backslash-quote\n\\"',
    "three quotes \"\"\" and ''' inside\n",
    '"} } ; DROP ALL ; SELECT * { {"',
    "# not a comment } WHERE {",
    "ünïcödé — 日本語 🙂",
    "",
]


@pytest.mark.parametrize("value", NASTY)
def test_strings_come_back_unchanged_through_rdflib(value):
    text = f"SELECT ?v WHERE {{ {values_block({'v': Literal(value)})} }}"
    assert rdflib_rows(Graph(), text) == [(Literal(value),)]


@pytest.mark.parametrize("value", NASTY)
def test_strings_come_back_unchanged_through_oxigraph(value):
    text = f"SELECT ?v WHERE {{ {values_block({'v': Literal(value)})} }}"
    solutions = list(pyoxigraph.Store().query(text))
    assert [solution["v"].value for solution in solutions] == [value]


@pytest.mark.parametrize(
    ("term", "written"),
    [
        (URIRef("https://w3id.org/tipgraph/id/saarc"), "<https://w3id.org/tipgraph/id/saarc>"),
        (Literal(2002), '"2002"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        (Literal(True), '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
        (Literal("x", lang="en-GB"), '"x"@en-gb'),  # tags are case-insensitive
        (Literal("x", datatype=namespace.XSD.string), '"x"'),
        (Literal('a\nb\r\\"'), '"a\\nb\\r\\\\\\""'),
        (Literal("tab\t, \\u0022"), '"tab\\t, \\\\\\U000000750022"'),
        (
            Literal("2002-01", datatype=namespace.XSD.gYearMonth),
            f'"2002-01"^^<{namespace.XSD.gYearMonth}>',
        ),
    ],
)
def test_terms_are_written_in_sparql_syntax(term, written):
    assert sparql_term(term) == written


@pytest.mark.parametrize(
    "term",
    [
        URIRef("https://example.org/a b"),
        URIRef("https://example.org/a>{"),
        Literal("x", datatype=URIRef("https://example.org/a> }")),
        BNode("b1"),
    ],
)
def test_terms_that_could_change_the_query_are_refused(term):
    with pytest.raises(QueryError):
        sparql_term(term)


def test_variable_names_are_checked():
    with pytest.raises(QueryError, match="bad variable name"):
        values_block({"x) } DROP ALL {": Literal(1)})


def test_several_variables_share_one_row():
    block = values_block({"a": Literal(1), "b": URIRef("https://example.org/b")})
    assert block == (
        'VALUES (?a ?b) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer> '
        "<https://example.org/b>) }"
    )


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("PREFIX select: <http://x/>\n# ASK\nSELECT ?x WHERE {}", "select"),
        ("BASE <http://x/> construct { ?s ?p ?o } where { ?s ?p ?o }", "construct"),
        ("ASK {}", "ask"),
        ("DESCRIBE <http://x/>", "describe"),
        ("PREFIX ex: <http://x/> INSERT DATA { ex:a ex:b ex:c }", "insert"),
        ("WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "with"),
        ("# nothing", None),
    ],
)
def test_query_form(text, form):
    assert query_form(text) == form


def test_only_used_and_undeclared_project_prefixes_are_added():
    text = (
        "PREFIX tip: <https://example.org/other#>\n"
        'SELECT ?x WHERE { ?x a tip:A ; rdfs:label "skos:x" ; ex:p id:y }'
    )
    assert missing_prefixes(text) == ["id", "rdfs"]
    completed = with_prologue(text)
    assert completed == (
        "PREFIX id: <https://w3id.org/tipgraph/id/> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + text
    )


def test_a_complete_query_is_sent_as_it_is():
    text = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nASK { ?s rdf:type ?o }"
    assert with_prologue(text) == text


PARAMETERISED = [
    pytest.param(query, id=query.name) for query in Catalogue(ROOT / "queries") if query.parameters
]


@pytest.mark.parametrize("query", PARAMETERISED)
def test_values_block_answers_like_bound_variables_locally(graph, query):
    """Each parameterised saved query answers with a VALUES block as with bound variables.

    Both run on rdflib's engine, whose initBindings pre-bind the variables; rows that tie
    on the ORDER BY keys may come in either order.
    """
    values = {p.name: p.default for p in query.parameters if p.default is not None}
    if any(p.required and p.name not in values for p in query.parameters):
        pytest.fail(f"{query.name}: a required parameter has no default")
    bindings = bind_parameters(query, values, graph)
    expected = rdflib_rows(graph, query.text, bindings)
    actual = rdflib_rows(graph, insert_values(query.text, bindings, query.name))
    assert len(actual) == len(expected)
    assert sorted(map(repr, actual)) == sorted(map(repr, expected))


def test_bound_values_really_filter(graph):
    """A VALUES block restricts the answer: one resource's types, not every type."""
    text = insert_values("SELECT ?type WHERE { ?x a ?type }", {"x": ID.saarc})
    rows = rdflib_rows(graph, text)
    everything = rdflib_rows(graph, "SELECT ?type WHERE { ?x a ?type }")
    assert 0 < len(rows) < len(everything)
