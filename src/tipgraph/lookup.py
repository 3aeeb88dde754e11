"""Finding a resource by what a person types: an IRI, a prefixed name, a slug, a name or an
acronym.

``https://w3id.org/tipgraph/id/saarc``, ``<…>``, ``id:saarc`` and ``saarc`` name a resource
directly. Anything else (or a slug with no ``id:`` resource) is looked up among the names the
graph gives: rdfs:label, skos:prefLabel, skos:altLabel (acronyms such as ``SAARC`` or
``GRETA``), dcterms:title and tip:iso3166Alpha3 (``BGD``), and the slugs of the named
resources, compared without case, accents or punctuation (``commit mekong`` finds
``COMMIT-Mekong``). A name given to several resources is refused with the list of them; a
name given to none, with up to five close ones.

The names of the last store asked about are kept (after changing that store, call
:func:`forget`); an rdflib graph is read on every call.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from tipgraph.errors import InputError
from tipgraph.namespaces import (
    BASE,
    ID_NS,
    PREFIXES,
    RDFS_NS,
    SKOS_NS,
    TIP_NS,
    shorten,
)
from tipgraph.slugs import SLUG
from tipgraph.store import has_type

PREFIXED = re.compile(r"^([a-z][a-z0-9-]*):([A-Za-z0-9][A-Za-z0-9_.-]*)\Z")
ABSOLUTE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+\Z")
WORD = re.compile(r"[^\W_]+")
DCTERMS_NS = "http://purl.org/dc/terms/"
LABEL_PROPERTIES = (RDFS_NS + "label", SKOS_NS + "prefLabel", DCTERMS_NS + "title")
NAME_PROPERTIES = (*LABEL_PROPERTIES, SKOS_NS + "altLabel", TIP_NS + "iso3166Alpha3")
MAX_NAME = 1000  # longer text is no name in the graph; it is not compared with every name
MAX_SUGGESTIONS = 5
MAX_CANDIDATES = 10
KINDS = "a slug, prefixed name or http(s) IRI"


def normalise(text: str) -> str:
    """Text as names are compared: case-folded, without accents, words apart by one space."""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(WORD.findall(folded))


def shown(text: str) -> str:
    """Typed text quoted for an error message: one line, at most 80 characters of it."""
    return repr(text[:80]) + (" (truncated)" if len(text) > 80 else "")


def direct(text: str) -> ox.NamedNode | None:
    """The IRI that a slug, prefixed name or IRI (bare or in <>) spells, or None for other text.

    An IRI that Oxigraph refuses is an InputError.
    """
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if SLUG.match(text):
        iri = ID_NS + text
    elif (match := PREFIXED.match(text)) and match.group(1) in PREFIXES:
        iri = PREFIXES[match.group(1)] + match.group(2)
    elif ABSOLUTE_IRI.match(text):
        iri = text
    else:
        return None
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise InputError(f"{shown(text)} is not a valid IRI") from error


def handle(iri: str) -> str:
    """What to type for a resource: its slug, else its prefixed name, else its IRI."""
    if iri.startswith(ID_NS) and SLUG.match(iri[len(ID_NS) :]):
        return iri[len(ID_NS) :]
    return shorten(iri)


@dataclass(frozen=True)
class Names:
    """The names of the graph's resources, by their normalised form."""

    resources: dict[str, set[str]]  # normalised name -> IRIs (not to be changed)
    labels: dict[str, str]  # IRI -> the label shown beside it

    def described(self, iri: str) -> str:
        text = self.labels.get(iri, "")
        label = " ".join("".join(c if c.isprintable() else " " for c in text).split())
        if len(label) > 60:
            label = label[:59] + "…"
        return f"{handle(iri)} ({label})" if label else handle(iri)


def _name_triples(source) -> Iterator[tuple[str, str, str]]:
    """(subject IRI, property, text) for every name; ``source`` is a store or an rdflib graph."""
    if isinstance(source, ox.Store):
        for prop in NAME_PROPERTIES:
            for quad in source.quads_for_pattern(None, ox.NamedNode(prop), None):
                if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                    yield quad.subject.value, prop, quad.object.value
        return
    from rdflib import Literal, URIRef

    for prop in NAME_PROPERTIES:
        for subject, value in source.subject_objects(URIRef(prop)):
            if isinstance(subject, URIRef) and isinstance(value, Literal):
                yield str(subject), prop, str(value)


