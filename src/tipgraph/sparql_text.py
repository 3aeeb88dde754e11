"""Reading and rewriting SPARQL query text: its form, its prefixes, and parameters bound in it.

Parameters are bound by a ``VALUES`` block of escaped RDF terms inserted at the start of the
query's outermost WHERE group, so the same text runs on the local store and on an endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from tipgraph.errors import InputError, QueryError
from tipgraph.namespaces import PREFIXES, XSD_NS

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def as_term(term) -> Term:
    """A pyoxigraph term; an rdflib term (from a library user) is converted."""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term
    from tipgraph.rdflib_bridge import to_oxigraph

    return to_oxigraph(term)


QUERY_FORMS = ("select", "ask", "construct", "describe")
UPDATES = ("insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with")

_LONG_STRINGS = r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""' + "|" + r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
_SHORT_STRINGS = r'"(?:[^"\\\n\r]|\\.)*"' + "|" + r"'(?:[^'\\\n\r]|\\.)*'"
_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<space>\s+)",
            r"(?P<comment>#[^\n\r]*)",
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
            f"(?P<string>{_LONG_STRINGS}|{_SHORT_STRINGS})",
            r"(?P<variable>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)",
            r"(?P<name>(?:[\w\-.:%]|\\.)+)",
            r"(?P<other>.)",
        ]
    ),
    re.DOTALL,
)
_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]*")
_LANGUAGE = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_VARIABLE = re.compile(r"[A-Za-z0-9_]+")
_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
)


def _tokens(text: str) -> Iterator[tuple[str, int, str]]:
    """(kind, end offset, text) of each token, leaving out white space and comments."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield kind, match.end(), match.group()


def query_form(text: str) -> str | None:
    """The query's form (select, ask, construct, describe) or update keyword, lower case."""
    for kind, _end, token in _tokens(text):
        if kind == "name" and token.lower() in QUERY_FORMS + UPDATES:
            return token.lower()
    return None


def missing_prefixes(text: str) -> list[str]:
    """The project prefixes a query uses without declaring them."""
    declared: set[str] = set()
    used: set[str] = set()
    after_prefix = False
    for kind, _end, token in _tokens(text):
        if kind != "name":
            after_prefix = False
            continue
        if after_prefix and token.endswith(":"):
            declared.add(token[:-1])
        elif ":" in token:
            used.add(token.split(":", 1)[0])
        after_prefix = token.lower() == "prefix"
    return [prefix for prefix in PREFIXES if prefix in used - declared]


def with_prologue(text: str) -> str:
    """The query with declarations of the project prefixes it uses but does not declare.

    They go on its first line, so that an endpoint's error messages give the right line.
    """
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}> " for p in missing_prefixes(text)) + text


def where_group_start(text: str, name: str = "query") -> int:
    """The offset just inside the opening brace of the query's outermost WHERE group.

    Braces inside strings, IRIs and comments do not count, nor do those of a CONSTRUCT
    template or of an EXISTS in the SELECT clause.
    """
    form = None
    where = False
    braces = parens = groups = 0
    for kind, end, token in _tokens(text):
        if kind == "name":
            word = token.lower()
            if form is None and word in QUERY_FORMS:
                form = word
            elif word == "where" and form and braces == 0 and parens == 0:
                where = True
        elif kind != "other":
            continue
        elif token == "(":
            parens += 1
        elif token == ")":
            parens = max(parens - 1, 0)
        elif token == "{":
            if form and braces == 0 and parens == 0:
                if form == "construct" and where and groups == 0:
                    raise QueryError(f"{name}: CONSTRUCT WHERE {{ … }} cannot take parameters")
                if where or form != "construct" or groups == 1:
                    return end
                groups += 1
            braces += 1
        elif token == "}":
            braces = max(braces - 1, 0)
    raise QueryError(f"{name}: no WHERE group to bind the parameters in")


def _escape(text: str) -> str:
    """A string's content for a short quoted SPARQL literal.

    Always the short form, because some writers produce long strings (a newline, then a
    backslash and a quote at the end) that do not parse back. A ``u`` or ``U`` after a
    backslash is written as an eight-digit code point escape, so that the value stays the
    same whether an engine reads ``\\u`` escapes before parsing (as the SPARQL grammar has
    it) or while parsing.
    """
    escaped = text.translate(_ESCAPES)
    return re.sub(r"(?<=\\\\)([uU])", lambda m: f"\\U{ord(m.group(1)):08X}", escaped)


def _iri(value: str) -> str:
    if not _IRI.fullmatch(value):
        raise QueryError(f"{value[:80]!r} cannot be written as a SPARQL IRI")
    return f"<{value}>"


def sparql_term(term: Term) -> str:
    """An IRI or literal in SPARQL syntax, escaped so that no value can change the query."""
    try:
        term = as_term(term)
    except (TypeError, ValueError) as error:
        raise QueryError(f"{str(term)[:80]!r} cannot be bound as a parameter: {error}") from None
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.Literal):
        quoted = '"' + _escape(term.value) + '"'
        if term.language:
            if not _LANGUAGE.fullmatch(term.language):
                raise QueryError(f"bad language tag {term.language[:40]!r}")
            return f"{quoted}@{term.language}"
        if term.datatype.value != XSD_NS + "string":
            return f"{quoted}^^{_iri(term.datatype.value)}"
        return quoted
    raise QueryError(f"a {type(term).__name__} cannot be bound as a parameter")


