"""The README's console examples, run for real: cog calls ``console`` inside the README, and
tests/test_readme.py checks that the README holds exactly what the commands print today.

Each command runs in bash from the checkout, on a pseudo-terminal of a fixed width (so tables
look as they do for a person), with the checkout's ontology, data and queries, the source texts
of TIPGRAPH_SOURCES and an index in a temporary folder. Nothing of the user's environment
reaches it but PATH and the sources folder.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import re
import pty
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
from collections.abc import Callable
from pathlib import Path

import cog

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 100
TIMEOUT = 120
_scratch = Path(tempfile.mkdtemp(prefix="tipgraph-readme-"))
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)


def _environment(cwd: Path) -> dict[str, str]:
    sources = os.environ.get("TIPGRAPH_SOURCES")
    if not sources:
        raise RuntimeError("TIPGRAPH_SOURCES must name the source texts to run the README")
    return {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(_scratch),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "dumb",
        "COLUMNS": str(WIDTH),
        "TIPGRAPH_ONTOLOGY": str(cwd / "ontology"),
        "TIPGRAPH_DATA": str(cwd / "data"),
        "TIPGRAPH_QUERIES": str(cwd / "queries"),
        "TIPGRAPH_SOURCES": str(Path(sources).resolve()),
        "TIPGRAPH_CACHE": str(_scratch / "cache"),
    }


def _run_on_terminal(command: str, cwd: Path, env: dict[str, str]) -> tuple[str, int]:
    """What a terminal of WIDTH columns shows for ``command``, and its exit status."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, WIDTH, 0, 0))
    process = subprocess.Popen(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        start_new_session=True,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed once the command and its children end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    status = process.wait(timeout=TIMEOUT)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return text, status


def _relative(text: str, cwd: Path, volatile: tuple[str, ...]) -> str:
    text = text.replace(f"{cwd}/", "").replace(str(_scratch), "/tmp/…")
    for pattern in volatile:
        text = re.sub(pattern, "…", text)
    return text


def console(
    *commands: str,
    lines: int | None = None,
    keep_last: int = 0,
    cwd: Path | None = None,
    prepare: Callable[[Path], None] | None = None,
    volatile: tuple[str, ...] = (),
) -> None:
    """Write a console block: each command after ``$ `` and what it printed.

    ``lines`` keeps the first lines of each command's output, then ``…`` and the last
    ``keep_last`` lines. ``prepare`` gets a fresh copy of the checkout (a git clone of HEAD
    with the working tree's changes to data/ and ontology/) to change before the commands run
    there. Text matching a ``volatile`` pattern (a time taken) is shown as ``…``, so the README
    stays the same from run to run. A command that fails is shown with its exit status, as a terminal would not show it.
    """
    where = cwd or ROOT
    if prepare is not None:
        where = _scratch / f"copy-{len(list(_scratch.glob('copy-*')))}"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(where)], check=True)
        for folder in ("ontology", "data", "queries"):
            shutil.rmtree(where / folder)
            shutil.copytree(ROOT / folder, where / folder)
        subprocess.run(["git", "-C", str(where), "add", "-A"], check=True)
        subprocess.run(
            ["git", "-C", str(where), "-c", "user.name=readme", "-c", "user.email=readme@invalid"]
            + ["commit", "-q", "--allow-empty", "-m", "the checkout as it is"],
            check=True,
        )
        prepare(where)
    env = _environment(where)
    cog.outl("```console")
    for command in commands:
        output, status = _run_on_terminal(command, where, env)
        shown = _relative(output, where, volatile).rstrip("\n").split("\n") if output.strip() else []
        if lines is not None and len(shown) > lines + keep_last:
            shown = shown[:lines] + ["…"] + (shown[-keep_last:] if keep_last else [])
        cog.outl(f"$ {command}")
        for line in shown:
            cog.outl(line.rstrip())
        if status:
            cog.outl(f"[exit status {status}]")
    cog.outl("```")


def append_to(relative_path: str, text: str) -> Callable[[Path], None]:
    """A ``prepare`` step: add ``text`` at the end of one file of the copy."""

    def prepare(copy: Path) -> None:
        with (copy / relative_path).open("a", encoding="utf-8") as stream:
            stream.write(text)

    return prepare


def nothing(copy: Path) -> None:
    """A ``prepare`` step for commands that write files: they write into the copy."""
