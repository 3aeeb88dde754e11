"""Query answers in the SPARQL 1.1 result formats (JSON, XML, CSV, TSV) and, for CONSTRUCT and
DESCRIBE, as Turtle, N-Triples or JSON-LD."""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from tipgraph.engine import Rows
from tipgraph.namespaces import XSD_NS
from tipgraph.output import render

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RESULT_TYPES = (SPARQL_JSON, SPARQL_XML, CSV, TSV, "application/json")
GRAPH_TYPES = (TURTLE, NTRIPLES, JSONLD)


def _is_true(rows: Rows) -> bool:
    return bool(rows.rows) and rows.rows[0][0] is not None and rows.rows[0][0].value == "true"


def boolean_answer(rows: Rows, media: str) -> bytes:
    """An ASK answer."""
    value = _is_true(rows)
    if media in (SPARQL_JSON, "application/json"):
        return json.dumps({"head": {}, "boolean": value}).encode() + b"\n"
    if media == SPARQL_XML:
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
            f"  <head/>\n  <boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n"
        ).encode()
    return f"{'true' if value else 'false'}\n".encode()


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    attributes = ""
    if term.language:
        attributes = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != XSD_NS + "string":
        attributes = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attributes}>{escape(term.value)}</literal>"


def _xml(rows: Rows) -> str:
    out = [
        '<?xml version="1.0"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
        "  <head>",
        *(f"    <variable name={quoteattr(v)}/>" for v in rows.variables),
        "  </head>",
        "  <results>",
    ]
    for row in rows.rows:
        out.append("    <result>")
        for variable, term in zip(rows.variables, row, strict=True):
            if term is not None:
                out.append(f"      <binding name={quoteattr(variable)}>{_xml_term(term)}</binding>")
        out.append("    </result>")
    out += ["  </results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _csv(rows: Rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(rows.variables)
    writer.writerows([["" if t is None else t.value for t in row] for row in rows.rows])
    return buffer.getvalue()


def _tsv(rows: Rows) -> str:
    """SPARQL TSV: variables with their ``?``, terms in their N-Triples form."""
    lines = ["\t".join(f"?{v}" for v in rows.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows.rows]
    return "\n".join(lines) + "\n"


def solutions_answer(rows: Rows, media: str) -> bytes:
    """A SELECT answer in the SPARQL result format ``media``."""
    if media in (SPARQL_JSON, "application/json"):
        text = render(rows.variables, rows.rows, "sparql-json")
    elif media == SPARQL_XML:
        text = _xml(rows)
    elif media == CSV:
        text = _csv(rows)
    elif media == TSV:
        text = _tsv(rows)
    else:
        raise ValueError(f"unknown result format {media}")
    return text.encode("utf-8")


def graph_answer(triples: list, media: str) -> bytes:
    """A CONSTRUCT or DESCRIBE answer as Turtle, N-Triples or JSON-LD, in a stable order."""
    from tipgraph.export import turtle_of

    if media == TURTLE:
        return turtle_of(triples)
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    lines = sorted(line for line in text.split(b"\n") if line)
    if media == NTRIPLES:
        return b"".join(line + b"\n" for line in lines)
    if media == JSONLD:
        ordered = ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES)
        document = json.loads(ox.serialize(ordered, format=ox.RdfFormat.JSON_LD))
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n"
    raise ValueError(f"unknown graph format {media}")
