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

from tipgraph.catalogue import Catalogue, Parameter, SavedQuery
from tipgraph.engine import Rows, run_saved_query, run_sparql
from tipgraph.errors import EndpointError, InputError, QueryError, TipgraphError
from tipgraph.export import export_text
from tipgraph.loader import load_graph
from tipgraph.paths import Layout
from tipgraph.store import load_store
from tipgraph.validation import ValidationReport, Violation, validate


def run_query(
    name: str, parameters: dict[str, str] | None = None, layout: Layout | None = None
) -> Rows:
    """Run the saved query ``name`` on the layout's graph, with parameter values as typed.

    Values are checked against each parameter's type and bound as RDF terms; an unknown
    query, a missing or ill-typed parameter raises InputError.
    """
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
