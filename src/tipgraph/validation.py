"""SHACL validation of the data against the shipped shapes, and its report.

Each data file is parsed once, by Oxigraph: the same triples fill an in-memory store and record
which files describe or mention each resource (to name the files in the report). The store is
validated by pyshacl-turbo, whose cost grows linearly with the data; pySHACL over rdflib stays
available as the reference engine (``engine="pyshacl"``), and the tests hold the two to the same
report. When the engine cannot run, validation fails with an error: it never reports conformance
it did not check.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from tipgraph.citations import check_citations, node_key, source_statuses
from tipgraph.errors import InputError, TipgraphError
from tipgraph.namespaces import TIP, XSD_NS, bind_prefixes, shorten
from tipgraph.paths import Layout, check_regular, turtle_files
from tipgraph.rdflib_bridge import graph_from_triples
from tipgraph.shacl_messages import DefaultMessages
from tipgraph.store import parse_turtle, read_file

ENGINES = ("turbo", "pyshacl")


class ValidationEngineError(TipgraphError):
    """The SHACL engine could not run, so nothing is known about conformance."""


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
        check_regular(path)
        files.extend(turtle_files(path) if path.is_dir() else [path])
    return files


def _parse(path: Path) -> list[ox.Quad]:
    """Every triple of one Turtle file; a failure becomes an InputError naming the file."""
    return parse_turtle(path, read_file(path))


def _key(term: object) -> str | None:
    """The key of a resource in the file index (see ``node_key``); None for a literal."""
    if isinstance(term, URIRef | ox.NamedNode):
        return node_key(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, ox.BlankNode):
        return node_key(term)
    return None


# Lexical forms rdflib does not check.
LEXICAL_PATTERNS = {
    XSD_NS + "gYear": re.compile(r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?"),
    XSD_NS + "gYearMonth": re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])(Z|[+-]\d{2}:\d{2})?"),
}
UNCHECKED_TYPES = {XSD_NS + "string"}


@dataclass(frozen=True)
class IllTypedLiteral:
    """A literal whose lexical form is not one of its datatype's, where it was found."""

    subject: ox.NamedNode | ox.BlankNode
    predicate: ox.NamedNode
    literal: ox.Literal
    file: str


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for every ill-typed literal it meets; they are reported instead."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield
    finally:
        logger.setLevel(level)


def _is_ill_typed(lexical: str, datatype: str, cache: dict[tuple[str, str], bool]) -> bool:
    key = (lexical, datatype)
    if key not in cache:
        pattern = LEXICAL_PATTERNS.get(datatype)
        if pattern is not None:
            cache[key] = pattern.fullmatch(lexical) is None
        else:
            try:
                cache[key] = bool(Literal(lexical, datatype=URIRef(datatype)).ill_typed)
            except Exception:  # a converter that fails in a way rdflib does not catch
                cache[key] = True
    return cache[key]


def ill_typed_literals(quads: Sequence[ox.Quad], file: str) -> list[IllTypedLiteral]:
    """The literals of XSD datatypes in ``quads`` whose lexical form their datatype refuses."""
    cache: dict[tuple[str, str], bool] = {}
    found = []
    with _quiet_rdflib():
        for quad in quads:
            value = quad.object
            if not isinstance(value, ox.Literal) or value.language:
                continue
            datatype = value.datatype.value
            if not datatype.startswith(XSD_NS) or datatype in UNCHECKED_TYPES:
                continue
            if _is_ill_typed(value.value, datatype, cache):
                found.append(IllTypedLiteral(quad.subject, quad.predicate, value, file))
    return found


def _load(
    ontology_files: Sequence[Path], data_files: Sequence[Path]
) -> tuple[ox.Store, dict[str, list[str]], list[IllTypedLiteral]]:
    """A store with ontology and data, and for each resource the data files that describe it.

    A resource no file describes (a reference to something undefined) maps to the files that
    mention it.
    """
    store = ox.Store()
    for path in ontology_files:
        store.extend(_parse(path))
    describing: dict[str, list[str]] = {}
    mentioning: dict[str, list[str]] = {}
    ill_typed: list[IllTypedLiteral] = []
    for path in data_files:
        quads = _parse(path)
        name = str(path)
        ill_typed.extend(ill_typed_literals(quads, name))
        for subject in {quad.subject for quad in quads}:
            describing.setdefault(_key(subject), []).append(name)
        for value in {quad.object for quad in quads if isinstance(quad.object, ox.NamedNode)}:
            mentioning.setdefault(_key(value), []).append(name)
        store.extend(quads)
    return store, {**mentioning, **describing}, ill_typed


def _shapes_text(path: Path) -> str:
    """The shapes file's text, checked to parse so that a syntax error names the file."""
    content = read_file(path)
    parse_turtle(path, content)
    return content.decode("utf-8")


def _first_line(error: object) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _results_graph(engine: str, shapes: Path, results: object) -> Graph:
    """The results graph; an engine that could not run returns its failure in its place."""
    if not isinstance(results, Graph):
        raise ValidationEngineError(
            f"{engine} cannot validate with {shapes}: {_first_line(results)}"
        )
    return results


