"""A resource's facts for its page: grouped by kind, each value with the citations that
state it (document, locator, quotation and the full reference)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from tipgraph.describe import (
    TIP_CITATION,
    TIP_DOCUMENT,
    TIP_LOCATOR,
    TIP_QUOTATION,
    claim_summary,
    is_claim,
    label,
    supporting_citations,
    term_key,
)
from tipgraph.errors import InputError
from tipgraph.namespaces import RDF_NS, RDFS_NS, SKOS_NS, shorten
from tipgraph.sparql_text import Term

NAMING = {
    RDF_NS + "type",
    RDFS_NS + "label",
    SKOS_NS + "prefLabel",
    SKOS_NS + "altLabel",
    SKOS_NS + "definition",
    SKOS_NS + "editorialNote",
    RDFS_NS + "comment",
}
GROUPS = (
    ("names", "Names and types"),
    ("facts", "Facts"),
    ("related", "Related resources"),
    ("claims", "Claims about it"),
    ("referred", "Referred to by"),
)


@dataclass(frozen=True)
class Citation:
    iri: str
    href: str | None
    document: str
    document_href: str | None
    locator: str | None
    quotation: str | None
    reference: str | None


@dataclass(frozen=True)
class Value:
    """A term as a page shows it: its text, a link when the graph documents it, its IRI."""

    text: str
    href: str | None = None
    iri: str | None = None
    datatype: str | None = None
    language: str | None = None


@dataclass
class Fact:
    property: Value
    value: Value
    citations: list[Citation] = field(default_factory=list)


@dataclass
class Group:
    key: str
    title: str
    facts: list[Fact] = field(default_factory=list)

    def by_property(self) -> list[tuple[Value, list[Value]]]:
        """The group's values under each property, in order."""
        grouped: dict[str | None, tuple[Value, list[Value]]] = {}
        for fact in self.facts:
            entry = grouped.setdefault(fact.property.iri, (fact.property, []))
            if fact.value not in entry[1]:
                entry[1].append(fact.value)
        return list(grouped.values())

    def citations(self) -> list[Citation]:
        """Every citation of the group's facts, once each."""
        return list({c.iri: c for fact in self.facts for c in fact.citations}.values())


def _first(store: ox.Store, subject: Term, predicate: ox.NamedNode) -> Term | None:
    return next((q.object for q in store.quads_for_pattern(subject, predicate, None)), None)


class FactReader:
    """Reads facts from the store, with ``link`` mapping a resource IRI to an href (or None)
    and ``reference`` giving a citation's full reference (or None)."""

    def __init__(
        self,
        store: ox.Store,
        link: Callable[[str], str | None],
        reference: Callable[[ox.Store, str], str | None] | None = None,
    ) -> None:
        self.store = store
        self.link = link
        self.reference = reference

    def value(self, term: Term, fallback: ox.Literal | None = None) -> Value:
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value if not term.language else None
            shown = None if datatype is None else shorten(datatype)
            return Value(term.value, datatype=shown, language=term.language)
        if isinstance(term, ox.BlankNode):
            return Value(f"_:{term.value}")
        found = label(self.store, term) or fallback
        return Value(
            found.value if found is not None else shorten(term.value),
            self.link(term.value),
            term.value,
        )

    def citation(self, node: Term) -> Citation:
        document = _first(self.store, node, TIP_DOCUMENT)
        locator = _first(self.store, node, TIP_LOCATOR)
        quotation = _first(self.store, node, TIP_QUOTATION)
        shown = self.value(document) if document is not None else Value("?")
        reference = None
        if self.reference is not None and isinstance(node, ox.NamedNode):
            try:
                reference = self.reference(self.store, node.value)
            except InputError:  # not a tip:Citation (the shapes report it): no reference
                reference = None
        return Citation(
            node.value,
            self.link(node.value) if isinstance(node, ox.NamedNode) else None,
            shown.text,
            shown.href,
            locator.value if locator is not None else None,
            quotation.value if quotation is not None else None,
            reference,
        )

    def citations(self, subject: Term, prop: ox.NamedNode, value: Term) -> list[Citation]:
        """The citations that state this value, and only those."""
        return [self.citation(c) for c in supporting_citations(self.store, subject, prop, value)]

    def property(self, prop: ox.NamedNode) -> Value:
        return self.value(prop)

    def groups(self, resource: ox.NamedNode) -> list[Group]:
        """The resource's facts in GROUPS order; empty groups are left out."""
        groups = {key: Group(key, title) for key, title in GROUPS}
        outgoing = sorted(
            ((q.predicate, q.object) for q in self.store.quads_for_pattern(resource, None, None)),
            key=lambda pair: (term_key(pair[0]), term_key(pair[1])),
        )
        for prop, value in outgoing:
            if prop == TIP_CITATION:
                continue
            if prop.value in NAMING:
                key = "names"
            elif isinstance(value, ox.Literal):
                key = "facts"
            else:
                key = "related"
            groups[key].facts.append(
                Fact(self.property(prop), self.value(value), self.citations(resource, prop, value))
            )
        incoming = sorted(
            ((q.subject, q.predicate) for q in self.store.quads_for_pattern(None, None, resource)),
            key=lambda pair: (term_key(pair[1]), term_key(pair[0])),
        )
        for subject, prop in incoming:
            claim = is_claim(self.store, subject)
            fallback = claim_summary(self.store, subject) if claim else None
            groups["claims" if claim else "referred"].facts.append(
                Fact(
                    self.property(prop),
                    self.value(subject, fallback),
                    self.citations(subject, prop, resource),
                )
            )
        return [group for group in groups.values() if group.facts]

    def title(self, resource: ox.NamedNode) -> str:
        found = label(self.store, resource)
        return found.value if found is not None else shorten(resource.value)
