"""Each rule lives in one module; the shapes and the authoring guide, which state it again for
other readers, are checked against it here."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace

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
