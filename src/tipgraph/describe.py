"""``tipgraph describe``: everything about one resource, each fact with its citation."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS, SKOS
from rdflib.term import Node

from tipgraph.namespaces import TIP

ALWAYS_SUPPORTED = {RDF.type, RDFS.label, SKOS.altLabel, SKOS.editorialNote}
COLUMNS = ["direction", "property", "value", "valueLabel", "citation"]
SUMMARY_PROPERTIES = (
    TIP.covers,
    TIP.role,
    ORG.role,
    TIP.partner,
    TIP.counterpart,
    TIP.property,
    TIP.value,
    TIP.recommendation,
    TIP.responseStatus,
    ORG.member,
    ORG.organization,
)


def label(graph: Graph, term: Node) -> Literal | None:
    """The rdfs:label or skos:prefLabel of a term, if it has one."""
    return graph.value(term, RDFS.label) or graph.value(term, SKOS.prefLabel)


def citation_text(graph: Graph, citation: Node) -> str:
    document = graph.value(citation, TIP.document)
    parts = [str(label(graph, document) or document) if document is not None else "?"]
    locator = graph.value(citation, TIP.locator)
    if locator is not None:
        parts.append(str(locator))
    quotation = graph.value(citation, TIP.quotation)
    text = ", ".join(parts)
    return f"{text}: “{quotation}”" if quotation is not None else text


def is_claim(graph: Graph, node: Node) -> bool:
    """Whether a node is a claim (a subclass of tip:Claim) or a membership: cited as a whole."""
    for cls in graph.objects(node, RDF.type):
        if cls == ORG.Membership or TIP.Claim in graph.transitive_objects(cls, RDFS.subClassOf):
            return True
    return False


def _supporting(graph: Graph, subject: URIRef, prop: URIRef) -> list[Node]:
    citations = sorted(graph.objects(subject, TIP.citation))
    if is_claim(graph, subject):
        return citations
    if prop in ALWAYS_SUPPORTED:
        return citations[:1]  # any citation names the resource; one is enough to show
    return [c for c in citations if (c, TIP.supports, prop) in graph]


def describe_rows(graph: Graph, resource: URIRef) -> list[tuple[Node | None, ...]]:
    """Rows of (direction, property, value, value label, citation) about a resource.

    Outgoing facts come with the citations that support them; incoming links (claims,
    memberships, bodies, instruments that point at the resource) with those of their source.
    """
    rows: list[tuple[Node | None, ...]] = []
    for prop, value in sorted(graph.predicate_objects(resource)):
        if prop == TIP.citation:
            continue
        cited = _supporting(graph, resource, prop) or [None]
        for citation in cited:
            rows.append(
                (
                    Literal("out"),
                    prop,
                    value,
                    label(graph, value) if isinstance(value, URIRef) else None,
                    Literal(citation_text(graph, citation)) if citation is not None else None,
                )
            )
    for subject, prop in sorted(graph.subject_predicates(resource)):
        cited = _supporting(graph, subject, prop) or [None]
        for citation in cited:
            rows.append(
                (
                    Literal("in"),
                    prop,
                    subject,
                    label(graph, subject) or _claim_summary(graph, subject),
                    Literal(citation_text(graph, citation)) if citation is not None else None,
                )
            )
    return rows


def _claim_summary(graph: Graph, node: Node) -> Literal | None:
    """A readable line for an unlabelled claim or membership: what it states."""
    parts = []
    for prop in SUMMARY_PROPERTIES:
        for value in sorted(graph.objects(node, prop)):
            parts.append(str(label(graph, value) or value))
    return Literal(", ".join(parts)) if parts else None
