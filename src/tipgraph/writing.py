"""Writing files safely: only regular files, atomically, keeping the mode of what they replace.

No rdflib here, so that writing an export does not load it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from tipgraph.errors import InputError, TipgraphError
from tipgraph.paths import special_file_kind


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def writable_target(path: Path) -> tuple[Path, os.stat_result | None]:
    """The regular file a write to ``path`` replaces, and its status (None for a new file).

    Checked with ``lstat``/``stat`` only, so nothing is ever opened. A symbolic link is followed:
    its target is replaced and the link kept. Refused with an InputError: a FIFO, socket, device
    or folder; a file without the owner's write permission; a file with several hard links
    (replacing it would break them); a link to a missing file.
    """
    path = Path(path)
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return path, None
    except OSError as error:
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from error
    target = path
    if stat.S_ISLNK(link.st_mode):
        target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError as error:
        raise InputError(f"{path}: a symbolic link to a missing file; refusing to write") from error
    except OSError as error:
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from error
    if not stat.S_ISREG(info.st_mode):
        kind = special_file_kind(info.st_mode)
        raise InputError(f"{path}: is {kind}, not a regular file; refusing to write")
    if not info.st_mode & stat.S_IWUSR:
        raise InputError(f"{path}: is read-only; refusing to write")
    if info.st_nlink > 1:
        raise InputError(
            f"{path}: has {info.st_nlink} hard links; replacing it would break them, "
            "so refusing to write"
        )
    return target, info


def _temporary_copy(target: Path, info: os.stat_result | None, data: bytes) -> Path:
    """A temporary file next to ``target`` holding ``data``, flushed to disk, with the mode
    (and, when allowed, the owner) the target has, or that a new file would have."""
    mode = stat.S_IMODE(info.st_mode) if info else 0o666 & ~_current_umask()
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), mode)
            if info is not None and (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                with contextlib.suppress(OSError):
                    os.fchown(stream.fileno(), info.st_uid, info.st_gid)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_files_atomically(contents: dict[Path, str | bytes]) -> None:
    """Write several files, each through a temporary file in its folder renamed over it.

    Every target is checked first (see ``writable_target``) and every temporary file written
    and flushed before the first rename, so a refusal or a failed write (a full disk) leaves
    every target untouched, and no temporary file behind.
    """
    targets = [(path, *writable_target(path)) for path in contents]
    prepared: list[tuple[Path, Path]] = []
    try:
        for path, target, info in targets:
            content = contents[path]
            data = content.encode("utf-8") if isinstance(content, str) else content
            try:
                prepared.append((_temporary_copy(target, info, data), target))
            except OSError as error:
                raise TipgraphError(f"{path}: cannot write: {error.strerror or error}") from error
        for temporary, target in prepared:
            os.replace(temporary, target)
    except BaseException:
        for temporary, _ in prepared:
            temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write one regular file atomically; see ``write_files_atomically``."""
    write_files_atomically({Path(path): content})
