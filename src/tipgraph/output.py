"""Printing rows: a table for people, and csv, tsv, json, jsonl, markdown, sparql-json."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from tipgraph.namespaces import shorten

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown", "sparql-json")
NUMERIC = {XSD.integer, XSD.int, XSD.long, XSD.decimal, XSD.double, XSD.float, XSD.short}


def plain(term: Node | None, *, short: bool = False) -> str:
    """A term as text: IRIs in full (or prefixed with ``short``), literals by their lexical form."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return shorten(str(term)) if short else str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def json_value(term: Node | None):
    """A term as a JSON value: numbers and booleans as such, everything else as a string."""
    if isinstance(term, Literal):
        if term.datatype in NUMERIC:
            try:
                value = term.toPython()
                return value if isinstance(value, (int, float)) else float(value)
            except (TypeError, ValueError):
                return str(term)
        if term.datatype == XSD.boolean:
            return bool(term.toPython())
    return None if term is None else plain(term)


def sparql_json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    entry = {"type": "literal", "value": str(term)}
    if term.language:
        entry["xml:lang"] = term.language
    elif term.datatype:
        entry["datatype"] = str(term.datatype)
    return entry


def _table(variables: Sequence[str], cells: list[list[str]]) -> str:
    widths = [len(v) for v in variables]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(variables), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render(
    variables: Sequence[str],
    rows: Sequence[Sequence[Node | None]],
    fmt: str,
    *,
    full_iris: bool = False,
) -> str:
    """Rows in one of FORMATS. Table and markdown shorten IRIs unless ``full_iris``."""
    if fmt == "table":
        cells = [[plain(t, short=not full_iris).replace("\n", " ") for t in row] for row in rows]
        return _table(variables, cells)
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
    if fmt in ("json", "jsonl"):
        objects = [{v: json_value(t) for v, t in zip(variables, row, strict=True)} for row in rows]
        if fmt == "json":
            return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"
        return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)
    if fmt == "sparql-json":
        bindings = [
            {v: sparql_json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown output format {fmt!r}")
