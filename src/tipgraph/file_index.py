"""Which files describe or mention each node, which results a run reports, and where each is.

Built while the files are parsed (one pass over each file's triples), it answers three
questions about a finding: which files hold its node (the report's ``files``), whether it is
in the scope of the run (the files given, or the nodes a change touches), and the file and line
to show for it. Lines come from ``tipgraph.locations``, and only the files that have findings
are scanned for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from tipgraph.citations import node_key
from tipgraph.locations import LITERAL, FileLocations, locate_file

NOT_FOUND = "line not found"


def term_key(term: object) -> str:
    """The key of an Oxigraph term: an IRI, ``_:id``, or ``"`` + a literal's lexical form."""
    if isinstance(term, ox.Literal):
        return LITERAL + term.value
    return node_key(term)


@dataclass(frozen=True)
class Scope:
    """The part of the graph a run reports on; the whole graph is validated either way.

    A result is in scope when its focus node is described in one of ``files``, when its
    triple comes from one of them, or when its focus is described nowhere and one of them
    refers to it. With ``mentions``, a result whose focus node or value one of ``files``
    mentions, or which is one of ``nodes``, is in scope too.
    """

    files: frozenset[Path] = frozenset()
    mentions: bool = False
    nodes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Place:
    """Where a finding is shown: a file, the line of its node's block, of its triple."""

    file: str = ""
    line: int = 0
    triple_line: int | None = None
    note: str = ""
    written: str | None = None  # the value's lexical form in the file, where the store's differs


@dataclass
class FileIndex:
    """Nodes → files, filled file by file; then scope and locations of findings."""

    scope: Scope | None = None
    describing: dict[str, list[str]] = field(default_factory=dict)
    mentioning: dict[str, list[str]] = field(default_factory=dict)
    ontology: dict[str, list[str]] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    scoped_files: set[str] = field(default_factory=set)
    scoped_subjects: set[str] = field(default_factory=set)
    scoped_objects: set[str] = field(default_factory=set)
    scoped_triples: set[tuple[str, str, str]] = field(default_factory=set)
    _locations: dict[str, FileLocations] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._scope_paths = (
            {path.resolve() for path in self.scope.files} if self.scope is not None else set()
        )

    def add(self, path: Path, quads: Sequence[ox.Quad], *, ontology: bool = False) -> None:
        """Record what one parsed file describes and mentions."""
        name = str(path)
        self.paths[name] = path
        subjects = {term_key(quad.subject) for quad in quads}
        for subject in subjects:
            (self.ontology if ontology else self.describing).setdefault(subject, []).append(name)
        if not ontology:
            objects = {node_key(q.object) for q in quads if isinstance(q.object, ox.NamedNode)}
            for value in objects:
                self.mentioning.setdefault(value, []).append(name)
        if self._scope_paths and path.resolve() in self._scope_paths:
            self.scoped_files.add(name)
            self.scoped_subjects |= subjects
            self.scoped_objects |= {
                term_key(q.object) for q in quads if not isinstance(q.object, ox.Literal)
            }
            self.scoped_triples |= {
                (term_key(q.subject), q.predicate.value, term_key(q.object)) for q in quads
            }

    def holders(self, focus: str, value: str = "") -> tuple[str, ...]:
        """The data files that describe the focus node (else mention it, else the value)."""
        for key in (focus, value):
            if key:
                found = self.describing.get(key) or self.mentioning.get(key)
                if found:
                    return tuple(found)
        return ()

    def in_scope(self, focus: str, path: str = "", value: str = "") -> bool:
        scope = self.scope
        if scope is None:
            return True
        if focus in self.scoped_subjects or focus in scope.nodes:
            return True
        if path and value and (focus, path, value) in self.scoped_triples:
            return True
        if focus not in self.describing and focus in self.scoped_objects:
            return True
        if scope.mentions:
            touched = (focus, value) if value else (focus,)
            return any(
                key in self.scoped_objects or key in self.scoped_subjects or key in scope.nodes
                for key in touched
            )
        return False

    def locations(self, name: str) -> FileLocations:
        found = self._locations.get(name)
        if found is None:
            path = self.paths.get(name)
            found = locate_file(path) if path is not None else FileLocations()
            self._locations[name] = found
        return found

    def _scoped_first(self, names: Iterable[str]) -> list[str]:
        names = list(names)
        return [n for n in names if n in self.scoped_files] + [
            n for n in names if n not in self.scoped_files
        ]

    def place(
        self, focus: str, path: str = "", value: str = "", file: str = "", datatype: str = ""
    ) -> Place:
        """The file and lines to show for a finding.

        The triple's line where a file holds it (else the first line with that predicate),
        the block's line; for a node no file describes, the line that refers to it; line 1
        with a note when the scan cannot find it. A literal value the store holds in its
        canonical form ("-1") is found as the file writes it ("-01").
        """
        candidates = (
            [file]
            if file
            else self._scoped_first(self.describing.get(focus) or self.ontology.get(focus) or [])
        )
        if path and value:
            for name in candidates:
                found = self.locations(name)
                line = found.triple_line(focus, path, value)
                if line is not None:
                    return Place(name, found.block_line(focus) or line, line)
                written = _written(found, focus, path, value, datatype)
                if written is not None:
                    line = found.triple_line(focus, path, written)
                    return Place(name, found.block_line(focus) or line or 1, line, "", written)
        if path:
            for name in candidates:
                found = self.locations(name)
                line = found.triple_line(focus, path)
                if line is not None:
                    return Place(name, found.block_line(focus) or line, line)
        if candidates:
            name = candidates[0]
            block = self.locations(name).block_line(focus)
            return Place(name, block, None) if block else Place(name, 1, None, NOT_FOUND)
        referring = self._scoped_first(self.mentioning.get(focus, []))
        if referring:
            name = referring[0]
            line = self.locations(name).mention_line(focus)
            return Place(name, line, line) if line else Place(name, 1, None, NOT_FOUND)
        return Place(note="in no file")


def canonical(lexical: str, datatype: str) -> str:
    """The lexical form an Oxigraph store keeps for a typed literal ("+01" → "1")."""
    store = ox.Store()
    node = ox.NamedNode("urn:x")
    store.add(ox.Quad(node, node, ox.Literal(lexical, datatype=ox.NamedNode(datatype))))
    return next(iter(store)).object.value


def _written(found: FileLocations, focus: str, path: str, value: str, datatype: str) -> str | None:
    """The lexical form in the file of a literal the store reports canonically, if any."""
    if not value.startswith(LITERAL) or not datatype:
        return None
    for lexical, written_type in found.literal_values(focus, path):
        if written_type == datatype and canonical(lexical, datatype) == value[1:]:
            return lexical
    return None
