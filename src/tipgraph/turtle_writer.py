"""The project's deterministic Turtle writer: the same triples always give the same text.

The layout, one block per IRI subject::

    PREFIX id: <https://w3id.org/tipgraph/id/>        (only the prefixes used, sorted)

    id:saarc-covers-gender
        a tip:CoverageClaim ;
        tip:covers theme:gender ;
        tip:citation
            id:cite-a ,
            id:cite-b ;
    .

Objects are sorted naturally (``p3`` before ``p17``), one per line when there are several.
Literals keep their lexical form exactly: integers, decimals and booleans are written bare only
when that form reads back the same; strings are escaped (backslash, quote, control characters)
and written with triple quotes only when they hold a line break. A blank node is written nested
(``[ … ]``, or ``( … )`` for a well-formed RDF list) where it is the object of exactly one
triple; one that no triple points at is a block of its own (``[ … ] .``) at the end; a blank node
used twice, or in a cycle, cannot be nested and is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import pyoxigraph as ox

from tipgraph.canonical_order import natural_key, predicate_key
from tipgraph.namespaces import RDF_NS, XSD_NS

RDF_TYPE = RDF_NS + "type"
RDF_FIRST = RDF_NS + "first"
RDF_REST = RDF_NS + "rest"
RDF_NIL = RDF_NS + "nil"
INDENT = "    "
PN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")
BARE = {
    XSD_NS + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD_NS + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD_NS + "boolean": re.compile(r"true|false"),
}
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\b": "\\b", "\f": "\\f", "\r": "\\r", "\n": "\\n"}
_CONTROL = re.compile(r"[\\\x00-\x1f\x7f]")
_QUOTES = re.compile(r'"+')

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Subject = ox.NamedNode | ox.BlankNode


class BlankNodeError(ValueError):
    """Blank nodes the layout cannot nest: used as the object of several triples, or a cycle."""


def _escape(char: str) -> str:
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def quoted(text: str, *, long_ok: bool = True) -> str:
    """A Turtle string: triple-quoted (line breaks kept) only when the text has a line break."""
    if "\n" in text and long_ok:
        body = _CONTROL.sub(lambda m: m.group() if m.group() == "\n" else _escape(m.group()), text)

        def quotes(match: re.Match) -> str:
            run = match.group()
            closes = len(run) >= 3 or match.end() == len(body)
            return '\\"' * len(run) if closes else run

        return '"""' + _QUOTES.sub(quotes, body) + '"""'
    return '"' + _CONTROL.sub(lambda m: _escape(m.group()), text).replace('"', '\\"') + '"'


class TurtleWriter:
    """Writes a set of triples; ``prefixes`` maps prefix names to the namespaces they may use.

    ``strict=False`` accepts blank nodes used several times, for ``inline`` only.
    """

    def __init__(
        self,
        triples: Iterable[ox.Triple | ox.Quad],
        prefixes: dict[str, str],
        *,
        strict: bool = True,
    ) -> None:
        self.prefixes = prefixes
        self.used: set[str] = set()
        self.properties: dict[Subject, list[tuple[ox.NamedNode, Term]]] = {}
        self.references: dict[ox.BlankNode, int] = {}
        for triple in dict.fromkeys(ox.Triple(t.subject, t.predicate, t.object) for t in triples):
            self.properties.setdefault(triple.subject, []).append((triple.predicate, triple.object))
            if isinstance(triple.object, ox.BlankNode):
                self.references[triple.object] = self.references.get(triple.object, 0) + 1
        shared = [node for node, count in self.references.items() if count > 1]
        if shared and strict:
            raise BlankNodeError(
                f"a blank node is the object of {self.references[shared[0]]} triples; a blank "
                "node can only be written where it is used once (give it an IRI)"
            )
        self._written: set[ox.BlankNode] = set()

    # --- terms ---------------------------------------------------------------------------------

    def name(self, iri: ox.NamedNode) -> str:
        """A prefixed name when a prefix fits (the longest namespace), else ``<iri>``."""
        fits = [
            (-len(namespace), prefix)
            for prefix, namespace in self.prefixes.items()
            if iri.value.startswith(namespace) and PN_LOCAL.fullmatch(iri.value[len(namespace) :])
        ]
        if not fits:
            return f"<{iri.value}>"
        _, prefix = min(fits)  # the longest namespace; between equals, the first prefix name
        self.used.add(prefix)
        return f"{prefix}:{iri.value[len(self.prefixes[prefix]) :]}"

    def literal(self, literal: ox.Literal, *, long_ok: bool = True) -> str:
        text, datatype = literal.value, literal.datatype.value
        if literal.language:
            return f"{quoted(text, long_ok=long_ok)}@{literal.language}"
        if datatype == XSD_NS + "string":
            return quoted(text, long_ok=long_ok)
        bare = BARE.get(datatype)
        if bare is not None and bare.fullmatch(text):
            return text
        return f"{quoted(text, long_ok=long_ok)}^^{self.name(literal.datatype)}"

    def _list_items(self, node: ox.BlankNode) -> list[Term] | None:
        """The items of a well-formed RDF list that starts at ``node``, else None."""
        items: list[Term] = []
        current: Term = node
        seen: set[ox.BlankNode] = set()
        while not (isinstance(current, ox.NamedNode) and current.value == RDF_NIL):
            if not isinstance(current, ox.BlankNode) or current in seen:
                return None
            seen.add(current)
            pairs = self.properties.get(current, [])
            found = {p.value: o for p, o in pairs}
            if len(pairs) != 2 or set(found) != {RDF_FIRST, RDF_REST}:
                return None
            if current is not node and self.references.get(current) != 1:
                return None
            items.append(found[RDF_FIRST])
            current = found[RDF_REST]
        return items if items else None

    def term(self, term: Term, indent: str) -> str:
        """A term as written at ``indent`` (nested blank nodes over several lines)."""
        if isinstance(term, ox.NamedNode):
            return self.name(term)
        if isinstance(term, ox.Literal):
            return self.literal(term)
        return self._blank(term, indent)

    def _blank(self, node: ox.BlankNode, indent: str) -> str:
        if node in self._written:
            raise BlankNodeError("blank nodes in a cycle cannot be nested (give one an IRI)")
        self._written.add(node)
        items = self._list_items(node)
        if items is not None:
            for cell in self._list_cells(node):
                self._written.add(cell)
            inner = indent + INDENT
            lines = [inner + self.term(item, inner) for item in items]
            return "(\n" + "\n".join(lines) + f"\n{indent})"
        pairs = self.properties.get(node, [])
        if not pairs:
            return "[]"
        return "[\n" + self._predicates(pairs, indent + INDENT) + f"{indent}]"

    def _list_cells(self, node: ox.BlankNode) -> Iterable[ox.BlankNode]:
        current: Term = node
        while isinstance(current, ox.BlankNode):
            yield current
            current = dict((p.value, o) for p, o in self.properties[current])[RDF_REST]

    def _predicates(self, pairs: Sequence[tuple[ox.NamedNode, Term]], indent: str) -> str:
        """The ``predicate objects ;`` lines of a block or a nested blank node."""
        grouped: dict[ox.NamedNode, list[Term]] = {}
        for predicate, value in pairs:
            grouped.setdefault(predicate, []).append(value)
        names = {p: ("a" if p.value == RDF_TYPE else self.name(p)) for p in grouped}
        lines = []
        for predicate in sorted(grouped, key=lambda p: predicate_key(p.value, names[p])):
            inner = indent + INDENT
            objects = grouped[predicate]
            values = sorted(
                ((self._object_key(v), self.term(v, inner)) for v in objects),
                key=lambda pair: pair[0] + (natural_key(pair[1]),),
            )
            texts = [text for _, text in values]
            if len(objects) == 1 and not isinstance(objects[0], ox.BlankNode):
                lines.append(f"{indent}{names[predicate]} {texts[0]} ;\n")
            else:
                body = " ,\n".join(inner + text for text in texts)
                lines.append(f"{indent}{names[predicate]}\n{body} ;\n")
        return "".join(lines)

    @staticmethod
    def _object_key(term: Term) -> tuple:
        """IRIs, then literals (by their lexical form), then blank nodes (by their text)."""
        if isinstance(term, ox.NamedNode):
            return (0,)
        if isinstance(term, ox.Literal):
            return (1, natural_key(term.value))
        return (2,)

    # --- the document --------------------------------------------------------------------------

    def document(self, order: Callable[[Callable[[ox.NamedNode], str]], list[ox.NamedNode]]) -> str:
        """The whole text; ``order`` gives the IRI subjects in block order, from a naming."""
        subjects = order(self.name)
        missing = [s for s in self.properties if isinstance(s, ox.NamedNode) and s not in subjects]
        if missing or len(set(subjects)) != len(subjects):
            raise ValueError("the block order must name every IRI subject once")
        blocks = [
            f"{self.name(subject)}\n{self._predicates(self.properties[subject], INDENT)}.\n"
            for subject in subjects
            if subject in self.properties
        ]
        roots = [
            node
            for node in self.properties
            if isinstance(node, ox.BlankNode) and node not in self.references
        ]
        anonymous = []
        for node in roots:
            self._written.add(node)
            anonymous.append(f"[\n{self._predicates(self.properties[node], INDENT)}]\n.\n")
        blocks += sorted(anonymous, key=natural_key)
        unwritten = [node for node in self.references if node not in self._written]
        if unwritten:
            raise BlankNodeError("blank nodes in a cycle cannot be nested (give one an IRI)")
        header = "".join(
            f"PREFIX {prefix}: <{self.prefixes[prefix]}>\n" for prefix in sorted(self.used)
        )
        return header + ("\n" if header and blocks else "") + "\n".join(blocks)

    # --- one line, for reports ----------------------------------------------------------------

    def inline(self, term: Term, seen: frozenset = frozenset()) -> str:
        """A term on one line: ``[ p o ; q r ]``, ``( a b )``; used to compare and show blank
        nodes in reports (a cycle shows as ``[…]``)."""
        if isinstance(term, ox.NamedNode):
            return self.name(term)
        if isinstance(term, ox.Literal):
            return self.literal(term, long_ok=False)
        if term in seen:
            return "[…]"
        seen = seen | {term}
        items = self._list_items(term)
        if items is not None:
            return "( " + " ".join(self.inline(item, seen) for item in items) + " )"
        parts = sorted(
            (
                predicate_key(p.value, self.name(p)),
                f"{'a' if p.value == RDF_TYPE else self.name(p)} {self.inline(o, seen)}",
            )
            for p, o in self.properties.get(term, [])
        )
        return "[ " + " ; ".join(text for _, text in parts) + " ]" if parts else "[]"