def _slug(iri: str) -> str | None:
    if not iri.startswith(BASE):
        return None
    local = re.split(r"[/#]", iri)[-1]
    return local or None


def read_names(source) -> Names:
    """The names of every resource that has one, and the slug of each of those resources."""
    resources: dict[str, set[str]] = {}
    labels: dict[str, tuple[int, str]] = {}
    for iri, prop, text in _name_triples(source):
        key = normalise(text)
        if key:
            resources.setdefault(key, set()).add(iri)
        rank = LABEL_PROPERTIES.index(prop) if prop in LABEL_PROPERTIES else len(LABEL_PROPERTIES)
        if iri not in labels or (rank, text) < labels[iri]:
            labels[iri] = (rank, text)
    for iri in labels:
        slug = _slug(iri)
        if slug and (key := normalise(slug)):
            resources.setdefault(key, set()).add(iri)
    return Names(resources, {iri: text for iri, (_rank, text) in labels.items()})


_last: tuple[ox.Store, Names] | None = None  # the store is kept, so its id is not reused


def names_of(source) -> Names:
    """The names of a store (read once and kept for the last store asked about), or of an
    rdflib graph (read now)."""
    global _last
    if not isinstance(source, ox.Store):
        return read_names(source)
    if _last is not None and _last[0] is source:
        return _last[1]
    names = read_names(source)
    _last = (source, names)
    return names


def forget() -> None:
    """Read the names afresh at the next lookup (after the store was changed)."""
    global _last
    _last = None


def suggestions(names: Names, key: str) -> list[str]:
    """Up to five resources: first those with a name holding all the words of ``key`` (a
    normalised text), shortest first, then those with a name close to it, closest first."""
    if not key:
        return []
    import difflib  # only when nothing was found

    words = set(key.split())
    holding = sorted(
        (name for name in names.resources if words <= set(name.split())),
        key=lambda name: (len(name), name),
    )
    close = difflib.get_close_matches(key, names.resources, n=MAX_SUGGESTIONS * 2, cutoff=0.6)
    found: list[str] = []
    for name in holding + [name for name in close if name not in holding]:
        for iri in sorted(names.resources[name]):
            if iri not in found:
                found.append(iri)
            if len(found) == MAX_SUGGESTIONS:
                return found
    return found


def _not_found(names: Names | None, text: str, node: ox.NamedNode | None) -> InputError:
    if node is not None:
        message = f"no resource {shown(text)} in the graph"
        local = node.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    else:
        message = f"{shown(text)} is not {KINDS}, nor a name or acronym in the graph"
        local = text
    close = suggestions(names, normalise(local)) if names is not None else []
    if close:
        message += "; did you mean " + ", ".join(names.described(iri) for iri in close) + "?"
    return InputError(message)


def resolve(source, text: str) -> ox.NamedNode:
    """The resource that ``text`` names in ``source`` (an Oxigraph store or rdflib graph).

    A slug, prefixed name or IRI must name a typed resource, unless it is also a name (a slug
    with no ``id:`` resource: ``boys``); anything else must be the name of exactly one.
    Raises InputError, with the candidates or close names, otherwise.
    """
    value = text.strip()
    if not value:
        raise InputError(f"no name given: give {KINDS}, or a name or acronym")
    node = direct(value)
    if node is not None and has_type(source, node):
        return node
    if len(value) > MAX_NAME:
        raise _not_found(None, value, node)
    if node is not None and not SLUG.match(value):
        raise _not_found(names_of(source), value, node)
    names = names_of(source)
    found = names.resources.get(normalise(value), set())
    if len(found) == 1:
        return ox.NamedNode(next(iter(found)))
    if found:
        listed = sorted(found, key=handle)
        more = f" and {len(listed) - MAX_CANDIDATES} more" if len(listed) > MAX_CANDIDATES else ""
        candidates = ", ".join(names.described(iri) for iri in listed[:MAX_CANDIDATES])
        raise InputError(
            f"{shown(value)} names {len(listed)} resources: {candidates}{more}; give one of "
            "these instead"
        )
    raise _not_found(names, value, node)
