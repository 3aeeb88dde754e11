"""A validation report in the formats people and CI systems read.

- ``text``: one ``file:line: severity: message`` line per violation, as compilers print, then
  a summary line;
- ``json``: the same, structured;
- ``turtle``: the SHACL validation report graph;
- ``sarif``: SARIF 2.1.0, which code hosts show on the offending line;
- ``github``: GitHub Actions workflow commands (``::error file=…,line=…::``).

Paths in text are relative to the working folder when they lie below it; in SARIF and GitHub
annotations they are relative to the repository root (the nearest folder above the working
folder holding ``.git``, else the working folder).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from tipgraph.validation import ValidationReport, Violation

FORMATS = ("text", "json", "turtle", "sarif", "github")
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_LEVELS = {"Violation": "error", "Warning": "warning", "Info": "note"}
GITHUB_LEVELS = {"Violation": "error", "Warning": "warning", "Info": "notice"}
ROOT_ID = "%SRCROOT%"
INFORMATION_URI = "https://w3id.org/tipgraph/"
RULE_DESCRIPTIONS = {
    "tipgraph/syntax": "The file is not valid Turtle.",
    "tipgraph/ill-typed": "A literal's lexical form is not one of its datatype's.",
    "tipgraph/quotation": "A citation's quotation is not in the place of the source it names.",
    "tipgraph/source-text": "A source text is missing or differs from its recorded SHA-256.",
}


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder holding ``.git`` (a folder, or a file in a worktree) at or above
    ``start`` (default: the working folder); the working folder when there is none."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def _relative(file: str, base: Path) -> str | None:
    """``file`` relative to ``base`` with forward slashes, or None when it is not below it."""
    try:
        return Path(file).resolve().relative_to(base).as_posix()
    except ValueError:
        return None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tipgraph")
    except PackageNotFoundError:
        return "0"


def _summary(report: ValidationReport) -> str:
    notes = [report.quotations_note] if report.quotations_note else []
    if report.hidden:
        notes.append(f"{report.hidden} more outside the files checked")
    note = "".join(f" ({n})" for n in notes)
    files = f"{report.files_checked} file{'' if report.files_checked == 1 else 's'}"
    if report.conforms:
        return f"conforms: {files}, no violations{note}"
    count = len(report.violations)
    return f"does not conform: {count} violation{'' if count == 1 else 's'} in {files}{note}"


def _details(v: Violation) -> str:
    """The message with its node, path and value, as the text and annotations show it."""
    text = f"{v.focus}: {v.message}" if v.focus else v.message
    if v.path:
        text += f" [path {v.path}]"
    if v.value:
        text += f" [value {v.value}]"
    if v.note:
        text += f" ({v.note})"
    return text


def to_text(report: ValidationReport) -> str:
    cwd = Path.cwd().resolve()
    lines = []
    for v in report.violations:
        if v.file:
            where = f"{_relative(v.file, cwd) or v.file}:{v.best_line}:"
            if v.column is not None:
                where += f"{v.column}:"
        else:
            where = "(no data file):"
        rule = f" [{v.rule}]" if v.rule else ""
        line = f"{where} {v.severity.lower()}: {_details(v)}{rule}"
        lines.append(line.replace("\r", "\\r").replace("\n", "\\n"))  # one line each
    lines.append(_summary(report))
    return "\n".join(lines)


def to_json(report: ValidationReport) -> str:
    return json.dumps(
        {
            "conforms": report.conforms,
            "files_checked": report.files_checked,
            "quotations_checked": report.quotations_checked,
            "not_shown": report.hidden,
            "violations": [asdict(v) for v in report.violations],
        },
        indent=2,
        ensure_ascii=False,
    )


def to_turtle(report: ValidationReport) -> str:
    from rdflib import Graph

    from tipgraph.namespaces import bind_prefixes

    graph = report.results_graph if report.results_graph is not None else Graph()
    bind_prefixes(graph)
    return graph.serialize(format="turtle")


def _fingerprint(v: Violation) -> str:
    """Stable while lines move: the rule, the node, the path, the value and the message."""
    text = "\x1f".join((v.rule, v.focus, v.path, v.value, v.message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _rule(rule_id: str, severity: str) -> dict:
    description = RULE_DESCRIPTIONS.get(rule_id)
    if description is None:
        shape, _, component = rule_id.rpartition("/")
        description = f"SHACL {component} constraint of {shape or 'a shape'}."
    return {
        "id": rule_id,
        "shortDescription": {"text": description},
        "defaultConfiguration": {"level": SARIF_LEVELS.get(severity, "error")},
    }


def _sarif_location(v: Violation, root: Path) -> dict:
    relative = _relative(v.file, root)
    artifact = (
        {"uri": quote(relative), "uriBaseId": ROOT_ID}
        if relative is not None
        else {"uri": Path(v.file).resolve().as_uri()}
    )
    region: dict = {"startLine": v.best_line}
    if v.column is not None:
        region["startColumn"] = max(1, v.column)
    location: dict = {"physicalLocation": {"artifactLocation": artifact, "region": region}}
    if v.focus:
        location["logicalLocations"] = [{"fullyQualifiedName": v.focus, "kind": "resource"}]
    return location


def to_sarif(report: ValidationReport, root: Path | None = None) -> str:
    root = (root or repository_root()).resolve()
    rules: dict[str, int] = {}
    rule_list = [_rule(rule_id, "Violation") for rule_id in RULE_DESCRIPTIONS]
    for index, rule in enumerate(rule_list):
        rules[rule["id"]] = index
    results = []
    for v in report.violations:
        rule_id = v.rule or "tipgraph/shape"
        if rule_id not in rules:
            rules[rule_id] = len(rule_list)
            rule_list.append(_rule(rule_id, v.severity))
        result: dict = {
            "ruleId": rule_id,
            "ruleIndex": rules[rule_id],
            "level": SARIF_LEVELS.get(v.severity, "error"),
            "message": {"text": _details(v)},
            "partialFingerprints": {"tipgraphFinding/v1": _fingerprint(v)},
            "properties": {
                key: value
                for key, value in (
                    ("focus", v.focus),
                    ("path", v.path),
                    ("value", v.value),
                    ("shape", v.shape),
                    ("blockLine", v.line),
                )
                if value
            },
        }
        if v.file:
            result["locations"] = [_sarif_location(v, root)]
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tipgraph",
                        "version": _version(),
                        "informationUri": INFORMATION_URI,
                        "rules": rule_list,
                    }
                },
                "originalUriBaseIds": {ROOT_ID: {"uri": root.as_uri().rstrip("/") + "/"}},
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF escaped as GitHub's toolkit escapes them."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report: ValidationReport, root: Path | None = None) -> str:
    root = (root or repository_root()).resolve()
    lines = []
    for v in report.violations:
        properties = []
        if v.file:
            properties.append(("file", _relative(v.file, root) or v.file))
            properties.append(("line", str(v.best_line)))
            if v.column is not None:
                properties.append(("col", str(v.column)))
        properties.append(("title", v.rule or "tipgraph"))
        head = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
        level = GITHUB_LEVELS.get(v.severity, "error")
        lines.append(f"::{level} {head}::{escape_data(_details(v))}")
    lines.append(_summary(report))
    return "\n".join(lines)


def render(report: ValidationReport, fmt: str = "text", root: Path | None = None) -> str:
    """The report in one of ``FORMATS``; ``root`` is the repository root for sarif and github."""
    if fmt == "sarif":
        return to_sarif(report, root)
    if fmt == "github":
        return to_github(report, root)
    renderers = {"text": to_text, "json": to_json, "turtle": to_turtle}
    if fmt not in renderers:
        from tipgraph.errors import InputError

        raise InputError(f"unknown report format {fmt!r} (use one of: {', '.join(FORMATS)})")
    return renderers[fmt](report)
