"""Reading the Turtle files of a git revision of the checkout, without touching the work tree.

Only ``git`` plumbing that reads: ``rev-parse`` (is it a commit?), ``ls-tree`` (which files),
``cat-file --batch`` (their content, in one process).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tipgraph.errors import InputError

GIT_TIMEOUT = 60.0
REGULAR_MODES = ("100644", "100755")


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    git = shutil.which("git")
    if git is None:
        raise InputError("git is not installed; compare two folders instead of revisions")
    environment = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(
            [git, "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise InputError(f"git {args[0]} took more than {GIT_TIMEOUT:g} s") from error


def repository_root(folder: Path) -> Path:
    """The top folder of the git checkout that holds ``folder``."""
    result = _git(folder, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = f" ({reason[0].removeprefix('fatal: ')})" if reason else ""
        raise InputError(f"{folder} is not in a git checkout{detail}; compare two folders instead")
    return Path(os.fsdecode(result.stdout.rstrip(b"\n")))


def resolve_commit(root: Path, revision: str) -> str:
    """The commit a revision names (a branch, tag, ``HEAD~2``, a hash…), else an InputError."""
    if not revision or revision.startswith("-") or "\0" in revision:
        raise InputError(f"{revision!r} is not a git revision")
    result = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if result.returncode != 0:
        raise InputError(f"{revision!r} is neither a folder nor a revision of the checkout {root}")
    return result.stdout.decode("ascii").strip()


def revision_files(root: Path, commit: str, folders: list[str]) -> dict[str, bytes]:
    """The ``.ttl`` files below ``folders`` (paths relative to ``root``) at a commit, by path.

    Regular files only: a symbolic link or submodule recorded in the tree is left out.
    """
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *folders)
    if listing.returncode != 0:
        message = listing.stderr.decode("utf-8", "replace").strip()
        raise InputError(f"git ls-tree {commit}: {message}")
    entries: list[tuple[str, str]] = []
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, blob = meta.decode("ascii").split()
        path = os.fsdecode(name)
        if kind == "blob" and mode in REGULAR_MODES and path.endswith(".ttl"):
            entries.append((path, blob))
    if not entries:
        return {}
    request = "".join(f"{blob}\n" for _, blob in entries).encode("ascii")
    batch = _git(root, "cat-file", "--batch", stdin=request)
    if batch.returncode != 0:
        raise InputError(f"git cat-file: {batch.stderr.decode('utf-8', 'replace').strip()}")
    files: dict[str, bytes] = {}
    output, offset = batch.stdout, 0
    for path, blob in entries:
        header_end = output.index(b"\n", offset)
        header = output[offset:header_end].decode("ascii").split()
        if header[:2] != [blob, "blob"]:
            raise InputError(f"git cat-file: unexpected answer for {path}")
        size = int(header[2])
        start = header_end + 1
        files[path] = output[start : start + size].removeprefix(b"\xef\xbb\xbf")
        offset = start + size + 1
    return files
