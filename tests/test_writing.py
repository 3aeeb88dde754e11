"""Writing files: only regular files, links followed, modes kept; fmt all-or-nothing and
never changing what a file says; the build never ships files the checkout no longer has."""

from __future__ import annotations

import importlib.util
import os
import signal
import stat
from pathlib import Path

import pyoxigraph as ox
import pytest

from tipgraph.errors import InputError
from tipgraph.formatting import canonical_form, canonical_text, check_source, format_files
from tipgraph.writing import write_atomically

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "data"

GOOD = """@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:b ex:label "a # in a string", <https://example.org/#fragment> .
ex:a ex:count 8 .
"""


@pytest.fixture(autouse=True)
def no_hang():
    """A test that would block (opening a FIFO) fails after 20 seconds instead."""

    def expire(signum, frame):
        raise TimeoutError("the test blocked")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def leftovers(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir() if entry.name.startswith("."))


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- write_atomically -------------------------------------------------------------------------


def test_fifo_refused_never_opened(tmp_path, run):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="FIFO"):
        write_atomically(fifo, "x")
    result = run("export", "-o", str(fifo))
    assert result.exit_code == 2
    assert "FIFO" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(tmp_path) == []


def test_folder_refused(tmp_path, run):
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(InputError, match="folder"):
        write_atomically(folder, "x")
    assert run("export", "-o", str(folder)).exit_code == 2
    assert folder.is_dir() and list(folder.iterdir()) == []


def character_device(tmp_path: Path) -> Path:
    """A null device of our own (never the machine's /dev/null, which a bug could replace);
    /dev/null itself only where making one is not allowed."""
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except OSError:
        if not stat.S_ISCHR(os.stat("/dev/null").st_mode):
            pytest.skip("no character device to test with")
        return Path("/dev/null")
    return device


def test_character_device_refused(tmp_path, run):
    device = character_device(tmp_path)
    before = os.stat(device)
    with pytest.raises(InputError, match="character device"):
        write_atomically(device, "x")
    result = run("export", "-o", str(device))
    assert result.exit_code == 2
    assert "character device" in result.stderr
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_symlink_followed_link_kept(tmp_path, run):
    target = tmp_path / "graph.ttl"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.ttl"
    link.symlink_to(target.name)
    write_atomically(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert run("export", "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert target.read_text().startswith("@prefix")
    assert leftovers(tmp_path) == []


def test_dangling_symlink_refused(tmp_path):
    link = tmp_path / "link.ttl"
    link.symlink_to(tmp_path / "missing.ttl")
    with pytest.raises(InputError, match="missing"):
        write_atomically(link, "x")
    assert not (tmp_path / "missing.ttl").exists()


def test_read_only_refused(tmp_path, run):
    target = tmp_path / "graph.ttl"
    target.write_text("keep\n")
    target.chmod(0o444)
    with pytest.raises(InputError, match="read-only"):
        write_atomically(target, "x")
    result = run("export", "-o", str(target))
    assert result.exit_code == 2 and "read-only" in result.stderr
    assert target.read_text() == "keep\n"
    assert leftovers(tmp_path) == []


def test_hard_linked_file_refused(tmp_path, run):
    target = tmp_path / "graph.ttl"
    target.write_text("keep\n")
    other = tmp_path / "other.ttl"
    os.link(target, other)
    with pytest.raises(InputError, match="hard links"):
        write_atomically(target, "x")
    result = run("export", "-o", str(other))
    assert result.exit_code == 2 and "hard links" in result.stderr
    assert target.read_text() == other.read_text() == "keep\n"
    assert os.stat(target).st_ino == os.stat(other).st_ino


def test_mode_kept(tmp_path, run):
    target = tmp_path / "graph.ttl"
    target.write_text("old\n")
    target.chmod(0o644)
    assert run("export", "-o", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    target.chmod(0o600)
    write_atomically(target, "new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_new_file_follows_umask(tmp_path, run):
    previous = os.umask(0o027)
    try:
        assert run("export", "-o", str(tmp_path / "graph.ttl")).exit_code == 0
        write_atomically(tmp_path / "other.ttl", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "graph.ttl").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "other.ttl").stat().st_mode) == 0o640
    assert current_umask() == previous


def test_temporary_file_removed_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "graph.ttl"
    target.write_text("keep\n")

    def fail(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomically(target, "new\n")
    assert target.read_text() == "keep\n"
    assert leftovers(tmp_path) == []


# --- fmt --------------------------------------------------------------------------------------


def messy(text: str = GOOD) -> str:
    """The same triples, out of canonical order."""
    return text.replace("ex:b ex:label", "ex:b  ex:label")


def test_fmt_folder_all_or_nothing(tmp_path, run):
    for name in ("a.ttl", "b.ttl", "d.ttl"):
        (tmp_path / name).write_text(messy())
    bad = tmp_path / "c.ttl"
    bad.write_text(GOOD.replace("8 .", '"+8"^^xsd:integer .'))
    before = {path: path.read_bytes() for path in tmp_path.iterdir()}
    result = run("fmt", str(tmp_path))
    assert result.exit_code == 2
    assert f"{bad}:4:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert {path: path.read_bytes() for path in tmp_path.iterdir()} == before
    bad.write_text(messy())
    assert run("fmt", str(tmp_path)).exit_code == 0
    assert run("fmt", "--check", str(tmp_path)).exit_code == 0


def test_fmt_keeps_mode_and_link(tmp_path, run):
    target = tmp_path / "real.ttl"
    target.write_text(messy())
    target.chmod(0o644)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "link.ttl").symlink_to(target)
    assert run("fmt", str(folder)).exit_code == 0
    assert (folder / "link.ttl").is_symlink()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert run("fmt", "--check", str(target)).exit_code == 0


def test_fmt_refuses_fifo_argument(tmp_path, run):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    result = run("fmt", str(fifo))
    assert result.exit_code == 2 and "not a regular file" in result.stderr


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (GOOD + "# a note\n", 5, "comment"),
        (GOOD.replace("ex:a ex:count 8 .", "ex:a ex:count 8 . # eight"), 4, "comment"),
        (GOOD + "ex:c ex:see <foo> .\n", 5, "relative IRI"),
        (GOOD + "ex:c ex:see <../x> .\n", 5, "relative IRI"),
        ("@prefix ex: <> .\nex:a ex:b ex:c .\n", 1, "relative IRI"),
        ("@base <https://example.org/> .\n" + GOOD, 1, "base directive"),
        ("BASE <https://example.org/>\n" + GOOD, 1, "base directive"),
    ],
)
def test_fmt_refuses_what_it_would_lose(tmp_path, run, text, line, reason):
    path = tmp_path / "file.ttl"
    path.write_text(text)
    result = run("fmt", str(path))
    assert result.exit_code == 2
    assert f"{path}:{line}: " in result.stderr and reason in result.stderr
    assert path.read_text() == text


