"""``tipgraph fmt``: rewriting the Turtle files in the canonical form.

The form is the project's own (turtle_writer, in the order of canonical_order), written from
the triples as Oxigraph reads them, so every lexical form is kept as written.

Formatting must never change what a file says, so a file is refused (an InputError naming
file:line, the file untouched) when the canonical form could not keep it exactly:

- a ``#`` comment (the canonical form has none: the note would be lost);
- a relative IRI or an ``@base``/``BASE`` directive (the parser resolves it against the file's
  own path, so the canonical form would hold a ``file:///`` path of this machine);
- a literal that rdflib reads otherwise than Oxigraph (rdflib normalises ``"yes"^^xsd:boolean``
  or ``"+8"^^xsd:integer``): users who load the files with rdflib must get the same terms;
- a blank node used as the object of several triples, or blank nodes in a cycle (the canonical
  form writes a blank node nested where it is used).

As a last guard, the canonical text is parsed again and its triples must be the input's.

Every file is checked before any is written, so a folder is never left half-rewritten.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from tipgraph.canonical_order import block_order
from tipgraph.errors import InputError
from tipgraph.loader import parse_file
from tipgraph.namespaces import PREFIXES
from tipgraph.paths import Layout, read_regular_text, turtle_files
from tipgraph.rdflib_bridge import to_oxigraph
from tipgraph.store import parse_turtle, syntax_error
from tipgraph.turtle_writer import BlankNodeError, TurtleWriter
from tipgraph.writing import writable_target, write_files_atomically

SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
BASE_DIRECTIVE = re.compile(r"@base\b|[Bb][Aa][Ss][Ee](?=\s*<)")
UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class FormatResult:
    path: Path
    changed: bool


def project_turtle_files(layout: Layout) -> list[Path]:
    """Every Turtle file the project formats: the ontology folder and the data folder."""
    return turtle_files(layout.ontology) + turtle_files(layout.data)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _string_end(text: str, start: int) -> int:
    """The offset just after the string literal that opens at ``start``."""
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    i = start + len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        elif len(quote) == 1 and text[i] == "\n":
            return i  # an unterminated string: the parser reports it
        else:
            i += 1
    return len(text)


def check_source(path: Path, text: str) -> None:
    """Refuse, naming file:line, the first comment, base directive or relative IRI of a file."""
    i = 0
    while i < len(text):
        char = text[i]
        if char == "#":
            raise InputError(
                f"{path}:{_line(text, i)}: a comment; formatting would lose it "
                "(move the note into skos:editorialNote)"
            )
        if char in "\"'":
            i = _string_end(text, i)
            continue
        if char == "<":
            end = text.find(">", i + 1)
            end = len(text) if end < 0 else end
            iri = UNICODE_ESCAPE.sub(
                lambda m: chr(int(m.group(1) or m.group(2), 16)), text[i + 1 : end]
            )
            if not SCHEME.match(iri):
                raise InputError(
                    f"{path}:{_line(text, i)}: the relative IRI <{iri}>; the canonical form "
                    "would resolve it to a path of this machine (write it in full)"
                )
            i = end + 1
            continue
        if char == "\\":
            i += 2
            continue
        if (i == 0 or text[i - 1].isspace() or text[i - 1] == ".") and BASE_DIRECTIVE.match(
            text, i
        ):
            raise InputError(
                f"{path}:{_line(text, i)}: a base directive; the canonical form would resolve "
                "IRIs against it (write them in full)"
            )
        i += 1


def _canonical_set(quads: list[ox.Quad]) -> set[ox.Quad]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def _shape(quad: ox.Quad) -> tuple:
    """A triple with its blank nodes blurred, to find which triple changed."""
    return tuple(
        None if isinstance(term, ox.BlankNode) else term
        for term in (quad.subject, quad.predicate, quad.object)
    )


def _where(text: str, term: object) -> int:
    """The line where a term most likely appears in the text (1 when it cannot be found)."""
    if isinstance(term, ox.Literal):
        candidates = [f'"{term.value}"', f"'{term.value}'", term.value]
    elif isinstance(term, ox.NamedNode):
        candidates = [f"<{term.value}>", re.split(r"[/#]", term.value)[-1]]
    else:
        candidates = []
    for candidate in candidates:
        offset = text.find(candidate) if candidate else -1
        if offset >= 0:
            return _line(text, offset)
    return 1


def _refuse_difference(
    path: Path, text: str, expected: list[ox.Quad], got: list[ox.Quad], what: str
) -> None:
    """Refuse, naming file:line, when ``got`` does not hold exactly the triples ``expected``."""
    if _canonical_set(expected) == _canonical_set(got):
        return
    kept = {_shape(quad) for quad in got}
    changed = [quad for quad in expected if _shape(quad) not in kept]
    if changed:
        quad = changed[0]
        term = quad.object if not isinstance(quad.object, ox.BlankNode) else quad.subject
        raise InputError(
            f"{path}:{_where(text, term)}: {what} would change {term} "
            "(rewrite it in its canonical lexical form)"
        )
    raise InputError(f"{path}:1: {what} would change the file's triples")


def check_same_triples(path: Path, text: str, canonical: str) -> None:
    """Refuse, naming file:line, a canonical text whose triples are not exactly the input's."""
    before = parse_turtle(path, text.encode("utf-8"))
    after = parse_turtle(path, canonical.encode("utf-8"))
    _refuse_difference(path, text, before, after, "the canonical form")


