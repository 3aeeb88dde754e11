"""Citable: the full reference of a citation, the bibliography of the source documents
(BibTeX, CSL-JSON), and how to cite tipgraph itself (from CITATION.cff).

Everything comes from the graph: a document's web address appears only where the graph
records one (foaf:page, itself cited to an external source); otherwise the reference says
that none is recorded.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tipgraph.errors import InputError
from tipgraph.namespaces import ID_NS, RDFS_NS, TIP_NS
from tipgraph.store import RDF_TYPE

DCTERMS = "http://purl.org/dc/terms/"
FOAF_PAGE = ox.NamedNode("http://xmlns.com/foaf/0.1/page")
CITATION = ox.NamedNode(TIP_NS + "Citation")
SOURCE_DOCUMENT = ox.NamedNode(TIP_NS + "SourceDocument")
NO_ADDRESS = "No web address recorded."
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
WEB_ADDRESS = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Document:
    """A source document as the graph records it."""

    iri: str
    label: str
    symbol: str | None
    title: str | None
    date: str | None  # as recorded: 2010, 2010-12 or 2010-05-04
    addresses: tuple[str, ...]  # web addresses (foaf:page), each cited to an external source
    external: bool

    @property
    def key(self) -> str:
        """The slug: the BibTeX key and CSL-JSON id."""
        return self.iri.removeprefix(ID_NS)

    @property
    def name(self) -> str:
        """The symbol where it has one (A/HRC/14/32), else its label."""
        return self.symbol or self.label


def _values(store: ox.Store, subject: ox.NamedNode, predicate: str | ox.NamedNode) -> list[str]:
    node = predicate if isinstance(predicate, ox.NamedNode) else ox.NamedNode(predicate)
    return sorted(q.object.value for q in store.quads_for_pattern(subject, node, None))


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _is_a(store: ox.Store, iri: str, cls: ox.NamedNode) -> bool:
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return next(iter(store.quads_for_pattern(node, RDF_TYPE, cls)), None) is not None


def is_citation(store: ox.Store, iri: str) -> bool:
    """Whether the graph types ``iri`` as a tip:Citation."""
    return _is_a(store, iri, CITATION)


def document(store: ox.Store, iri: str) -> Document:
    node = ox.NamedNode(iri)
    return Document(
        iri=iri,
        label=_first(_values(store, node, RDFS_NS + "label")) or iri,
        symbol=_first(_values(store, node, DCTERMS + "identifier")),
        title=_first(_values(store, node, DCTERMS + "title")),
        date=_first(_values(store, node, DCTERMS + "date")),
        addresses=tuple(_values(store, node, FOAF_PAGE)),
        external=_values(store, node, TIP_NS + "externalSource") == ["true"],
    )


def documents(store: ox.Store) -> list[Document]:
    """Every source document, in the order of their slugs."""
    iris = {
        q.subject.value
        for q in store.quads_for_pattern(None, RDF_TYPE, SOURCE_DOCUMENT)
        if isinstance(q.subject, ox.NamedNode)
    }
    return [document(store, iri) for iri in sorted(iris)]


def date_parts(date: str | None) -> tuple[int, ...]:
    """(year, month, day) to the precision recorded; a month or day out of range is dropped
    with what follows it; () when the text is not a date."""
    match = DATE.match(date or "")
    if not match:
        return ()
    year, month, day = (int(part) if part else None for part in match.groups())
    if month is None or not 1 <= month <= 12:
        return (year,)
    if day is None or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return (year, month)
    return (year, month, day)


def human_date(date: str | None) -> str | None:
    """2010-05-04 -> 4 May 2010; 2010-12 -> December 2010; 2010 -> 2010."""
    if not date:
        return None
    parts = date_parts(date)
    if not parts:
        return date
    if len(parts) == 1:
        return str(parts[0])
    name = calendar.month_name[parts[1]]
    return f"{parts[2]} {name} {parts[0]}" if len(parts) == 3 else f"{name} {parts[0]}"


def citation_iris(store: ox.Store) -> list[str]:
    return sorted(
        q.subject.value
        for q in store.quads_for_pattern(None, RDF_TYPE, CITATION)
        if isinstance(q.subject, ox.NamedNode)
    )


def unknown_citation(store: ox.Store, given: str) -> InputError:
    """An error naming the citations whose slugs are closest to ``given``."""
    slugs = [iri.removeprefix(ID_NS) for iri in citation_iris(store)]
    wanted = given.removeprefix(ID_NS).removeprefix("id:")
    close = difflib.get_close_matches(wanted, slugs, n=3, cutoff=0.6)
    shown = repr(given[:80]) + (" (truncated)" if len(given) > 80 else "")
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    return InputError(f"no citation {shown} in the graph{hint}")


def full_reference(store, citation_iri: str) -> str:
    """One line to paste: document symbol (or name), title, date, locator, web address.

    A locator that is a web address (a page of an external source's website) is the address.

    For id:cite-sum-pg13-saarc-gender: ``OHCHR Summary of Regional and Sub-Regional Structures
    (December 2010), “Summary of Regional and Sub-Regional Structures and Initiatives to
    Counter Trafficking in Persons”, December 2010, Asian Region / SAARC, p. 13. No web
    address recorded.``
    """
    from tipgraph.engine import as_store

    store = as_store(store)
    if not is_citation(store, citation_iri):
        raise unknown_citation(store, citation_iri)
    node = ox.NamedNode(citation_iri)
    parts: list[str] = []
    cited = _first(_values(store, node, TIP_NS + "document"))
    source = document(store, cited) if cited else None
    if source is not None:
        parts.append(source.name + (" (external source)" if source.external else ""))
        if source.title and source.title != source.name:
            parts.append(f"“{source.title}”")
        if date := human_date(source.date):
            parts.append(date)
    locator = _first(_values(store, node, TIP_NS + "locator"))
    if locator and WEB_ADDRESS.match(locator):
        # the place is a page of a website (an external source): its address ends the line
        return ", ".join(parts) + ". " + locator
    if locator:
        parts.append(locator)
    address = " ".join(source.addresses) if source and source.addresses else NO_ADDRESS
    return ", ".join(parts) + ". " + address


def _notes(doc: Document) -> list[str]:
    """What a bibliography entry adds: the name the graph uses, and the external-source mark."""
    notes = [doc.label] if doc.label not in (doc.title, doc.symbol) else []
    if doc.external:
        notes.append("External source, outside the corpus of source texts")
    return notes


# BibTeX

BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text: str) -> str:
    """Text for a BibTeX field: TeX's special characters escaped, whitespace as one space."""
    return "".join(BIBTEX_SPECIAL.get(c, c) for c in " ".join(text.split()))


def bibtex_url(address: str) -> str:
    """A web address for a url field: characters that would break the field percent-encoded."""
    return re.sub(r"[{}\\%\s]", lambda m: f"%{ord(m.group()):02X}", address)


def bibtex_key(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_:.-]", "-", key)


def _bibtex_entry(doc: Document) -> str:
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(doc.title or doc.label) + "}")]
    if doc.symbol:
        fields.append(("number", bibtex_escape(doc.symbol)))
    if parts := date_parts(doc.date):
        fields.append(("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", calendar.month_abbr[parts[1]].lower()))
    for address in doc.addresses[:1]:
        fields.append(("url", bibtex_url(address)))
    note = "; ".join(bibtex_escape(part) for part in _notes(doc))
    if note:
        fields.append(("note", note))
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@misc{{{bibtex_key(doc.key)},\n{body}\n}}\n"