def _validate_turbo(store: ox.Store, shapes: Path) -> tuple[bool, Graph]:
    """pyshacl-turbo on the store; any failure to run is an error, never a verdict."""
    try:
        import pyshacl_turbo
    except ImportError as error:
        raise ValidationEngineError(
            f"the SHACL engine pyshacl-turbo cannot be loaded ({_first_line(error)}): "
            "install pyshacl-turbo or use --engine pyshacl"
        ) from error
    text = _shapes_text(shapes)
    try:
        conforms, results, _ = pyshacl_turbo.validate(
            store,
            shacl_graph=text,
            shacl_graph_format="turtle",
            inference="none",
            abort_on_first=False,
            allow_warnings=False,
            advanced=True,
        )
    except (
        pyshacl_turbo.ValidationFailure,
        pyshacl_turbo.ReportableRuntimeError,
        NotImplementedError,
    ) as error:
        raise ValidationEngineError(
            f"pyshacl-turbo cannot validate with {shapes}: {_first_line(error)}"
        ) from error
    results = _results_graph("pyshacl-turbo", shapes, results)
    DefaultMessages(results, shapes).reword()
    return bool(conforms), results


def _validate_pyshacl(store: ox.Store, shapes: Path) -> tuple[bool, Graph]:
    """The reference: pySHACL over an rdflib copy of the same triples."""
    from pyshacl import validate as shacl_validate  # heavy import, only needed here
    from pyshacl.errors import ReportableRuntimeError

    data = graph_from_triples(store)
    shapes_graph = Graph()
    shapes_graph.parse(
        data=_shapes_text(shapes), format="turtle", publicID=shapes.resolve().as_uri()
    )
    try:
        conforms, results, _ = shacl_validate(
            data,
            shacl_graph=shapes_graph,
            inference="none",
            abort_on_first=False,
            allow_warnings=False,
            advanced=True,
        )
    except ReportableRuntimeError as error:
        raise ValidationEngineError(
            f"pySHACL cannot validate with {shapes}: {_first_line(error)}"
        ) from error
    return bool(conforms), _results_graph("pySHACL", shapes, results)


WHOLE_GRAPH = TIP.dataGraph
IRI_IN_TEXT = re.compile(r"https?://[^\s<>\"'{}|\\^`]+[^\s<>\"'{}|\\^`.,;:)]")


def _shorten_iris(text: str) -> str:
    return IRI_IN_TEXT.sub(lambda match: shorten(match.group(0)), text)


def _term(value: Node | None) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return shorten(str(value))
    if isinstance(value, Literal):
        return str(value)
    return "(blank node)"


def _node_text(key: str) -> str:
    """A node key (see ``_key``) as the report shows it."""
    return "(blank node)" if key.startswith("_:") else shorten(key)


def _violations(results: Graph, holders: dict[str, list[str]]) -> list[Violation]:
    """The report's results, whichever engine made them, as Violations."""
    violations = []
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        if focus == WHOLE_GRAPH and value is not None:
            focus, value = value, None  # whole-graph rules report the offending resource as value
        files = holders.get(_key(focus) or "") or holders.get(_key(value) or "") or []
        violations.append(
            Violation(
                focus=_term(focus),
                path=_term(results.value(result, SH.resultPath)),
                message=_shorten_iris(str(message))
                if message is not None
                else "constraint not met",
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                value=_term(value),
                files=tuple(files),
            )
        )
    return violations


def validate(
    layout: Layout | None = None,
    data_files: Sequence[Path] | None = None,
    *,
    check_quotations: bool = True,
    engine: str = "turbo",
) -> ValidationReport:
    """Validate data files (default: the layout's data) against the ontology and shapes.

    ``engine`` is "turbo" (pyshacl-turbo, fast) or "pyshacl" (the reference); both give the
    same report. With ``check_quotations``, also checks that every source text is present and
    has its recorded SHA-256, then every quotation against the source texts.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine {engine!r} (use one of: {', '.join(ENGINES)})")
    layout = layout or Layout.resolve()
    files = list(data_files) if data_files is not None else layout.data_files()
    store, holders, ill_typed = _load(layout.ontology_files(), files)
    run = _validate_turbo if engine == "turbo" else _validate_pyshacl
    with _quiet_rdflib():
        conforms, results = run(store, layout.shapes_file())
        violations = _violations(results, holders)
    for item in ill_typed:
        violations.append(
            Violation(
                focus=_node_text(_key(item.subject) or ""),
                path=shorten(item.predicate.value),
                message=f"ill-typed literal: not a valid {shorten(item.literal.datatype.value)}",
                severity="Violation",
                value=item.literal.value,
                files=(item.file,),
            )
        )
    quotations_checked = check_quotations
    quotations_note = "" if check_quotations else "quotations not checked"
    if check_quotations:
        # A missing or changed source text is a failure, never a silently skipped check.
        failing = [status for status in source_statuses(store, layout.sources) if not status.ok]
        for status in failing:
            violations.append(
                Violation(
                    focus=_node_text(status.document),
                    path="tip:sourceFile",
                    message=status.describe(),
                    severity="Violation",
                    value=status.file,
                    files=tuple(holders.get(status.document, [])),
                )
            )
        skip = frozenset(status.document for status in failing)
        for problem in check_citations(store, layout.sources, skip):
            violations.append(
                Violation(
                    focus=_node_text(problem.citation),
                    path="tip:quotation",
                    message=f"{problem.message} ({_node_text(problem.document)})",
                    severity="Violation",
                    value="",
                    files=tuple(holders.get(problem.citation, [])),
                )
            )
    violations.sort(key=lambda v: (v.files, v.focus, v.path, v.message, v.value))
    return ValidationReport(
        conforms=conforms and not violations,
        violations=violations,
        results_graph=results,
        files_checked=len(files),
        quotations_checked=quotations_checked,
        quotations_note=quotations_note,
    )
