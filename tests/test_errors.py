"""Errors are one line on stderr, and every example in the help runs."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import tipgraph.stats
from tipgraph.cli import main

ROOT = Path(__file__).resolve().parent.parent
SERVER_NEEDED = ("--endpoint", "push", "http://")


def run(*args: str, **kwargs):
    return CliRunner().invoke(main, list(args), **kwargs)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "--frob"], "No such option '--frob'"),
        (["frob"], "No such command 'frob'"),
        (["query"], "Missing argument 'NAME'"),
        (["query", "members-of", "-f", "yaml"], "Invalid value for '-f' / '--format'"),
        (["sparql", "-", "--endpoint", "http://127.0.0.1:9/", "--timeout", "inf"], "timeout"),
        (["validate", "/nonexistent/file.ttl"], "does not exist"),
        (["--no-cache", "index"], "--no-cache and index exclude each other"),
        (["push"], "give either --store URL or --update-endpoint URL"),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(args, message):
    result = run(*args, input="")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tipgraph: error: ")
    assert message in lines[0]


def test_an_ordinary_io_error_names_the_file_and_is_not_internal(monkeypatch):
    def refuse(store):
        raise PermissionError(13, "Permission denied", "/srv/tipgraph/data.ttl")

    monkeypatch.setattr(tipgraph.stats, "stats_rows", refuse)
    result = run("--no-cache", "stats")
    assert result.exit_code == 1
    assert result.stderr == "tipgraph: error: /srv/tipgraph/data.ttl: Permission denied\n"


def test_a_bug_is_still_an_internal_error(monkeypatch):
    def broken(store):
        raise KeyError("oops")

    monkeypatch.setattr(tipgraph.stats, "stats_rows", broken)
    result = run("--no-cache", "stats")
    assert result.exit_code == 1
    assert result.stderr.startswith("tipgraph: internal error: KeyError")


def test_help_and_version_still_exit_0():
    assert run("--help").exit_code == 0
    assert run("query", "--help").exit_code == 0
    assert run("--version").exit_code == 0


def help_examples() -> list[tuple[str, str]]:
    """(command, example) for every line after "Example(s):" in a help text that runs tipgraph."""
    found = [("tipgraph", line) for line in _examples(main.help or "")]
    for name, command in sorted(main.commands.items()):
        found.extend((name, line) for line in _examples(command.help or ""))
    return found


def _examples(text: str) -> list[str]:
    lines = []
    inside = False
    for line in text.splitlines():
        if re.match(r"\s*Examples?:\s*$", line):
            inside = True
        elif inside and line.startswith("  ") and line.strip():
            lines.append(line.strip())
        elif inside and line.strip():
            inside = False
    return [line for line in lines if line.startswith("tipgraph ")]


EXAMPLES = help_examples()


def test_every_command_has_an_example():
    commands = {command for command, _ in EXAMPLES}
    assert set(main.commands) <= commands


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project's folders, so that examples that write (fmt, export) touch no
    file of the checkout; ``tests`` links to the fixtures the examples name."""
    root = tmp_path_factory.mktemp("examples")
    for name in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / name, root / name)
    (root / "tests").symlink_to(ROOT / "tests")
    commit_as_git_checkout(root)
    return root


def commit_as_git_checkout(root: Path) -> None:
    """Two commits of the folders (the second empty), for the examples of `tipgraph diff`."""
    import subprocess

    git = ["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    git += ["-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "ontology", "data"], ["commit", "-q", "-m", "data"]):
        subprocess.run([*git, *args], check=True, capture_output=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "e"], check=True)


@pytest.mark.parametrize(("command", "example"), EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_every_help_example_runs(project, monkeypatch, command, example):
    if any(marker in example for marker in SERVER_NEEDED):
        pytest.skip("needs a server")
    monkeypatch.chdir(project)
    env = {f"TIPGRAPH_{n.upper()}": str(project / n) for n in ("ontology", "data", "queries")}
    args = shlex.split(example)[1:]
    args = [str(project / "cache") if a == "/tmp/tipgraph-cache" else a for a in args]
    redirect = None
    if ">" in args:  # `… > file`: the output goes to the file
        args, redirect = args[: args.index(">")], args[args.index(">") + 1]
    started: list[dict] = []
    if command == "serve":  # the server would run until stopped: record its start instead
        import uvicorn

        monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append(options))
    result = CliRunner().invoke(main, args, env=env)
    assert started or command != "serve"
    # Validating an invalid fixture shows the report of data that does not conform (exit 1).
    expected = 1 if "tests/data/invalid/" in example else 0
    assert result.exit_code == expected, f"{example}\n{result.output}"
    assert "error" not in result.stderr
    if redirect:
        (project / redirect).write_bytes(result.stdout_bytes)
    assert isinstance(main, click.Group)
