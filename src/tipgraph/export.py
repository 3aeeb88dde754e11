"""Exporting the whole graph (or only the data) in a deterministic serialisation."""

from __future__ import annotations

from tipgraph.loader import load_files
from tipgraph.paths import Layout
from tipgraph.turtle import serialise


def export_text(
    layout: Layout | None = None, fmt: str = "turtle", *, data_only: bool = False
) -> str:
    """The graph as text in ``fmt`` (turtle, nt, trig, jsonld)."""
    layout = layout or Layout.resolve()
    data = load_files(layout.data_files())
    if data_only:
        return serialise(data, fmt)
    ontology = load_files(layout.ontology_files())
    return serialise(data + ontology, fmt, ontology=ontology)
