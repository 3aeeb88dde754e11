"""The canonical Turtle form: the same triples term for term (read by Oxigraph and by rdflib),
a fixed point, the reading order of blocks and lines, exact literals, small diffs."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import to_canonical_graph

from tipgraph.canonical_order import natural_key
from tipgraph.errors import InputError
from tipgraph.formatting import canonical_form, canonical_text
from tipgraph.turtle_writer import TurtleWriter, quoted

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "data"
PROJECT_FILES = sorted([*(ROOT / "ontology").rglob("*.ttl"), *(ROOT / "data").rglob("*.ttl")])
FIXTURE_FILES = sorted(FIXTURES.rglob("*.ttl"))
EX = "https://example.org/"
HEAD = "@prefix ex: <https://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"


def oxigraph_terms(text: str, base: str) -> set[str]:
    """The file's triples as Oxigraph reads them, in N-Triples, blank nodes canonical."""
    dataset = ox.Dataset(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=base))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad.triple) for quad in dataset}


def rdflib_terms(text: str, base: str) -> set[str]:
    """The file's triples as rdflib reads them, in N-Triples, blank nodes canonical."""
    graph = rdflib.Graph().parse(data=text, format="turtle", publicID=base)
    lines = to_canonical_graph(graph).serialize(format="nt11").splitlines()
    return {line for line in lines if line.strip()}


def without_comment_lines(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))


def round_trip(path: Path, text: str) -> None:
    base = path.absolute().as_uri()
    formatted = canonical_form(path, text)
    assert oxigraph_terms(formatted, base) == oxigraph_terms(text, base)
    assert rdflib_terms(formatted, base) == rdflib_terms(text, base)
    assert canonical_form(path, formatted) == formatted  # a fixed point


