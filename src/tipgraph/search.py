"""Full-text search over the graph's labels, alternative names (acronyms) and quotations.

Matching is case- and accent-insensitive and uses English stemming ("trafficked" finds
"trafficking"); a query equal to an acronym or name ranks that resource first. Every word of
the query must match (the last one may be the start of a word, for search-as-you-type).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pyoxigraph as ox

from tipgraph.errors import InputError
from tipgraph.namespaces import BASE, ORG_NS, TIP_NS
from tipgraph.store import ALT_LABEL, PREF_LABEL
from tipgraph.store import RDFS_LABEL as LABEL
from tipgraph.textsearch import Token, fold, folded_words, searchable, stem, tokenize

MAX_QUERY = 200
MAX_LIMIT = 1000
RESOURCE = "resource"
QUOTATION = "quotation"

# Field weights: an acronym or other name outranks the full label, which outranks a quotation.
WEIGHTS = {"altLabel": 3.0, "label": 2.0, QUOTATION: 1.0}
EXACT_FIELD = 20.0  # the whole field is the query ("SAARC", "greta")
PHRASE = 1.0  # the query's words stand together and in order
MATCH_EXACT, MATCH_STEM, MATCH_PREFIX = 1.0, 0.8, 0.5

QUOTATION_P = ox.NamedNode(TIP_NS + "quotation")
CITATION_P = ox.NamedNode(TIP_NS + "citation")
DOCUMENT = ox.NamedNode(TIP_NS + "document")
LOCATOR = ox.NamedNode(TIP_NS + "locator")
# What a claim-like node that cites a passage is about, in order of preference.
ABOUT = tuple(ox.NamedNode(iri) for iri in (TIP_NS + "subject", ORG_NS + "organization"))
ABOUT += (ox.NamedNode(TIP_NS + "partner"),)


@dataclass(frozen=True)
class Segment:
    """A run of a hit's text, matched by the query or not (plain text: callers escape it)."""

    text: str
    match: bool


@dataclass(frozen=True)
class Hit:
    """One search result.

    For a quotation, ``iri`` and ``citation`` are the citation's IRI, ``subject`` the
    resource it supports, and ``label`` the document and place ("A/HRC/14/32, para. 25").
    """

    iri: str
    label: str
    kind: str  # RESOURCE | QUOTATION
    field: str  # "label" | "altLabel" | "quotation"
    segments: tuple[Segment, ...]
    score: float
    subject: str | None = None
    citation: str | None = None

    @property
    def text(self) -> str:
        """The matched field's whole text."""
        return "".join(segment.text for segment in self.segments)

    def marked(self, before: str = "«", after: str = "»") -> str:
        """The text with each matched run between ``before`` and ``after``."""
        return "".join(f"{before}{s.text}{after}" if s.match else s.text for s in self.segments)


@dataclass(frozen=True)
class _Field:
    iri: str
    label: str
    kind: str
    field: str
    text: str
    tokens: tuple[Token, ...]
    folded: str
    subject: str | None = None
    citation: str | None = None


@dataclass(frozen=True)
class _QueryWord:
    folded: str
    stem: str
    prefix: bool  # the last word may be the start of a longer word


def _text(term) -> str:
    return unicodedata.normalize("NFC", term.value)


def _english(term) -> bool:
    return isinstance(term, ox.Literal) and (term.language in (None, "") or term.language == "en")


def _objects(store: ox.Store, subject, predicate) -> list[str]:
    return sorted(
        _text(q.object)
        for q in store.quads_for_pattern(subject, predicate, None)
        if _english(q.object)
    )


def _searchable_resource(iri: str) -> bool:
    """Resources of the graph (id:, concepts, schemes); not the ontology's own terms."""
    return iri.startswith(BASE) and not iri.startswith(TIP_NS) and iri != BASE + "def"


def _labels(store: ox.Store) -> dict[str, str]:
    """Every named resource's display label: rdfs:label, else skos:prefLabel."""
    labels: dict[str, str] = {}
    for predicate in (PREF_LABEL, LABEL):  # rdfs:label wins
        found: dict[str, list[str]] = {}
        for quad in store.quads_for_pattern(None, predicate, None):
            if isinstance(quad.subject, ox.NamedNode) and _english(quad.object):
                found.setdefault(quad.subject.value, []).append(_text(quad.object))
        labels.update({iri: min(values) for iri, values in found.items()})
    return labels


