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
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF_NS + "type"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
LITERAL = '"'  # the first character of a literal's key

TOKEN = re.compile(
    r"""
      (?P<newline>\n)
    | (?P<space>[ \t\r\f]+)
    | (?P<comment>\#[^\n]*)
    | (?P<iri><[^<>"{}|^`\\\s]*(?:\\[uU][0-9A-Fa-f]+[^<>"{}|^`\\\s]*)*>)
    | (?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
    | (?P<short>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<datatype>\^\^)
    | (?P<punct>[;,\[\]()])
    | (?P<word>(?:[^\s<>"'{}|^`\\;,\[\]()#]|\\.)+)
    """,
    re.VERBOSE | re.DOTALL,
)
ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
STRING_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
CACHE_SIZE = 512


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


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    line: int


def tokens(text: str) -> list[Token]:
    """The tokens of a Turtle text with the line each starts on; spaces and comments dropped.

    A character no token rule accepts (an unterminated string, say) becomes a one-character
    ``junk`` token, so that the reader can skip it.
    """
    found: list[Token] = []
    line, position, end = 1, 0, len(text)
    while position < end:
        match = TOKEN.match(text, position)
        if match is None:
            found.append(Token("junk", text[position], line))
            line += text[position] == "\n"
            position += 1
            continue
        kind, value = match.lastgroup or "junk", match.group(0)
        if kind == "word" and value.endswith(".") and not NUMBER.fullmatch(value):
            # A statement's final dot glued to a name: "id:x ." written "id:x."
            stripped = value.rstrip(".")
            if stripped:
                found.append(Token("word", stripped, line))
            found.extend(Token("dot", ".", line) for _ in range(len(value) - len(stripped)))
        elif kind == "word" and value.endswith(".") and NUMBER.fullmatch(value[:-1]):
            found.append(Token("word", value[:-1], line))
            found.append(Token("dot", ".", line))
        elif kind == "word" and value == ".":
            found.append(Token("dot", ".", line))
        elif kind not in ("space", "comment", "newline"):
            found.append(Token(kind, value, line))
        line += value.count("\n")
        position = match.end()
    return found


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


