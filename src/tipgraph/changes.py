"""The Turtle files a change touches, from git, for ``tipgraph validate --changed``.

A change is every difference from the commit checked out (HEAD): staged, unstaged and
untracked files (those git does not ignore) under the data and ontology folders. Files that
were deleted or rewritten count through their committed version: the nodes it described or
mentioned are in the change too (a deleted state leaves references to it undefined).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tipgraph.errors import InputError
from tipgraph.file_index import Scope, term_key
from tipgraph.paths import Layout

GIT_TIMEOUT = 60


@dataclass(frozen=True)
class Change:
    """The changed Turtle files that exist now, the nodes of their committed versions, and
    whether an ontology file (the shapes included) changed, which may affect any node."""

    files: tuple[Path, ...]
    previous_nodes: frozenset[str]
    ontology_changed: bool

    def scope(self) -> Scope | None:
        """What ``validate`` reports: everything when the ontology changed."""
        if self.ontology_changed:
            return None
        return Scope(files=frozenset(self.files), mentions=True, nodes=self.previous_nodes)


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise InputError("--changed needs git, which is not installed")
    try:
        done = subprocess.run(
            [git, "-C", str(root), *args], capture_output=True, timeout=GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise InputError(f"--changed: git failed: {error}") from error
    if check and done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"--changed: git {args[0]} failed: {reason[0] if reason else 'error'}")
    return done


def _names(output: bytes) -> list[str]:
    return [name for name in output.decode("utf-8", "surrogateescape").split("\0") if name]


def _nodes(content: bytes, path: Path) -> set[str]:
    """The subjects and non-literal objects of a committed file (nothing if it is not Turtle)."""
    try:
        quads = ox.parse(content, format=ox.RdfFormat.TURTLE, base_iri=path.absolute().as_uri())
        found: set[str] = set()
        for quad in quads:
            found.add(term_key(quad.subject))
            if not isinstance(quad.object, ox.Literal):
                found.add(term_key(quad.object))
        return found
    except (SyntaxError, ValueError):
        return set()


def changed(layout: Layout) -> Change:
    """The change in the git checkout that holds the layout's data folder."""
    folder = layout.data.resolve()
    found = _git(folder, "rev-parse", "--show-toplevel", check=False)
    if found.returncode != 0:
        raise InputError(f"--changed needs a git checkout; {folder} is not in one")
    root = Path(found.stdout.decode("utf-8", "surrogateescape").strip())
    has_head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0
    untracked = _names(_git(root, "ls-files", "-z", "--others", "--exclude-standard").stdout)
    if has_head:
        tracked = _names(_git(root, "diff", "--name-only", "--no-renames", "-z", "HEAD").stdout)
    else:
        tracked = _names(_git(root, "ls-files", "-z", "--cached").stdout)
    folders = (folder, layout.ontology.resolve())
    files: list[Path] = []
    previous: set[str] = set()
    ontology_changed = False
    for name in sorted(set(tracked) | set(untracked)):
        path = root / name
        inside = [f for f in folders if path.resolve().is_relative_to(f)]
        if not name.endswith(".ttl") or not inside:
            continue
        if inside[0] != folder:
            ontology_changed = True
            continue
        if path.is_file():
            files.append(path)
        if has_head and name in tracked:
            committed = _git(root, "show", f"HEAD:{name}", check=False)
            if committed.returncode == 0:
                previous |= _nodes(committed.stdout, path)
    return Change(tuple(files), frozenset(previous), ontology_changed)
