"""The runs of the saved queries that every engine must answer alike, and how rows compare.

Each saved query runs with its defaults and with the values below, so that each parameter is
tried with more than one value. Rows compare as RDF terms, in the order the query fixes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from rdflib import Literal

from tipgraph.catalogue import Catalogue, SavedQuery
from tipgraph.rdflib_bridge import to_rdflib
from tipgraph.sparql_text import as_term

ROOT = Path(__file__).resolve().parent.parent

EXPLICIT_VALUES: dict[str, list[dict[str, str]]] = {
    "instruments-adopted-between": [{"from": "1990", "to": "2020"}, {"from": "2002", "to": "2002"}],
    "instruments-by-organization": [{"organization": "ecowas"}, {"organization": "id:coe"}],
    "instruments-by-type": [{"type": "itype:plan-of-action"}],
    "implementing-instruments": [{"instrument": "saarc-convention"}],
    "mechanisms-by-region": [{"region": "region:africa"}],
    "mechanisms-covering-exploitation-form": [{"form": "exploitation:labour-exploitation"}],
    "mechanisms-covering-theme": [{"theme": "theme:prevention"}],
    "members-of": [{"mechanism": "commit-mekong"}],
    "partners-of": [{"organization": "uniap"}],
    "plans-in-force-in-year": [{"year": "2010"}],
    "secretariat-of": [{"mechanism": "commit-mekong"}],
    "bodies-of": [{"mechanism": "saarc"}],
    "treaty-participation": [{"treaty": "eu-directive-trafficking"}],
}


def case_label(name: str, values: dict[str, str]) -> str:
    """A run's name: the query's, with its values in brackets (empty for the defaults)."""
    return f"{name}[{','.join(f'{k}={v}' for k, v in values.items())}]"


def saved_query_runs() -> list[tuple[SavedQuery, dict[str, str]]]:
    """Every saved query with its defaults, then with each set of explicit values."""
    return [
        (query, values)
        for query in Catalogue(ROOT / "queries")
        for values in [{}, *EXPLICIT_VALUES.get(query.name, [])]
    ]


def saved_query_cases() -> list:
    """The runs as pytest parameters named by :func:`case_label`."""
    return [
        pytest.param(query, values, id=case_label(query.name, values))
        for query, values in saved_query_runs()
    ]


GROUP_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\((?:[^;()]|\([^()]*\))*?"
    r"(?:;\s*SEPARATOR\s*=\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'))?\s*\)\s*AS\s+[?$](\w+)",
    re.I,
)
ORDER_BY = re.compile(r"ORDER\s+BY\s+(.*?)(?:\bLIMIT\b|\bOFFSET\b|\Z)", re.I | re.S)


def _term_key(term, separator: str | None) -> tuple[str, ...]:
    if term is None:
        return ("unbound",)
    term = to_rdflib(as_term(term))
    text = str(term)
    if separator is not None:
        text = separator.join(sorted(text.split(separator)))
    if isinstance(term, Literal):
        return ("literal", text, str(term.datatype or ""), str(term.language or ""))
    return (type(term).__name__, text)


def comparable(text: str, variables: Sequence[str], rows) -> list:
    """Rows as term keys, in runs of rows with equal ORDER BY values.

    SPARQL leaves the order of rows that tie on every ORDER BY key, and the order of
    GROUP_CONCAT parts, to each engine; so the runs must come in the same order, but the
    rows inside a run, and the parts of a GROUP_CONCAT value, may come in any order.
    """
    separators = {var: (sep[1:-1] if sep else " ") for sep, var in GROUP_CONCAT.findall(text)}
    clauses = ORDER_BY.findall(text)
    ordered = set(re.findall(r"[?$](\w+)", clauses[-1])) if clauses else set()
    key_columns = [i for i, variable in enumerate(variables) if variable in ordered]
    runs: list[tuple[tuple, list]] = []
    for row in rows:
        cells = tuple(_term_key(t, separators.get(v)) for v, t in zip(variables, row, strict=True))
        key = tuple(cells[i] for i in key_columns)
        if runs and runs[-1][0] == key:
            runs[-1][1].append(cells)
        else:
            runs.append((key, [cells]))
    return [(key, sorted(cells)) for key, cells in runs]
