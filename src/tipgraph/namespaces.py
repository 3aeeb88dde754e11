"""The namespaces of the graph and the one prefix map used everywhere (files, queries, output).

Plain strings, so that the query path never imports rdflib; ``TIP``, ``ID``, ``SCHEME``,
``CONCEPT`` and ``ELI`` as rdflib namespaces are made on first use, for the code that works
with rdflib graphs.
"""

from __future__ import annotations

BASE = "https://w3id.org/tipgraph/"
TIP_NS = BASE + "def/"
ID_NS = BASE + "id/"
SCHEME_NS = BASE + "scheme/"
CONCEPT_NS = BASE + "concept/"
ELI_NS = "http://data.europa.eu/eli/ontology#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
ORG_NS = "http://www.w3.org/ns/org#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
SH_NS = "http://www.w3.org/ns/shacl#"

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
    "lifecycle": "lifecycle",
    "absent": "absence",
    "qualifier": "quantity-qualifier",
}

PREFIXES: dict[str, str] = {
    "tip": TIP_NS,
    "id": ID_NS,
    "scheme": SCHEME_NS,
    **{prefix: f"{CONCEPT_NS}{scheme}/" for prefix, scheme in CONCEPT_PREFIXES.items()},
    "eli": ELI_NS,
    "org": ORG_NS,
    "skos": SKOS_NS,
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": OWL_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "xsd": XSD_NS,
    "sh": SH_NS,
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


_RDFLIB_NAMESPACES = {
    "TIP": TIP_NS,
    "ID": ID_NS,
    "SCHEME": SCHEME_NS,
    "CONCEPT": CONCEPT_NS,
    "ELI": ELI_NS,
}


def __getattr__(name: str):
    if name in _RDFLIB_NAMESPACES:
        from rdflib import Namespace

        namespace = Namespace(_RDFLIB_NAMESPACES[name])
        globals()[name] = namespace
        return namespace
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
