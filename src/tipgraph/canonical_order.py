"""The order in which ``fmt`` writes a file's blocks and a block's lines, for people to read.

A file's blocks: the resource the file is named after (``data/mechanisms/saarc.ttl`` →
``id:saarc``) first, then the others by kind (``KINDS``: organisations, states, bodies, sites,
instruments, memberships, partnerships, events, … claims, source documents, then any other
kind), by natural order of their names within a kind. Each citation follows the first block in
that order that cites it (so the citations that only one block uses sit right under it); the
citations nothing in the file cites come last.

A block's lines: ``a`` first, then the labels (``LABELS``), then the other properties by natural
order of their prefixed names, and ``tip:citation`` last, right above the citations it names.

"Natural order" compares the numbers inside names as numbers: ``cite-hrc-p3`` before
``cite-hrc-p17``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from tipgraph.namespaces import ID_NS, ORG_NS, OWL_NS, RDF_NS, RDFS_NS, SKOS_NS, TIP_NS

RDF_TYPE = RDF_NS + "type"
TIP_CITATION = TIP_NS + "citation"
CITATION_CLASS = TIP_NS + "Citation"
LABELS = (RDFS_NS + "label", SKOS_NS + "prefLabel", SKOS_NS + "altLabel")

KINDS: tuple[tuple[str, ...], ...] = (
    (OWL_NS + "Ontology", SKOS_NS + "ConceptScheme"),
    (
        TIP_NS + "Mechanism",
        ORG_NS + "FormalOrganization",
        ORG_NS + "OrganizationalCollaboration",
        ORG_NS + "Organization",
    ),
    (TIP_NS + "State",),
    (ORG_NS + "OrganizationalUnit",),
    (ORG_NS + "Site",),
    (TIP_NS + "Instrument",),
    (ORG_NS + "Membership",),
    (TIP_NS + "Partnership",),
    (TIP_NS + "Event",),
    (TIP_NS + "Questionnaire",),
    (TIP_NS + "RecommendationGroup",),
    (TIP_NS + "Recommendation",),
    (TIP_NS + "CoverageClaim",),
    (TIP_NS + "ValueClaim",),
    (TIP_NS + "RecommendationMet",),
    (TIP_NS + "QuestionnaireResponse",),
    (TIP_NS + "SourceDocument",),
)
KIND_RANK = {cls: rank for rank, classes in enumerate(KINDS) for cls in classes}
OTHER_KIND = len(KINDS)

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Text with its digit runs compared as numbers; ties broken by the text itself."""
    parts = _DIGITS.split(text)
    return ([int(part) if i % 2 else part for i, part in enumerate(parts)], text)


def predicate_key(iri: str, name: str) -> tuple:
    """Where a predicate goes in a block, ``name`` being how it is written (prefixed)."""
    if iri == RDF_TYPE:
        return (0, natural_key(""))
    if iri in LABELS:
        return (1 + LABELS.index(iri), natural_key(""))
    if iri == TIP_CITATION:
        return (len(LABELS) + 2, natural_key(""))
    return (len(LABELS) + 1, natural_key(name))


def main_resource(path: Path | None) -> str | None:
    """The IRI of the resource a file is named after: ``id:<file stem>``."""
    return None if path is None else ID_NS + path.stem


def block_order(
    triples: Iterable[ox.Triple | ox.Quad],
    path: Path | None,
    name: Callable[[ox.NamedNode], str],
) -> list[ox.NamedNode]:
    """Every IRI subject of the triples, in the order its block is written (see the module)."""
    types: dict[ox.NamedNode, set[str]] = {}
    cites: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for triple in triples:
        subject = triple.subject
        if not isinstance(subject, ox.NamedNode):
            continue
        types.setdefault(subject, set())
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            types[subject].add(triple.object.value)
        elif triple.predicate.value == TIP_CITATION and isinstance(triple.object, ox.NamedNode):
            cites.setdefault(subject, set()).add(triple.object)
    citations = {subject for subject, classes in types.items() if CITATION_CLASS in classes}
    main = main_resource(path)

    def rank(subject: ox.NamedNode) -> tuple:
        first = 0 if subject.value == main else 1
        kind = min((KIND_RANK.get(cls, OTHER_KIND) for cls in types[subject]), default=OTHER_KIND)
        return (first, kind, natural_key(name(subject)))

    order: list[ox.NamedNode] = []
    placed: set[ox.NamedNode] = set()
    for subject in sorted((s for s in types if s not in citations), key=rank):
        order.append(subject)
        used = [c for c in cites.get(subject, ()) if c in citations and c not in placed]
        for citation in sorted(used, key=lambda c: natural_key(name(c))):
            order.append(citation)
            placed.add(citation)
    order += sorted(citations - placed, key=lambda c: natural_key(name(c)))
    return order
