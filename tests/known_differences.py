"""The known differences between engines, read from ``engine_differences.yaml``.

The parity test reads this table: a run listed here must still differ in the way listed (a
stale entry fails), and any other run must give the local engine's rows. The README's table
of known differences is rendered from the same entries, and a test holds the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

TABLE = Path(__file__).resolve().parent / "engine_differences.yaml"
ENGINES = ("jena", "virtuoso")
KINDS = ("error", "rows")
README_START = "<!-- engine-differences: start (generated from tests/engine_differences.yaml) -->"
README_END = "<!-- engine-differences: end -->"


@dataclass(frozen=True)
class KnownDifference:
    """One saved-query run that an engine answers differently, and why."""

    engine: str
    run: str
    kind: str
    reason: str


def load(path: Path = TABLE) -> list[KnownDifference]:
    """The entries of the table; a ValueError for a malformed entry or a repeated run."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise ValueError(f"{path.name}: not a list of entries")
    found: list[KnownDifference] = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or set(entry) != {"engine", "run", "kind", "reason"}:
            raise ValueError(f"{path.name} entry {number}: needs engine, run, kind and reason")
        if entry["engine"] not in ENGINES or entry["kind"] not in KINDS:
            raise ValueError(f"{path.name} entry {number}: unknown engine or kind")
        if not str(entry["reason"]).strip():
            raise ValueError(f"{path.name} entry {number}: the reason is empty")
        found.append(KnownDifference(**{k: str(v).strip() for k, v in entry.items()}))
    keys = [(d.engine, d.run) for d in found]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{path.name}: a run is listed twice for the same engine")
    return found


def markdown_table(differences: list[KnownDifference]) -> str:
    """The README's table: engine, saved-query run, what differs, and why."""
    lines = ["| Engine | Run | Difference | Reason |", "| --- | --- | --- | --- |"]
    for d in differences:
        what = "does not run" if d.kind == "error" else "other rows"
        reason = " ".join(d.reason.split()).replace("|", "\\|")
        lines.append(f"| {d.engine} | `{d.run}` | {what} | {reason} |")
    return "\n".join(lines)
