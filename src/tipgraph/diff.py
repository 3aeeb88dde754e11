"""``tipgraph diff``: the facts added and removed between two versions of the graph, each with
the citations that state it.

A version is the graph of a set of Turtle files: the work tree (the layout's ontology and data),
a folder, or a git revision of the checkout. The diff is of graphs, not of files: a moved file
or a reformatted one is no difference. A resource whose facts are all the same apart from its
IRI (a renamed slug) is reported once as renamed, not as every fact removed and added; the
references to it follow the new name. A blank node is compared as the whole tree it heads,
written on one line, so the blank node labels of two parses never make a difference.

Which citations support a fact is what ``describe`` says (describe._supporting): on a claim or
membership every citation of the node; elsewhere, per value, the citations of the value claims
that record the value, else those that name the property with ``tip:supports`` (any one of them
for the type and the labels). A ``tip:citation`` fact is
supported by the citation it names.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from tipgraph.canonical_order import natural_key, predicate_key
from tipgraph.describe import _claim_summary, _supporting, citation_text, label
from tipgraph.errors import InputError
from tipgraph.git_revisions import repository_root, resolve_commit, revision_files
from tipgraph.namespaces import PREFIXES, TIP_NS, shorten
from tipgraph.paths import SHAPES_FILE, Layout, turtle_files
from tipgraph.store import parse_turtle
from tipgraph.turtle_writer import TurtleWriter

COLUMNS = ["change", "resource", "resourceLabel", "property", "value", "valueLabel", "citation"]
TIP_CITATION = ox.NamedNode(TIP_NS + "citation")
WORK_TREE = "the work tree"
ADDED, REMOVED, RENAMED = "added", "removed", "renamed"


@dataclass(frozen=True)
class Anonymous:
    """A blank node, as the one-line Turtle text of the tree it heads."""

    text: str


Resource = ox.NamedNode | Anonymous
Value = ox.NamedNode | ox.Literal | Anonymous
Fact = tuple[Resource, ox.NamedNode, Value]


@dataclass(frozen=True)
class Version:
    """A named set of Turtle files: (the path they are read as, their bytes)."""

    name: str
    files: list[tuple[Path, bytes]]
    revision: bool = False

    def store(self) -> ox.Store:
        store = ox.Store()
        for path, content in self.files:
            try:
                store.extend(parse_turtle(path, content))
            except InputError as error:
                if not self.revision:
                    raise
                raise InputError(f"in revision {self.name}: {error}") from None
        return store


# --- versions ---------------------------------------------------------------------------------


def _read(paths: Iterable[Path]) -> list[tuple[Path, bytes]]:
    from tipgraph.store import read_file

    return [(path, read_file(path)) for path in paths]


def work_tree(layout: Layout) -> Version:
    """The layout's ontology (without the shapes) and data, as the queries see them."""
    return Version(WORK_TREE, _read(layout.ontology_files() + layout.data_files()))


def folder_version(folder: Path) -> Version:
    """A folder: its ``ontology`` (without the shapes) and ``data`` folders when it has them
    (a checkout), else every Turtle file below it."""
    ontology, data = folder / "ontology", folder / "data"
    if ontology.is_dir() or data.is_dir():
        paths = [p for p in turtle_files(ontology) if p.name != SHAPES_FILE] + turtle_files(data)
    else:
        paths = turtle_files(folder)
    return Version(str(folder), _read(paths))


