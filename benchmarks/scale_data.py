"""Write a bigger graph of the same shape: the shipped data copied N times, slugs renamed.

Usage: python benchmarks/scale_data.py N OUT [--source ROOT]

OUT receives ``ontology/`` and ``queries/`` as they are, and ``data/copy-K/…`` for K = 1…N, a
copy of every data file in which each resource IRI ``id:SLUG`` becomes ``id:SLUG-cK`` (copy 1
keeps the original slugs, so the saved queries' default parameters still name resources).
Quotations, locators and source files are unchanged, so every quotation still verifies; the
copies share the ontology and the concept schemes, as new data written by stewards would.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/tipgraph/id/"
PREFIX_LINE = re.compile(r"^(?:PREFIX|@prefix)\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.M)


def _renamed(term, suffix: str):
    if isinstance(term, ox.NamedNode) and term.value.startswith(ID):
        return ox.NamedNode(term.value + suffix)
    return term


def copy_file(source: Path, target: Path, copy: int) -> int:
    """Write ``source`` with every id: IRI renamed for ``copy``; return the triple count."""
    text = source.read_bytes()
    prefixes = dict(PREFIX_LINE.findall(text.decode("utf-8")))
    suffix = "" if copy == 1 else f"-c{copy}"
    triples = [
        ox.Triple(_renamed(t.subject, suffix), t.predicate, _renamed(t.object, suffix))
        for t in ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=source.as_uri())
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))
    return len(triples)


def generate(copies: int, out: Path, source: Path = ROOT) -> int:
    """Write the scaled layout under ``out``; return the number of data triples written."""
    if copies < 1:
        raise ValueError("the number of copies is at least 1")
    for folder in ("ontology", "queries"):
        shutil.copytree(source / folder, out / folder, dirs_exist_ok=True)
    data_files = sorted((source / "data").rglob("*.ttl"))
    total = 0
    for copy in range(1, copies + 1):
        for path in data_files:
            relative = path.relative_to(source / "data")
            total += copy_file(path, out / "data" / f"copy-{copy:04d}" / relative, copy)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("copies", type=int, help="how many copies of the data (1 = as shipped)")
    parser.add_argument("out", type=Path, help="folder to write (created)")
    parser.add_argument("--source", type=Path, default=ROOT, help="project to copy")
    args = parser.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        sys.exit(f"{args.out} is not empty")
    start = time.perf_counter()
    triples = generate(args.copies, args.out, args.source)
    elapsed = time.perf_counter() - start
    print(f"wrote {args.copies} copies, {triples} data triples, to {args.out} in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
