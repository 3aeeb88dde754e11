"""The Turtle locator: every triple of every file at a line, whatever the layout of the text."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipgraph.citations import node_key
from tipgraph.locations import FileLocations, locate_file, locate_text, scan, tokens

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = sorted(
    path for folder in ("data", "ontology", "tests/data") for path in (ROOT / folder).rglob("*.ttl")
)
ID = "https://w3id.org/tipgraph/id/"
TIP = "https://w3id.org/tipgraph/def/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def located_triples(path: Path, text: str, found: FileLocations) -> list[tuple[ox.Quad, int]]:
    """Each triple Oxigraph reads whose subject the text names, with the line found for it."""
    lines = []
    for quad in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri()):
        subject = node_key(quad.subject)
        if isinstance(quad.subject, ox.BlankNode) and subject not in text:
            continue  # an anonymous node, [ ... ]: it has no name to look up
        if isinstance(quad.object, ox.BlankNode):
            continue
        line = found.triple_line(subject, quad.predicate.value, quad.object.value)
        assert line is not None, f"{path.name}: no line for {quad}"
        lines.append((quad, line))
    return lines


@pytest.mark.parametrize("path", PROJECT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_triple_of_every_project_file_has_its_line(path):
    text = path.read_text(encoding="utf-8")
    found = locate_file(path)
    rows = text.splitlines()
    for quad, line in located_triples(path, text, found):
        row = rows[line - 1]
        value = quad.object
        if isinstance(value, ox.NamedNode):
            local = value.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            # the object is on that line, unless it is "a"'s class written as "a X"
            assert local in row, (path.name, line, row, value)
        elif isinstance(value, ox.Literal) and "\n" not in value.value and "\\" not in row:
            assert value.value.split("\n")[0][:20] in row or value.value in ("true", "false")


def test_a_block_starts_at_its_subject():
    text = (
        "@prefix id: <https://w3id.org/tipgraph/id/> .\n"
        "@prefix tip: <https://w3id.org/tipgraph/def/> .\n"
        "\n"
        "# a comment with id:not-a-subject in it\n"
        "id:first a tip:Claim ;\n"
        "    tip:note 'one' .\n"
        "id:second a tip:Claim . id:third a tip:Claim .\n"
    )
    found = scan(text)
    assert found.block_line(ID + "first") == 5
    assert found.block_line(ID + "second") == 7
    assert found.block_line(ID + "third") == 7
    assert found.block_line(ID + "not-a-subject") is None
    assert found.triple_line(ID + "first", TIP + "note", "one") == 6
    assert found.triple_line(ID + "first", RDF_TYPE, TIP + "Claim") == 5


MESSY = """\
@base <https://example.org/base/> .
PREFIX id: <https://w3id.org/tipgraph/id/>
prefix tip: <https://w3id.org/tipgraph/def/>
@prefix : <https://example.org/empty#> .

<relative> tip:p <other> .
<https://w3id.org/tipgraph/id/full>
    tip:multi \"\"\"first line
second "line" with a ; and a . inside
third\"\"\" ;
    tip:after "x\\"y"@en ;
    tip:typed "2004"^^<http://www.w3.org/2001/XMLSchema#gYear> ,
        "12"^^xsd:integer ;
    tip:number 25. id:glued tip:p id:end.
