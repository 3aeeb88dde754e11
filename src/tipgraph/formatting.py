"""``tipgraph fmt``: rewriting the Turtle files in the canonical form."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from tipgraph.loader import parse_file
from tipgraph.paths import Layout, turtle_files
from tipgraph.turtle import canonical_turtle, write_atomically


@dataclass(frozen=True)
class FormatResult:
    path: Path
    changed: bool


def project_turtle_files(layout: Layout) -> list[Path]:
    """Every Turtle file the project formats: the ontology folder and the data folder."""
    return turtle_files(layout.ontology) + turtle_files(layout.data)


def canonical_text(path: Path) -> str:
    graph = Graph(bind_namespaces="none")
    parse_file(graph, path)
    return canonical_turtle(graph)


def format_files(paths: list[Path], *, check: bool) -> list[FormatResult]:
    """Compare (``check``) or rewrite each file in canonical form; report which differ."""
    results = []
    for path in paths:
        wanted = canonical_text(path)
        changed = path.read_text(encoding="utf-8") != wanted
        if changed and not check:
            write_atomically(path, wanted)
        results.append(FormatResult(path, changed))
    return results
