"""A missing or changed source text fails validation, and `tipgraph sources` says which."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tipgraph.cli import main

FILES = [
    "000_6ee31e5c574f7d3a.txt",
    "001_368c63d31fbd57db.txt",
    "002_6b6ec84fa1ef47ba.txt",
    "003_99ac0e618396130f.txt",
    "004_1ed1ee93b530ce4a.txt",
]


def run(*args: str):
    return CliRunner().invoke(main, ["--no-cache", *args])


def test_the_data_records_the_hash_of_every_source(layout, sources):
    text = (layout.data / "documents.ttl").read_text(encoding="utf-8")
    for name in FILES:
        assert name in text
        assert hashlib.sha256((sources / name).read_bytes()).hexdigest() in text


def test_sources_lists_every_file_as_found_and_matching(sources):
    result = run("--sources", str(sources), "sources", "-f", "tsv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "document\tfile\tlocation\tfound\tmatches"
    assert sorted(line.split("\t")[1] for line in lines[1:]) == FILES
    assert all(line.endswith("\tyes\tyes") for line in lines[1:])


def test_a_missing_sources_folder_fails_validation_one_line_per_source(tmp_path):
    missing = tmp_path / "nonexistent"
    result = run("--sources", str(missing), "validate")
    assert result.exit_code == 1
    assert "conforms: " not in result.stdout.splitlines()[0]
    for name in FILES:
        assert len([line for line in result.stdout.splitlines() if f"source {name} " in line]) == 1
        assert f"at {missing / name}: not found" in result.stdout
    assert "no source text for this document" not in result.stdout


def test_no_quotations_skips_the_check_and_says_so(tmp_path):
    result = run("--sources", str(tmp_path / "nonexistent"), "validate", "--no-quotations")
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("(quotations not checked)")


@pytest.fixture
def altered(sources, tmp_path):
    """A copy of the sources, with one file changed and one missing."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for name in FILES[1:]:
        shutil.copyfile(sources / name, folder / name)
    with (folder / FILES[3]).open("a", encoding="utf-8") as stream:
        stream.write("an extra line\n")
    return folder


def test_a_changed_or_missing_source_is_named(altered):
    result = run("--sources", str(altered), "validate")
    assert result.exit_code == 1
    assert f"source {FILES[0]} of id:a-hrc-14-32 at {altered / FILES[0]}: not found" in (
        result.stdout
    )
    assert f"source {FILES[3]} of id:dakar-concept-note at {altered / FILES[3]}: differs" in (
        result.stdout
    )
    listed = run("--sources", str(altered), "sources", "-f", "tsv")
    assert listed.exit_code == 1
    rows = {line.split("\t")[1]: line.split("\t")[3:] for line in listed.stdout.splitlines()[1:]}
    assert rows[FILES[0]] == ["no", "no"]
    assert rows[FILES[3]] == ["yes", "no"]
    assert rows[FILES[1]] == ["yes", "yes"]
    assert len(listed.stderr.splitlines()) == 2


def test_a_fifo_named_like_a_source_is_never_opened(sources, tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    for name in FILES[1:]:
        shutil.copyfile(sources / name, folder / name)
    os.mkfifo(folder / FILES[0])
    result = run("--sources", str(folder), "sources", "-f", "tsv")
    assert result.exit_code == 1
    assert f"{FILES[0]}\t{folder / FILES[0]}\tno\tno" in result.stdout


def test_the_sources_fixture_fails_on_ci(tmp_path):
    """Run in a child pytest so that the failure does not count here."""
    test = tmp_path / "test_needs_sources.py"
    tests = Path(__file__).resolve().parent
    test.write_text(
        f"import sys\nsys.path.insert(0, {str(tests)!r})\n"
        "from conftest import isolated_environment, layout, sources  # noqa: F401\n\n"
        "def test_it(sources):\n    pass\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIPGRAPH_")}
    env["TIPGRAPH_SOURCES"] = str(tmp_path / "nonexistent")
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)]
    skipped = subprocess.run(args, env={**env, "CI": ""}, capture_output=True, text=True)
    assert "1 skipped" in skipped.stdout, skipped.stdout
    failed = subprocess.run(args, env={**env, "CI": "true"}, capture_output=True, text=True)
    assert failed.returncode == 1
    assert "CI must provide them" in failed.stdout
