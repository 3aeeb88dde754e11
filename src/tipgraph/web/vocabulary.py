"""The ontology and the SKOS schemes documented for people: labels, definitions, and which
SHACL shapes apply to each class, property and scheme (read from ontology/shapes.ttl)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from tipgraph.describe import label, term_key
from tipgraph.namespaces import (
    CONCEPT_NS,
    OWL_NS,
    RDF_NS,
    RDFS_NS,
    SCHEME_NS,
    SH_NS,
    SKOS_NS,
    TIP_NS,
    shorten,
)
from tipgraph.store import RDF_TYPE, SUBCLASS_OF, parse_turtle, read_file


def _n(namespace: str, name: str) -> ox.NamedNode:
    return ox.NamedNode(namespace + name)


DOMAIN = _n(RDFS_NS, "domain")
RANGE = _n(RDFS_NS, "range")
DEFINITION = _n(SKOS_NS, "definition")
IN_SCHEME = _n(SKOS_NS, "inScheme")
BROADER = _n(SKOS_NS, "broader")
CONCEPT_SCHEME = _n(SKOS_NS, "ConceptScheme")
NODE_SHAPE = _n(SH_NS, "NodeShape")
TARGET_CLASS = _n(SH_NS, "targetClass")
SH_PROPERTY = _n(SH_NS, "property")
SH_PATH = _n(SH_NS, "path")
SH_MESSAGE = _n(SH_NS, "message")
SH_NODE = _n(SH_NS, "node")
PROPERTY_KINDS = [
    _n(OWL_NS, "ObjectProperty"),
    _n(OWL_NS, "DatatypeProperty"),
    _n(OWL_NS, "AnnotationProperty"),
    _n(RDF_NS, "Property"),
]
SUMMARISED = {
    "datatype": "values of type",
    "class": "values are",
    "minCount": "at least",
    "maxCount": "at most",
    "node": "values conform to",
    "in": "one of",
    "nodeKind": "node kind",
    "pattern": "matching",
    "maxLength": "at most characters",
}


def _objects(store: ox.Store, subject, predicate) -> list:
    return sorted(
        (q.object for q in store.quads_for_pattern(subject, predicate, None)), key=term_key
    )


def _text(store: ox.Store, subject, predicate) -> str | None:
    found = _objects(store, subject, predicate)
    return found[0].value if found else None


def anchor(iri: str) -> str:
    """The fragment that names a term on its page: its local name."""
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass
class Constraint:
    path: str
    path_href: str | None
    text: str


@dataclass
class Shape:
    iri: str
    name: str
    targets: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)


@dataclass
class Term:
    iri: str
    name: str
    anchor: str
    label: str
    definition: str | None
    facts: list[tuple[str, str, str | None]] = field(default_factory=list)  # (what, text, href)
    shapes: list[str] = field(default_factory=list)


@dataclass
class Scheme:
    iri: str
    name: str
    label: str
    definition: str | None
    concepts: list[Term]
    shapes: list[str]


class Shapes:
    """The SHACL shapes file, read once, for documentation."""

    def __init__(self, path: Path) -> None:
        self.store = ox.Store()
        if path.is_file():
            self.store.extend(parse_turtle(path, read_file(path)))
        self.shapes = sorted(
            (q.subject for q in self.store.quads_for_pattern(None, RDF_TYPE, NODE_SHAPE)),
            key=term_key,
        )

    def closure(self, node) -> Iterator[ox.Quad]:
        """The shape's triples and those of the blank nodes (lists, property shapes) below it."""
        pending, seen = [node], {node}
        while pending:
            current = pending.pop()
            for quad in self.store.quads_for_pattern(current, None, None):
                yield quad
                if isinstance(quad.object, ox.BlankNode) and quad.object not in seen:
                    seen.add(quad.object)
                    pending.append(quad.object)

    def targeting(self, cls: ox.NamedNode) -> list:
        return [s for s in self.shapes if ox.Quad(s, TARGET_CLASS, cls) in self.store]

    def constraining(self, prop: ox.NamedNode) -> list:
        """Shapes with a property shape whose path is ``prop``."""
        found = []
        for shape in self.shapes:
            for property_shape in _objects(self.store, shape, SH_PROPERTY):
                if ox.Quad(property_shape, SH_PATH, prop) in self.store:
                    found.append(shape)
                    break
        return found

    def mentioning(self, iris: set[str], text: str) -> list:
        """Shapes whose triples name one of ``iris`` or whose text contains ``text``, and the
        shapes that refer to those by sh:node."""
        direct = []
        for shape in self.shapes:
            for quad in self.closure(shape):
                value = quad.object
                if (isinstance(value, ox.NamedNode) and value.value in iris) or (
                    isinstance(value, ox.Literal) and text in value.value
                ):
                    direct.append(shape)
                    break
        referring = [
            shape
            for shape in self.shapes
            if shape not in direct
            and any(q.predicate == SH_NODE and q.object in direct for q in self.closure(shape))
        ]
        return sorted(direct + referring, key=term_key)

    def describe(self, shape, link: Callable[[str], str | None]) -> Shape:
        described = Shape(shape.value, shorten(shape.value))
        described.targets = [shorten(t.value) for t in _objects(self.store, shape, TARGET_CLASS)]
        for quad in self.closure(shape):
            if quad.predicate == SH_MESSAGE and quad.subject == shape:
                described.messages.append(quad.object.value)
        for property_shape in _objects(self.store, shape, SH_PROPERTY):
            path = next(iter(_objects(self.store, property_shape, SH_PATH)), None)
            if not isinstance(path, ox.NamedNode):
                continue
            described.constraints.append(
                Constraint(shorten(path.value), link(path.value), self._summary(property_shape))
            )
        described.constraints.sort(key=lambda c: (c.path, c.text))
        return described

    def _summary(self, property_shape) -> str:
        message = _text(self.store, property_shape, SH_MESSAGE)
        if message:
            return message
        parts = []
        for name, words in SUMMARISED.items():
            for value in _objects(self.store, property_shape, _n(SH_NS, name)):
                shown = shorten(value.value) if isinstance(value, ox.NamedNode) else value.value
                if isinstance(value, ox.BlankNode):
                    shown = "a list"
                parts.append(f"{words} {shown}")
        return "; ".join(parts) or "constrained"


