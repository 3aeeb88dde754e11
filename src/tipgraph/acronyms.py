"""Acronyms: which alternative name of a resource is its acronym, and names shown with it.

The graph records acronyms as ``skos:altLabel`` beside other alternative names ("Hague
Programme", "Council of the EU"); an acronym is the one-word kind, at least two capitals
("SAARC", "CoE", "COMP.ACT"). Answers for people show it beside the full name,
"South Asian Association for Regional Cooperation (SAARC)", in every ``…Label`` column whose
resource column (the same name without ``Label``) holds a resource that has one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

import pyoxigraph as ox

from tipgraph.sparql_text import Term
from tipgraph.store import ALT_LABEL

ACRONYM = re.compile(r"[A-Z][A-Za-z.&-]{1,11}")
LABEL_SUFFIX = "Label"

AcronymLookup = Callable[[Collection[str]], Mapping[str, str]]
"""Maps IRIs to their acronyms (those that have one), from a local graph or an endpoint."""


def is_acronym(text: str) -> bool:
    return bool(ACRONYM.fullmatch(text)) and sum(c.isupper() for c in text) >= 2


def acronym(store: ox.Store, iri: str) -> str | None:
    """The shortest acronym the graph records for ``iri`` (ties by text), or None."""
    return shortest(
        q.object.value for q in store.quads_for_pattern(ox.NamedNode(iri), ALT_LABEL, None)
    )


def shortest(names: Iterable[str]) -> str | None:
    found = sorted((len(name), name) for name in names if is_acronym(name))
    return found[0][1] if found else None


def named(label: str, short: str | None) -> str:
    """``label (ACRONYM)``, unless there is none or the label already spells it as a word."""
    if not short or re.search(rf"(?<!\w){re.escape(short)}(?!\w)", label):
        return label
    return f"{label} ({short})"


def _pairs(variables: Sequence[str]) -> list[tuple[int, int]]:
    """(resource column, label column) for every ``xLabel`` column beside an ``x`` column."""
    return [
        (variables.index(name[: -len(LABEL_SUFFIX)]), index)
        for index, name in enumerate(variables)
        if name.endswith(LABEL_SUFFIX) and name[: -len(LABEL_SUFFIX)] in variables
    ]


def labelled_resources(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> set[str]:
    """The IRIs whose labels the rows show, the ones whose acronyms are wanted."""
    pairs = _pairs(variables)
    return {
        row[resource].value
        for row in rows
        for resource, label in pairs
        if isinstance(row[resource], ox.NamedNode) and isinstance(row[label], ox.Literal)
    }


def in_store(store: ox.Store) -> AcronymLookup:
    """Acronyms from a local graph."""

    def lookup(iris: Collection[str]) -> dict[str, str]:
        found = {iri: acronym(store, iri) for iri in iris}
        return {iri: short for iri, short in found.items() if short}

    return lookup


def with_acronyms(
    lookup: AcronymLookup, variables: Sequence[str], rows: Sequence[Sequence[Term | None]]
) -> list[list[Term | None]]:
    """The rows with each ``xLabel`` literal of a resource ``x`` that has an acronym shown as
    ``label (ACRONYM)``; everything else, and the rows' order, as given."""
    pairs = _pairs(variables)
    acronyms = lookup(labelled_resources(variables, rows)) if pairs else {}
    shown: list[list[Term | None]] = []
    for row in rows:
        cells = list(row)
        for resource_index, label_index in pairs:
            resource, label = cells[resource_index], cells[label_index]
            if not isinstance(resource, ox.NamedNode) or not isinstance(label, ox.Literal):
                continue
            text = named(label.value, acronyms.get(resource.value))
            if text != label.value:
                cells[label_index] = ox.Literal(text, language=label.language or None)
        shown.append(cells)
    return shown
