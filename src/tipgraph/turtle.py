"""The one canonical Turtle form of the project's files, and deterministic serialisation."""

from __future__ import annotations

import json

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from tipgraph.namespaces import BASE, PREFIXES, bind_prefixes

FORMATS = {"turtle": "longturtle", "nt": "nt11", "trig": "trig", "jsonld": "json-ld"}
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
DATA_GRAPH = URIRef(BASE + "graph/data")


def _with_stable_blank_nodes(graph: Graph) -> Graph:
    """A copy whose blank node labels follow from the graph's content, so order is stable."""
    has_blank = any(isinstance(term, BNode) for triple in graph for term in triple)
    source = to_canonical_graph(graph) if has_blank else graph
    stable = Graph(bind_namespaces="none")
    bind_prefixes(stable)
    for triple in source:
        stable.add(triple)
    return stable


def canonical_turtle(graph: Graph) -> str:
    """The canonical Turtle text of a graph: sorted, project prefixes, stable blank nodes."""
    return _with_stable_blank_nodes(graph).serialize(format="longturtle")


def canonical_ntriples(graph: Graph) -> str:
    lines = graph.serialize(format="nt11").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def serialise(graph: Graph, fmt: str, ontology: Graph | None = None) -> str:
    """Serialise deterministically. For TriG, ``ontology`` goes in a graph of its own."""
    if fmt == "turtle":
        return canonical_turtle(graph)
    if fmt == "nt":
        return canonical_ntriples(graph)
    if fmt == "trig":
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace, override=True, replace=True)
        data = graph
        if ontology is not None:
            target = dataset.graph(ONTOLOGY_GRAPH)
            for triple in _with_stable_blank_nodes(ontology):
                target.add(triple)
            data = graph - ontology
        target = dataset.graph(DATA_GRAPH)
        for triple in _with_stable_blank_nodes(data):
            target.add(triple)
        return dataset.serialize(format="trig")
    if fmt == "jsonld":
        context = {prefix: namespace for prefix, namespace in PREFIXES.items()}
        text = _with_stable_blank_nodes(graph).serialize(format="json-ld", context=context)
        document = json.loads(text)
        if isinstance(document.get("@graph"), list):
            document["@graph"].sort(key=lambda node: json.dumps(node, sort_keys=True))
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