:empty tip:count -1.5e3 ; tip:flag true ; tip:list ( id:a id:b ) .
_:label tip:nested [ tip:inner id:deep ; a tip:Thing ] .
id:esc\\-aped tip:p "\\u00e9" .
"""


def test_a_messy_file_is_located_term_by_term():
    found = scan(MESSY, "file:///tmp/messy.ttl")
    assert found.block_line("https://example.org/base/relative") == 6
    assert found.triple_line(
        "https://example.org/base/relative", TIP + "p", "https://example.org/base/other"
    )
    assert found.block_line(ID + "full") == 7
    assert found.triple_line(ID + "full", TIP + "multi") == 8
    assert found.triple_line(ID + "full", TIP + "after", 'x"y') == 11
    assert found.triple_line(ID + "full", TIP + "typed", "12") == 13
    assert found.triple_line(ID + "full", TIP + "number", "25") == 14
    assert found.block_line(ID + "glued") == 14
    assert found.triple_line(ID + "glued", TIP + "p", ID + "end") == 14
    assert found.block_line("https://example.org/empty#empty") == 15
    assert found.triple_line("https://example.org/empty#empty", TIP + "count", "-1.5e3") == 15
    assert found.triple_line("https://example.org/empty#empty", TIP + "flag", "true") == 15
    assert found.block_line("_:label") == 16
    assert found.mention_line(ID + "deep") == 16
    assert found.block_line(ID + "esc-aped") == 17
    assert found.triple_line(ID + "esc-aped", TIP + "p", "é") == 17
    assert ("2004", "http://www.w3.org/2001/XMLSchema#gYear") in found.literal_values(
        ID + "full", TIP + "typed"
    )


def test_the_locator_agrees_with_oxigraph_on_the_messy_file(tmp_path):
    path = tmp_path / "messy.ttl"
    text = MESSY.replace("xsd:integer", "<http://www.w3.org/2001/XMLSchema#integer>")
    path.write_text(text, encoding="utf-8")
    assert located_triples(path, text, locate_file(path))


@pytest.mark.parametrize(
    "broken",
    [
        'id:a tip:p "unterminated .\nid:b tip:p id:c .\n',
        "id:a tip:p id:x ;; ,, ] ) .\nid:b tip:p id:c .\n",
        "id:a tip:p [ tip:q id:x .\nid:b tip:p id:c .\n",
        "id:a tip:p ( id:x .\nid:b tip:p id:c .\n",
        "id:a unknown:p id:x .\nid:b tip:p id:c .\n",
        "<<< >>> {} | ^^ @ .\nid:b tip:p id:c .\n",
    ],
)
def test_a_broken_statement_does_not_hide_the_next_ones(broken):
    text = (
        "@prefix id: <https://w3id.org/tipgraph/id/> .\n"
        "@prefix tip: <https://w3id.org/tipgraph/def/> .\n" + broken
    )
    found = scan(text)
    # the scan goes on past the broken statement (the next one may be swallowed by a string)
    assert found.block_line(ID + "b") in (4, None)
    if "unterminated" not in broken:
        assert found.triple_line(ID + "b", TIP + "p", ID + "c") == 4


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("id:ab<>\"'#.;,[]()@^_ \n\\tip01e-")), max_size=80))
def test_any_text_is_scanned_without_error(text):
    found = scan(text)
    lines = text.count("\n") + 1
    for line in [*found.blocks.values(), *found.triples.values(), *found.mentions.values()]:
        assert 1 <= line <= lines
    assert sum(1 for t in tokens(text) if t.line > lines) == 0


@settings(max_examples=25, deadline=None)
@given(
    st.sampled_from(["turtle", "longturtle", "nt"]),
    st.sampled_from(sorted((ROOT / "data" / "mechanisms").glob("*.ttl"))[:6]),
)
def test_the_same_triples_written_another_way_are_all_located(tmp_path_factory, fmt, source):
    from rdflib import Graph

    graph = Graph().parse(source, format="turtle")
    path = tmp_path_factory.mktemp("written") / "written.ttl"
    path.write_text(graph.serialize(format=fmt), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert len(located_triples(path, text, locate_file(path))) == len(graph)


def test_locations_are_cached_by_content():
    content = b"@prefix id: <https://w3id.org/tipgraph/id/> .\nid:a id:p id:b .\n"
    first = locate_text(content, "file:///one.ttl")
    assert locate_text(content, "file:///one.ttl") is first
    changed = locate_text(content.replace(b"id:a", b"\nid:a"), "file:///one.ttl")
    assert changed is not first
    assert changed.block_line(ID + "a") == 3


def test_an_unreadable_file_has_no_locations(tmp_path):
    assert locate_file(tmp_path / "missing.ttl").blocks == {}
