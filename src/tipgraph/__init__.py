"""tipgraph: a cited knowledge graph of regional cooperation against trafficking in persons.

The command line is a thin layer over these functions::

    from tipgraph import Layout, load_store, run_query, validate, export_text

    layout = Layout.resolve()                      # or Layout.resolve(data="my-fork/data")
    rows = run_query("instruments-by-organization", {"organization": "saarc"}, layout)
    for row in rows.rows:
        print(dict(zip(rows.variables, row)))
    report = validate(layout)                      # SHACL shapes and quotations
    turtle = export_text(layout, "turtle")         # deterministic serialisation
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tipgraph.engine import Rows
    from tipgraph.paths import Layout

# Each name is imported from its module on first use, so that ``import tipgraph`` (and the
# command line, which imports it) loads only what a command needs.
_EXPORTS = {
    "Catalogue": "tipgraph.catalogue",
    "Parameter": "tipgraph.catalogue",
    "SavedQuery": "tipgraph.catalogue",
    "Rows": "tipgraph.engine",
    "run_saved_query": "tipgraph.engine",
    "run_sparql": "tipgraph.engine",
    "EndpointError": "tipgraph.errors",
    "InputError": "tipgraph.errors",
    "QueryError": "tipgraph.errors",
    "TipgraphError": "tipgraph.errors",
    "export_text": "tipgraph.export",
    "load_graph": "tipgraph.loader",
    "Layout": "tipgraph.paths",
    "load_store": "tipgraph.store",
    "ValidationReport": "tipgraph.validation",
    "Violation": "tipgraph.validation",
    "validate": "tipgraph.validation",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tipgraph' has no attribute {name!r}")


def run_query(
    name: str, parameters: dict[str, str] | None = None, layout: Layout | None = None
) -> Rows:
    """Run the saved query ``name`` on the layout's graph, with parameter values as typed.

    Values are checked against each parameter's type and bound as RDF terms; an unknown
    query, a missing or ill-typed parameter raises InputError. The files are read afresh on
    every call, so the answer always reflects them as they are.
    """
    from tipgraph.catalogue import Catalogue
    from tipgraph.engine import run_saved_query
    from tipgraph.paths import Layout
    from tipgraph.store import load_store

    layout = layout or Layout.resolve()
    query = Catalogue(layout.queries).get(name)
    return run_saved_query(load_store(layout), query, parameters or {})


__all__ = [
    "Catalogue",
    "EndpointError",
    "InputError",
    "Layout",
    "Parameter",
    "QueryError",
    "Rows",
    "SavedQuery",
    "TipgraphError",
    "ValidationReport",
    "Violation",
    "export_text",
    "load_graph",
    "load_store",
    "run_query",
    "run_saved_query",
    "run_sparql",
    "validate",
]