def revision_version(layout: Layout, revision: str) -> Version:
    """The layout's ontology and data folders as a git revision of their checkout has them."""
    root = repository_root(layout.data)
    commit = resolve_commit(root, revision)
    folders = []
    for folder in (layout.ontology, layout.data):
        try:
            folders.append(folder.resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            raise InputError(f"{folder} is not in the git checkout {root}") from None
    shapes = SHAPES_FILE if folders[0] == "." else f"{folders[0]}/{SHAPES_FILE}"
    found = revision_files(root, commit, folders)
    files = [(root / path, content) for path, content in sorted(found.items()) if path != shapes]
    return Version(revision, files, revision=True)


def resolve_version(spec: str | None, layout: Layout) -> Version:
    """The work tree (None), a folder (a path that is one), else a git revision."""
    if spec is None:
        return work_tree(layout)
    if Path(spec).is_dir():
        return folder_version(Path(spec))
    return revision_version(layout, spec)


# --- facts and renames ------------------------------------------------------------------------


def graph_facts(store: ox.Store) -> set[Fact]:
    """The store's triples, each blank node folded into the tree it heads."""
    quads = list(store)
    writer = TurtleWriter(quads, PREFIXES, strict=False)
    referenced = {q.object for q in quads if isinstance(q.object, ox.BlankNode)}
    facts: set[Fact] = set()
    for quad in quads:
        subject, value = quad.subject, quad.object
        if isinstance(subject, ox.BlankNode):
            if subject in referenced:
                continue  # part of the value of the triple that points at it
            subject = Anonymous(writer.inline(subject))
        if isinstance(value, ox.BlankNode):
            value = Anonymous(writer.inline(value))
        facts.add((subject, quad.predicate, value))
    return facts


SELF = Anonymous("<self>")


def _signature(facts: Iterable[Fact], resource: ox.NamedNode, names: dict) -> frozenset:
    return frozenset(
        (predicate, SELF if value == resource else names.get(value, value))
        for _, predicate, value in facts
    )


def find_renames(old: set[Fact], new: set[Fact]) -> dict[ox.NamedNode, ox.NamedNode]:
    """Old IRI → new IRI for each resource only the old version has whose facts one resource
    only the new version has repeats exactly, apart from the IRIs (its own, and those of
    resources renamed with it). Ambiguous matches are left alone."""

    def by_subject(facts: set[Fact]) -> dict[ox.NamedNode, list[Fact]]:
        grouped: dict[ox.NamedNode, list[Fact]] = {}
        for fact in facts:
            if isinstance(fact[0], ox.NamedNode):
                grouped.setdefault(fact[0], []).append(fact)
        return grouped

    old_subjects, new_subjects = by_subject(old), by_subject(new)
    gone = [s for s in old_subjects if s not in new_subjects]
    arrived = [s for s in new_subjects if s not in old_subjects]
    renames: dict[ox.NamedNode, ox.NamedNode] = {}
    while True:
        wanted: dict[frozenset, list[ox.NamedNode]] = {}
        for subject in arrived:
            if subject not in renames.values():
                signature = _signature(new_subjects[subject], subject, {})
                wanted.setdefault(signature, []).append(subject)
        offered: dict[frozenset, list[ox.NamedNode]] = {}
        for subject in gone:
            if subject not in renames:
                signature = _signature(old_subjects[subject], subject, renames)
                offered.setdefault(signature, []).append(subject)
        found = {
            olds[0]: wanted[signature][0]
            for signature, olds in offered.items()
            if len(olds) == 1 and len(wanted.get(signature, ())) == 1
        }
        if not found:
            return renames
        renames.update(found)


def _renamed(fact: Fact, renames: dict) -> Fact:
    subject, predicate, value = fact
    return (renames.get(subject, subject), predicate, renames.get(value, value))


# --- the diff ---------------------------------------------------------------------------------


@dataclass
class GraphDiff:
    old_name: str
    new_name: str
    old: ox.Store
    new: ox.Store
    renames: dict[ox.NamedNode, ox.NamedNode] = field(default_factory=dict)
    removed: set[Fact] = field(default_factory=set)
    added: set[Fact] = field(default_factory=set)

    @property
    def differs(self) -> bool:
        return bool(self.renames or self.removed or self.added)

    @functools.cached_property
    def by_resource(self) -> dict[Resource, list[tuple[str, Fact]]]:
        """The removed and added facts of each resource."""
        grouped: dict[Resource, list[tuple[str, Fact]]] = {}
        for kind, facts in ((REMOVED, self.removed), (ADDED, self.added)):
            for fact in facts:
                grouped.setdefault(fact[0], []).append((kind, fact))
        return grouped

    def resources(self) -> list[Resource]:
        """The resources that changed (renamed ones by their new IRI), in natural order."""
        touched = {fact[0] for fact in self.removed | self.added} | set(self.renames.values())
        return sorted(touched, key=lambda r: natural_key(_text(r)))


def compare(old: Version, new: Version) -> GraphDiff:
    old_store, new_store = old.store(), new.store()
    old_facts, new_facts = graph_facts(old_store), graph_facts(new_store)
    renames = find_renames(old_facts - new_facts, new_facts - old_facts)
    mapped = {_renamed(fact, renames) for fact in old_facts}
    return GraphDiff(
        old.name,
        new.name,
        old_store,
        new_store,
        renames,
        removed=mapped - new_facts,
        added=new_facts - mapped,
    )


def _text(term: Resource | Value) -> str:
    if isinstance(term, Anonymous):
        return term.text
    return shorten(term.value) if isinstance(term, ox.NamedNode) else term.value


def _term(value: Resource | Value) -> ox.NamedNode | ox.Literal:
    return ox.Literal(value.text) if isinstance(value, Anonymous) else value


def _label(diff: GraphDiff, term: Resource | Value) -> ox.Literal | None:
    if not isinstance(term, ox.NamedNode):
        return None
    return label(diff.new, term) or label(diff.old, term)


def _resource_label(diff: GraphDiff, resource: Resource) -> ox.Literal | None:
    if not isinstance(resource, ox.NamedNode):
        return None
    found = _label(diff, resource)
    if found is None:
        found = _claim_summary(diff.new, resource)
    if found is None:
        old = {new: old for old, new in diff.renames.items()}.get(resource, resource)
        found = _claim_summary(diff.old, old)
    return found


@dataclass(frozen=True)
class Change:
    """One added or removed fact of a resource, with the texts of its citations."""

    change: str
    predicate: ox.NamedNode
    value: Value
    citations: tuple[ox.Literal, ...]


def changes(diff: GraphDiff, resource: Resource) -> list[Change]:
    """The facts of a resource that changed: by property, value, then removed before added."""
    original = {new: old for old, new in diff.renames.items()}
    found = []
    for kind, (subject, predicate, value) in diff.by_resource.get(resource, []):
        store = diff.old if kind == REMOVED else diff.new
        if predicate == TIP_CITATION and isinstance(value, ox.NamedNode):
            cited = [original.get(value, value) if kind == REMOVED else value]
        elif isinstance(subject, ox.NamedNode):
            source = original.get(subject, subject) if kind == REMOVED else subject
            stated = original.get(value, value) if kind == REMOVED else value
            cited = _supporting(store, source, predicate, stated)
        else:
            cited = []
        texts = tuple(ox.Literal(citation_text(store, c)) for c in cited)
        found.append(Change(kind, predicate, value, texts))
    return sorted(
        found,
        key=lambda c: (
            predicate_key(c.predicate.value, shorten(c.predicate.value)),
            natural_key(_text(c.value)),
            c.change != REMOVED,
        ),
    )


def diff_rows(diff: GraphDiff) -> list[tuple]:
    """Rows of COLUMNS: one per renamed resource, and one per change and citation."""
    original = {new: old for old, new in diff.renames.items()}
    rows: list[tuple] = []
    for resource in diff.resources():
        resource_label = _resource_label(diff, resource)
        if resource in original:
            rows.append(
                (
                    ox.Literal(RENAMED),
                    original[resource],
                    resource_label,
                    None,
                    resource,
                    resource_label,
                    None,
                )
            )
        for change in changes(diff, resource):
            for citation in change.citations or (None,):
                rows.append(
                    (
                        ox.Literal(change.change),
                        _term(resource),
                        resource_label,
                        change.predicate,
                        _term(change.value),
                        _label(diff, change.value),
                        citation,
                    )
                )
    return rows


# --- the review comment -----------------------------------------------------------------------

_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _escape(text: str) -> str:
    return " ".join(text.split()).translate(_MARKDOWN_SPECIAL)


def _code(text: str) -> str:
    run, longest = 0, 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{' '.join(padded.splitlines())}{fence}"


def _shown(term: Resource | Value, diff: GraphDiff, full_iris: bool) -> str:
    if isinstance(term, ox.NamedNode):
        shown = _code(term.value if full_iris else shorten(term.value))
        found = _label(diff, term)
        return f"{shown} ({_escape(found.value)})" if found is not None else shown
    if isinstance(term, Anonymous):
        return _code(term.text)
    return f"“{_escape(term.value)}”"


def review_markdown(diff: GraphDiff, *, full_iris: bool = False) -> str:
    """A review comment: a heading per resource, then + and − lines, each with its citations."""
    title = f"## Graph changes: {_escape(diff.old_name)} → {_escape(diff.new_name)}"
    if not diff.differs:
        return title + "\n\nNo differences.\n"
    resources = diff.resources()
    summary = (
        f"{len(resources)} resource{'s' if len(resources) != 1 else ''} changed: "
        f"{len(diff.added)} facts added, {len(diff.removed)} removed, "
        f"{len(diff.renames)} renamed."
    )
    out = [title, "", summary, ""]
    original = {new: old for old, new in diff.renames.items()}
    for resource in resources:
        heading = _shown(resource, diff, full_iris)
        if isinstance(resource, ox.NamedNode) and _label(diff, resource) is None:
            summary_label = _resource_label(diff, resource)
            if summary_label is not None:
                heading += f" ({_escape(summary_label.value)})"
        out += [f"### {heading}", ""]
        if resource in original:
            out.append(f"- renamed from {_shown(original[resource], diff, full_iris)}")
        found = changes(diff, resource)
        shared = {change.citations for change in found}
        if len(found) > 1 and len(shared) == 1 and found[0].citations:
            # A claim: every fact has the same citations; they are listed once.
            out += [f"- cited: {_escape(c.value)}" for c in found[0].citations]
            found = [Change(c.change, c.predicate, c.value, ()) for c in found]
        for change in found:
            sign = "+" if change.change == ADDED else "−"
            predicate = _code(change.predicate.value if full_iris else _text(change.predicate))
            out.append(f"- **{sign}** {predicate} {_shown(change.value, diff, full_iris)}")
            out += [f"  - cited: {_escape(citation.value)}" for citation in change.citations]
        out.append("")
    return "\n".join(out)
