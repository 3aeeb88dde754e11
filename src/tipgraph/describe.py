"""``tipgraph describe``: everything about one resource, each fact with its citation.

Reads the store by triple pattern only, so its cost depends on the resource's neighbourhood,
not on the size of the graph.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from tipgraph import citation_rules
from tipgraph.namespaces import ORG_NS, TIP_NS
from tipgraph.sparql_text import Term
from tipgraph.store import PREF_LABEL, RDF_TYPE, RDFS_LABEL, SUBCLASS_OF


def _iri(namespace: str, name: str) -> ox.NamedNode:
    return ox.NamedNode(namespace + name)


TIP_CITATION = _iri(TIP_NS, "citation")
TIP_SUPPORTS = _iri(TIP_NS, "supports")
TIP_DOCUMENT = _iri(TIP_NS, "document")
TIP_LOCATOR = _iri(TIP_NS, "locator")
TIP_QUOTATION = _iri(TIP_NS, "quotation")
TIP_CLAIM = ox.NamedNode(citation_rules.CLAIM_CLASS)
CITED_AS_A_WHOLE = {ox.NamedNode(iri) for iri in citation_rules.CITED_AS_A_WHOLE}
TIP_SUBJECT = _iri(TIP_NS, "subject")
TIP_PROPERTY = _iri(TIP_NS, "property")
TIP_VALUE = _iri(TIP_NS, "value")

ALWAYS_SUPPORTED = {ox.NamedNode(iri) for iri in citation_rules.ALWAYS_SUPPORTED}
COLUMNS = ["direction", "property", "value", "valueLabel", "citation"]
SUMMARY_PROPERTIES = tuple(
    _iri(namespace, name)
    for namespace, name in (
        (TIP_NS, "covers"),
        (TIP_NS, "role"),
        (ORG_NS, "role"),
        (TIP_NS, "partner"),
        (TIP_NS, "counterpart"),
        (TIP_NS, "party"),
        (TIP_NS, "treaty"),
        (TIP_NS, "absent"),
        (TIP_NS, "property"),
        (TIP_NS, "value"),
        (TIP_NS, "qualifier"),
        (TIP_NS, "asOf"),
        (TIP_NS, "recommendation"),
        (TIP_NS, "responseStatus"),
        (ORG_NS, "member"),
        (ORG_NS, "organization"),
    )
)
_KIND_ORDER = {ox.BlankNode: 10, ox.NamedNode: 30, ox.Literal: 40}


def term_key(term: Term) -> tuple:
    """A sort key: blank nodes, then IRIs, then literals, each by text."""
    if isinstance(term, ox.Literal):
        return (40, term.value, term.datatype.value, term.language or "")
    return (_KIND_ORDER[type(term)], term.value)


def _objects(store: ox.Store, subject: Term, predicate: ox.NamedNode) -> list[Term]:
    return [q.object for q in store.quads_for_pattern(subject, predicate, None)]


def _value(store: ox.Store, subject: Term, predicate: ox.NamedNode) -> Term | None:
    return next((q.object for q in store.quads_for_pattern(subject, predicate, None)), None)


def label(store: ox.Store, term: Term) -> ox.Literal | None:
    """The rdfs:label or skos:prefLabel of a term, if it has one."""
    if not isinstance(term, ox.NamedNode):
        return None
    return _value(store, term, RDFS_LABEL) or _value(store, term, PREF_LABEL)


def citation_text(store: ox.Store, citation: Term) -> str:
    document = _value(store, citation, TIP_DOCUMENT)
    parts = [(label(store, document) or document).value if document is not None else "?"]
    locator = _value(store, citation, TIP_LOCATOR)
    if locator is not None:
        parts.append(locator.value)
    quotation = _value(store, citation, TIP_QUOTATION)
    text = ", ".join(parts)
    return f"{text}: “{quotation.value}”" if quotation is not None else text


def _superclasses(store: ox.Store, cls: Term) -> Iterable[Term]:
    """The class and every class above it (cycles are harmless)."""
    seen = {cls}
    pending = [cls]
    while pending:
        current = pending.pop()
        yield current
        for parent in _objects(store, current, SUBCLASS_OF):
            if parent not in seen:
                seen.add(parent)
                pending.append(parent)


def is_claim(store: ox.Store, node: Term) -> bool:
    """Whether a node is a claim (a subclass of tip:Claim) or a membership: cited as a whole."""
    for cls in _objects(store, node, RDF_TYPE):
        if cls in CITED_AS_A_WHOLE or TIP_CLAIM in _superclasses(store, cls):
            return True
    return False


def value_claims(store: ox.Store, subject: Term, prop: ox.NamedNode, value: Term) -> list[Term]:
    """The value claims that record this one value of the subject's property."""
    return [
        q.subject
        for q in store.quads_for_pattern(None, TIP_SUBJECT, subject)
        if ox.Quad(q.subject, TIP_PROPERTY, prop) in store
        and ox.Quad(q.subject, TIP_VALUE, value) in store
    ]


