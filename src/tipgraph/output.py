"""Printing rows: a table for people, and csv, tsv, json, jsonl, markdown, sparql-json."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyoxigraph as ox

from tipgraph.namespaces import XSD_NS, shorten
from tipgraph.sparql_text import Term, as_term
from tipgraph.tables import layout

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown", "sparql-json")
# Formats for reading show names with their acronyms; the data formats give the values exactly
# as the engine returns them, so that the same .rq on another store gives the same answer.
READING_FORMATS = ("table", "markdown")
INTEGERS = {
    XSD_NS + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
DECIMALS = {XSD_NS + "decimal", XSD_NS + "double", XSD_NS + "float"}
BOOLEAN = XSD_NS + "boolean"


def integer_literal(number: int) -> ox.Literal:
    return ox.Literal(str(number), datatype=ox.NamedNode(XSD_NS + "integer"))


def plain(term: Term | None, *, short: bool = False) -> str:
    """A term as text: IRIs in full (or prefixed with ``short``), literals by their lexical form."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value) if short else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def json_value(term: Term | None):
    """A term as a JSON value: numbers and booleans as such, everything else as a string.

    A number JSON cannot hold (NaN, infinity, an ill-typed lexical form) stays a string.
    """
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        text = term.value.strip()
        if datatype in INTEGERS:
            try:
                return int(text)
            except ValueError:
                return term.value
        if datatype in DECIMALS:
            try:
                number = float(text)
            except ValueError:
                return term.value
            return number if math.isfinite(number) else term.value
        if datatype == BOOLEAN and text in ("true", "false", "1", "0"):
            return text in ("true", "1")
    return None if term is None else plain(term)


def sparql_json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    entry = {"type": "literal", "value": term.value}
    if term.language:
        entry["xml:lang"] = term.language
    elif term.datatype.value != XSD_NS + "string":
        entry["datatype"] = term.datatype.value
    return entry


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render(
    variables: Sequence[str],
    rows: Sequence[Sequence[Term | None]],
    fmt: str,
    *,
    full_iris: bool = False,
    width: int | None = None,
) -> str:
    """Rows in one of FORMATS. Table and markdown shorten IRIs unless ``full_iris``.

    The table, for people, puts label columns first; with ``width`` (0 for no limit) it fits
    in that many terminal columns (see :mod:`tipgraph.tables`). Other formats ignore ``width``
    and keep every column in order.
    """
    rows = [[None if t is None else as_term(t) for t in row] for row in rows]
    if fmt == "table":
        cells = [[plain(t, short=not full_iris) for t in row] for row in rows]
        return layout(variables, cells, width or None)
    if fmt == "markdown":
        head = (
            "| " + " | ".join(variables) + " |\n| " + " | ".join("---" for _ in variables) + " |\n"
        )
        body = "".join(
            "| " + " | ".join(_markdown_cell(plain(t, short=not full_iris)) for t in row) + " |\n"
            for row in rows
        )
        return head + body
    if fmt in ("csv", "tsv"):
        import csv
        import io

        buffer = io.StringIO()
        if fmt == "csv":
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(variables)
            writer.writerows([[plain(t) for t in row] for row in rows])
        else:
            buffer.write("\t".join(variables) + "\n")
            for row in rows:
                fields = (plain(t).replace("\t", " ").replace("\n", " ") for t in row)
                buffer.write("\t".join(fields) + "\n")
        return buffer.getvalue()
    import json

    if fmt in ("json", "jsonl"):
        objects = [{v: json_value(t) for v, t in zip(variables, row, strict=True)} for row in rows]
        if fmt == "json":
            return json.dumps(objects, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        return "".join(json.dumps(o, ensure_ascii=False, allow_nan=False) + "\n" for o in objects)
    if fmt == "sparql-json":
        bindings = [
            {v: sparql_json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    raise ValueError(f"unknown output format {fmt!r}")