def test_hash_in_strings_and_iris_is_not_a_comment(tmp_path):
    check_source(tmp_path / "x.ttl", GOOD + 'ex:c ex:note """a\n# not a comment""" .\n')
    check_source(tmp_path / "x.ttl", "ex:c ex:note 'it''s' .\nex:d ex:p ex:e\\#f .\n")


@pytest.mark.parametrize(
    "literal",
    [
        '"yes"^^xsd:boolean',
        '"+8"^^xsd:integer',
        '" 7 "^^xsd:integer',
        "+9",
        "1e0",
        '"2004-01-01Z"^^xsd:date',
    ],
)
def test_fmt_refuses_a_literal_it_would_rewrite(tmp_path, run, literal):
    path = tmp_path / "file.ttl"
    text = GOOD.replace("ex:count 8", f"ex:count {literal}")
    path.write_text(text)
    before = path.read_bytes()
    result = run("fmt", str(path))
    assert result.exit_code == 2
    assert f"{path}:4: " in result.stderr
    assert path.read_bytes() == before
    assert run("fmt", "--check", str(path)).exit_code == 2


def test_ill_typed_literal_kept_by_rdflib_is_accepted(tmp_path):
    text = GOOD.replace("ex:count 8", 'ex:count "20O4"^^xsd:gYear')
    assert '"20O4"^^xsd:gYear' in canonical_form(tmp_path / "x.ttl", text)


def triples(text: str) -> set:
    dataset = ox.Dataset(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


PROJECT_FILES = sorted(
    [*(ROOT / "ontology").rglob("*.ttl"), *(ROOT / "data").rglob("*.ttl"), *FIXTURES.rglob("*.ttl")]
)


@pytest.mark.parametrize("path", PROJECT_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_round_trip_keeps_every_triple(path):
    text = path.read_text(encoding="utf-8")
    base = path.absolute().as_uri()
    original = ox.Dataset(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE, base_iri=base))
    original.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    formatted = canonical_form(path, text)
    assert triples(formatted) == set(original)


def test_project_files_pass_every_check():
    for path in PROJECT_FILES:
        if FIXTURES not in path.parents:
            canonical_text(path)


def test_format_files_check_writes_nothing(tmp_path):
    path = tmp_path / "file.ttl"
    path.write_text(messy())
    results = format_files([path], check=True)
    assert results[0].changed and path.read_text() == messy()


# --- build ------------------------------------------------------------------------------------


def test_build_never_ships_a_removed_file(tmp_path, monkeypatch):
    from setuptools import Distribution

    spec = importlib.util.spec_from_file_location("tipgraph_setup", ROOT / "setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.chdir(ROOT)
    distribution = Distribution({"packages": ["tipgraph"], "package_dir": {"": "src"}})
    distribution.script_name = str(ROOT / "setup.py")
    stale = tmp_path / "tipgraph" / "resources" / "data" / "removed.ttl"
    for _ in range(2):  # build_py may run twice into the same folder
        stale.parent.mkdir(parents=True, exist_ok=True)
        stale.write_text("stale\n")
        command = module.BuildWithResources(distribution)
        command.build_lib = str(tmp_path)
        command.ensure_finalized()
        command.run()
        assert not stale.exists()
    shipped = tmp_path / "tipgraph" / "resources"
    assert (shipped / "data").is_dir() and (shipped / "queries").is_dir()
    assert not list(shipped.rglob("*.md"))
    expected = {p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*.ttl")}
    assert {p.relative_to(shipped / "data") for p in (shipped / "data").rglob("*.ttl")} == expected
    # how to cite the dataset is read from the CITATION.cff shipped beside the resources
    assert (shipped / "CITATION.cff").read_bytes() == (ROOT / "CITATION.cff").read_bytes()