class _Reader:
    """Reads statements from tokens, recording where each term is; never raises on bad input."""

    def __init__(self, tokens: list[Token], base: str) -> None:
        self.tokens = tokens
        self.position = 0
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.anonymous = 0
        self.datatype = ""  # of the literal read last
        self.found = FileLocations()

    # -- tokens ------------------------------------------------------------------------------

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> Token | None:
        token = self.peek()
        if token is not None:
            self.position += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        token = self.peek()
        return token is not None and token.kind == kind and (text is None or token.text == text)

    # -- terms -------------------------------------------------------------------------------

    def iri(self, token: Token) -> str | None:
        """The IRI of an IRI reference or prefixed name; None for anything else."""
        if token.kind == "iri":
            return resolve(self.base, _unescape(token.text[1:-1]))
        if token.kind == "word" and ":" in token.text and not token.text.startswith("_:"):
            prefix, local = token.text.split(":", 1)
            namespace = self.prefixes.get(prefix)
            if namespace is None:
                return None
            return namespace + re.sub(r"\\(.)", r"\1", local)
        return None

    def _fresh(self, line: int) -> str:
        self.anonymous += 1
        return f"_:anonymous-{line}-{self.anonymous}"

    def term(self, *, subject: bool) -> str | None:
        """The key of the next term (reading nested blank nodes and collections whole)."""
        token = self.peek()
        if token is None or token.kind == "dot":
            return None
        if token.kind == "punct" and token.text == "[":
            self.take()
            node = self._fresh(token.line)
            if subject or not self.at("punct", "]"):
                self.found.blocks.setdefault(node, token.line)
            self.predicate_objects(node, closing="]")
            if self.at("punct", "]"):
                self.take()
            return node
        if token.kind == "punct" and token.text == "(":
            self.take()
            head = self._fresh(token.line)
            node = head
            while not self.at("punct", ")") and self.peek() is not None:
                if self.at("dot"):
                    return head
                line = self.peek().line  # type: ignore[union-attr]
                item = self.term(subject=False)
                if item is None:
                    self.take()
                    continue
                self.record(node, RDF_NS + "first", item, line, line)
                following = self._fresh(line)
                node = following
            self.take()
            return head
        self.take()
        if token.kind in ("iri", "word"):
            if token.text.startswith("_:"):
                return token.text
            if token.kind == "word" and not subject:
                literal = self.bare_literal(token.text)
                if literal is not None:
                    self.datatype = bare_datatype(token.text)
                    return literal
            return self.iri(token)
        if token.kind in ("short", "long"):
            quote = 3 if token.kind == "long" else 1
            lexical = _unescape(token.text[quote:-quote])
            self.datatype = ""
            if self.at("lang"):
                self.take()
                self.datatype = RDF_NS + "langString"
            elif self.at("datatype"):
                self.take()
                datatype = self.take()
                self.datatype = (self.iri(datatype) if datatype is not None else None) or ""
            return LITERAL + lexical
        return None

    @staticmethod
    def bare_literal(text: str) -> str | None:
        if text in ("true", "false") or NUMBER.fullmatch(text):
            return LITERAL + text
        return None

    # -- statements --------------------------------------------------------------------------

    def record(self, subject: str, predicate: str, value: str, line: int, verb: int) -> None:
        found = self.found
        found.triples.setdefault((subject, predicate, value), line)
        found.pairs.setdefault((subject, predicate), verb)
        if not value.startswith(LITERAL):
            found.mentions.setdefault(value, line)
        else:
            found.literals.setdefault((subject, predicate), []).append((value[1:], self.datatype))

    def predicate_objects(self, subject: str, closing: str | None = None) -> None:
        """``verb objects (; verb objects)*`` up to the statement's end (or ``closing``)."""
        while True:
            token = self.peek()
            if token is None or token.kind == "dot":
                return
            if token.kind == "punct" and token.text == closing:
                return
            if token.kind == "punct" and token.text == ";":
                self.take()
                continue
            self.take()
            predicate = RDF_TYPE if token.kind == "word" and token.text == "a" else self.iri(token)
            if predicate is None:
                self.skip_object_list(closing)
                continue
            while True:
                start = self.peek()
                if start is None or start.kind == "dot":
                    return
                if start.kind == "punct" and start.text in (";", closing):
                    break
                value = self.term(subject=False)
                if value is None:
                    if self.peek() is start:
                        self.take()
                else:
                    self.record(subject, predicate, value, start.line, token.line)
                if self.at("punct", ","):
                    self.take()
                    continue
                break

    def skip_object_list(self, closing: str | None) -> None:
        depth = 0
        while (token := self.peek()) is not None:
            if depth == 0 and (
                token.kind == "dot" or (token.kind == "punct" and token.text in (";", closing))
            ):
                return
            if token.kind == "punct" and token.text in "[(":
                depth += 1
            elif token.kind == "punct" and token.text in "])":
                depth = max(0, depth - 1)
            self.take()

    def skip_statement(self) -> None:
        while (token := self.take()) is not None and token.kind != "dot":
            pass

    def directive(self) -> bool:
        """Reads a prefix or base directive, if one is next."""
        token = self.peek()
        if token is None:
            return False
        keyword = token.text.lower() if token.kind in ("word", "lang") else ""
        if keyword in ("@prefix", "prefix"):
            self.take()
            name, iri = self.take(), self.take()
            if name is not None and iri is not None and iri.kind == "iri":
                self.prefixes[name.text.rstrip(":")] = resolve(self.base, _unescape(iri.text[1:-1]))
            if keyword == "@prefix" and self.at("dot"):
                self.take()
            return True
        if keyword in ("@base", "base"):
            self.take()
            iri = self.take()
            if iri is not None and iri.kind == "iri":
                self.base = resolve(self.base, _unescape(iri.text[1:-1]))
            if keyword == "@base" and self.at("dot"):
                self.take()
            return True
        return False

    def read(self) -> FileLocations:
        while self.peek() is not None:
            if self.directive():
                continue
            start = self.peek()
            assert start is not None
            if start.kind == "dot":
                self.take()
                continue
            subject = self.term(subject=True)
            if subject is None:
                self.skip_statement()
                continue
            self.found.blocks.setdefault(subject, start.line)
            self.predicate_objects(subject)
            if not self.at("dot"):
                self.skip_statement()
            else:
                self.take()
        return self.found


def bare_datatype(text: str) -> str:
    """The datatype of a number or boolean written without quotes."""
    if text in ("true", "false"):
        return XSD_NS + "boolean"
    if "e" in text.lower():
        return XSD_NS + "double"
    return XSD_NS + ("decimal" if "." in text else "integer")


def scan(text: str, base: str = "") -> FileLocations:
    """The locations in one Turtle text; relative IRIs resolve against ``base``."""
    return _Reader(tokens(text), base).read()


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
