"""Checking every citation's quotation in a graph against the source texts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from tipgraph.namespaces import TIP
from tipgraph.sources import CitationPlace, SourceText, check_quotation

CITATIONS_QUERY = """
SELECT ?citation ?document ?quotation ?paragraph ?section ?page WHERE {
    ?citation a tip:Citation ; tip:document ?document ; tip:quotation ?quotation .
    OPTIONAL { ?citation tip:paragraph ?paragraph }
    OPTIONAL { ?citation tip:section ?section }
    OPTIONAL { ?citation tip:page ?page }
}
ORDER BY ?citation
"""


@dataclass(frozen=True)
class QuotationProblem:
    citation: URIRef
    document: URIRef
    message: str


def _optional_int(value) -> int | None:
    return int(value) if value is not None else None


def check_citations(graph: Graph, sources: Path) -> list[QuotationProblem]:
    """Every quotation problem in ``graph``, reading the source texts from ``sources``."""
    texts: dict[URIRef, SourceText | None] = {}
    problems = []
    for row in graph.query(CITATIONS_QUERY, initNs={"tip": TIP}):
        document = row.document
        if document not in texts:
            files = sorted(str(f) for f in graph.objects(document, TIP.sourceFile))
            paths = [sources / name for name in files]
            texts[document] = (
                SourceText(paths) if paths and all(p.is_file() for p in paths) else None
            )
        source = texts[document]
        if source is None:
            problems.append(
                QuotationProblem(row.citation, document, "no source text for this document")
            )
            continue
        place = CitationPlace(
            quotation=str(row.quotation),
            paragraph=_optional_int(row.paragraph),
            section=str(row.section) if row.section is not None else None,
            page=_optional_int(row.page),
        )
        problems.extend(
            QuotationProblem(row.citation, document, message)
            for message in check_quotation(source, place)
        )
    return problems