def _about(store: ox.Store, citation: ox.NamedNode, labels: dict[str, str]) -> str | None:
    """The resource a citation supports: the citing resource, or what a citing claim is about."""
    candidates = set()
    for quad in store.quads_for_pattern(None, CITATION_P, citation):
        citer = quad.subject
        targets = [
            q.object
            for predicate in ABOUT
            for q in store.quads_for_pattern(citer, predicate, None)
            if isinstance(q.object, ox.NamedNode)
        ]
        candidates.update(t.value for t in targets[:1] or [citer] if isinstance(t, ox.NamedNode))
    if not candidates:
        return None
    return min(candidates, key=lambda iri: (iri not in labels, iri))


def _field(iri, label, kind, field, text, subject=None, citation=None) -> _Field:
    tokens = tuple(tokenize(text))
    folded = " ".join(t.folded for t in tokens)
    return _Field(iri, label, kind, field, text, tokens, folded, subject, citation)


def _resource_fields(store: ox.Store, labels: dict[str, str]) -> list[_Field]:
    fields = []
    for iri in sorted(labels):
        if not _searchable_resource(iri):
            continue
        node = ox.NamedNode(iri)
        names = sorted(set(_objects(store, node, LABEL) + _objects(store, node, PREF_LABEL)))
        fields += [_field(iri, labels[iri], RESOURCE, "label", name) for name in names]
        alternatives = _objects(store, node, ALT_LABEL)
        fields += [_field(iri, labels[iri], RESOURCE, "altLabel", alt) for alt in alternatives]
    return fields


def _quotation_fields(store: ox.Store, labels: dict[str, str]) -> list[_Field]:
    fields = []
    quads = sorted(
        store.quads_for_pattern(None, QUOTATION_P, None), key=lambda q: (str(q.subject), str(q))
    )
    for quad in quads:
        if not isinstance(quad.subject, ox.NamedNode) or not isinstance(quad.object, ox.Literal):
            continue
        citation = quad.subject
        fields.append(
            _field(
                citation.value,
                _place(store, citation, labels),
                QUOTATION,
                QUOTATION,
                _text(quad.object),
                subject=_about(store, citation, labels),
                citation=citation.value,
            )
        )
    return fields


def _place(store: ox.Store, citation: ox.NamedNode, labels: dict[str, str]) -> str:
    """ "Document, locator" for a citation, as the saved queries show a place."""
    documents = sorted(
        labels.get(q.object.value, q.object.value)
        for q in store.quads_for_pattern(citation, DOCUMENT, None)
        if isinstance(q.object, ox.NamedNode)
    )
    locators = _objects(store, citation, LOCATOR)
    return ", ".join(part for part in (documents[:1] + locators[:1]) if part) or citation.value


def clean_query(text: str) -> str:
    """The query with control characters as spaces and runs of spaces as one; checked."""
    if not isinstance(text, str):
        raise InputError("the search text must be a string")
    cleaned = " ".join(
        "".join(
            " " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text
        ).split()
    )
    if not cleaned:
        raise InputError("the search text is empty")
    if len(cleaned) > MAX_QUERY:
        raise InputError(
            f"the search text is too long ({len(cleaned)} characters; at most {MAX_QUERY})"
        )
    if not folded_words(cleaned):
        raise InputError(f"the search text {cleaned!r} has no letters or digits to search for")
    return unicodedata.normalize("NFC", cleaned)


def _query_words(cleaned: str) -> list[_QueryWord]:
    words = folded_words(cleaned)
    return [
        _QueryWord(word, stem(word), index == len(words) - 1 and len(word) >= 3)
        for index, word in enumerate(words)
    ]


def _word_matches(word: _QueryWord, token: Token) -> float:
    if token.folded == word.folded:
        return MATCH_EXACT
    if token.stem == word.stem:
        return MATCH_STEM
    if word.prefix and token.folded.startswith(word.folded):
        return MATCH_PREFIX
    return 0.0


def _score(entry: _Field, words: list[_QueryWord], folded_query: str) -> tuple[float, set[int]]:
    """The field's score for the query (0 when a word is missing) and its matched tokens."""
    matched: set[int] = set()
    total = 0.0
    positions: list[list[int]] = []
    for word in words:
        best, where = 0.0, []
        for index, token in enumerate(entry.tokens):
            value = _word_matches(word, token)
            if value > 0:
                where.append(index)
                best = max(best, value)
        if best == 0.0:
            return 0.0, set()
        total += best
        matched.update(where)
        positions.append(where)
    score = WEIGHTS[entry.field] * total / len(words)
    if entry.folded == folded_query:
        score += EXACT_FIELD * WEIGHTS[entry.field]
    elif len(words) > 1 and any(
        all(start + offset in positions[offset] for offset in range(len(words)))
        for start in positions[0]
    ):
        score += PHRASE
    # Of two fields that match alike, the shorter one (more of it matched) ranks first.
    score += len(matched) / max(len(entry.tokens), 1)
    return round(score, 6), matched


