"""The pre-commit hooks and the example workflow call tipgraph with options it has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from tipgraph.cli import main

ROOT = Path(__file__).resolve().parent.parent
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
WORKFLOW = yaml.safe_load((ROOT / "docs" / "ci" / "github-workflow.yml").read_text("utf-8"))
FOLDERS = WORKFLOW["env"]["TIPGRAPH_FOLDERS"]


def workflow_commands() -> list[str]:
    """The tipgraph command lines of the workflow's steps (but diff, built elsewhere)."""
    found = []
    for job in WORKFLOW["jobs"].values():
        for step in job["steps"]:
            run = " ".join(str(step.get("run", "")).split())
            if run.startswith("tipgraph ") and " diff " not in run:
                command = re.split(r"\s[>|]", run)[0].replace("$TIPGRAPH_FOLDERS", FOLDERS)
                found.append(command)
    return found


def test_the_hooks_check_the_checkout_folders():
    assert {hook["id"] for hook in HOOKS} >= {"tipgraph-validate", "tipgraph-fmt"}
    for hook in HOOKS:
        assert hook["entry"].startswith("tipgraph --ontology ontology --data data ")
        assert re.match(hook["files"], "data/mechanisms/saarc.ttl")
        assert not re.match(hook["files"], "tests/data/invalid/bad-slug.ttl")


@pytest.mark.parametrize(
    "command",
    [hook["entry"] for hook in HOOKS] + workflow_commands(),
)
def test_each_command_line_is_one_tipgraph_accepts(command):
    """Parsed and converted as a run would be (every option and value checked), not run."""
    arguments = shlex.split(command)[1:]
    at = 0
    while arguments[at] not in main.commands:  # the group's options, each with its value
        assert arguments[at].startswith("--"), command
        at += 2
    name, rest = arguments[at], arguments[at + 1 :]
    with main.make_context("tipgraph", arguments[: at + 1]) as context:
        main.commands[name].make_context(name, rest, parent=context)


def test_a_wrong_value_is_caught_by_that_check():
    with pytest.raises(click.BadParameter):
        test_each_command_line_is_one_tipgraph_accepts("tipgraph validate --format xml")


def test_the_workflow_uploads_sarif_and_annotates():
    commands = workflow_commands()
    assert any("validate --format github" in c for c in commands)
    assert any("validate --format sarif" in c for c in commands)
    steps = [s.get("uses", "") for job in WORKFLOW["jobs"].values() for s in job["steps"]]
    assert any(s.startswith("github/codeql-action/upload-sarif@") for s in steps)
