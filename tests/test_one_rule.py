"""Each rule lives in one module; the shapes and the authoring guide, which state it again for
other readers, are checked against it here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace

from tipgraph import citation_rules
from tipgraph.namespaces import TIP_NS
from tipgraph.slugs import SLUG, SLUG_PATTERN
from tipgraph.sources import MAX_QUOTATION

ROOT = Path(__file__).resolve().parent.parent
SH = Namespace("http://www.w3.org/ns/shacl#")
GUIDE = (ROOT / "data" / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ROOT / "ontology" / "shapes.ttl")


def test_the_shapes_check_slugs_with_the_one_pattern(shapes):
    text = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    assert f'"^{SLUG_PATTERN}$"' in text


def test_the_guide_states_the_one_slug_pattern():
    assert f"`{SLUG_PATTERN}`" in GUIDE


@pytest.mark.parametrize(
    ("text", "is_slug"),
    [
        *[("saarc", True), ("commit-mekong", True), ("state-khm", True), ("p3", True)],
        *[("SAARC", False), ("-saarc", False), ("saarc-", False), ("a--b", False)],
        *[("é", False), ("a_b", False), ("a b", False), ("", False), ("saarc\n", False)],
    ],
)
def test_slug_rule(text, is_slug):
    assert bool(SLUG.match(text)) is is_slug


def test_the_shapes_limit_quotations_to_the_checked_length(shapes):
    quotation = next(shapes.subjects(SH.path, Namespace(TIP_NS).quotation))
    assert shapes.value(quotation, SH.maxLength) == Literal(MAX_QUOTATION)


def test_the_guide_states_the_checked_quotation_length():
    assert f"at most {MAX_QUOTATION} characters" in GUIDE


# What a citation supports (tipgraph.citation_rules)

UNCITED = (ROOT / "queries" / "uncited-facts.rq").read_text(encoding="utf-8")


def _expand(name: str) -> str:
    from tipgraph.namespaces import PREFIXES

    prefix, local = name.split(":", 1)
    return PREFIXES[prefix] + local


def test_uncited_facts_lets_any_citation_support_the_always_supported_properties():
    values = re.search(r"FILTER\(\?property IN \(([^)]*)\)\)", UNCITED)
    assert values, "uncited-facts.rq no longer lists the properties any citation supports"
    listed = {_expand(name.strip()) for name in values.group(1).split(",")}
    assert listed == citation_rules.ALWAYS_SUPPORTED


def test_uncited_facts_takes_claims_and_memberships_as_cited_as_a_whole(graph):
    from rdflib import RDFS, URIRef

    # the query follows rdfs:subClassOf two steps up to tip:Claim (no path inside MINUS, which
    # some stores ignore), so no claim class may be deeper
    assert "?claimClass rdfs:subClassOf tip:Claim" in UNCITED
    assert "?intermediateClass rdfs:subClassOf tip:Claim" in UNCITED
    claim = URIRef(citation_rules.CLAIM_CLASS)
    near = set(graph.subjects(RDFS.subClassOf, claim))
    near |= {c for parent in near for c in graph.subjects(RDFS.subClassOf, parent)}
    assert set(graph.transitive_subjects(RDFS.subClassOf, claim)) - {claim} <= near
    shortened = {f"org:{iri.rsplit('#', 1)[1]}" for iri in citation_rules.CITED_AS_A_WHOLE}
    for name in shortened:
        assert f"?resource a {name}" in UNCITED


def test_the_guide_names_every_claim_class_and_every_always_supported_property(graph):
    from rdflib import RDFS, URIRef

    from tipgraph.namespaces import shorten

    paragraph = GUIDE[GUIDE.index("**What a citation supports.**") :]
    paragraph = paragraph[: paragraph.index("\n- ")]
    claims = set(graph.transitive_subjects(RDFS.subClassOf, URIRef(citation_rules.CLAIM_CLASS)))
    claims.discard(URIRef(citation_rules.CLAIM_CLASS))
    named = {shorten(str(c)) for c in claims} | {
        shorten(iri) for iri in citation_rules.CITED_AS_A_WHOLE
    }
    named |= {shorten(iri) for iri in citation_rules.ALWAYS_SUPPORTED}
    missing = {name for name in named if f"`{name}`" not in paragraph}
    assert not missing, f"data/README.md does not name {sorted(missing)}"


# Which properties are counts: the list of tip:QuantityShape, which the whole-graph rule
# "a count needs a dated tip:Quantity" states again, one UNION branch per property.


def _quantity_properties(shapes: Graph) -> set[str]:
    from rdflib.collection import Collection

    tip = Namespace(TIP_NS)
    shape = next(
        node
        for node in shapes.objects(tip.QuantityShape, SH.property)
        if shapes.value(node, SH.path) == tip.property
    )
    return {str(item) for item in Collection(shapes, shapes.value(shape, SH["in"]))}


def test_the_count_rule_covers_exactly_the_count_properties_of_a_quantity(shapes):
    rule = next(
        str(shapes.value(constraint, SH.select))
        for constraint in shapes.objects(Namespace(TIP_NS).PerValueCitationShape, SH.sparql)
        if "needs a tip:Quantity" in str(shapes.value(constraint, SH.message))
    )
    branch = r"\{ \?value tip:(\w+) \?count \. BIND\(tip:(\w+) AS \?property\) \}"
    branches = re.findall(branch, rule)
    assert all(triple == bound for triple, bound in branches)
    assert {TIP_NS + name for name, _ in branches} == _quantity_properties(shapes)
    assert rule.count("UNION") == len(branches) - 1


# Per-value citations in the saved queries: a property's citations are shown only where no
# value of it has a value claim, which each query tests with a ?valuesClaimed flag.

QUERY_FILES = sorted((ROOT / "queries").glob("*.rq"))


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda path: path.stem)
def test_a_query_testing_the_value_claim_flag_binds_it(path):
    text = path.read_text(encoding="utf-8")
    tested = len(re.findall(r"!BOUND\(\?valuesClaimed\)", text))
    bound = len(re.findall(r"\(1 AS \?valuesClaimed\)", text))
    assert tested == bound, f"{path.name}: ?valuesClaimed tested {tested} times, bound {bound}"
