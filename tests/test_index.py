"""The persistent index: rebuilt after every kind of change, never stale, safe to build twice."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from tipgraph.cli import main
from tipgraph.engine import run_sparql
from tipgraph.index import MANIFEST, Index
from tipgraph.paths import Layout

ROOT = Path(__file__).resolve().parent.parent
MEMBERS_OF_SAARC = ["query", "members-of", "-p", "mechanism", "saarc", "-f", "tsv"]
COUNT_MECHANISMS = "SELECT (COUNT(*) AS ?n) WHERE { ?m a tip:Mechanism }"
NEW_MECHANISM = """PREFIX id: <https://w3id.org/tipgraph/id/>
PREFIX tip: <https://w3id.org/tipgraph/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
id:new-mechanism a tip:Mechanism ; rdfs:label "New mechanism"@en .
"""


@pytest.fixture()
def project(tmp_path) -> Layout:
    """A copy of the ontology, data and queries that a test may change."""
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return Layout.resolve(
        ontology=tmp_path / "ontology", data=tmp_path / "data", queries=tmp_path / "queries"
    )


@pytest.fixture()
def index(project, tmp_path) -> Index:
    return Index(project, tmp_path / "cache")


def folders(layout: Layout, cache: Path) -> list[str]:
    """The global options that point the CLI at a layout and a cache folder."""
    return [
        "--ontology",
        str(layout.ontology),
        "--data",
        str(layout.data),
        "--queries",
        str(layout.queries),
        "--cache",
        str(cache),
    ]


def mechanisms(store: ox.Store) -> int:
    return int(run_sparql(store, COUNT_MECHANISMS).rows[0][0].value)


def label_of(store: ox.Store, slug: str) -> str:
    text = f"SELECT ?l WHERE {{ id:{slug} rdfs:label ?l }}"
    return run_sparql(store, text).rows[0][0].value


def test_the_first_open_builds_and_the_next_finds_it_fresh(index):
    assert index.stale_reason() == "no index yet"
    assert mechanisms(index.open()) > 30
    assert index.stale_reason() is None
    assert len(list(index.folder.glob("store-*"))) == 1


def test_an_added_file_is_seen(index, project):
    before = mechanisms(index.open())
    (project.data / "mechanisms" / "new-mechanism.ttl").write_text(NEW_MECHANISM)
    assert index.stale_reason() is not None
    assert mechanisms(index.open()) == before + 1


def test_a_removed_file_is_seen(index, project):
    before = mechanisms(index.open())
    (project.data / "mechanisms" / "saarc.ttl").unlink()
    assert index.stale_reason() == "files were added or removed"
    assert mechanisms(index.open()) == before - 1


def test_a_renamed_file_is_seen(index, project):
    index.open()
    folder = project.data / "mechanisms"
    (folder / "saarc.ttl").rename(folder / "saarc-renamed.ttl")
    assert index.stale_reason() == f"{folder / 'saarc-renamed.ttl'} is new"
    index.open()
    assert index.stale_reason() is None


def test_an_edit_of_the_same_size_and_time_is_seen(index, project):
    """Only the content changes: same length, modification time put back as it was."""
    path = project.data / "mechanisms" / "saarc.ttl"
    assert label_of(index.open(), "saarc").startswith("South Asian")
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    label = 'rdfs:label "South Asian'
    assert label in text
    path.write_text(text.replace(label, 'rdfs:label "SOUTH Asian', 1), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    assert path.stat().st_mtime_ns == info.st_mtime_ns
    assert index.stale_reason() == f"{path} changed"
    assert label_of(index.open(), "saarc").startswith("SOUTH Asian")


def test_an_ontology_change_is_seen(index, project):
    index.open()
    path = project.ontology / "tipgraph.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert index.stale_reason() == f"{path} changed"


def test_a_touched_but_unchanged_file_does_not_rebuild(index, project):
    index.open()
    path = project.data / "mechanisms" / "saarc.ttl"
    os.utime(path)
    assert index.stale_reason() is None
    assert index.stale_reason() is None  # and the manifest now trusts the new times
    assert len(list(index.folder.glob("store-*"))) == 1


def test_a_changed_query_file_is_used_at_once(project, tmp_path):
    """Queries are read from their folder on every run, so the index never holds them."""
    runner = CliRunner()
    arguments = folders(project, tmp_path / "cache")
    query = project.queries / "recommendations.rq"
    first = runner.invoke(main, [*arguments, "query", "recommendations", "-f", "tsv"])
    assert first.exit_code == 0, first.output
    header = query.read_text(encoding="utf-8").split("SELECT", 1)[0]
    query.write_text(header + 'SELECT ?changed WHERE { BIND("yes" AS ?changed) }\n')
    second = runner.invoke(main, [*arguments, "query", "recommendations", "-f", "tsv"])
    assert second.exit_code == 0, second.output
    assert second.output == "changed\nyes\n"


def test_a_syntax_error_names_the_file_and_leaves_the_old_index(index, project):
    index.open()
    bad = project.data / "mechanisms" / "broken.ttl"
    bad.write_text("id:x a .\n")
    with pytest.raises(Exception, match=r"broken\.ttl:1:"):
        index.open()
    assert not list(index.folder.glob("building-*"))
    bad.unlink()
    assert index.stale_reason() is None


def test_two_first_runs_at_once_give_one_good_index(project, tmp_path):
    cache = tmp_path / "cache"
    command = [
        sys.executable,
        "-m",
        "tipgraph",
        *folders(project, cache),
        *MEMBERS_OF_SAARC,
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIPGRAPH_")}
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, env=env) for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") == 8
    index = Index(project, cache)
    assert index.stale_reason() is None
    assert (index.folder / MANIFEST).is_file()
    assert mechanisms(index.open()) > 30


def test_an_unwritable_cache_warns_and_reads_the_files(project, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    result = CliRunner().invoke(
        main,
        [*folders(project, blocked / "cache"), *MEMBERS_OF_SAARC],
    )
    assert result.exit_code == 0
    assert "warning: cannot create the index folder" in result.stderr
    assert result.stdout.count("\n") == 8


def test_the_index_command_says_what_it_did(project, tmp_path):
    arguments = folders(project, tmp_path / "c")
    runner = CliRunner()
    built = runner.invoke(main, [*arguments, "index"])
    assert built.exit_code == 0 and re.match(r"indexed \d+ triples", built.stdout), built.output
    assert "(no index yet)" in built.stdout
    fresh = runner.invoke(main, [*arguments, "index"])
    assert fresh.stdout.startswith("index is fresh: ")
    forced = runner.invoke(main, [*arguments, "index", "--force"])
    assert "(rebuild asked for)" in forced.stdout
    refused = runner.invoke(main, [*arguments, "--no-cache", "index"])
    assert refused.exit_code == 2


def test_answers_on_an_rdflib_graph_follow_its_changes():
    """The library never answers from a stale copy: a change at constant size is seen."""
    graph = Graph()
    subject = URIRef("https://w3id.org/tipgraph/id/x")
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    graph.add((subject, label, Literal("first")))
    query = "SELECT ?l WHERE { id:x rdfs:label ?l }"
    assert run_sparql(graph, query).rows[0][0].value == "first"
    graph.remove((subject, label, Literal("first")))
    graph.add((subject, label, Literal("other")))
    assert len(graph) == 1
    assert run_sparql(graph, query).rows[0][0].value == "other"


@pytest.mark.parametrize("fmt", ["turtle", "nt", "trig", "jsonld"])
def test_exports_from_the_index_and_from_the_files_are_identical(layout, tmp_path, fmt):
    arguments = folders(layout, tmp_path / "c")
    runner = CliRunner()
    indexed = runner.invoke(main, [*arguments, "export", "--format", fmt])
    parsed = runner.invoke(main, [*arguments, "--no-cache", "export", "--format", fmt])
    assert indexed.exit_code == parsed.exit_code == 0
    assert indexed.stdout_bytes == parsed.stdout_bytes
    assert len(indexed.stdout_bytes) > 100_000
