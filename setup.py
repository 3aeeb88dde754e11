"""Bundles ontology/, data/ and queries/ into the package, so a plain install finds them."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
RESOURCES = ("ontology", "data", "queries")


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "tipgraph" / "resources"
        for name in RESOURCES:
            shutil.copytree(
                ROOT / name,
                target / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("*.md"),
            )


setup(cmdclass={"build_py": BuildWithResources})