@pytest.mark.parametrize("path", PROJECT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_project_file_keeps_its_terms_for_both_parsers(path):
    text = path.read_text(encoding="utf-8")
    round_trip(path, text)
    assert canonical_text(path) == text  # the shipped files are canonical


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_fixture_fmt_accepts_keeps_its_terms(path):
    """The fixtures begin with a comment, which fmt refuses; without their comment lines, each
    is either formatted without a change of terms or refused in one line naming the file."""
    text = without_comment_lines(path.read_text(encoding="utf-8"))
    try:
        canonical_form(path, text)
    except InputError as error:
        assert str(error).startswith(f"{path}:") and "\n" not in str(error)
        return
    round_trip(path, text)


def test_every_fixture_is_accepted_without_its_comments():
    accepted = 0
    for path in FIXTURE_FILES:
        try:
            canonical_form(path, without_comment_lines(path.read_text(encoding="utf-8")))
            accepted += 1
        except InputError:
            pass
    assert accepted == len(FIXTURE_FILES) > 0


# --- order ------------------------------------------------------------------------------------


def blocks(text: str) -> list[str]:
    """The subjects of a canonical text's blocks, in order."""
    return re.findall(r"^([^\s.]\S*)\n", text, flags=re.MULTILINE)


def test_a_mechanism_file_starts_with_the_mechanism():
    text = (ROOT / "data/mechanisms/saarc.ttl").read_text(encoding="utf-8")
    assert blocks(text)[0] == "id:saarc"


def test_a_mechanism_file_reads_mechanism_bodies_instruments_memberships_claims():
    path = ROOT / "data/mechanisms/saarc.ttl"
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    kinds = {
        "Mechanism": 0,
        "OrganizationalUnit": 1,
        "Instrument": 2,
        "Membership": 3,
        "Partnership": 4,
        "CoverageClaim": 5,
        "ValueClaim": 5,
    }
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    ranks = []
    for name in blocks(path.read_text(encoding="utf-8")):
        iri = ox.NamedNode("https://w3id.org/tipgraph/id/" + name.removeprefix("id:"))
        types = {
            re.split(r"[/#]", quad.object.value)[-1]
            for quad in store.quads_for_pattern(iri, rdf_type, None)
        }
        rank = min((kinds[t] for t in types if t in kinds), default=None)
        if rank is not None:
            ranks.append(rank)
    assert ranks == sorted(ranks) and len(set(ranks)) >= 4


def test_every_data_file_starts_with_the_resource_it_is_named_after():
    for path in (ROOT / "data").rglob("*.ttl"):
        subjects = blocks(path.read_text(encoding="utf-8"))
        if f"id:{path.stem}" in subjects:
            assert subjects[0] == f"id:{path.stem}", path


ORDERED = (
    HEAD
    + """@prefix tip: <https://w3id.org/tipgraph/def/> .
@prefix id: <https://w3id.org/tipgraph/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
id:unused-cite a tip:Citation ; tip:locator "x" .
id:m-claim a tip:CoverageClaim ; tip:citation id:cite-p17, id:cite-p3 .
id:m-body a org:OrganizationalUnit ; tip:citation id:cite-p17 ; org:unitOf id:m ;
    skos:altLabel "B"@en ; rdfs:label "Body"@en .
id:cite-p3 a tip:Citation ; tip:locator "para. 3" .
id:cite-p17 a tip:Citation ; tip:locator "para. 17" .
id:m a tip:Mechanism ; tip:citation id:cite-p3 .
id:m-instrument a tip:Instrument ; tip:citation id:cite-p3 .
"""
)


def test_blocks_follow_the_domain_order_and_citations_follow_their_first_user(tmp_path):
    text = canonical_form(tmp_path / "m.ttl", ORDERED)
    assert blocks(text) == [
        "id:m",
        "id:cite-p3",  # used by the mechanism, the claim and the instrument: after the first
        "id:m-body",
        "id:cite-p17",  # used by the body and the claim
        "id:m-instrument",
        "id:m-claim",
        "id:unused-cite",  # cited by nothing: last
    ]


def test_without_a_resource_named_after_the_file_the_kinds_decide(tmp_path):
    text = canonical_form(tmp_path / "other.ttl", ORDERED)
    assert blocks(text).index("id:m") < blocks(text).index("id:m-body")


def test_lines_of_a_block_type_labels_properties_then_citations(tmp_path):
    text = canonical_form(tmp_path / "m.ttl", ORDERED)
    body = text[text.index("id:m-body\n") :].split("\n.\n")[0].splitlines()
    assert [line.split()[0] for line in body[1:]] == [
        "a",
        "rdfs:label",
        "skos:altLabel",
        "org:unitOf",
        "tip:citation",
    ]


def test_prefixes_only_the_used_ones_sorted_and_the_files_own_kept(tmp_path):
    text = canonical_form(tmp_path / "x.ttl", ORDERED.replace("id:m a", "id:m ex:see ex:y ; a"))
    prefixes = re.findall(r"^PREFIX (\S+):", text, flags=re.MULTILINE)
    assert prefixes == sorted(prefixes) == ["ex", "id", "org", "rdfs", "skos", "tip"]
    assert "xsd" not in prefixes


def test_objects_in_natural_order_one_per_line(tmp_path):
    source = HEAD + "ex:s ex:p ex:p17, ex:p3, ex:p100, ex:b, 17, 3, 'b', 'a10', 'a9' .\n"
    text = canonical_form(tmp_path / "x.ttl", source)
    lines = [line.strip().rstrip(" ,;") for line in text.splitlines() if line.startswith("  ")]
    assert lines[1:] == ["ex:b", "ex:p3", "ex:p17", "ex:p100", "3", "17", '"a9"', '"a10"', '"b"']


def test_natural_key():
    names = ["cite-hrc-p17", "cite-hrc-p3", "cite-hrc-p100-x", "cite-hrc-p3a", "cite-hrc"]
    assert sorted(names, key=natural_key) == [
        "cite-hrc",
        "cite-hrc-p3",
        "cite-hrc-p3a",
        "cite-hrc-p17",
        "cite-hrc-p100-x",
    ]


# --- literals ---------------------------------------------------------------------------------

LITERALS = [
    'say "no"',
    "back\\slash",
    "line\nbreak",
    'ends with a quote\n"',
    'three """ quotes\nand more',
    "tab\tand\rreturn and \x01 control",
    "non-BMP 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀",
    "typographic ‘quotes’ “kept” „as is‟",
    "",
    "x" * 500,
]


@pytest.mark.parametrize("value", LITERALS)
def test_literals_are_kept_exactly(tmp_path, value):
    literal = ox.Literal(value)
    text = ox.serialize(
        [ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), literal)],
        format=ox.RdfFormat.TURTLE,
    ).decode("utf-8")
    round_trip(tmp_path / "x.ttl", text)
    (quad,) = ox.parse(
        canonical_form(tmp_path / "x.ttl", text).encode(), format=ox.RdfFormat.TURTLE
    )
    assert quad.object == literal


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.text(alphabet="\"\\\n\r\t 'ab‘’😀\x00\x7f", max_size=12), min_size=1))
def test_any_string_survives_both_parsers(tmp_path_factory, values):
    """Quote runs, backslashes, line breaks and controls in any mix: the same terms back."""
    triples = [
        ox.Triple(ox.NamedNode(f"{EX}s{i % 2}"), ox.NamedNode(EX + "p"), ox.Literal(value))
        for i, value in enumerate(values)
    ]
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE).decode("utf-8")
    round_trip(tmp_path_factory.mktemp("fmt") / "x.ttl", text)


