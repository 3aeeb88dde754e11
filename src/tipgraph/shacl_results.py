"""The results of a SHACL report as findings: which node, which triple, which rule.

A finding keeps the full keys of its focus node, path and value (to find them in the files)
beside the short forms a report shows. Its rule is the named shape the constraint belongs to
and the constraint component (``tip:CitationShape/Datatype``), the same whichever engine ran:
a property shape is a blank node whose identifier differs between engines, so it is named after
the node shape that holds it, found by its constraints (and, where several node shapes hold
identical property shapes, by the focus node's classes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from tipgraph.citations import node_key
from tipgraph.locations import LITERAL
from tipgraph.namespaces import TIP, shorten

WHOLE_GRAPH = TIP.dataGraph
IRI_IN_TEXT = re.compile(r"https?://[^\s<>\"'{}|\\^`]+[^\s<>\"'{}|\\^`.,;:)]")
SEVERITIES = {"Violation", "Warning", "Info"}


@dataclass(frozen=True)
class Finding:
    """One problem, before it is located in the files.

    ``focus`` and ``value`` are node keys (a literal value is ``"`` + its lexical form),
    ``path`` an IRI; each may be "" when the result has none.
    """

    focus: str
    path: str
    value: str
    message: str
    severity: str
    rule: str
    shape: str = ""
    file: str = ""  # the file the problem is known to be in, when it is known
    datatype: str = ""  # the datatype of a literal value


def shorten_iris(text: str) -> str:
    return IRI_IN_TEXT.sub(lambda match: shorten(match.group(0)), text)


def term_key(value: Node | None) -> str:
    """The key of a term of the results graph (see ``Finding``)."""
    if value is None:
        return ""
    if isinstance(value, Literal):
        return LITERAL + str(value)
    if isinstance(value, BNode):
        return f"_:{value}"
    return str(value)


def key_text(key: str) -> str:
    """A key as reports show it: a prefixed name, a literal's lexical form, "(blank node)"."""
    if not key:
        return ""
    if key.startswith(LITERAL):
        return key[1:]
    if key.startswith("_:"):
        return "(blank node)"
    return shorten(key)


def _signature(graph: Graph, shape: Node) -> frozenset[tuple[Node, Node]]:
    """What identifies a property shape in any copy of it: its non-blank constraints."""
    return frozenset(
        (predicate, value)
        for predicate, value in graph.predicate_objects(shape)
        if not isinstance(value, BNode)
    )


class ShapeNames:
    """Names the shape of each result: an IRI shape by itself, a blank one by its holder."""

    def __init__(self, shapes_file: Path, types_of: Callable[[str], set[str]]) -> None:
        self.shapes_file = shapes_file
        self.types_of = types_of
        self._holders: dict[frozenset, list[tuple[str, set[str]]]] | None = None

    def _holder_index(self) -> dict[frozenset, list[tuple[str, set[str]]]]:
        if self._holders is None:
            shapes = Graph().parse(self.shapes_file, format="turtle")
            index: dict[frozenset, list[tuple[str, set[str]]]] = {}
            for holder, shape in shapes.subject_objects(SH.property):
                if isinstance(holder, URIRef) and isinstance(shape, BNode):
                    targets = {str(t) for t in shapes.objects(holder, SH.targetClass)}
                    index.setdefault(_signature(shapes, shape), []).append((str(holder), targets))
            for holders in index.values():
                holders.sort()
            self._holders = index
        return self._holders

    def name(self, results: Graph, shape: Node | None, focus: str) -> str:
        if shape is None:
            return ""
        if isinstance(shape, URIRef):
            return shorten(str(shape))
        holders = self._holder_index().get(_signature(results, shape), [])
        if len(holders) > 1:
            types = self.types_of(focus)
            holders = [h for h in holders if h[1] & types] or holders
        if holders:
            return shorten(holders[0][0])
        path = results.value(shape, SH.path)
        return f"[{shorten(str(path))}]" if isinstance(path, URIRef) else "(blank shape)"


def findings(results: Graph, names: ShapeNames) -> list[Finding]:
    """The results graph's results, whichever engine made them, as findings."""
    found = []
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        if focus == WHOLE_GRAPH and value is not None:
            focus, value = value, None  # whole-graph rules report the offending resource as value
        focus_key = term_key(focus)
        component = results.value(result, SH.sourceConstraintComponent)
        component_name = (
            str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
            if component is not None
            else "Constraint"
        )
        shape = names.name(results, results.value(result, SH.sourceShape), focus_key)
        level = str(severity).rsplit("#", 1)[-1] if severity else "Violation"
        found.append(
            Finding(
                focus=focus_key,
                path=str(path) if isinstance(path, URIRef) else "",
                value=term_key(value),
                message=shorten_iris(str(message)) if message is not None else "constraint not met",
                severity=level if level in SEVERITIES else "Violation",
                rule=f"{shape or 'shape'}/{component_name}",
                shape=shape,
                datatype=str(value.datatype or "") if isinstance(value, Literal) else "",
            )
        )
    return found


def types_in_store(store) -> Callable[[str], set[str]]:
    """The classes of a node (by key) in an Oxigraph store."""
    import pyoxigraph as ox

    rdf_type = ox.NamedNode(str(RDF.type))

    def types_of(key: str) -> set[str]:
        if not key or key.startswith(("_:", LITERAL)):
            return set()
        return {
            node_key(quad.object)
            for quad in store.quads_for_pattern(ox.NamedNode(key), rdf_type, None)
        }

    return types_of
