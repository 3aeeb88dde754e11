"""Every hostile input of tests/hostile_corpus.py through the installed CLI, in a subprocess.

Each case must end within its time limit with one of its exit codes, say what went wrong in
one line on standard error (no traceback, no "internal error"), and leave every file of the
project untouched. The cases run a few at a time, since most of their time is start-up.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hostile_corpus import Case, cases

ROOT = Path(__file__).resolve().parent.parent
CASES = cases()
TIME_LIMIT = 120  # a hang, not a slow machine: each case takes a few seconds


def fingerprint(folders: list[Path]) -> dict[str, str]:
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project's ontology, data and queries that the cases run against."""
    root = tmp_path_factory.mktemp("project")
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def run_case(
    item: Case, project: Path, folder: Path, cache: Path
) -> subprocess.CompletedProcess | None:
    folder.mkdir(parents=True)
    if item.device and os.geteuid() != 0:
        return None
    for name, content in item.files.items():
        target = folder / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    if item.fifo:
        os.mkfifo(folder / "fifo")
    if item.device:
        os.mknod(folder / "device", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    places = {"{tmp}": folder, "{fifo}": folder / "fifo", "{device}": folder / "device"}
    args = list(item.args)
    for placeholder, path in places.items():
        args = [a.replace(placeholder, str(path)) for a in args]
    layout = ["--ontology", str(project / "ontology"), "--data", str(project / "data")]
    layout += ["--queries", str(project / "queries")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIPGRAPH_")}
    env.update(TIPGRAPH_CACHE=str(cache), NETRC="/nonexistent/netrc")
    stdin = item.stdin.encode("utf-8") if isinstance(item.stdin, str) else item.stdin
    try:
        return subprocess.run(
            [sys.executable, "-m", "tipgraph", *layout, *args],
            input=stdin,
            capture_output=True,
            cwd=folder,
            env=env,
            timeout=TIME_LIMIT,
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, -1, b"", b"did not end within the time limit")


@pytest.fixture(scope="module")
def outcomes(project, tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """Every case's result; the project and the checkout must be unchanged afterwards."""
    watched = [project / "ontology", project / "data", project / "queries"]
    checkout = [ROOT / "ontology", ROOT / "data", ROOT / "queries"]
    before = fingerprint(watched + checkout)
    base = tmp_path_factory.mktemp("cases")
    cache = tmp_path_factory.mktemp("cache")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tipgraph",
            "--cache",
            str(cache),
            "--data",
            str(project / "data"),
            "--ontology",
            str(project / "ontology"),
            "--queries",
            str(project / "queries"),
            "index",
        ],
        check=True,
        capture_output=True,
    )
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            item.name: pool.submit(run_case, item, project, base / item.name, cache)
            for item in CASES
        }
        results = {name: future.result() for name, future in futures.items()}
    assert fingerprint(watched + checkout) == before, "a case changed a project file"
    return results


def test_the_corpus_has_at_least_150_cases():
    assert len(CASES) >= 150
    assert len({item.name for item in CASES}) == len(CASES)


@pytest.mark.parametrize("item", CASES, ids=[item.name for item in CASES])
def test_hostile_input_fails_cleanly(outcomes, item):
    result = outcomes[item.name]
    if result is None:
        pytest.skip("making a device node needs root")
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode in item.exits, f"exit {result.returncode}: {stderr[-500:]}"
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
    if result.returncode != 0 and item.one_line:
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert len(lines) == 1, stderr[-1000:]
        assert lines[0].startswith("tipgraph: "), lines[0]
        assert len(lines[0]) < 600, "a message should be short"
