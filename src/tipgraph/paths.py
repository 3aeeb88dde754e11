"""Where the ontology, data, queries and source texts are.

Each folder comes from an explicit argument, else an environment variable
(``TIPGRAPH_ONTOLOGY``, ``TIPGRAPH_DATA``, ``TIPGRAPH_QUERIES``, ``TIPGRAPH_SOURCES``), else
the project checkout the package runs from, else the copy bundled into the installed package.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from tipgraph.errors import InputError

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_ROOT = PACKAGE_DIR.parent.parent
BUNDLED_ROOT = PACKAGE_DIR / "resources"
RESOURCE_FOLDERS = ("ontology", "data", "queries")


def _default_root() -> Path:
    if all((CHECKOUT_ROOT / name).is_dir() for name in RESOURCE_FOLDERS):
        return CHECKOUT_ROOT
    return BUNDLED_ROOT


@dataclass(frozen=True)
class Layout:
    """The folders one run of tipgraph reads."""

    ontology: Path
    data: Path
    queries: Path
    sources: Path

    @classmethod
    def resolve(
        cls,
        ontology: str | Path | None = None,
        data: str | Path | None = None,
        queries: str | Path | None = None,
        sources: str | Path | None = None,
    ) -> Layout:
        root = _default_root()

        def pick(value: str | Path | None, env: str, default: Path, must_exist: bool) -> Path:
            chosen = value if value is not None else os.environ.get(env) or default
            path = Path(chosen).expanduser()
            if must_exist and not path.is_dir():
                option = env.removeprefix("TIPGRAPH_").lower()
                raise InputError(f"{option} folder not found: {path} (from --{option} or {env})")
            return path

        return cls(
            ontology=pick(ontology, "TIPGRAPH_ONTOLOGY", root / "ontology", True),
            data=pick(data, "TIPGRAPH_DATA", root / "data", True),
            queries=pick(queries, "TIPGRAPH_QUERIES", root / "queries", True),
            sources=pick(
                sources, "TIPGRAPH_SOURCES", CHECKOUT_ROOT.parent / "shared" / "sources", False
            ),
        )

    def ontology_files(self) -> list[Path]:
        """Ontology and vocabulary files, without the SHACL shapes."""
        return [p for p in turtle_files(self.ontology) if p.name != SHAPES_FILE]

    def shapes_file(self) -> Path:
        return self.ontology / SHAPES_FILE

    def data_files(self) -> list[Path]:
        return turtle_files(self.data)


SHAPES_FILE = "shapes.ttl"


@dataclass(frozen=True)
class FileEntry:
    """A file found below a folder, with what ``stat`` says of it (symbolic links followed)."""

    path: Path
    relative: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @property
    def signature(self) -> tuple[int, int, int, int]:
        return (self.size, self.mtime_ns, self.ctime_ns, self.inode)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def read_regular_text(path: Path) -> str:
    """A text file's content without a leading byte-order mark. A FIFO, device or folder is
    refused without being opened; errors name the file (and the line of bad UTF-8)."""
    check_regular(path, folder_ok=False)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise InputError(f"{path}:{line}: not UTF-8 text ({error.reason})") from error


def special_file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for messages."""
    kinds = [
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _refuse(entry: os.DirEntry) -> InputError:
    """The error for an entry that is not a regular file (never opened)."""
    try:
        kind = special_file_kind(entry.stat().st_mode)
    except OSError as error:
        return InputError(f"{entry.path}: cannot read: {error.strerror or error}")
    return InputError(f"{entry.path}: not a regular file ({kind}); refusing to open it")


def check_regular(path: Path, *, folder_ok: bool = True) -> None:
    """An InputError, without opening it, when ``path`` is a FIFO, a device or a socket (or,
    unless ``folder_ok``, a folder)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error
    if not stat.S_ISREG(mode) and not (folder_ok and stat.S_ISDIR(mode)):
        kind = special_file_kind(mode)
        raise InputError(f"{path}: not a regular file ({kind}); refusing to open it")


def scan(folder: Path, suffix: str) -> list[FileEntry]:
    """The regular files below ``folder`` whose names end in ``suffix``, in a stable order.

    One ``scandir`` and one ``stat`` per entry, so that listing 50,000 files stays cheap.
    FIFOs, sockets and devices are never opened: one of them (or a broken symbolic link) with
    such a name is an InputError naming it.
    """
    found: list[FileEntry] = []
    pending = [(folder, "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except FileNotFoundError:
            continue
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), relative + "/"))
            elif entry.name.endswith(suffix):
                if not entry.is_file():
                    raise _refuse(entry)
                info = entry.stat()
                found.append(
                    FileEntry(
                        Path(entry.path),
                        relative,
                        info.st_size,
                        info.st_mtime_ns,
                        info.st_ctime_ns,
                        info.st_ino,
                    )
                )
    found.sort(key=lambda entry: entry.relative.split("/"))
    return found


def turtle_files(folder: Path) -> list[Path]:
    """The Turtle files below a folder, in a stable order."""
    return [entry.path for entry in scan(folder, ".ttl")]