def _supporting(store: ox.Store, subject: Term, prop: ox.NamedNode, value: Term) -> list[Term]:
    """The citations that state one value: per value where value claims record it.

    A claim or membership is cited as a whole. Otherwise a value recorded by value claims has
    their citations, and only those (an acronym from an external source among them); any
    other value of a type or label property has any citation of the subject, and any other
    value of another property the subject's citations that name the property in tip:supports.
    """
    citations = sorted(_objects(store, subject, TIP_CITATION), key=term_key)
    if is_claim(store, subject):
        return citations
    claimed = {
        citation
        for claim in value_claims(store, subject, prop, value)
        for citation in _objects(store, claim, TIP_CITATION)
    }
    if claimed:
        return sorted(claimed, key=term_key)
    if prop in ALWAYS_SUPPORTED:
        return citations[:1]  # any citation names the resource; one is enough to show
    return [c for c in citations if ox.Quad(c, TIP_SUPPORTS, prop) in store]


def _cited(store: ox.Store, citation: Term | None) -> ox.Literal | None:
    return ox.Literal(citation_text(store, citation)) if citation is not None else None


def describe_rows(store: ox.Store, resource: ox.NamedNode) -> list[tuple[Term | None, ...]]:
    """Rows of (direction, property, value, value label, citation) about a resource.

    Outgoing facts come with the citations that support them; incoming links (claims,
    memberships, bodies, instruments that point at the resource) with those of their source.
    """
    rows: list[tuple[Term | None, ...]] = []
    outgoing = sorted(
        ((q.predicate, q.object) for q in store.quads_for_pattern(resource, None, None)),
        key=lambda pair: (term_key(pair[0]), term_key(pair[1])),
    )
    for prop, value in outgoing:
        if prop == TIP_CITATION:
            continue
        for citation in _supporting(store, resource, prop, value) or [None]:
            rows.append(
                (
                    ox.Literal("out"),
                    prop,
                    value,
                    label(store, value),
                    _cited(store, citation),
                )
            )
    incoming = sorted(
        ((q.subject, q.predicate) for q in store.quads_for_pattern(None, None, resource)),
        key=lambda pair: (term_key(pair[0]), term_key(pair[1])),
    )
    for subject, prop in incoming:
        for citation in _supporting(store, subject, prop, resource) or [None]:
            rows.append(
                (
                    ox.Literal("in"),
                    prop,
                    subject,
                    label(store, subject) or _claim_summary(store, subject),
                    _cited(store, citation),
                )
            )
    return rows


def _claim_summary(store: ox.Store, node: Term) -> ox.Literal | None:
    """A readable line for an unlabelled claim or membership: what it states."""
    parts = []
    for prop in SUMMARY_PROPERTIES:
        for value in sorted(_objects(store, node, prop), key=term_key):
            shown = label(store, value) or value
            parts.append(shown.value)
    return ox.Literal(", ".join(parts)) if parts else None


def supporting_citations(
    store: ox.Store, subject: Term, prop: ox.NamedNode, value: Term
) -> list[Term]:
    """The citations that state one value of a property of the subject, sorted."""
    return _supporting(store, subject, prop, value)


def claim_summary(store: ox.Store, node: Term) -> ox.Literal | None:
    """What an unlabelled claim or membership states, as one line (None when nothing)."""
    return _claim_summary(store, node)
