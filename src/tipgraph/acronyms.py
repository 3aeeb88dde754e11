"""Acronyms: which alternative name of a resource is its acronym, and names shown with it.

The graph records acronyms as ``skos:altLabel`` beside other alternative names ("Hague
Programme", "Council of the EU"); an acronym is the one-word kind, at least two capitals
("SAARC", "CoE", "COMP.ACT"). Answers for people show it beside the full name,
"South Asian Association for Regional Cooperation (SAARC)", in every ``…Label`` column whose
resource column (the same name without ``Label``) holds a resource that has one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pyoxigraph as ox

from tipgraph.namespaces import SKOS_NS
from tipgraph.sparql_text import Term

ACRONYM = re.compile(r"[A-Z][A-Za-z.&-]{1,11}")
ALT_LABEL = ox.NamedNode(SKOS_NS + "altLabel")
LABEL_SUFFIX = "Label"


def is_acronym(text: str) -> bool:
    return bool(ACRONYM.fullmatch(text)) and sum(c.isupper() for c in text) >= 2


def acronym(store: ox.Store, iri: str) -> str | None:
    """The shortest acronym the graph records for ``iri`` (ties by text), or None."""
    found = sorted(
        (len(q.object.value), q.object.value)
        for q in store.quads_for_pattern(ox.NamedNode(iri), ALT_LABEL, None)
        if is_acronym(q.object.value)
    )
    return found[0][1] if found else None


def named(label: str, short: str | None) -> str:
    """``label (ACRONYM)``, unless there is none or the label already spells it as a word."""
    if not short or re.search(rf"(?<!\w){re.escape(short)}(?!\w)", label):
        return label
    return f"{label} ({short})"


def with_acronyms(
    store: ox.Store, variables: Sequence[str], rows: Sequence[Sequence[Term | None]]
) -> list[list[Term | None]]:
    """The rows with each ``xLabel`` literal of a resource ``x`` that has an acronym shown as
    ``label (ACRONYM)``; everything else, and the rows' order, as given."""
    pairs = [
        (variables.index(name[: -len(LABEL_SUFFIX)]), index)
        for index, name in enumerate(variables)
        if name.endswith(LABEL_SUFFIX) and name[: -len(LABEL_SUFFIX)] in variables
    ]
    known: dict[str, str | None] = {}
    shown: list[list[Term | None]] = []
    for row in rows:
        cells = list(row)
        for resource_index, label_index in pairs:
            resource, label = cells[resource_index], cells[label_index]
            if not isinstance(resource, ox.NamedNode) or not isinstance(label, ox.Literal):
                continue
            if resource.value not in known:
                known[resource.value] = acronym(store, resource.value)
            text = named(label.value, known[resource.value])
            if text != label.value:
                cells[label_index] = ox.Literal(text, language=label.language or None)
        shown.append(cells)
    return shown