def _segments(text: str, tokens: tuple[Token, ...], matched: set[int]) -> tuple[Segment, ...]:
    spans = sorted({(tokens[i].start, tokens[i].end) for i in matched})
    segments: list[Segment] = []
    position = 0

    def add(part: str, match: bool) -> None:
        if not part:
            return
        if segments and segments[-1].match == match:
            segments[-1] = Segment(segments[-1].text + part, match)
        else:
            segments.append(Segment(part, match))

    for start, end in spans:
        add(text[position:start], False)
        add(text[start:end], True)
        position = end
    add(text[position:], False)
    return tuple(segments)


class SearchIndex:
    """The searchable fields of a graph, built once; ``search`` is then pure Python."""

    def __init__(self, fields: list[_Field]) -> None:
        self._fields = fields

    @classmethod
    def from_store(cls, store) -> SearchIndex:
        """The index of an Oxigraph store (or an rdflib graph, copied into one)."""
        from tipgraph.engine import as_store

        store = as_store(store)
        labels = _labels(store)
        return cls(_resource_fields(store, labels) + _quotation_fields(store, labels))

    def __len__(self) -> int:
        return len(self._fields)

    def search(self, text: str, limit: int = 50) -> list[Hit]:
        """The best ``limit`` hits for ``text``, best first: one per resource (its best
        matching name) and one per matching quotation."""
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise InputError(f"the result limit must be a whole number from 1 to {MAX_LIMIT}")
        cleaned = clean_query(text)
        words = _query_words(cleaned)
        folded_query = " ".join(word.folded for word in words)
        best: dict[tuple[str, str], Hit] = {}
        for entry in self._fields:
            score, matched = _score(entry, words, folded_query)
            if score <= 0:
                continue
            key = (entry.kind, entry.iri)
            if key in best and best[key].score >= score:
                continue
            best[key] = Hit(
                iri=entry.iri,
                label=entry.label,
                kind=entry.kind,
                field=entry.field,
                segments=_segments(entry.text, entry.tokens, matched),
                score=score,
                subject=entry.subject,
                citation=entry.citation,
            )
        ranked = sorted(
            best.values(),
            key=lambda h: (-h.score, h.kind != RESOURCE, fold(h.label), h.iri, h.field),
        )
        return ranked[:limit]


def static_index(store) -> dict:
    """A JSON-serialisable index for the static site's search box (web_assets/search.js).

    Each entry has the resource's (or citation's) IRI, label, alternative labels, kind and
    ``text``: its names (or quotation) folded as :func:`tipgraph.textsearch.searchable` does,
    which the browser matches by substring and word prefix (no stemming there).
    """
    from tipgraph.engine import as_store

    store = as_store(store)
    labels = _labels(store)
    entries = []
    for iri in sorted(labels):
        if not _searchable_resource(iri):
            continue
        node = ox.NamedNode(iri)
        names = sorted(set(_objects(store, node, LABEL) + _objects(store, node, PREF_LABEL)))
        alternatives = _objects(store, node, ALT_LABEL)
        entries.append(
            {
                "iri": iri,
                "label": labels[iri],
                "altLabels": alternatives,
                "kind": RESOURCE,
                "text": searchable(" ".join(alternatives + names)),
            }
        )
    for entry in _quotation_fields(store, labels):
        entries.append(
            {
                "iri": entry.iri,
                "label": entry.label,
                "altLabels": [],
                "kind": QUOTATION,
                "text": entry.folded,
                "quotation": entry.text,
                "subject": entry.subject,
                "subjectLabel": labels.get(entry.subject) if entry.subject else None,
                "citation": entry.citation,
            }
        )
    return {
        "format": "tipgraph-search-index",
        "version": 1,
        "normalisation": "Unicode NFKD, combining marks removed, case-folded, words of letters "
        "and digits joined by single spaces",
        "entries": entries,
    }


def search_script() -> str:
    """The static site's search script (web_assets/search.js), see its header for use."""
    from importlib.resources import files

    return files("tipgraph").joinpath("web_assets", "search.js").read_text(encoding="utf-8")