def test_string_forms():
    assert quoted("plain ‘typographic’ 😀") == '"plain ‘typographic’ 😀"'
    assert quoted("long " * 40) == '"' + "long " * 40 + '"'  # long text stays one line
    assert quoted('a "b"\nc') == '"""a "b"\nc"""'  # line break: triple quotes, quotes kept
    assert quoted('a\nb"') == '"""a\nb\\""""'
    assert quoted("a\\b\tc") == '"a\\\\b\\tc"'


@pytest.mark.parametrize(
    ("literal", "written"),
    [
        ("8", "8"),
        ('"+8"^^xsd:integer', None),  # rdflib would read "8": refused
        ("1.50", "1.50"),
        ("true", "true"),
        ('"2004"^^xsd:gYear', '"2004"^^xsd:gYear'),
        ('"x"@en-GB', '"x"@en-gb'),
        ('"20O4"^^xsd:gYear', '"20O4"^^xsd:gYear'),
        ('"v"^^<https://example.org/type>', '"v"^^ex:type'),
    ],
)
def test_typed_literals(tmp_path, literal, written):
    source = HEAD + f"ex:s ex:p {literal} .\n"
    if written is None:
        with pytest.raises(InputError, match=r"x\.ttl:3: .*rdflib"):
            canonical_form(tmp_path / "x.ttl", source)
        return
    assert f"ex:p {written} ;" in canonical_form(tmp_path / "x.ttl", source)


# --- blank nodes ------------------------------------------------------------------------------


def test_blank_nodes_are_nested_and_lists_kept(tmp_path):
    source = HEAD + "ex:s ex:p [ ex:q ex:r ; ex:in ( ex:c ex:a [ ex:z 1 ] ) ], [] .\n"
    text = canonical_form(tmp_path / "x.ttl", source)
    assert "(\n" in text and "[]" in text and "_:" not in text
    assert text.index("ex:c") < text.index("ex:a")  # a list keeps its order
    round_trip(tmp_path / "x.ttl", source)


def test_an_unreferenced_blank_node_is_a_block_of_its_own(tmp_path):
    source = HEAD + "[ ex:p ex:o ] .\nex:s ex:p ex:o .\n"
    text = canonical_form(tmp_path / "x.ttl", source)
    assert text.rstrip().endswith("]\n.")
    round_trip(tmp_path / "x.ttl", source)


@pytest.mark.parametrize(
    "body",
    ["ex:a ex:p _:b . ex:c ex:p _:b . _:b ex:q 1 .", "_:a ex:p _:b . _:b ex:p _:a ."],
    ids=["shared", "cycle"],
)
def test_blank_nodes_that_cannot_be_nested_are_refused(tmp_path, body):
    with pytest.raises(InputError, match=r"x\.ttl: .*blank node.*give"):
        canonical_form(tmp_path / "x.ttl", HEAD + body + "\n")


def test_the_writer_refuses_an_order_that_forgets_a_subject():
    triple = ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("o"))
    with pytest.raises(ValueError, match="every IRI subject"):
        TurtleWriter([triple], {"ex": EX}).document(lambda name: [])


# --- small diffs ------------------------------------------------------------------------------


def changed_lines(before: str, after: str) -> int:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))


def test_one_more_citation_on_a_claim_is_a_small_diff(tmp_path):
    path = tmp_path / "saarc.ttl"
    before = (ROOT / "data/mechanisms/saarc.ttl").read_text(encoding="utf-8")
    addition = """
id:saarc-covers-gender tip:citation id:cite-hrc-p8-saarc-gender .
id:cite-hrc-p8-saarc-gender a tip:Citation ;
    tip:document id:a-hrc-14-32 ;
    tip:locator "para. 8" ;
    tip:paragraph 8 ;
    tip:quotation "gender mainstreaming" .
"""
    after = canonical_form(path, before + addition)
    changed = changed_lines(before, after)
    assert 8 <= changed <= 12, changed  # the citation's block (7 lines and a blank) and the claim
    assert after.index("id:saarc-covers-gender\n") < after.index("id:cite-hrc-p8-saarc-gender\n")
