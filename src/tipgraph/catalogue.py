"""The saved-query catalogue: ``queries/*.rq`` files with grlc-style ``#+`` YAML headers.

A parameter is a SPARQL variable named the grlc way, ``?_<name>_<kind>`` (required) or
``?__<name>_<kind>`` (optional), with kind ``iri``, ``string``, ``integer`` or ``boolean``.
The header's ``params`` block describes each parameter and may refine ``integer`` to ``year``;
grlc's ``defaults`` block gives defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tipgraph.errors import InputError

VARIABLE = re.compile(r"[?$](_{1,2})([A-Za-z][A-Za-z0-9]*)_(iri|string|integer|boolean)\b")
KINDS = {"iri": "resource", "string": "string", "integer": "integer", "boolean": "boolean"}
TYPES = ("resource", "string", "integer", "year", "boolean")
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


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


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    return "\n".join(lines)


def parse_saved_query(path: Path) -> SavedQuery:
    """Read one ``.rq`` file; a malformed header is an InputError naming the file."""
    name = path.stem
    if not NAME.match(name):
        raise InputError(f"{path}: query names are kebab-case (a-z, 0-9, hyphens)")
    text = path.read_text(encoding="utf-8")
    import yaml  # only when a query is read

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        header = yaml.load(_header(text), Loader=loader) or {}
    except yaml.YAMLError as error:
        raise InputError(f"{path}: bad #+ YAML header: {error}") from error
    if not isinstance(header, dict) or not header.get("summary"):
        raise InputError(f"{path}: the #+ header needs a summary")
    described = header.get("params") or {}
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
        declared = info.get("type", KINDS[kind])
        if declared not in TYPES:
            raise InputError(f"{path}: parameter {pname}: unknown type {declared!r}")
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
        return sorted(path.stem for path in self.folder.glob("*.rq"))

    @property
    def queries(self) -> dict[str, SavedQuery]:
        """Every saved query, by name (reads every file)."""
        return {name: self.get(name) for name in self.names()}

    def __iter__(self):
        return iter(self.queries.values())

    def get(self, name: str) -> SavedQuery:
        if name not in self._parsed:
            path = self.folder / f"{name}.rq"
            if (
                "/" not in name
                and "\\" not in name
                and name not in ("", ".", "..")
                and path.is_file()
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
        raise InputError(f"unknown query {name!r}{hint}")
