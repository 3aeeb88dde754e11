"""Files in the data folder are validated with the whole graph; --changed validates a change.

Each test works on a copy of the ontology and data in a temporary folder; the lines expected
are read from the files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tipgraph.cli import main
from tipgraph.paths import Layout
from tipgraph.validation import validate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CITATION_LINE = "    tip:citation id:cite-sum-pg13-saarc-gender ;\n"


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{path.name} no longer has {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture()
def project(tmp_path) -> Path:
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path


def layout_of(project: Path) -> Layout:
    return Layout.resolve(
        ontology=project / "ontology", data=project / "data", queries=ROOT / "queries"
    )


def run(project: Path, *args: str):
    return CliRunner().invoke(
        main,
        ["--ontology", str(project / "ontology"), "--data", str(project / "data"), *args],
    )


def test_a_shipped_file_is_checked_with_the_whole_graph(layout):
    report = validate(layout, [DATA / "mechanisms" / "saarc.ttl"], check_quotations=False)
    assert report.conforms, report.to_text()
    assert report.files_checked == 1
    folders = ["--ontology", str(layout.ontology), "--data", str(layout.data)]
    result = CliRunner().invoke(
        main, [*folders, "validate", str(DATA / "mechanisms" / "saarc.ttl"), "--no-quotations"]
    )
    assert result.exit_code == 0, result.output


def test_only_the_results_of_the_files_given_are_reported(project):
    saarc = project / "data" / "mechanisms" / "saarc.ttl"
    edit(saarc, CITATION_LINE, "")
    edit(saarc, "org:member id:state-bgd ;", "org:member id:state-nowhere ;")
    au = project / "data" / "mechanisms" / "au.ttl"
    edit(
        au,
        "    tip:citation id:",
        "    tip:citation id:nowhere-",
    )
    report = validate(layout_of(project), [saarc], check_quotations=False)
    assert not report.conforms
    assert {v.file for v in report.violations} == {str(saarc)}
    assert report.hidden > 0  # au.ttl's are counted, not listed
    undefined = [v for v in report.violations if "state-nowhere is referred to" in v.message]
    assert [v.line for v in undefined] == [line_of(saarc, "org:member id:state-nowhere")]
    member = [v for v in report.violations if v.value == "id:state-nowhere" and v.path]
    assert member and member[0].triple_line == line_of(saarc, "id:state-nowhere")
    everything = validate(layout_of(project), None, check_quotations=False)
    assert len(everything.violations) == len(report.violations) + report.hidden
    both = validate(layout_of(project), [saarc, au], check_quotations=False)
    assert len(both.violations) == len(everything.violations)


def test_a_folder_inside_the_data_is_checked_in_context(project):
    states = project / "data" / "states"
    result = run(project, "validate", "--no-quotations", str(states))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"conforms: {len(list(states.glob('*.ttl')))} files")


def test_files_outside_the_data_folder_keep_their_own_meaning(layout, tmp_path):
    copy = tmp_path / "saarc.ttl"
    shutil.copy(DATA / "mechanisms" / "saarc.ttl", copy)
    report = validate(layout, [copy], check_quotations=False)
    assert not report.conforms  # alone, its references to other files are undefined
    assert all(v.files == (str(copy),) for v in report.violations)
    assert report.hidden == 0


def test_a_file_in_the_data_folder_that_is_not_data_is_read_as_given(project):
    stray = project / "data" / "notes.ttl.txt"
    stray.write_text("not turtle at all\n", encoding="utf-8")
    result = run(project, "validate", "--no-quotations", str(stray))
    assert result.exit_code == 2
    assert f"{stray}:1:" in result.stderr


@pytest.fixture()
def git(tmp_path, monkeypatch):
    """git, with no user or system configuration read."""
    program = shutil.which("git")
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("git not found; CI must provide it", pytrace=False)
        pytest.skip("git not found")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_DIR", raising=False)

    def call(folder: Path, *args: str) -> str:
        done = subprocess.run(
            [
                program,
                "-C",
                str(folder),
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.org",
                "-c",
                "commit.gpgsign=false",
                *args,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    return call


@pytest.fixture()
def repository(project, git) -> Path:
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "data")
    return project


def test_changed_reports_only_what_the_change_touches(repository, git):
    au = repository / "data" / "mechanisms" / "au.ttl"
    edit(au, "    tip:citation id:", "    tip:citation id:nowhere-")
    git(repository, "commit", "-q", "-am", "a defect already committed")
    saarc = repository / "data" / "mechanisms" / "saarc.ttl"
    edit(saarc, CITATION_LINE, "")  # unstaged
    new = repository / "data" / "actors" / "new-actor.ttl"
    new.write_text(
        "PREFIX id: <https://w3id.org/tipgraph/id/>\n"
        "PREFIX org: <http://www.w3.org/ns/org#>\n\n"
        "id:new-actor a org:FormalOrganization .\n",
        encoding="utf-8",
    )  # untracked
    result = run(repository, "validate", "--no-quotations", "--changed", "--format", "json")
    assert result.exit_code == 1, result.output
    violations = json.loads(result.stdout)["violations"]
    files = {Path(v["file"]).name for v in violations}
    assert files == {"saarc.ttl", "new-actor.ttl"}, violations
    assert any(v["focus"] == "id:new-actor" and v["line"] == 4 for v in violations)
    git(repository, "add", "-A")  # staged counts the same
    staged = run(repository, "validate", "--no-quotations", "--changed", "--format", "json")
    assert json.loads(staged.stdout)["violations"] == violations


def test_changed_follows_a_deleted_file_to_the_references_it_leaves(repository, git):
    (repository / "data" / "states" / "state-bgd.ttl").unlink()
    result = run(repository, "validate", "--no-quotations", "--changed")
    assert result.exit_code == 1
    assert "id:state-bgd is referred to but not defined" in result.stdout
    saarc = repository / "data" / "mechanisms" / "saarc.ttl"
    assert f"saarc.ttl:{line_of(saarc, 'org:member id:state-bgd')}:" in result.stdout


def test_changed_with_nothing_changed_conforms(repository):
    result = run(repository, "validate", "--no-quotations", "--changed")
    assert result.exit_code == 0, result.output


def test_a_changed_shape_reports_everything(repository, git):
    au = repository / "data" / "mechanisms" / "au.ttl"
    edit(au, "    tip:citation id:", "    tip:citation id:nowhere-")
    git(repository, "commit", "-q", "-am", "a defect already committed")
    assert run(repository, "validate", "--no-quotations", "--changed").exit_code == 0
    shapes = repository / "ontology" / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = run(repository, "validate", "--no-quotations", "--changed")
    assert result.exit_code == 1
    assert "au.ttl:" in result.stdout


def test_changed_outside_a_repository_is_an_input_error(project, git):
    result = run(project, "validate", "--changed")
    assert result.exit_code == 2
    assert "--changed needs a git checkout" in result.stderr


def test_changed_and_files_together_are_refused(repository):
    result = run(repository, "validate", "--changed", str(repository / "data" / "states"))
    assert result.exit_code == 2
    assert "not both" in result.stderr
