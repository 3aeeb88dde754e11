"""Bundles ontology/, data/ and queries/ into the package, so a plain install finds them."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
RESOURCES = ("ontology", "data", "queries")
RESOURCE_FILES = ("CITATION.cff",)  # how_to_cite() reads it


class BuildWithResources(build_py):
    """build_py, then a fresh copy of the resources: the target folder is removed first, so a
    file deleted from the checkout never ships from a stale build/ folder, however many times
    the step runs."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "tipgraph" / "resources"
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
        for name in RESOURCES:
            shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("*.md"))
        for name in RESOURCE_FILES:
            shutil.copyfile(ROOT / name, target / name)


if __name__ == "__main__":  # setuptools runs this file as __main__; tests import the class
    setup(cmdclass={"build_py": BuildWithResources})
