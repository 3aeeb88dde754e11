"""pySHACL's wording for results of constraints that have no sh:message.

pyshacl-turbo words the default messages of some constraint components as pySHACL does (counts,
lengths, class, node, pattern, qualified counts) but falls back to "XConstraintComponent
violated at <focus>" for the others. A report must read the same whichever engine ran, so those
fallbacks are reworded here as pySHACL 0.40 words them, for the components the shapes use
without a message (datatype, node kind, value ranges, sh:or). A fallback for any other component
is left as it is; the engine tests compare every message with pySHACL's.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from tipgraph.namespaces import bind_prefixes, shorten

FALLBACK = re.compile(r"^(\w+)ConstraintComponent violated at ")
RANGES = {
    "MinInclusive": (SH.minInclusive, ">="),
    "MinExclusive": (SH.minExclusive, ">"),
    "MaxInclusive": (SH.maxInclusive, "<="),
    "MaxExclusive": (SH.maxExclusive, "<"),
}
MAX_DEPTH = 12


def _iri(iri: URIRef) -> str:
    short = shorten(str(iri))
    return short if short != str(iri) else f"<{iri}>"


def _literal(literal: Literal) -> str:
    lexical = str(literal)
    value = None if literal.value is None else str(literal.value).split(" object at 0x")[0]
    text = f'"{lexical}" = {value}' if value is not None and value != lexical else f'"{lexical}"'
    if literal.language:
        text += f", lang={literal.language}"
    if literal.datatype and literal.datatype != XSD.string:  # plain in rdflib, typed in turbo
        text += f", datatype={_iri(literal.datatype)}"
    return f"Literal({text})"


def stringify(graph: Graph, node: Node, depth: int = 0) -> str:
    """A node as pySHACL writes it in messages: prefixed IRIs, Literal(...), [ p o ; ... ]."""
    if isinstance(node, Literal):
        return _literal(node)
    if isinstance(node, URIRef):
        return _iri(node)
    if not isinstance(node, BNode):
        return str(node)
    if depth >= MAX_DEPTH:
        return "<http://recursion.too.deep>"
    if (node, RDF.first, None) in graph:
        return "( {} )".format(" ".join(stringify(graph, i, depth + 1) for i in graph.items(node)))
    parts = {}
    for predicate in set(graph.predicates(node)):
        objects = sorted(stringify(graph, o, depth + 1) for o in graph.objects(node, predicate))
        parts[_iri(predicate)] = ", ".join(objects)
    if not parts:
        return "[ ]"
    return "[ {} ]".format(" ; ".join(f"{p} {o}" for p, o in sorted(parts.items())))


class DefaultMessages:
    """Rewords the engine's fallback messages in a results graph, in place."""

    def __init__(self, results: Graph, shapes_file: Path) -> None:
        self.results = results
        self.shapes_file = shapes_file
        self._shapes: Graph | None = None

    def _shape_graph(self, shape: Node) -> Graph:
        """Where the shape's constraints are: the report copies blank-node shapes, not named."""
        if isinstance(shape, BNode) or (shape, None, None) in self.results:
            return self.results
        if self._shapes is None:
            self._shapes = Graph().parse(self.shapes_file, format="turtle")
        return self._shapes

    def _message(self, component: str, result: Node) -> str | None:
        shape = self.results.value(result, SH.sourceShape)
        if shape is None:
            return None
        graph = self._shape_graph(shape)
        if component == "Datatype":
            datatype = graph.value(shape, SH.datatype)
            return (
                None if datatype is None else f"Value is not Literal with datatype {_iri(datatype)}"
            )
        if component == "NodeKind":
            kind = graph.value(shape, SH.nodeKind)
            return None if kind is None else f"Value is not of Node Kind {_iri(kind)}"
        if component in RANGES:
            parameter, operator = RANGES[component]
            limit = graph.value(shape, parameter)
            return None if limit is None else f"Value is not {operator} {stringify(graph, limit)}"
        if component == "Or":
            choices = graph.value(shape, SH["or"])
            value = self.results.value(result, SH.value)
            if choices is None or value is None:
                return None
            shapes = " , ".join(stringify(graph, item) for item in graph.items(choices))
            return (
                f"Node {stringify(self.results, value)} must conform to one or more shapes "
                f"in {shapes}"
            )
        return None

    def reword(self) -> None:
        bind_prefixes(self.results)
        for result in list(self.results.objects(None, SH.result)):
            message = self.results.value(result, SH.resultMessage)
            match = FALLBACK.match(str(message)) if message is not None else None
            reworded = match and self._message(match.group(1), result)
            if reworded:
                self.results.set((result, SH.resultMessage, Literal(reworded)))
