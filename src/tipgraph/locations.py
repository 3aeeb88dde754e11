"""Where things are in a Turtle file: the line of each subject's block and of each triple.

Oxigraph and rdflib give no line numbers for triples, so this module scans the text itself,
once per file content: a tokenizer that counts lines and a forgiving reader of Turtle's
statements (directives, subjects, predicate-object lists, nested blank nodes, collections).
It never refuses a file: after something it cannot read, it skips to the end of the statement
and goes on, so a file a steward has half edited still gives the lines it can. Terms are keyed
as the report keys them (see ``citations.node_key``): an IRI as itself, a labelled blank node
as ``_:label``, a literal as ``"`` followed by its lexical form. The scan is linear in the size
of the file, and its result is cached by the SHA-256 of the content and the base IRI.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urljoin

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF_NS + "type"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
LITERAL = '"'  # the first character of a literal's key

# One token, after any white space and comments. A character no rule accepts (the quote of an
# unterminated string, say) is skipped.
TOKEN = re.compile(
    r"""
    (?:\s+|\#[^\n]*)*
    (?:
      (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>(?:[^\s<>"'{}|^`\\;,\[\]()\#]+|\\.)+)
    | (?P<punct>[;,\[\]()])
    | (?P<iri><[^<>"{}|^`\\\s]*(?:\\[uU][0-9A-Fa-f]+[^<>"{}|^`\\\s]*)*>)
    | (?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
    | (?P<short>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<datatype>\^\^)
    )
    """,
    re.VERBOSE | re.DOTALL,
)
ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
STRING_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
CACHE_SIZE = 512
NEWLINE = re.compile("\n")


SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def resolve(base: str, reference: str) -> str:
    """An IRI reference resolved against a base; an absolute one is kept as written."""
    if SCHEME.match(reference) or not base:
        return reference
    resolved = urljoin(base, reference)
    return resolved + "#" if reference.endswith("#") and not resolved.endswith("#") else resolved


def _unescape(text: str) -> str:
    """Turtle's string and IRI escapes (\\t, \\", \\u00e9, \\U0001F600) replaced."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            try:
                return chr(int(code[1:], 16))
            except (ValueError, OverflowError):
                return match.group(0)
        return STRING_ESCAPES.get(code, code)

    return ESCAPE.sub(replace, text) if "\\" in text else text


# A token: (kind, text, offset in the text); kind is iri, long, short, lang, datatype, punct,
# word or dot. Plain tuples: a file has one per term.
Token = tuple[str, str, int]


def lex(text: str) -> list[Token]:
    """The tokens of a Turtle text, white space and comments left out."""
    found: list[Token] = []
    append = found.append
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None:
            continue
        value = match.group(kind)
        start = match.start(kind)
        if kind == "word" and value[-1] == ".":
            # a statement's final dot glued to a name or number: "id:x." is "id:x" "."
            if value == ".":
                append(("dot", ".", start))
                continue
            stripped = value.rstrip(".")
            if NUMBER.fullmatch(value) and not NUMBER.fullmatch(value[:-1] or "x"):
                stripped = value  # "25." alone is not a number; "1.5" is kept whole
            if NUMBER.fullmatch(value[:-1] or "x"):
                stripped = value[:-1]
            if stripped:
                append(("word", stripped, start))
            for offset in range(len(stripped), len(value)):
                append(("dot", ".", start + offset))
            continue
        append((kind, value, start))
    return found


class LineToken(NamedTuple):
    kind: str
    text: str
    line: int


def tokens(text: str) -> list[LineToken]:
    """The tokens with the line each starts on (for tests and debugging)."""
    line_of = _line_finder(text)
    return [LineToken(kind, value, line_of(start)) for kind, value, start in lex(text)]


def _line_finder(text: str):
    newlines = [match.start() for match in NEWLINE.finditer(text)]
    return lambda offset: bisect_right(newlines, offset) + 1


@dataclass
class FileLocations:
    """The lines of one file's subjects, triples and mentions (1-based; the first wins)."""

    blocks: dict[str, int] = field(default_factory=dict)
    triples: dict[tuple[str, str, str], int] = field(default_factory=dict)
    pairs: dict[tuple[str, str], int] = field(default_factory=dict)
    mentions: dict[str, int] = field(default_factory=dict)
    literals: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)

    def block_line(self, subject: str) -> int | None:
        """The line where the first block describing ``subject`` starts."""
        return self.blocks.get(subject)

    def triple_line(self, subject: str, predicate: str, value: str | None = None) -> int | None:
        """The line of the triple (or, without ``value``, of the first with that predicate).

        ``value`` is a node key, or for a literal its lexical form with or without the
        leading ``"`` of its key.
        """
        if value is not None:
            for key in (value, LITERAL + value):
                line = self.triples.get((subject, predicate, key))
                if line is not None:
                    return line
            return None
        return self.pairs.get((subject, predicate))

    def mention_line(self, node: str) -> int | None:
        """The first line where ``node`` is the object of a triple."""
        return self.mentions.get(node)

    def literal_values(self, subject: str, predicate: str) -> list[tuple[str, str]]:
        """The lexical forms and datatypes (an IRI, "" for a string) of the literal objects."""
        return self.literals.get((subject, predicate), [])


SUBJECT, PREDICATE, OBJECT, AFTER_OBJECT, SKIP = range(5)


def _after_node(stack: list[tuple[str, str, str, int]], predicate: str) -> int:
    """The state after a nested node closes: the next item of an enclosing list, what follows
    an object, or (for a blank node that was the subject) a predicate."""
    if not predicate:
        return PREDICATE
    return OBJECT if stack and stack[-1][0] == "(" else AFTER_OBJECT


class _Reader:
    """Reads statements from tokens, recording where each term is; never raises on bad input.

    A flat state machine (subject, predicate, object, after an object) with a stack for the
    nested blank nodes ``[ … ]`` and collections ``( … )``; a dot ends every statement.
    """

    def __init__(self, text: str, base: str) -> None:
        self.tokens = lex(text)
        self.line_of = _line_finder(text)
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.anonymous = 0
        self.found = FileLocations()

    def iri(self, kind: str, text: str) -> str | None:
        """The IRI of an IRI reference, prefixed name or blank node label; None otherwise."""
        if kind == "iri":
            return resolve(self.base, _unescape(text[1:-1]) if "\\" in text else text[1:-1])
        if kind != "word" or ":" not in text:
            return None
        if text.startswith("_:"):
            return text
        prefix, local = text.split(":", 1)
        namespace = self.prefixes.get(prefix)
        if namespace is None:
            return None
        return namespace + (re.sub(r"\\(.)", r"\1", local) if "\\" in local else local)

    def fresh(self, start: int) -> str:
        self.anonymous += 1
        return f"_:anonymous-{start}-{self.anonymous}"

    def directive(self, at: int) -> int:
        """Reads a prefix or base directive at ``at``; the index after it (``at`` if none)."""
        kind, text, _ = self.tokens[at]
        keyword = text.lower() if kind in ("word", "lang") else ""
        if keyword not in ("@prefix", "prefix", "@base", "base"):
            return at
        tokens = self.tokens
        following = tokens[at + 1 : at + 3]
        if keyword.endswith("prefix"):
            if len(following) == 2 and following[1][0] == "iri":
                name, iri = following
                self.prefixes[name[1].rstrip(":")] = resolve(self.base, _unescape(iri[1][1:-1]))
            at += 3
        else:
            if following and following[0][0] == "iri":
                self.base = resolve(self.base, _unescape(following[0][1][1:-1]))
            at += 2
        if keyword.startswith("@") and at < len(tokens) and tokens[at][0] == "dot":
            at += 1
        return at

    def read(self) -> FileLocations:
        tokens, line_of, found = self.tokens, self.line_of, self.found
        blocks, triples, pairs = found.blocks, found.triples, found.pairs
        mentions, literals = found.mentions, found.literals
        count = len(tokens)
        state = SUBJECT
        subject = predicate = ""
        verb_line = 0
        stack: list[tuple[str, str, str, int]] = []  # (opener, subject, predicate, verb line)
        at = 0
        while at < count:
            kind, text, start = tokens[at]
            if kind == "dot":
                state, stack = SUBJECT, []
                at += 1
                continue
            if state == SKIP or (state != SUBJECT and kind in ("lang", "datatype")):
                at += 1
                continue
            if state == SUBJECT:
                after = self.directive(at)
                if after != at:
                    at = after
                    continue
                at += 1
                if kind == "punct" and text == "[":
                    subject = self.fresh(start)
                    blocks.setdefault(subject, line_of(start))
                    stack.append(("[", subject, "", 0))
                    state = PREDICATE
                    continue
                key = self.iri(kind, text)
                if key is None:
                    state = SKIP
                    continue
                subject = key
                blocks.setdefault(subject, line_of(start))
                state = PREDICATE
                continue
            if state == PREDICATE:
                at += 1
                if kind == "punct":
                    if text == "]" and stack and stack[-1][0] == "[":
                        _, subject, predicate, verb_line = stack.pop()
                        state = _after_node(stack, predicate)
                    continue
                predicate = RDF_TYPE if kind == "word" and text == "a" else self.iri(kind, text)
                if predicate is None or predicate.startswith("_:"):
                    predicate = ""
                verb_line = line_of(start)
                state = OBJECT
                continue
            if state == OBJECT:
                in_list = bool(stack) and stack[-1][0] == "("
                at += 1
                value = None
                if kind == "punct":
                    if text in "[(":
                        value = self.fresh(start)
                    elif (text == ")" and in_list) or (
                        text == "]" and stack and stack[-1][0] == "["
                    ):
                        _, subject, predicate, verb_line = stack.pop()
                        state = _after_node(stack, predicate)
                        continue
                    elif text == ";":
                        state = PREDICATE
                        continue
                    else:
                        continue
                elif kind in ("short", "long"):
                    quote = 3 if kind == "long" else 1
                    lexical = text[quote:-quote]
                    value = LITERAL + (_unescape(lexical) if "\\" in lexical else lexical)
                    datatype = ""
                    if at < count and tokens[at][0] == "lang":
                        datatype = RDF_NS + "langString"
                        at += 1
                    elif at < count and tokens[at][0] == "datatype":
                        if at + 1 < count:
                            datatype = self.iri(*tokens[at + 1][:2]) or ""
                        at += 2
                    if predicate:
                        literals.setdefault((subject, predicate), []).append((value[1:], datatype))
                elif kind == "word" and (text in ("true", "false") or NUMBER.fullmatch(text)):
                    value = LITERAL + text
                    if predicate:
                        literals.setdefault((subject, predicate), []).append(
                            (text, bare_datatype(text))
                        )
                else:
                    value = self.iri(kind, text)
                if value is not None and predicate:
                    line = line_of(start)
                    triples.setdefault((subject, predicate, value), line)
                    pairs.setdefault((subject, predicate), verb_line)
                    if value[0] != LITERAL:
                        mentions.setdefault(value, line)
                if kind == "punct":  # a nested node: its own predicates, or a list's items
                    stack.append((text, subject, predicate, verb_line))
                    subject = value  # type: ignore[assignment]
                    if text == "[":
                        state = PREDICATE
                    else:
                        predicate, verb_line = RDF_NS + "first", line_of(start)
                    continue
                state = OBJECT if in_list else AFTER_OBJECT
                continue
            # AFTER_OBJECT
            if kind == "punct" and text == ",":
                state = OBJECT
                at += 1
            elif kind == "punct" and text == ";":
                state = PREDICATE
                at += 1
            elif kind == "punct" and text == "]" and stack and stack[-1][0] == "[":
                _, subject, predicate, verb_line = stack.pop()
                state = _after_node(stack, predicate)
                at += 1
            else:
                state = PREDICATE  # a missing ";": read the token again as a predicate
        return found


def bare_datatype(text: str) -> str:
    """The datatype of a number or boolean written without quotes."""
    if text in ("true", "false"):
        return XSD_NS + "boolean"
    if "e" in text.lower():
        return XSD_NS + "double"
    return XSD_NS + ("decimal" if "." in text else "integer")


def scan(text: str, base: str = "") -> FileLocations:
    """The locations in one Turtle text; relative IRIs resolve against ``base``."""
    return _Reader(text, base).read()


_cache: OrderedDict[tuple[str, str], FileLocations] = OrderedDict()


def locate_text(content: bytes, base: str) -> FileLocations:
    """The locations in a file's bytes, from the cache when the same content was scanned."""
    key = (hashlib.sha256(content).hexdigest(), base)
    found = _cache.get(key)
    if found is None:
        text = content.decode("utf-8", "replace").removeprefix("\ufeff")
        found = _cache[key] = scan(text, base)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(key)
    return found


def locate_file(path: Path) -> FileLocations:
    """The locations in a Turtle file (its IRIs resolved as the loader resolves them).

    A file that can no longer be read has no known locations.
    """
    try:
        content = path.read_bytes()
    except OSError:
        return FileLocations()
    return locate_text(content, path.absolute().as_uri())