def values_block(bindings: Mapping[str, Term]) -> str:
    """``VALUES (?a ?b) { (term term) }`` for variable names (without ``?``) and terms."""
    for variable in bindings:
        if not _VARIABLE.fullmatch(variable):
            raise QueryError(f"bad variable name {variable[:40]!r}")
    names = " ".join(f"?{variable}" for variable in bindings)
    terms = " ".join(sparql_term(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def insert_values(text: str, bindings: Mapping[str, Term], name: str = "query") -> str:
    """The query with a VALUES block for ``bindings`` at the start of its WHERE group.

    The block takes no line of its own, so that line numbers in error messages still hold.
    """
    if not bindings:
        return text
    position = where_group_start(text, name)
    return f"{text[:position]} {values_block(bindings)} {text[position:]}"


MAX_QUERY_CHARS = 1_000_000
MAX_NESTING = 200
MAX_OPERATORS = 5_000
_OPENING = {"{": "}", "(": ")", "[": "]"}
_CLOSING = set(_OPENING.values())
# Operators and clauses that make the query's parse tree deeper the longer a chain of them
# runs: `p/p/p/…`, `{…} UNION {…} UNION …`, `1+1+1…`, a row of OPTIONALs.
_OPERATOR_CHARACTERS = set("/|^&+*!=<>")
_OPERATOR_WORDS = {
    "union", "optional", "minus", "filter", "bind", "exists", "service", "graph", "values",
    "select", "in",
}  # fmt: skip


def check_query_shape(text: str, name: str = "query") -> None:
    """Raise InputError for query text too large or too deeply nested for the engine.

    pyoxigraph's parser and planner recurse, so very deep nesting (``{{{…}}}``, ``((…))``,
    ``[ :p [ :p …]]``) or very long chains of operators would overflow the stack and end the
    process; such text is refused before it reaches the engine.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(
            f"{name}: the query is {len(text):,} characters long; at most "
            f"{MAX_QUERY_CHARS:,} are allowed"
        )
    depth = operators = 0
    for kind, _end, token in _tokens(text):
        if kind == "other":
            if token in _OPENING:
                depth += 1
                operators += 1
                if depth > MAX_NESTING:
                    raise InputError(
                        f"{name}: the query nests brackets more than {MAX_NESTING} levels deep"
                    )
            elif token in _CLOSING:
                depth = max(depth - 1, 0)
            elif token in _OPERATOR_CHARACTERS:
                operators += 1
        elif kind == "name":
            operators += token.count("-") + (token.lower() in _OPERATOR_WORDS)
        if operators > MAX_OPERATORS:
            raise InputError(
                f"{name}: the query has more than {MAX_OPERATORS:,} operators, clauses and "
                "brackets; split it into smaller queries"
            )


def _prefixes_declared(text: str) -> dict[str, str]:
    declared: dict[str, str] = dict(PREFIXES)
    tokens = list(_tokens(text))
    for i, (kind, _end, token) in enumerate(tokens[:-2]):
        if (
            kind == "name"
            and token.lower() == "prefix"
            and tokens[i + 1][2].endswith(":")
            and tokens[i + 2][0] == "iri"
        ):
            declared[tokens[i + 1][2][:-1]] = tokens[i + 2][2][1:-1]
    return declared


def service_endpoints(text: str) -> list[str | None]:
    """The endpoint IRI of each SERVICE in the query (None for ``SERVICE ?variable``).

    Prefixed names are expanded with the query's and the project's prefixes; strings,
    IRIs and comments that merely contain the word SERVICE do not count.
    """
    endpoints: list[str | None] = []
    tokens = [(kind, token) for kind, _end, token in _tokens(text)]
    declared: dict[str, str] | None = None
    for i, (kind, token) in enumerate(tokens):
        if kind != "name" or token.lower() != "service":
            continue
        rest = tokens[i + 1 : i + 3]
        if rest and rest[0][0] == "name" and rest[0][1].lower() == "silent":
            rest = rest[1:]
        if not rest:
            continue
        target_kind, target = rest[0]
        if target_kind == "iri":
            endpoints.append(target[1:-1])
        elif target_kind == "variable":
            endpoints.append(None)
        elif target_kind == "name" and ":" in target:
            if declared is None:
                declared = _prefixes_declared(text)
            prefix, local = target.split(":", 1)
            endpoints.append(declared.get(prefix, "") + local)
        else:
            endpoints.append(target)
    return endpoints


def check_services(text: str, allowed_hosts: Iterable[str] = (), name: str = "query") -> None:
    """Raise InputError unless every SERVICE in the query goes to one of ``allowed_hosts``."""
    endpoints = service_endpoints(text)
    if not endpoints:
        return
    import urllib.parse  # only for queries that call a service

    allowed = {host.lower().strip("[]") for host in allowed_hosts}
    for endpoint in endpoints:
        if endpoint is None:
            raise InputError(
                f"{name}: SERVICE with a variable is not run, because its endpoint would be "
                "known only while the query runs"
            )
        try:
            host = urllib.parse.urlsplit(endpoint).hostname or ""
        except ValueError:
            host = ""
        if not host:
            raise InputError(f"{name}: SERVICE <{endpoint[:80]}> names no host to query")
        if host not in allowed:
            raise InputError(
                f"{name}: SERVICE <{endpoint[:80]}> would query {host} over the network; "
                f"allow it with --allow-service {host}"
            )
