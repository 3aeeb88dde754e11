"""``tipgraph diff``: facts added and removed between git revisions or folders, with citations;
moved files and renamed slugs are not noise; bad revisions are usage errors."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from tipgraph.cli import main
from tipgraph.diff import Anonymous, Version, compare, diff_rows, graph_facts, review_markdown

ROOT = Path(__file__).resolve().parent.parent
SAARC = "data/mechanisms/saarc.ttl"
GENDER_QUOTATION = "It is also active on gender mainstreaming in relation to trafficking."
NEW_CLAIM = """
id:saarc-covers-men a tip:CoverageClaim ;
    tip:subject id:saarc ;
    tip:covers target:men ;
    tip:citation id:cite-sum-pg13-saarc-gender .
"""
NEW_CITATION = """
id:cite-hrc-p8-saarc-men a tip:Citation ;
    tip:document id:a-hrc-14-32 ;
    tip:locator "para. 8" ;
    tip:paragraph 8 ;
    tip:quotation "men and boys" .
"""


@pytest.fixture(scope="session")
def git() -> str:
    """The git command; without it a test is skipped, except on CI (CI set), where it fails."""
    found = shutil.which("git")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("git not found; CI must install it", pytrace=False)
        pytest.skip("git not found")
    return found


def run_git(git: str, repo: Path, *args: str) -> str:
    result = subprocess.run(
        [git, "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.fixture(scope="module")
def template(git, tmp_path_factory) -> Path:
    """A git checkout of the project's ontology and data, one commit; copied for each test."""
    repo = tmp_path_factory.mktemp("template") / "repo"
    repo.mkdir()
    shutil.copytree(ROOT / "ontology", repo / "ontology")
    shutil.copytree(ROOT / "data", repo / "data")
    run_git(git, repo, "init", "-q", "-b", "main")
    run_git(git, repo, "config", "user.name", "Test")
    run_git(git, repo, "config", "user.email", "test@example.org")
    run_git(git, repo, "config", "commit.gpgsign", "false")
    commit(git, repo, "the project's data")
    return repo


def commit(git: str, repo: Path, message: str) -> None:
    run_git(git, repo, "add", "-A")
    run_git(git, repo, "commit", "-q", "-m", message)


