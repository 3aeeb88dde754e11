"""The namespaces of the graph and the one prefix map used everywhere (files, queries, output)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

BASE = "https://w3id.org/tipgraph/"
TIP = Namespace(BASE + "def/")
ID = Namespace(BASE + "id/")
SCHEME = Namespace(BASE + "scheme/")
CONCEPT = Namespace(BASE + "concept/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")

CONCEPT_PREFIXES = {
    "theme": "theme",
    "target": "target-group",
    "exploitation": "exploitation",
    "itype": "instrument-type",
    "region": "region",
    "scope": "scope",
    "role": "role",
    "function": "body-function",
    "status": "response-status",
}

PREFIXES: dict[str, str] = {
    "tip": str(TIP),
    "id": str(ID),
    "scheme": str(SCHEME),
    **{prefix: f"{CONCEPT}{scheme}/" for prefix, scheme in CONCEPT_PREFIXES.items()},
    "eli": str(ELI),
    "org": str(ORG),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
}


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on a graph, replacing rdflib's defaults."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def shorten(iri: str) -> str:
    """A prefixed name for an IRI in a known namespace, else the IRI itself."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            local = iri[len(namespace) :]
            if local and "/" not in local and "#" not in local:
                best = namespace
                name = f"{prefix}:{local}"
    return name if best else iri
