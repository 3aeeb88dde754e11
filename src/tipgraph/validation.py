"""SHACL validation of the data against the shipped shapes, and its report.

Each data file is parsed once, by Oxigraph: the same triples fill an in-memory store and an
index of which files describe or mention each resource (to name the file and line of every
result, see ``tipgraph.file_index``). The store is validated by pyshacl-turbo, whose cost grows
linearly with the data; pySHACL over rdflib stays available as the reference engine
(``engine="pyshacl"``), and the tests hold the two to the same report. When the engine cannot
run, validation fails with an error: it never reports conformance it did not check.

The layout's own files, when given, are validated in the context of the whole graph, and only
their results are reported (a reference to a resource another file defines is not a
violation); files from elsewhere are validated on their own, with the ontology.
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from tipgraph.citations import check_citations, source_statuses
from tipgraph.errors import InputError, TipgraphError
from tipgraph.file_index import FileIndex, Scope, term_key
from tipgraph.locations import LITERAL
from tipgraph.namespaces import TIP_NS, XSD_NS, shorten
from tipgraph.paths import Layout, check_regular, turtle_files
from tipgraph.rdflib_bridge import graph_from_triples
from tipgraph.shacl_messages import DefaultMessages
from tipgraph.shacl_results import Finding, ShapeNames, findings, key_text, types_in_store
from tipgraph.store import parse_turtle, read_file

ENGINES = ("turbo", "pyshacl")
SYNTAX_RULE = "tipgraph/syntax"
ILL_TYPED_RULE = "tipgraph/ill-typed"
QUOTATION_RULE = "tipgraph/quotation"
SOURCE_RULE = "tipgraph/source-text"


class ValidationEngineError(TipgraphError):
    """The SHACL engine could not run, so nothing is known about conformance."""


@dataclass(frozen=True)
class Violation:
    """One result of validation, readable on its own, with where it is.

    ``line`` is where the focus node's block starts (for a node no file describes, the line
    that refers to it); ``triple_line`` the line of the offending triple, where one is found.
    """

    focus: str
    path: str
    message: str
    severity: str
    value: str
    files: tuple[str, ...]
    file: str = ""
    line: int = 0
    triple_line: int | None = None
    column: int | None = None
    rule: str = ""
    shape: str = ""
    note: str = ""

    @property
    def best_line(self) -> int:
        """The most precise line known: the triple's, else the block's, else 1."""
        return self.triple_line or self.line or 1


class TurtleSyntaxErrors(InputError):
    """Files that are not Turtle: nothing was validated. Each error is a located Violation."""

    def __init__(self, violations: list[Violation], first: str) -> None:
        more = len(violations) - 1
        super().__init__(first + (f" (and {more} more syntax errors)" if more else ""))
        self.violations = violations


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    results_graph: Graph | None = None
    files_checked: int = 0
    quotations_checked: bool = False
    quotations_note: str = ""
    hidden: int = 0  # violations out of the run's scope, counted but not listed

    def render(self, fmt: str = "text", root: Path | None = None) -> str:
        """The report as text, json, turtle, sarif or github (see ``report_formats``)."""
        from tipgraph.report_formats import render

        return render(self, fmt, root)

    def to_json(self) -> str:
        return self.render("json")

    def to_text(self) -> str:
        return self.render("text")

    def to_turtle(self) -> str:
        return self.render("turtle")


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files given on the command line, with folders replaced by their Turtle files."""
    files: list[Path] = []
    for path in paths:
        check_regular(path)
        files.extend(turtle_files(path) if path.is_dir() else [path])
    return files


def in_project(layout: Layout, files: Sequence[Path]) -> bool:
    """Whether every file is one of the layout's data, ontology or shapes files (and there is
    one): such files are validated with the whole graph."""
    project = {
        path.resolve()
        for path in [*layout.data_files(), *layout.ontology_files(), layout.shapes_file()]
    }
    return bool(files) and all(path.resolve() in project for path in files)


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


@contextlib.contextmanager
def _literals_as_written() -> Iterator[None]:
    """rdflib keeps each literal's lexical form ("-01", "+3") instead of its canonical one,
    so that the reference engine reports values as the files write them, as turbo does."""
    import rdflib

    normalize = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = normalize


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


def _syntax_violation(path: Path, error: InputError) -> Violation | None:
    """The Violation for a file Oxigraph could not parse; None for other input errors."""
    cause = error.__cause__
    if not isinstance(cause, SyntaxError):
        return None
    reason = str(error).split(": Turtle syntax error: ", 1)[-1]
    return Violation(
        focus="",
        path="",
        message=f"Turtle syntax error: {reason}",
        severity="Violation",
        value="",
        files=(str(path),),
        file=str(path),
        line=cause.lineno or 1,
        column=cause.offset if cause.lineno is not None else 1,
        rule=SYNTAX_RULE,
    )


@dataclass
class _Loaded:
    store: ox.Store
    index: FileIndex
    ill_typed: list[IllTypedLiteral]


