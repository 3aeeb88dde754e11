"""SHACL validation of the data against the shipped shapes, and its report."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from tipgraph.citations import check_citations
from tipgraph.loader import load_files, parse_file
from tipgraph.namespaces import TIP, bind_prefixes, shorten
from tipgraph.paths import Layout, turtle_files


@dataclass(frozen=True)
class Violation:
    """One result of validation, readable on its own."""

    focus: str
    path: str
    message: str
    severity: str
    value: str
    files: tuple[str, ...]


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    results_graph: Graph | None = None
    files_checked: int = 0
    quotations_checked: bool = False
    quotations_note: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "files_checked": self.files_checked,
                "quotations_checked": self.quotations_checked,
                "violations": [asdict(v) for v in self.violations],
            },
            indent=2,
            ensure_ascii=False,
        )

    def to_text(self) -> str:
        note = f" ({self.quotations_note})" if self.quotations_note else ""
        if self.conforms:
            return f"conforms: {self.files_checked} files, no violations{note}"
        count = len(self.violations)
        lines = [
            f"does not conform: {count} violation{'' if count == 1 else 's'} "
            f"in {self.files_checked} files{note}"
        ]
        for v in self.violations:
            where = ", ".join(v.files) or "(no data file)"
            lines.append(f"{where}: {v.focus}")
            detail = f"  {v.severity}: {v.message}"
            if v.path:
                detail += f" [path {v.path}]"
            if v.value:
                detail += f" [value {v.value}]"
            lines.append(detail)
        return "\n".join(lines)

    def to_turtle(self) -> str:
        graph = self.results_graph if self.results_graph is not None else Graph()
        bind_prefixes(graph)
        return graph.serialize(format="turtle")


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files given on the command line, with folders replaced by their Turtle files."""
    files: list[Path] = []
    for path in paths:
        files.extend(turtle_files(path) if path.is_dir() else [path])
    return files


def _files_by_resource(files: Sequence[Path]) -> tuple[Graph, dict[URIRef, list[str]]]:
    """The union of the files, and for each resource the files that describe it.

    A resource no file describes (a reference to something undefined) maps to the files that
    mention it.
    """
    graph = load_files([])
    describing: dict[URIRef, list[str]] = {}
    mentioning: dict[URIRef, list[str]] = {}
    for path in files:
        part = Graph()
        parse_file(part, path)
        for subject in set(part.subjects()):
            describing.setdefault(subject, []).append(str(path))
        for value in set(part.objects()):
            if isinstance(value, URIRef):
                mentioning.setdefault(value, []).append(str(path))
        graph += part
    return graph, {**mentioning, **describing}


WHOLE_GRAPH = TIP.dataGraph
IRI_IN_TEXT = re.compile(r"https?://[^\s<>\"'{}|\\^`]+[^\s<>\"'{}|\\^`.,;:)]")


def _shorten_iris(text: str) -> str:
    return IRI_IN_TEXT.sub(lambda match: shorten(match.group(0)), text)


def _term(value) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return shorten(str(value))
    if isinstance(value, Literal):
        return str(value)
    return "(blank node)"


def validate(
    layout: Layout | None = None,
    data_files: Sequence[Path] | None = None,
    *,
    check_quotations: bool = True,
) -> ValidationReport:
    """Validate data files (default: the layout's data) against the ontology and shapes.

    Also checks every quotation against the source texts when their folder exists.
    """
    from pyshacl import validate as shacl_validate  # heavy import, only needed here

    layout = layout or Layout.resolve()
    files = list(data_files) if data_files is not None else layout.data_files()
    data, holders = _files_by_resource(files)
    ontology = load_files(layout.ontology_files())
    shapes = load_files([layout.shapes_file()])
    data += ontology
    conforms, results, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        advanced=True,
    )
    violations = []
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        if focus == WHOLE_GRAPH and value is not None:
            focus, value = value, None  # whole-graph rules report the offending resource as value
        violations.append(
            Violation(
                focus=_term(focus),
                path=_term(results.value(result, SH.resultPath)),
                message=_shorten_iris(str(message))
                if message is not None
                else "constraint not met",
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                value=_term(value),
                files=tuple(holders.get(focus) or holders.get(value) or []),
            )
        )
    quotations_checked = check_quotations and layout.sources.is_dir()
    if not check_quotations:
        quotations_note = "quotations not checked"
    elif not quotations_checked:
        quotations_note = f"quotations not checked: no sources folder at {layout.sources}"
    else:
        quotations_note = ""
    if quotations_checked:
        for problem in check_citations(data, layout.sources):
            violations.append(
                Violation(
                    focus=_term(problem.citation),
                    path="tip:quotation",
                    message=f"{problem.message} ({_term(problem.document)})",
                    severity="Violation",
                    value="",
                    files=tuple(holders.get(problem.citation, [])),
                )
            )
    violations.sort(key=lambda v: (v.files, v.focus, v.path, v.message, v.value))
    return ValidationReport(
        conforms=bool(conforms) and not violations,
        violations=violations,
        results_graph=results,
        files_checked=len(files),
        quotations_checked=quotations_checked,
        quotations_note=quotations_note,
    )
