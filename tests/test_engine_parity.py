"""Every saved query gives the local engine's rows on Jena ARQ and on Virtuoso too.

The local engine (pyoxigraph) is the reference; Oxigraph as a server is compared in
test_remote.py. A run that differs must be listed, with its reason, in
engine_differences.yaml, and a listed run must still differ as listed.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from known_differences import README_END, README_START, load, markdown_table
from query_cases import ROOT, case_label, comparable, saved_query_runs
from virtuoso_server import loaded_virtuoso

from tipgraph.catalogue import SavedQuery
from tipgraph.engine import Rows, run_saved_query
from tipgraph.errors import EndpointError
from tipgraph.parameters import bind_parameters
from tipgraph.remote import parse_results
from tipgraph.remote import run_saved_query as run_remote
from tipgraph.sparql_text import insert_values, query_form, with_prologue

RUNS = saved_query_runs()
KNOWN = {(d.engine, d.run): d for d in load()}


def sent_text(query: SavedQuery, values: dict[str, str], store: ox.Store) -> str:
    """The text an endpoint gets for a run: prologue added, values in a VALUES block."""
    bindings = bind_parameters(query, values, store)
    return insert_values(with_prologue(query.text), bindings, query.name)


def jena_rows(query: SavedQuery, body: bytes) -> Rows:
    form = query_form(query.text) or "select"
    if form in ("select", "ask"):
        return parse_results(body, "application/sparql-results+json", form)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, "nt")]
    return Rows([], [], triples=triples)


@pytest.fixture(scope="session")
def jena_answers(tmp_path_factory, store) -> dict[str, Rows | str]:
    """Every run on Jena ARQ, in one JVM: its rows, or its error message."""
    from jena import JenaBatch

    folder = tmp_path_factory.mktemp("jena")
    batch = JenaBatch.build(folder / "classes")
    data = folder / "graph.nt"
    data.write_bytes(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
    texts = [sent_text(query, values, store) for query, values in RUNS]
    answers = batch.queries(data, texts, folder / "runs")
    return {
        case_label(query.name, values): (error or jena_rows(query, body))
        for (query, values), (body, error) in zip(RUNS, answers, strict=True)
    }


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory, layout, store):
    with loaded_virtuoso(tmp_path_factory.mktemp("virtuoso"), layout, store) as server:
        yield server


def answer(engine: str, request, query: SavedQuery, values: dict[str, str], store) -> Rows | str:
    if engine == "jena":
        return request.getfixturevalue("jena_answers")[case_label(query.name, values)]
    server = request.getfixturevalue("virtuoso")
    try:
        return run_remote(server.query_endpoint(), query, values, store)
    except EndpointError as error:
        return str(error)


def difference(query: SavedQuery, expected: Rows, actual: Rows | str) -> str | None:
    """How an answer differs from the local one (an error, other rows), or None."""
    if isinstance(actual, str):
        return f"error: {actual}"
    if actual.variables != expected.variables:
        return f"columns {actual.variables}, expected {expected.variables}"
    if actual.triples is not None or expected.triples is not None:
        same = sorted(map(str, actual.triples or [])) == sorted(map(str, expected.triples or []))
        return None if same else "other triples"
    mine = comparable(query.text, actual.variables, actual.rows)
    theirs = comparable(query.text, expected.variables, expected.rows)
    if mine == theirs:
        return None
    first = next(
        (i for i, pair in enumerate(zip(mine, theirs, strict=False)) if pair[0] != pair[1]),
        min(len(mine), len(theirs)),
    )
    got = mine[first] if first < len(mine) else "nothing"
    wanted = theirs[first] if first < len(theirs) else "nothing"
    counts = f"{len(actual.rows)} rows, expected {len(expected.rows)}"
    return f"rows: {counts}; at run {first}: {got} != {wanted}"


@pytest.mark.parametrize("engine", ["jena", "virtuoso"])
@pytest.mark.parametrize(
    ("query", "values"), [pytest.param(q, v, id=case_label(q.name, v)) for q, v in RUNS]
)
def test_saved_query_gives_the_local_rows(request, store, engine, query, values):
    expected = run_saved_query(store, query, values)
    found = difference(query, expected, answer(engine, request, query, values, store))
    known = KNOWN.get((engine, case_label(query.name, values)))
    if known is None:
        assert found is None, f"{engine} differs: {found}"
    else:
        assert found is not None, f"{engine} now agrees: remove the entry from the table"
        assert found.startswith("error") == (known.kind == "error"), found


def test_every_listed_difference_names_a_run():
    labels = {case_label(query.name, values) for query, values in RUNS}
    assert not [key for key in KNOWN if key[1] not in labels]


def test_the_readme_shows_the_table():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert README_START in text and README_END in text
    shown = text.split(README_START, 1)[1].split(README_END, 1)[0].strip()
    assert shown == markdown_table(load())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {engine: jena, run: 'a[]', kind: rows}\n", "needs engine, run, kind and reason"),
        ("- {engine: blazegraph, run: 'a[]', kind: rows, reason: x}\n", "unknown engine"),
        ("- {engine: jena, run: 'a[]', kind: slower, reason: x}\n", "unknown engine or kind"),
        ("- {engine: jena, run: 'a[]', kind: rows, reason: ' '}\n", "the reason is empty"),
        ("{engine: jena}\n", "not a list"),
        ("- {engine: jena, run: 'a[]', kind: rows, reason: x}\n" * 2, "listed twice"),
    ],
)
def test_a_malformed_table_is_refused(tmp_path, text, message):
    path = tmp_path / "differences.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load(path)


def test_the_comparison_sees_rows_columns_and_errors(store):
    from tipgraph.catalogue import Catalogue

    query = Catalogue(ROOT / "queries").get("monitoring-bodies")
    expected = run_saved_query(store, query, {})
    assert difference(query, expected, expected) is None
    assert difference(query, expected, "HTTP 500").startswith("error")
    fewer = Rows(expected.variables, expected.rows[:-1])
    assert difference(query, expected, fewer).startswith("rows:")
    renamed = Rows([*expected.variables[:-1], "other"], expected.rows)
    assert difference(query, expected, renamed).startswith("columns")
    swapped = Rows(expected.variables, list(reversed(expected.rows)))
    assert difference(query, expected, swapped) is not None