def check_rdflib_agrees(path: Path, text: str, quads: list[ox.Quad]) -> None:
    """Refuse a file that rdflib reads otherwise than Oxigraph, term for term.

    rdflib rewrites some lexical forms (``"yes"^^xsd:boolean``, ``"+8"^^xsd:integer``), so a
    user loading the file with rdflib would get other terms than the engine: such a literal must
    be written in its canonical form. Language tags compare case-insensitively, as RDF says.
    """
    graph = Graph(bind_namespaces="none")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib warns about the literals it normalises
        try:
            graph.parse(data=text, format="turtle", publicID=path.absolute().as_uri())
        except Exception:
            parse_file(Graph(bind_namespaces="none"), path)  # the error, naming file:line
            raise
    read = [ox.Quad(*(_lower_language(to_oxigraph(term)) for term in triple)) for triple in graph]
    lowered = [ox.Quad(*(_lower_language(term) for term in quad.triple)) for quad in quads]
    _refuse_difference(path, text, lowered, read, "reading it with rdflib")


def _lower_language(term):
    if isinstance(term, ox.Literal) and term.language:
        return ox.Literal(term.value, language=term.language.lower())
    return term


def file_prefixes(declared: dict[str, str]) -> dict[str, str]:
    """The project's prefixes, and the file's own where they clash with none of them."""
    prefixes = dict(PREFIXES)
    namespaces = set(PREFIXES.values())
    for prefix, namespace in sorted(declared.items()):
        if prefix not in prefixes and namespace not in namespaces:
            prefixes[prefix] = namespace
            namespaces.add(namespace)
    return prefixes


def parse_with_prefixes(path: Path, text: str) -> tuple[list[ox.Quad], dict[str, str]]:
    """The triples of a file, read as the engine reads them, and the prefixes it declares."""
    parser = ox.parse(
        text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=path.absolute().as_uri()
    )
    try:
        quads = list(parser)
    except SyntaxError as error:
        raise syntax_error(path, error) from error
    return quads, dict(parser.prefixes)


def write_canonical(quads: list[ox.Quad], path: Path | None, prefixes: dict[str, str]) -> str:
    """The canonical text of the triples of the file ``path`` (see canonical_order)."""
    writer = TurtleWriter(quads, prefixes)
    return writer.document(lambda name: block_order(quads, path, name))


def read_regular(path: Path) -> str:
    """A file's text; a FIFO, device or folder is refused without being opened."""
    return read_regular_text(path)


def canonical_form(path: Path, text: str) -> str:
    """The canonical text of a file's content, refused when it would not say exactly the same."""
    quads, declared = parse_with_prefixes(path, text)
    check_rdflib_agrees(path, text, quads)
    try:
        canonical = write_canonical(quads, path, file_prefixes(declared))
    except BlankNodeError as error:
        raise InputError(f"{path}: {error}") from None
    check_same_triples(path, text, canonical)
    return canonical


def canonical_text(path: Path) -> str:
    text = read_regular(path)
    check_source(path, text)
    return canonical_form(path, text)


def format_files(paths: list[Path], *, check: bool) -> list[FormatResult]:
    """Compare (``check``) or rewrite each file in canonical form; report which differ.

    All files are read, checked and formatted first; only if every one succeeds are the
    changed ones written, so any error leaves every file as it was.
    """
    texts = {path: read_regular(path) for path in paths}
    wanted = {}
    for path, text in texts.items():
        check_source(path, text)
        wanted[path] = canonical_form(path, text)
    changed = {path: wanted[path] for path in paths if texts[path] != wanted[path]}
    if not check:
        for path in changed:
            writable_target(path)
        write_files_atomically(changed)
    return [FormatResult(path, path in changed) for path in paths]
