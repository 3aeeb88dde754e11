"""``tipgraph stats``: what the graph holds, by class, by source document, and its citations."""

from __future__ import annotations

import pyoxigraph as ox

from tipgraph.engine import run_sparql
from tipgraph.namespaces import XSD_NS, shorten

INTEGER = ox.NamedNode(XSD_NS + "integer")

BY_CLASS = """
SELECT ?class (COUNT(DISTINCT ?resource) AS ?count) WHERE {
  ?resource a ?class .
  FILTER(STRSTARTS(STR(?resource), STR(id:)))
} GROUP BY ?class ORDER BY ?class
"""

GROUPS = [
    ("mechanisms", "?r a tip:Mechanism"),
    (
        "organisations (mechanisms and others, not bodies)",
        "{ ?r a org:FormalOrganization } UNION { ?r a org:OrganizationalCollaboration }",
    ),
    ("bodies", "?r a org:OrganizationalUnit"),
    ("sites", "?r a org:Site"),
    ("states", "?r a tip:State"),
    ("instruments and initiatives", "?r a tip:Instrument"),
    ("partnerships", "?r a tip:Partnership"),
    ("memberships", "?r a org:Membership"),
    ("coverage claims", "?r a tip:CoverageClaim"),
    ("value claims (values with citations of their own)", "?r a tip:ValueClaim"),
    ("recommendations met (claims)", "?r a tip:RecommendationMet"),
    ("questionnaire responses", "?r a tip:QuestionnaireResponse"),
    ("recommendations", "?r a tip:Recommendation"),
    ("events", "?r a tip:Event"),
    ("citations", "?r a tip:Citation"),
]

BY_DOCUMENT = """
SELECT ?documentLabel (COUNT(DISTINCT ?citation) AS ?count) WHERE {
  ?citation a tip:Citation ; tip:document ?document .
  ?document rdfs:label ?documentLabel .
} GROUP BY ?documentLabel ORDER BY ?documentLabel
"""


def _count(source: ox.Store, pattern: str) -> int:
    rows = run_sparql(source, f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {pattern} }}", "stats")
    return int(rows.rows[0][0].value)


def stats_rows(source: ox.Store) -> list[tuple[ox.Literal, ox.Literal, ox.Literal]]:
    """Rows of (section, name, count), counted on the query store."""

    def row(section: str, name: str, count: int) -> tuple[ox.Literal, ox.Literal, ox.Literal]:
        return ox.Literal(section), ox.Literal(name), ox.Literal(str(count), datatype=INTEGER)

    rows = [row("summary", name, _count(source, pattern)) for name, pattern in GROUPS]
    for document, count in run_sparql(source, BY_DOCUMENT, "stats").rows:
        rows.append(row("citations by document", document.value, int(count.value)))
    for name, count in run_sparql(source, BY_CLASS, "stats").rows:
        rows.append(row("resources by class", shorten(name.value), int(count.value)))
    rows.append(row("triples", "total", len(source)))
    return rows
