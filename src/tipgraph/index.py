"""The persistent index: the ontology and data in an on-disk Oxigraph store, kept fresh.

The first command after a change builds a store beside the published one and then publishes
it by replacing a small manifest (``os.replace``), so readers never see a half-built store and
two processes building at once each publish a complete one. Later commands compare the files
with the manifest and open the store read-only, without parsing any Turtle.

Staleness is decided as git decides it for its index: a file whose size, modification time,
change time or inode differs, or whose change time is too close to its last check to trust
the clock, is hashed and compared with the SHA-256 of the content that was loaded. An added,
removed or renamed file changes the list of names. Saved queries are not indexed: each run
reads the one it needs from its folder, so a changed query is always seen.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tipgraph.errors import CacheError
from tipgraph.paths import SHAPES_FILE, FileEntry, Layout, file_sha256, scan
from tipgraph.store import parse_turtle, read_file

FORMAT = 1  # the manifest and store layout; a different number means rebuild
MANIFEST = "manifest.json"
# Change times within this many nanoseconds of a check are not trusted (coarse file-system
# clocks); such files are hashed again at the next run.
RACY_NS = 2_000_000_000
# Unpublished stores (a build that crashed, or lost a race) are removed after this long.
ABANDONED_AFTER_S = 3600


def default_cache_root() -> Path:
    """The platform's user cache folder for tipgraph (``~/.cache/tipgraph`` on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("tipgraph", appauthor=False))


def cache_folder(root: Path, layout: Layout) -> Path:
    """The index folder of one layout: one per combination of ontology and data folders."""
    key = json.dumps([str(layout.ontology.absolute()), str(layout.data.absolute())])
    return root / hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def indexed_files(layout: Layout) -> list[tuple[str, FileEntry]]:
    """The files the store is built from, each with its key: ontology, then data."""
    ontology = [
        (f"ontology/{e.relative}", e)
        for e in scan(layout.ontology, ".ttl")
        if e.path.name != SHAPES_FILE
    ]
    return ontology + [(f"data/{e.relative}", e) for e in scan(layout.data, ".ttl")]


@dataclass(frozen=True)
class BuildReport:
    """What ``build`` did, for ``tipgraph index`` to say."""

    folder: Path
    files: int
    triples: int
    seconds: float
    reason: str


class Index:
    """The on-disk index of one layout under a cache root."""

    def __init__(self, layout: Layout, root: Path) -> None:
        self.layout = layout
        self.folder = cache_folder(root, layout)

    # -- reading -------------------------------------------------------------------------

    def _manifest(self) -> dict | None:
        try:
            manifest = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            return None
        if manifest.get("pyoxigraph") != ox.__version__:
            return None
        return manifest

    def stale_reason(self, manifest: dict | None = None) -> str | None:
        """Why the published store does not hold the current files; None when it does."""
        manifest = manifest if manifest is not None else self._manifest()
        if manifest is None:
            return "no index yet"
        if not (self.folder / manifest["store"]).is_dir():
            return "the indexed store is missing"
        recorded: dict[str, list] = manifest["files"]
        current = indexed_files(self.layout)
        if len(current) != len(recorded):
            return "files were added or removed"
        checked_ns = time.time_ns()
        rechecked = False
        for key, entry in current:
            known = recorded.get(key)
            if known is None:
                return f"{entry.path} is new"
            *signature, digest, verified_ns = known
            if tuple(signature) == entry.signature and entry.ctime_ns < verified_ns - RACY_NS:
                continue
            try:
                if file_sha256(entry.path) != digest:
                    return f"{entry.path} changed"
            except OSError:
                return f"{entry.path} cannot be read"
            recorded[key] = [*entry.signature, digest, checked_ns]
            rechecked = True
        if rechecked:
            self._publish(manifest)  # the same content: trust these stat values from now on
        return None

    def open(self) -> ox.Store:
        """The published store, read-only, rebuilt first when it is stale."""
        manifest = self._manifest()
        if self.stale_reason(manifest) is not None:
            self.build()
            manifest = self._manifest()
            if manifest is None:
                raise CacheError(f"index at {self.folder}: built but cannot be read back")
        path = self.folder / manifest["store"]
        try:
            return ox.Store.read_only(str(path))
        except OSError as error:
            raise CacheError(f"index at {path}: cannot open: {error}") from error

    # -- building ------------------------------------------------------------------------

    def build(self, reason: str | None = None) -> BuildReport:
        """Build a new store from the files and publish it; return what was done."""
        reason = reason or self.stale_reason() or "rebuild asked for"
        started = time.perf_counter()
        checked_ns = time.time_ns()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CacheError(f"cannot create the index folder {self.folder}: {error}") from error
        entries = indexed_files(self.layout)
        recorded: dict[str, list] = {}
        building = self.folder / f"building-{os.getpid()}-{secrets.token_hex(4)}"

        def quads() -> Iterator[ox.Quad]:
            for key, entry in entries:
                content = read_file(entry.path)
                digest = hashlib.sha256(content).hexdigest()
                recorded[key] = [*entry.signature, digest, checked_ns]
                yield from parse_turtle(entry.path, content)

        name = f"store-{secrets.token_hex(8)}"
        try:
            store = ox.Store(str(building))
            store.bulk_extend(quads())
            store.flush()
            store.optimize()  # fewer, compacted files: whole-graph queries read ~1.5x faster
            triples = len(store)
            del store
            os.rename(building, self.folder / name)
        except OSError as error:
            shutil.rmtree(building, ignore_errors=True)
            raise CacheError(f"cannot write the index in {self.folder}: {error}") from error
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        self._publish(
            {
                "format": FORMAT,
                "pyoxigraph": ox.__version__,
                "store": name,
                "triples": triples,
                "files": recorded,
            }
        )
        self._remove_abandoned(keep=name)
        return BuildReport(
            self.folder, len(entries), triples, time.perf_counter() - started, reason
        )

    def _publish(self, manifest: dict) -> None:
        temporary = self.folder / f".{MANIFEST}.{os.getpid()}.{secrets.token_hex(4)}"
        try:
            temporary.write_text(json.dumps(manifest), encoding="utf-8")
            os.replace(temporary, self.folder / MANIFEST)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise CacheError(
                f"cannot write the index manifest in {self.folder}: {error}"
            ) from error

    def _remove_abandoned(self, keep: str) -> None:
        """Remove stores no manifest names any more, once no reader can still be opening them."""
        now = time.time()
        for path in self.folder.iterdir():
            if path.name == keep or not path.name.startswith(("store-", "building-")):
                continue
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime > ABANDONED_AFTER_S:
                    shutil.rmtree(path)