def bibtex(store) -> str:
    """The source documents as BibTeX @misc entries, keyed by slug, in slug order."""
    from tipgraph.engine import as_store

    return "\n".join(_bibtex_entry(doc) for doc in documents(as_store(store)))


# CSL-JSON


def csl_json(store) -> list[dict]:
    """The source documents as CSL-JSON items (id, type, title, number, issued, URL, note)."""
    from tipgraph.engine import as_store

    items = []
    for doc in documents(as_store(store)):
        item: dict = {"id": doc.key, "type": "document", "title": doc.title or doc.label}
        if doc.symbol:
            item["number"] = doc.symbol
        if parts := date_parts(doc.date):
            item["issued"] = {"date-parts": [list(parts)]}
        if doc.addresses:
            item["URL"] = doc.addresses[0]
        notes = _notes(doc)
        if notes:
            item["note"] = "; ".join(notes)
        items.append(item)
    return items


# How to cite tipgraph


def citation_file() -> Path:
    """CITATION.cff of the checkout, else the copy bundled into the installed package."""
    from tipgraph.paths import _default_root

    return _default_root() / "CITATION.cff"


def how_to_cite(path: Path | None = None) -> str:
    """The one line "how to cite tipgraph", made from CITATION.cff."""
    import yaml

    path = path or citation_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error
    except yaml.YAMLError as error:
        raise InputError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict) or not data.get("title") or not data.get("authors"):
        raise InputError(f"{path}: a citation file needs a title and authors")
    names = []
    for author in data["authors"]:
        if not isinstance(author, dict):
            continue
        person = " ".join(str(author[k]) for k in ("given-names", "family-names") if author.get(k))
        names.append(str(author.get("name") or person))
    parts = [", ".join(n for n in names if n) + "."]
    if released := data.get("date-released"):
        parts.append(f"({str(released)[:4]}).")
    title = str(data["title"])
    version = data.get("version")
    kind = data.get("type", "software")
    parts.append(f"{title}{f' (version {version})' if version else ''} [{kind}].")
    licence = data.get("license")
    if licence:
        shown = " AND ".join(licence) if isinstance(licence, list) else str(licence)
        parts.append(f"Licence: {shown}.")
    for key in ("doi", "url", "repository-code"):
        if data.get(key):
            value = str(data[key])
            parts.append(f"https://doi.org/{value}" if key == "doi" else value)
            break
    return " ".join(parts)
