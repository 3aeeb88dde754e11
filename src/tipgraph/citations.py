"""Checking every citation's quotation in a store against the source texts.

Two queries on the Oxigraph store (the citations, and every document's source files) and one
pass over their rows: the work grows linearly with the number of citations, and each source text
is read and split once however many citations quote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tipgraph.namespaces import TIP
from tipgraph.sources import CitationPlace, SourceText, check_quotation

PROLOGUE = f"PREFIX tip: <{TIP}>\n"

CITATIONS_QUERY = (
    PROLOGUE
    + """
SELECT ?citation ?document ?quotation ?paragraph ?section ?page WHERE {
    ?citation a tip:Citation ; tip:document ?document ; tip:quotation ?quotation .
    OPTIONAL { ?citation tip:paragraph ?paragraph }
    OPTIONAL { ?citation tip:section ?section }
    OPTIONAL { ?citation tip:page ?page }
}
ORDER BY ?citation
"""
)

SOURCE_FILES_QUERY = PROLOGUE + "SELECT ?document ?file WHERE { ?document tip:sourceFile ?file }"


@dataclass(frozen=True)
class QuotationProblem:
    """One problem with one citation; ``citation`` and ``document`` are node keys (see below)."""

    citation: str
    document: str
    message: str


def node_key(term: object) -> str:
    """An IRI as itself, a blank node as ``_:id``: the one key used for a node in reports."""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(getattr(term, "value", term))


def _optional_int(value: ox.Literal | None) -> int | None:
    """The integer a locator gives; an ill-typed one counts as absent (the shapes report it)."""
    if value is None:
        return None
    try:
        return int(value.value)
    except ValueError:
        return None


def _source_files(store: ox.Store) -> dict[str, list[str]]:
    files: dict[str, list[str]] = {}
    for row in store.query(SOURCE_FILES_QUERY):
        files.setdefault(node_key(row["document"]), []).append(str(row["file"].value))
    return files


def check_citations(store: ox.Store, sources: Path) -> list[QuotationProblem]:
    """Every quotation problem in ``store``, reading the source texts from ``sources``."""
    source_files = _source_files(store)
    texts: dict[str, SourceText | None] = {}
    problems = []
    for row in store.query(CITATIONS_QUERY):
        citation, document = node_key(row["citation"]), node_key(row["document"])
        if document not in texts:
            paths = [sources / name for name in sorted(source_files.get(document, []))]
            texts[document] = (
                SourceText(paths) if paths and all(p.is_file() for p in paths) else None
            )
        source = texts[document]
        if source is None:
            problems.append(
                QuotationProblem(citation, document, "no source text for this document")
            )
            continue
        section = row["section"]
        place = CitationPlace(
            quotation=row["quotation"].value,
            paragraph=_optional_int(row["paragraph"]),
            section=section.value if section is not None else None,
            page=_optional_int(row["page"]),
        )
        problems.extend(
            QuotationProblem(citation, document, message)
            for message in check_quotation(source, place)
        )
    return problems