@pytest.fixture()
def repo(template, tmp_path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(template, copy, symlinks=True)
    return copy


def tipgraph(repo: Path, *args: str):
    options = ["--ontology", str(repo / "ontology"), "--data", str(repo / "data")]
    options += ["--queries", str(ROOT / "queries"), "--no-cache"]
    return CliRunner().invoke(main, [*options, "diff", *args])


def rows(result) -> list[dict]:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def append(repo: Path, relative: str, text: str) -> None:
    with (repo / relative).open("a", encoding="utf-8") as handle:
        handle.write(text)


# --- the work tree against HEAD ---------------------------------------------------------------


def test_no_change_no_rows(repo):
    result = tipgraph(repo, "-f", "json", "--exit-code")
    assert result.exit_code == 0 and rows(result) == []
    assert "No differences." in tipgraph(repo, "-f", "review").stdout


def test_a_new_coverage_claim_is_exactly_that_claim_with_its_citation(repo):
    append(repo, SAARC, NEW_CLAIM)
    result = tipgraph(repo, "-f", "json")
    assert result.exit_code == 0
    found = rows(result)
    assert {row["resource"] for row in found} == {"https://w3id.org/tipgraph/id/saarc-covers-men"}
    assert {row["change"] for row in found} == {"added"}
    assert sorted(row["property"].rsplit("/", 1)[-1].split("#")[-1] for row in found) == [
        "citation",
        "covers",
        "subject",
        "type",
    ]
    assert all(GENDER_QUOTATION in row["citation"] for row in found)
    assert {row["valueLabel"] for row in found} >= {
        "men",
        "South Asian Association for Regional Cooperation",
    }
    assert tipgraph(repo, "--exit-code").exit_code == 1


def test_the_review_comment(repo):
    append(repo, SAARC, NEW_CLAIM)
    text = tipgraph(repo, "-f", "review").stdout
    assert text.startswith("## Graph changes: HEAD → the work tree\n")
    assert "### `id:saarc-covers-men`" in text
    assert "- **+** `tip:covers` `target:men` (men)" in text
    assert text.count(GENDER_QUOTATION) == 1  # a claim's citation is listed once
    assert "1 resource changed: 4 facts added, 0 removed, 0 renamed." in text


def test_a_claim_with_a_new_citation_shows_both(repo):
    append(repo, SAARC, NEW_CLAIM.replace("cite-sum-pg13-saarc-gender", "cite-hrc-p8-saarc-men"))
    append(repo, SAARC, NEW_CITATION)
    found = rows(tipgraph(repo, "-f", "json"))
    resources = {row["resource"].rsplit("/", 1)[-1] for row in found}
    assert resources == {"saarc-covers-men", "cite-hrc-p8-saarc-men"}
    claim = [row for row in found if row["resource"].endswith("saarc-covers-men")]
    assert all("para. 8: “men and boys”" in row["citation"] for row in claim)


def test_a_removed_fact_comes_with_the_citation_that_stated_it(repo):
    path = repo / SAARC
    text = path.read_text(encoding="utf-8")
    line = "    org:hasPrimarySite id:site-saarc-kathmandu ;\n"
    assert line in text
    path.write_text(text.replace(line, ""), encoding="utf-8")
    (row,) = rows(tipgraph(repo, "-f", "json"))
    assert row["change"] == "removed" and row["value"].endswith("/id/site-saarc-kathmandu")
    assert row["valueLabel"] == "Kathmandu, Nepal"
    assert row["resourceLabel"] == "South Asian Association for Regional Cooperation"
    assert "Kathmandu, Nepal" in row["citation"]  # the citation that supports the site


def test_a_changed_value_is_removed_and_added_next_to_each_other(repo):
    path = repo / SAARC
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tip:memberCount 8 ;", "tip:memberCount 9 ;"), encoding="utf-8")
    found = rows(tipgraph(repo, "-f", "json"))
    assert [(row["change"], row["value"]) for row in found] == [("removed", 8), ("added", 9)]


# --- moves and renames ------------------------------------------------------------------------


def test_a_moved_and_reformatted_file_is_no_difference(git, repo):
    run_git(git, repo, "mv", SAARC, "data/saarc-elsewhere.ttl")
    path = repo / "data/saarc-elsewhere.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace(" ;\n", " ;\n\n"), encoding="utf-8")
    assert rows(tipgraph(repo, "-f", "json")) == []
    commit(git, repo, "move")
    assert rows(tipgraph(repo, "-f", "json", "HEAD~1", "HEAD")) == []


def test_blocks_moved_between_files_are_no_difference(repo):
    path = repo / SAARC
    head, _, tail = path.read_text(encoding="utf-8").partition("\nid:saarc-regional-task-force\n")
    prefixes = "".join(line + "\n" for line in head.splitlines() if line.startswith("PREFIX"))
    path.write_text(head + "\n", encoding="utf-8")
    (repo / "data/saarc-rest.ttl").write_text(
        prefixes + "\nid:saarc-regional-task-force\n" + tail, encoding="utf-8"
    )
    assert rows(tipgraph(repo, "-f", "json")) == []


def rename_everywhere(repo: Path, old: str, new: str) -> None:
    for path in (repo / "data").rglob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        if f"id:{old} " in text or f"id:{old}\n" in text:
            renamed = text.replace(f"id:{old} ", f"id:{new} ").replace(f"id:{old}\n", f"id:{new}\n")
            path.write_text(renamed, encoding="utf-8")


def test_a_renamed_slug_is_one_line(repo):
    rename_everywhere(repo, "saarc-regional-task-force", "saarc-task-force")
    (row,) = rows(tipgraph(repo, "-f", "json"))
    assert row["change"] == "renamed"
    assert row["resource"].endswith("/saarc-regional-task-force")
    assert row["value"].endswith("/saarc-task-force")
    assert row["resourceLabel"] == "SAARC Regional Task Force"


def test_a_claim_renamed_with_its_citation_is_two_renames(repo):
    rename_everywhere(repo, "saarc-covers-gender", "saarc-covers-gender-mainstreaming")
    rename_everywhere(repo, "cite-sum-pg13-saarc-gender", "cite-sum-pg13-saarc-mainstreaming")
    found = rows(tipgraph(repo, "-f", "json"))
    assert sorted((row["change"], row["value"].rsplit("/", 1)[-1]) for row in found) == [
        ("renamed", "cite-sum-pg13-saarc-mainstreaming"),
        ("renamed", "saarc-covers-gender-mainstreaming"),
    ]


def test_a_rename_with_a_changed_fact_is_not_a_rename(repo):
    rename_everywhere(repo, "saarc-regional-task-force", "saarc-task-force")
    path = repo / SAARC
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"SAARC Regional Task Force"@en', '"Task Force"@en'), "utf-8")
    changes = {row["change"] for row in rows(tipgraph(repo, "-f", "json"))}
    assert changes == {"added", "removed"}


def test_identical_twins_are_not_guessed():
    old = Version("old", [(Path("a.ttl"), b"<https://e.org/a> <https://e.org/p> 1 .\n")])
    both = b"<https://e.org/b> <https://e.org/p> 1 .\n<https://e.org/c> <https://e.org/p> 1 .\n"
    result = compare(old, Version("new", [(Path("b.ttl"), both)]))
    assert result.renames == {} and len(result.added) == 2 and len(result.removed) == 1


# --- folders, revisions, errors ---------------------------------------------------------------


def test_two_folders(repo, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(repo / "data", other / "data")
    shutil.copytree(repo / "ontology", other / "ontology")
    append(other, SAARC, NEW_CLAIM)
    result = tipgraph(repo, "-f", "json", str(repo), str(other))
    assert {row["resource"].rsplit("/", 1)[-1] for row in rows(result)} == {"saarc-covers-men"}
    plain = tmp_path / "plain"  # a folder of Turtle files, no ontology/data inside
    shutil.copytree(repo / "data", plain)
    result = tipgraph(repo, "-f", "json", str(repo / "data"), str(plain))
    assert rows(result) == []


def test_revisions(git, repo):
    append(repo, SAARC, NEW_CLAIM)
    commit(git, repo, "a claim")
    assert rows(tipgraph(repo, "-f", "json")) == []  # the work tree is HEAD
    added = rows(tipgraph(repo, "-f", "json", "HEAD~1"))
    assert {row["change"] for row in added} == {"added"}
    removed = rows(tipgraph(repo, "-f", "json", "HEAD", "HEAD~1"))
    assert {row["change"] for row in removed} == {"removed"} and len(removed) == len(added)
    run_git(git, repo, "tag", "v1", "HEAD~1")
    assert rows(tipgraph(repo, "-f", "json", "v1", "main")) == added


@pytest.mark.parametrize(
    "revision", [["no-such-branch"], ["HEAD~99"], ["--", "-p"], ["--", "--output=x", "HEAD"]]
)
def test_a_bad_revision_is_a_usage_error(repo, revision):
    """Also one that git would take for an option (after ``--``, click passes it on)."""
    result = tipgraph(repo, *revision)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "revision" in result.stderr
    assert not (repo / "x").exists()


def test_outside_a_checkout_revisions_are_refused(tmp_path):
    for name in ("ontology", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    result = tipgraph(tmp_path)
    assert result.exit_code == 2 and "not in a git checkout" in result.stderr
    assert tipgraph(tmp_path, str(tmp_path), str(tmp_path), "-f", "json").exit_code == 0


def test_a_syntax_error_in_a_revision_names_it(git, repo):
    append(repo, SAARC, "id:broken tip:covers .\n")
    commit(git, repo, "broken")
    (repo / SAARC).write_text((ROOT / SAARC).read_text(encoding="utf-8"), encoding="utf-8")
    result = tipgraph(repo)
    assert result.exit_code == 2
    assert "in revision HEAD: " in result.stderr and "saarc.ttl:" in result.stderr


# --- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "jsonl", "markdown", "review"])
def test_every_format(repo, fmt):
    append(repo, SAARC, NEW_CLAIM)
    result = tipgraph(repo, "-f", fmt)
    assert result.exit_code == 0 and "saarc-covers-men" in result.stdout
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(result.stdout)))
        assert table[0][0] == "change" and len(table) == 5
    if fmt == "jsonl":
        assert len([json.loads(line) for line in result.stdout.splitlines()]) == 4


# --- blank nodes ------------------------------------------------------------------------------


def test_blank_nodes_compare_by_their_content():
    shapes = (ROOT / "ontology/shapes.ttl").read_bytes()
    first = ox.Store()
    first.load(shapes, format=ox.RdfFormat.TURTLE)
    second = ox.Store()
    second.load(shapes, format=ox.RdfFormat.TURTLE)
    facts = graph_facts(first)
    assert facts == graph_facts(second)
    assert any(isinstance(value, Anonymous) for _, _, value in facts)
    changed = shapes.replace(b"sh:maxLength 200", b"sh:maxLength 250")
    result = compare(
        Version("old", [(Path("shapes.ttl"), shapes)]),
        Version("new", [(Path("shapes.ttl"), changed)]),
    )
    assert len(result.removed) == len(result.added) == 1
    (added,) = result.added
    assert "sh:maxLength 250" in added[2].text
    assert "sh:maxLength 250" in review_markdown(result)
    assert diff_rows(result)[0][0].value == "removed"