def _load(
    ontology_files: Sequence[Path], data_files: Sequence[Path], scope: Scope | None
) -> _Loaded:
    """A store with ontology and data, and the index of the files that hold each resource.

    Every file is parsed before any syntax error is raised, so that all of them are reported.
    """
    store = ox.Store()
    index = FileIndex(scope)
    ill_typed: list[IllTypedLiteral] = []
    broken: list[tuple[Violation, str]] = []
    for ontology, paths in ((True, ontology_files), (False, data_files)):
        for path in paths:
            try:
                quads = parse_turtle(path, read_file(path))
            except InputError as error:
                located = _syntax_violation(path, error)
                if located is None:
                    raise
                broken.append((located, str(error)))
                continue
            if not ontology:
                ill_typed.extend(ill_typed_literals(quads, str(path)))
            index.add(path, quads, ontology=ontology)
            store.extend(quads)
    if broken:
        raise TurtleSyntaxErrors([v for v, _ in broken], broken[0][1])
    return _Loaded(store, index, ill_typed)


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
            _normalize_report_literals=False,  # values as written in the files
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

    with _literals_as_written():
        data = graph_from_triples(store)
    shapes_graph = Graph()
    shapes_graph.parse(
        data=_shapes_text(shapes), format="turtle", publicID=shapes.resolve().as_uri()
    )
    try:
        with _literals_as_written():
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


def _located(index: FileIndex, finding: Finding, files: tuple[str, ...] | None = None) -> Violation:
    place = index.place(finding.focus, finding.path, finding.value, finding.file, finding.datatype)
    value = key_text(finding.value) if place.written is None else place.written
    message = finding.message
    if place.written is not None and finding.value:
        # the engine's wording quotes the stored form; the file's form is what people look for
        message = message.replace(f'"{finding.value[1:]}"', f'"{place.written}"')
    return Violation(
        focus=key_text(finding.focus),
        path=key_text(finding.path),
        message=message,
        severity=finding.severity,
        value=value,
        files=files if files is not None else index.holders(finding.focus, finding.value),
        file=place.file,
        line=place.line,
        triple_line=place.triple_line,
        rule=finding.rule,
        shape=finding.shape,
        note=place.note,
    )


def _ill_typed_findings(items: Sequence[IllTypedLiteral]) -> list[Finding]:
    """One finding per ill-typed literal, with the file it was read from."""
    return [
        Finding(
            focus=term_key(item.subject),
            path=item.predicate.value,
            value=LITERAL + item.literal.value,
            message=f"ill-typed literal: not a valid {shorten(item.literal.datatype.value)}",
            severity="Violation",
            rule=ILL_TYPED_RULE,
            file=item.file,
        )
        for item in items
    ]


def _quotation_findings(store: ox.Store, sources: Path) -> list[Finding]:
    """Missing or changed source texts, then every quotation problem (see ``citations``)."""
    found = []
    # A missing or changed source text is a failure, never a silently skipped check.
    failing = [status for status in source_statuses(store, sources) if not status.ok]
    for status in failing:
        found.append(
            Finding(
                focus=status.document,
                path=TIP_NS + "sourceFile",
                value=LITERAL + status.file,
                message=status.describe(),
                severity="Violation",
                rule=SOURCE_RULE,
            )
        )
    skip = frozenset(status.document for status in failing)
    for problem in check_citations(store, sources, skip):
        found.append(
            Finding(
                focus=problem.citation,
                path=TIP_NS + "quotation",
                value="",
                message=f"{problem.message} ({key_text(problem.document)})",
                severity="Violation",
                rule=QUOTATION_RULE,
            )
        )
    return found


def validate(
    layout: Layout | None = None,
    data_files: Sequence[Path] | None = None,
    *,
    check_quotations: bool = True,
    engine: str = "turbo",
    scope: Scope | None = None,
) -> ValidationReport:
    """Validate data files (default: the layout's data) against the ontology and shapes.

    ``engine`` is "turbo" (pyshacl-turbo, fast) or "pyshacl" (the reference); both give the
    same report. With ``check_quotations``, also checks that every source text is present and
    has its recorded SHA-256, then every quotation against the source texts.

    When every one of ``data_files`` is one of the layout's own files (its data, ontology or
    shapes), the whole graph is validated and the report keeps the results of those files (see
    ``Scope``); other files are validated on their own, with the ontology. ``scope`` narrows the
    whole graph's report the same way.
    A file that is not Turtle raises ``TurtleSyntaxErrors`` (all of them located).
    """
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine {engine!r} (use one of: {', '.join(ENGINES)})")
    layout = layout or Layout.resolve()
    files = list(data_files) if data_files is not None else layout.data_files()
    checked = len(files)
    if data_files is not None and in_project(layout, files):
        scope = Scope(files=frozenset(files))
        files = layout.data_files()
    loaded = _load(layout.ontology_files(), files, scope)
    index = loaded.index
    run = _validate_turbo if engine == "turbo" else _validate_pyshacl
    with _quiet_rdflib():
        conforms, results = run(loaded.store, layout.shapes_file())
        names = ShapeNames(layout.shapes_file(), types_in_store(loaded.store))
        shape_findings = findings(results, names)
    # An ill-typed literal is reported once, as such, not again by each shape it breaks.
    ill_typed = _ill_typed_findings(loaded.ill_typed)
    typed = {(f.focus, f.path, f.value) for f in ill_typed}
    found = [f for f in shape_findings if (f.focus, f.path, f.value) not in typed] + ill_typed
    if check_quotations:
        found += _quotation_findings(loaded.store, layout.sources)
    kept = [f for f in found if index.in_scope(f.focus, f.path, f.value)]
    violations = [_located(index, f, (f.file,) if f.file else None) for f in kept]
    violations.sort(
        key=lambda v: (v.files, v.file, v.best_line, v.focus, v.path, v.message, v.value, v.rule)
    )
    return ValidationReport(
        conforms=(conforms or scope is not None) and not violations,
        violations=violations,
        results_graph=results,
        files_checked=checked,
        quotations_checked=check_quotations,
        quotations_note="" if check_quotations else "quotations not checked",
        hidden=len(found) - len(kept),
    )
