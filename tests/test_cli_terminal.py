"""The command line for people: tables fitted to the terminal, resources by name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tipgraph.cli import main
from tipgraph.tables import text_width

ROOT = Path(__file__).resolve().parent.parent
MEN_AND_BOYS = "mechanisms-covering-men-and-boys"


@pytest.fixture()
def run():
    runner = CliRunner()

    def invoke(*args: str, **env: str | None):
        return runner.invoke(main, list(args), env={"COLUMNS": None, **env})

    return invoke


def widest(text: str) -> int:
    return max(text_width(line) for line in text.splitlines())


@pytest.mark.parametrize("width", ["40", "80", "120"])
def test_width_fits_the_table(run, width):
    result = run("query", MEN_AND_BOYS, "-f", "table", "--width", width)
    assert result.exit_code == 0, result.output
    assert widest(result.stdout) <= int(width)
    assert result.stdout.endswith("(6 rows)\n")


def test_without_a_terminal_or_width_nothing_is_wrapped(run):
    wide = run("query", MEN_AND_BOYS, "-f", "table", COLUMNS="80").stdout
    assert widest(wide) > 200 and len(wide.splitlines()) == 9
    assert run("query", MEN_AND_BOYS, "-f", "table", "--width", "0").stdout == wide


def test_width_leaves_the_formats_for_programs_alone(run):
    for fmt in ("tsv", "csv", "json", "markdown"):
        plain = run("query", MEN_AND_BOYS, "-f", fmt).stdout
        assert run("query", MEN_AND_BOYS, "-f", fmt, "--width", "40").stdout == plain
    assert run("query", MEN_AND_BOYS).stdout.splitlines()[0].split("\t")[:2] == [
        "mechanism",
        "mechanismLabel",
    ]


@pytest.mark.parametrize("width", ["1", "19", "-5", "wide"])
def test_a_width_below_20_is_a_usage_error(run, width):
    result = run("stats", "--width", width)
    assert result.exit_code == 2
    assert "--width" in result.stderr and "\n" not in result.stderr.strip()


@pytest.mark.parametrize(
    "command", [["queries"], ["stats"], ["sources"], ["describe", "saarc"], ["query", "members-of"]]
)
def test_every_command_that_prints_tables_takes_width(run, command):
    result = run(*command, "-f", "table", "--width", "60")
    assert widest(result.stdout) <= 60, result.stderr


@pytest.mark.parametrize(
    "name", ["SAARC", "saarc", "id:saarc", "https://w3id.org/tipgraph/id/saarc"]
)
def test_describe_by_name_acronym_slug_or_iri(run, name):
    result = run("describe", name, "-f", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    labels = [r["value"] for r in rows if r["property"].endswith("#label")]
    assert labels == ["South Asian Association for Regional Cooperation"]


def test_describe_greta(run):
    result = run("describe", "greta", "-f", "tsv")
    assert result.exit_code == 0
    assert "Group of Experts on Action against Trafficking in Human Beings" in result.stdout


def test_describe_ambiguous_misspelt_and_empty(run):
    ambiguous = run("describe", "coordination")
    assert ambiguous.exit_code == 2 and ambiguous.stdout == ""
    assert ambiguous.stderr.startswith("tipgraph: error: 'coordination' names 2 resources: ")
    misspelt = run("describe", "saarcc")
    assert misspelt.exit_code == 2
    assert "did you mean saarc (South Asian Association" in misspelt.stderr
    empty = run("describe", "")
    assert empty.exit_code == 2 and "no name given" in empty.stderr


@pytest.mark.parametrize("text", ["a\x1b[31mred\x07", "x" * 10_000, "line\nbreak"])
def test_describe_hostile_text_is_one_line_on_stderr(run, text):
    result = run("describe", text)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr


def test_query_with_a_resource_parameter_by_acronym(run):
    by_acronym = run("query", "members-of", "-p", "mechanism", "SAARC", "-f", "tsv")
    assert by_acronym.exit_code == 0, by_acronym.stderr
    assert by_acronym.stdout == run("query", "members-of", "-p", "mechanism", "saarc").stdout
    assert len(by_acronym.stdout.splitlines()) == 8


def _on_a_terminal(columns: int, args: list[str], env: dict[str, str]) -> str:
    """Run the command with a pseudo-terminal of ``columns`` as its standard output."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    clean = {k: v for k, v in os.environ.items() if k != "COLUMNS" and k != "LINES"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tipgraph", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**clean, **env},
        cwd=ROOT,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed once the process has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0, process.stderr.read()
    process.stderr.close()
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_terminal_tables_fit_its_width_and_columns_overrides_it(tmp_path):
    env = {"TIPGRAPH_CACHE": str(tmp_path)}
    text = _on_a_terminal(90, ["query", MEN_AND_BOYS], env)
    assert text.startswith("mechanismLabel  ")  # a table, label first, not tsv
    assert widest(text) <= 90 and text.endswith("(6 rows)\n")
    narrow = _on_a_terminal(90, ["query", MEN_AND_BOYS], {**env, "COLUMNS": "50"})
    assert widest(narrow) <= 50 and narrow != text
    chosen = _on_a_terminal(90, ["query", MEN_AND_BOYS, "--width", "0"], env)
    assert widest(chosen) > 200
