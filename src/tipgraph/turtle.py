"""The one canonical Turtle form of the project's files, and deterministic serialisation."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from tipgraph.errors import InputError, TipgraphError
from tipgraph.namespaces import BASE, PREFIXES, bind_prefixes
from tipgraph.paths import special_file_kind

FORMATS = {"turtle": "longturtle", "nt": "nt11", "trig": "trig", "jsonld": "json-ld"}
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
DATA_GRAPH = URIRef(BASE + "graph/data")


def _with_stable_blank_nodes(graph: Graph) -> Graph:
    """A copy whose blank node labels follow from the graph's content, so order is stable."""
    has_blank = any(isinstance(term, BNode) for triple in graph for term in triple)
    source = to_canonical_graph(graph) if has_blank else graph
    stable = Graph(bind_namespaces="none")
    bind_prefixes(stable)
    for triple in source:
        stable.add(triple)
    return stable


def canonical_turtle(graph: Graph) -> str:
    """The canonical Turtle text of a graph: sorted, project prefixes, stable blank nodes."""
    return _with_stable_blank_nodes(graph).serialize(format="longturtle")


def canonical_ntriples(graph: Graph) -> str:
    lines = graph.serialize(format="nt11").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def serialise(graph: Graph, fmt: str, ontology: Graph | None = None) -> str:
    """Serialise deterministically. For TriG, ``ontology`` goes in a graph of its own."""
    if fmt == "turtle":
        return canonical_turtle(graph)
    if fmt == "nt":
        return canonical_ntriples(graph)
    if fmt == "trig":
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace, override=True, replace=True)
        data = graph
        if ontology is not None:
            target = dataset.graph(ONTOLOGY_GRAPH)
            for triple in _with_stable_blank_nodes(ontology):
                target.add(triple)
            data = graph - ontology
        target = dataset.graph(DATA_GRAPH)
        for triple in _with_stable_blank_nodes(data):
            target.add(triple)
        return dataset.serialize(format="trig")
    if fmt == "jsonld":
        context = {prefix: namespace for prefix, namespace in PREFIXES.items()}
        text = _with_stable_blank_nodes(graph).serialize(format="json-ld", context=context)
        document = json.loads(text)
        if isinstance(document.get("@graph"), list):
            document["@graph"].sort(key=lambda node: json.dumps(node, sort_keys=True))
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    return None if stat.S_ISREG(mode) else special_file_kind(mode)


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
    kind = _kind(info.st_mode)
    if kind is not None:
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
