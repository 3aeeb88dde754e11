"""The README's console examples are what the commands print today (regenerate them with
``cog -I tests -r README.md``)."""

from __future__ import annotations

from pathlib import Path

from cogapp import Cog

ROOT = Path(__file__).resolve().parent.parent


def test_readme_examples_are_current(sources, monkeypatch):
    monkeypatch.setenv("TIPGRAPH_SOURCES", str(sources))
    monkeypatch.chdir(ROOT)
    status = Cog().main(["cog", "--check", "-I", str(ROOT / "tests"), str(ROOT / "README.md")])
    assert status == 0, "README.md is out of date: run `cog -I tests -r README.md`"
