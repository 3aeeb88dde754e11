"""The saved-query catalogue: ``queries/*.rq`` files with grlc-style ``#+`` YAML headers.

A parameter is a SPARQL variable named the grlc way, ``?_<name>_<kind>`` (required) or
``?__<name>_<kind>`` (optional), with kind ``iri``, ``string``, ``integer`` or ``boolean``.
The header's ``params`` block describes each parameter and may refine ``integer`` to ``year``;
grlc's ``defaults`` block gives defaults.

A file that cannot be read as a saved query fails alone, with its file and line: the other
queries still list and run. A leading byte-order mark is ignored; FIFOs, devices and other
files that are not regular files are refused without being opened.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tipgraph.errors import InputError
from tipgraph.paths import read_regular_text
from tipgraph.slugs import SLUG

VARIABLE = re.compile(r"[?$](_{1,2})([A-Za-z][A-Za-z0-9]*)_(iri|string|integer|boolean)\b")
KINDS = {"iri": "resource", "string": "string", "integer": "integer", "boolean": "boolean"}
TYPES = ("resource", "string", "integer", "year", "boolean")
MAX_NAME = 200  # longer names are no saved query (and may exceed the file system's limit)
NAME = SLUG  # a saved query is named like a resource


@dataclass(frozen=True)
class Parameter:
    name: str
    variable: str
    type: str
    description: str
    required: bool
    default: str | None = None


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise InputError(f"query {self.name}: unknown parameter {name!r} (parameters: {known})")


def _header(text: str) -> tuple[str, list[int]]:
    """The ``#+`` header's YAML text, and the file line number of each of its lines."""
    lines = []
    numbers = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
            numbers.append(number)
        elif line.strip() and not line.startswith("#"):
            break
    return "\n".join(lines), numbers


def _line_of(name: str, header_lines: list[str], numbers: list[int]) -> int:
    """The file line where the header describes ``name`` (else the header's first line)."""
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*:")
    for text, number in zip(header_lines, numbers, strict=False):
        if pattern.match(text):
            return number
    return numbers[0] if numbers else 1


def parse_saved_query(path: Path) -> SavedQuery:
    """Read one ``.rq`` file; any problem is an InputError naming the file and line."""
    name = path.stem
    if not NAME.match(name):
        raise InputError(f"{path}:1: query names are kebab-case (a-z, 0-9, hyphens)")
    text = read_regular_text(path)
    import yaml  # only when a query is read

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    header_text, numbers = _header(text)
    try:
        header = yaml.load(header_text, Loader=loader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = numbers[min(mark.line, len(numbers) - 1)] if mark is not None and numbers else 1
        reason = " ".join(str(getattr(error, "problem", None) or error).split())
        raise InputError(f"{path}:{line}: bad #+ YAML header: {reason}") from error
    first = numbers[0] if numbers else 1
    if not isinstance(header, dict) or not header.get("summary"):
        raise InputError(f"{path}:{first}: the #+ header needs a summary")
    described = header.get("params") or {}
    if not isinstance(described, dict):
        raise InputError(
            f"{path}:{_line_of('params', header_text.splitlines(), numbers)}: "
            "params must be a mapping of parameter names"
        )
    defaults: dict[str, str] = {}
    for entry in header.get("defaults") or []:
        if isinstance(entry, dict):
            defaults.update({str(k): str(v) for k, v in entry.items()})
    parameters = []
    seen = set()
    for match in VARIABLE.finditer(text):
        underscores, pname, kind = match.groups()
        if pname in seen:
            continue
        seen.add(pname)
        info = described.get(pname) or {}
        if not isinstance(info, dict):
            info = {"description": info}
        declared = info.get("type", KINDS[kind])
        if declared not in TYPES:
            line = _line_of(pname, header_text.splitlines(), numbers)
            raise InputError(
                f"{path}:{line}: parameter {pname}: unknown type {declared!r} "
                f"(use one of: {', '.join(TYPES)})"
            )
        parameters.append(
            Parameter(
                name=pname,
                variable=match.group(0)[1:],
                type=declared,
                description=str(info.get("description", "")),
                required=underscores == "_" and pname not in defaults,
                default=defaults.get(pname),
            )
        )
    return SavedQuery(
        name=name,
        path=path,
        text=text,
        summary=str(header["summary"]).strip(),
        description=str(header.get("description", "")).strip(),
        tags=tuple(str(t) for t in header.get("tags") or ()),
        parameters=tuple(parameters),
    )


class Catalogue:
    """The saved queries of a folder, by name; each file is read only when it is asked for."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._parsed: dict[str, SavedQuery] = {}

    def names(self) -> list[str]:
        try:
            entries = list(os.scandir(self.folder))
        except OSError as error:
            raise InputError(f"{self.folder}: cannot list: {error.strerror or error}") from error
        return sorted(
            entry.name.removesuffix(".rq")
            for entry in entries
            if entry.name.endswith(".rq") and not entry.is_dir()
        )

    @property
    def queries(self) -> dict[str, SavedQuery]:
        """Every saved query, by name (reads every file); the first bad file is an error."""
        return {name: self.get(name) for name in self.names()}

    def load(self) -> tuple[list[SavedQuery], list[InputError]]:
        """Every saved query that reads, and one error for each file that does not."""
        good, bad = [], []
        for name in self.names():
            try:
                good.append(self.get(name))
            except InputError as error:
                bad.append(error)
        return good, bad

    def __iter__(self):
        return iter(self.queries.values())

    def get(self, name: str) -> SavedQuery:
        if name not in self._parsed:
            path = self.folder / f"{name}.rq"
            if (
                "/" not in name
                and "\\" not in name
                and name not in ("", ".", "..")
                and len(name) <= MAX_NAME
                and os.path.lexists(path)  # a FIFO or broken link is refused when read
                and not path.is_dir()
            ):
                self._parsed[name] = parse_saved_query(path)
            else:
                self._unknown(name)
        return self._parsed[name]

    def _unknown(self, name: str) -> None:
        import difflib

        names = self.names()
        containing = [n for n in names if name and name in n]
        similar = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        close = list(dict.fromkeys(containing + similar))[:3]
        hint = f"; did you mean: {', '.join(close)}?" if close else "; see `tipgraph queries`"
        shown = repr(name[:80]) + (" (truncated)" if len(name) > 80 else "")
        raise InputError(f"unknown query {shown}{hint}")