class Vocabulary:
    """The ontology's classes and properties and the concept schemes, from the graph."""

    def __init__(self, store: ox.Store, shapes: Shapes, link: Callable[[str], str | None]) -> None:
        self.store = store
        self.shapes = shapes
        self.link = link

    def _term(self, node: ox.NamedNode) -> Term:
        found = label(self.store, node)
        return Term(
            node.value,
            shorten(node.value),
            anchor(node.value),
            found.value if found is not None else shorten(node.value),
            _text(self.store, node, DEFINITION),
        )

    def _fact(self, term: Term, what: str, values: list) -> None:
        for value in values:
            if isinstance(value, ox.NamedNode):
                term.facts.append((what, shorten(value.value), self.link(value.value)))

    def classes(self) -> list[Term]:
        nodes = {
            q.subject
            for q in self.store.quads_for_pattern(None, RDF_TYPE, _n(OWL_NS, "Class"))
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(TIP_NS)
        }
        terms = []
        for node in sorted(nodes, key=term_key):
            term = self._term(node)
            self._fact(term, "subclass of", _objects(self.store, node, SUBCLASS_OF))
            term.shapes = [shorten(s.value) for s in self.shapes.targeting(node)]
            terms.append(term)
        return terms

    def properties(self) -> list[Term]:
        nodes = {
            q.subject
            for kind in PROPERTY_KINDS
            for q in self.store.quads_for_pattern(None, RDF_TYPE, kind)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(TIP_NS)
        }
        terms = []
        for node in sorted(nodes, key=term_key):
            term = self._term(node)
            self._fact(term, "domain", _objects(self.store, node, DOMAIN))
            self._fact(term, "range", _objects(self.store, node, RANGE))
            term.shapes = [shorten(s.value) for s in self.shapes.constraining(node)]
            terms.append(term)
        return terms

    def shape_details(self) -> list[Shape]:
        return [self.shapes.describe(shape, self.link) for shape in self.shapes.shapes]

    def scheme_names(self) -> list[str]:
        return sorted(
            q.subject.value[len(SCHEME_NS) :]
            for q in self.store.quads_for_pattern(None, RDF_TYPE, CONCEPT_SCHEME)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(SCHEME_NS)
        )

    def scheme(self, name: str) -> Scheme | None:
        node = ox.NamedNode(SCHEME_NS + name)
        if ox.Quad(node, RDF_TYPE, CONCEPT_SCHEME) not in self.store:
            return None
        concepts = []
        members = sorted(
            (q.subject for q in self.store.quads_for_pattern(None, IN_SCHEME, node)), key=term_key
        )
        for concept in members:
            term = self._term(concept)
            self._fact(term, "broader", _objects(self.store, concept, BROADER))
            concepts.append(term)
        iris = {node.value} | {c.iri for c in concepts}
        shapes = self.shapes.mentioning(iris, node.value)
        found = label(self.store, node)
        return Scheme(
            node.value,
            name,
            found.value if found is not None else name,
            _text(self.store, node, DEFINITION),
            concepts,
            [shorten(s.value) for s in shapes],
        )


def concept_scheme_of(iri: str) -> str | None:
    """The scheme name in a concept IRI (``…/concept/theme/redress`` → ``theme``)."""
    if iri.startswith(CONCEPT_NS):
        return iri[len(CONCEPT_NS) :].partition("/")[0] or None
    return None
