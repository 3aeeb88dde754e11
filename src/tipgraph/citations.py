"""Checking every citation's quotation in a store against the source texts.

Two queries on the Oxigraph store (the citations, and every document's source files) and one
pass over their rows: the work grows linearly with the number of citations, and each source text
is read and split once however many citations quote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tipgraph.namespaces import TIP, shorten
from tipgraph.paths import file_sha256
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
SOURCE_HASHES_QUERY = PROLOGUE + "SELECT ?document ?hash WHERE { ?document tip:sourceSha256 ?hash }"

FOUND = "matches"
MISSING = "missing"
DIFFERS = "differs"
UNRECORDED = "no recorded SHA-256"
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class SourceStatus:
    """One source file of a document: where it was looked for and what was found there."""

    document: str
    file: str
    path: Path
    status: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == FOUND

    def describe(self) -> str:
        """One line saying what is wrong with the file (or that it matches)."""
        what = {
            FOUND: "matches its recorded SHA-256",
            MISSING: "not found",
            DIFFERS: "differs from the text the data was checked against (SHA-256 "
            + self.detail
            + " is not recorded)",
            UNRECORDED: "has no tip:sourceSha256 recorded for its document",
            UNREADABLE: f"cannot be read: {self.detail}",
        }[self.status]
        return f"source {self.file} of {shorten(self.document)} at {self.path}: {what}"


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


def source_statuses(store: ox.Store, sources: Path) -> list[SourceStatus]:
    """Every source file the data names, looked for in ``sources`` and checked by SHA-256.

    Only regular files count: anything else (a folder, a FIFO) of that name is never opened.
    """
    hashes: dict[str, set[str]] = {}
    for row in store.query(SOURCE_HASHES_QUERY):
        hashes.setdefault(node_key(row["document"]), set()).add(str(row["hash"].value))
    statuses = []
    for document, files in sorted(_source_files(store).items()):
        for name in sorted(files):
            path = sources / name
            status, detail = FOUND, ""
            if not path.is_file():
                status = MISSING
            else:
                try:
                    digest = file_sha256(path)
                except OSError as error:
                    status, detail = UNREADABLE, str(error.strerror or error)
                else:
                    if document not in hashes:
                        status = UNRECORDED
                    elif digest not in hashes[document]:
                        status, detail = DIFFERS, digest
            statuses.append(SourceStatus(document, name, path, status, detail))
    return statuses


def check_citations(
    store: ox.Store, sources: Path, skip_documents: frozenset[str] = frozenset()
) -> list[QuotationProblem]:
    """Every quotation problem in ``store``, reading the source texts from ``sources``.

    The citations of ``skip_documents`` (whose source files are missing or differ, reported
    once per file instead) are not checked.
    """
    source_files = _source_files(store)
    texts: dict[str, SourceText | None] = {}
    problems = []
    for row in store.query(CITATIONS_QUERY):
        citation, document = node_key(row["citation"]), node_key(row["document"])
        if document in skip_documents:
            continue
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
