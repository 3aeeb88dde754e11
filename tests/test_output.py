"""Every output format renders the same rows faithfully."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from tipgraph.output import FORMATS, render
from tipgraph.tables import text_width

ROOT = Path(__file__).resolve().parent.parent

VARIABLES = ["mechanism", "mechanismLabel", "members", "binding", "note"]
ROWS = [
    (
        URIRef("https://w3id.org/tipgraph/id/saarc"),
        Literal("South Asian Association for Regional Cooperation", lang="en"),
        Literal(8, datatype=XSD.integer),
        Literal(True),
        Literal('a "quoted", tabbed\tand | piped'),
    ),
    (
        URIRef("https://w3id.org/tipgraph/id/coe"),
        Literal("Council of Europe", lang="en"),
        None,
        Literal(False),
        None,
    ),
]


def test_table_shortens_iris_and_counts_rows():
    text = render(VARIABLES, ROWS, "table")
    assert "id:saarc" in text and "(2 rows)" in text
    assert "https://w3id.org/tipgraph/id/saarc" in render(VARIABLES, ROWS, "table", full_iris=True)


def test_csv_round_trips():
    parsed = list(csv.reader(io.StringIO(render(VARIABLES, ROWS, "csv"))))
    assert parsed[0] == VARIABLES
    assert parsed[1][0] == "https://w3id.org/tipgraph/id/saarc"
    assert parsed[1][4] == 'a "quoted", tabbed\tand | piped'
    assert parsed[2][2] == ""


def test_tsv_keeps_one_line_per_row():
    lines = render(VARIABLES, ROWS, "tsv").splitlines()
    assert len(lines) == 3 and all(line.count("\t") == 4 for line in lines)


def test_json_types_values():
    objects = json.loads(render(VARIABLES, ROWS, "json"))
    assert objects[0]["members"] == 8 and objects[0]["binding"] is True
    assert objects[1]["members"] is None
    jsonl = [json.loads(line) for line in render(VARIABLES, ROWS, "jsonl").splitlines()]
    assert jsonl == objects


def test_sparql_json_follows_the_results_format():
    document = json.loads(render(VARIABLES, ROWS, "sparql-json"))
    assert document["head"]["vars"] == VARIABLES
    first = document["results"]["bindings"][0]
    assert first["mechanism"] == {"type": "uri", "value": "https://w3id.org/tipgraph/id/saarc"}
    assert first["mechanismLabel"]["xml:lang"] == "en"
    assert first["members"]["datatype"] == str(XSD.integer)
    assert "members" not in document["results"]["bindings"][1]


def test_markdown_escapes_pipes():
    text = render(VARIABLES, ROWS, "markdown")
    assert text.splitlines()[1] == "| --- | --- | --- | --- | --- |"
    assert "\\|" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_no_rows(fmt):
    text = render(VARIABLES, [], fmt)
    if fmt in ("json", "jsonl"):
        assert text.strip() in ("[]", "")
    elif fmt == "sparql-json":
        assert json.loads(text)["results"]["bindings"] == []
    else:
        assert "mechanismLabel" in text.splitlines()[0]


def test_json_output_is_valid_json_for_numbers_json_cannot_hold():
    double = ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    rows = [
        (ox.Literal("NaN", datatype=double),),
        (ox.Literal("INF", datatype=double),),
        (ox.Literal("-INF", datatype=double),),
        (ox.Literal("twelve", datatype=integer),),
        (ox.Literal("1.5E0", datatype=double),),
    ]
    for fmt in ("json", "jsonl", "sparql-json"):
        text = render(["n"], rows, fmt)
        json.loads(text.splitlines()[0] if fmt == "jsonl" else text)  # strict: no bare NaN
        assert "NaN" not in text.replace('"NaN"', "")
    values = [row["n"] for row in json.loads(render(["n"], rows, "json"))]
    assert values == ["NaN", "INF", "-INF", "twelve", 1.5]


# --- tables for people on a terminal --------------------------------------------------------

QUERY_NAMES = sorted(path.stem for path in (ROOT / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def saved_answers(store, layout) -> dict:
    from tipgraph.catalogue import Catalogue
    from tipgraph.engine import run_saved_query

    catalogue = Catalogue(layout.queries)
    return {name: run_saved_query(store, catalogue.get(name), {}) for name in QUERY_NAMES}


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_saved_query_fits_the_width_as_a_table(saved_answers, name):
    answer = saved_answers[name]
    wide = render(answer.variables, answer.rows, "table")
    for width in (40, 80, 120):
        for full_iris in (False, True):
            text = render(answer.variables, answer.rows, "table", full_iris=full_iris, width=width)
            assert max(text_width(line) for line in text.splitlines()) <= width, (width, name)
            assert text.endswith(wide.splitlines()[-1] + "\n")  # the same row count
    labels = [v for v in answer.variables if v.endswith("Label")]
    header = wide.splitlines()[0].split()
    assert header[: len(labels)] == labels
    assert sorted(header) == sorted(answer.variables)


def test_men_and_boys_at_80_columns_reads_label_first_in_blocks(saved_answers):
    answer = saved_answers["mechanisms-covering-men-and-boys"]
    text = render(answer.variables, answer.rows, "table", width=80)
    first = text.split("\n\n")[0].splitlines()
    assert first[0].startswith("mechanismLabel  Coordinated Mekong Ministerial Initiative")
    assert [line.split()[0] for line in first if not line.startswith(" ")] == [
        "mechanismLabel",
        "viaLabel",
        "groupLabel",
        "mechanism",
        "via",
        "group",
        "document",
        "locator",
        "quotation",
    ]
    assert text.count("\n\n") == len(answer.rows) - 1


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "table"])
def test_programs_keep_every_column_in_order_whatever_the_width(fmt):
    text = render(VARIABLES, ROWS, fmt)
    assert render(VARIABLES, ROWS, fmt, width=40) == text
    first = text.splitlines()[0]
    if fmt == "csv":
        assert first.split(",") == VARIABLES
    elif fmt == "tsv":
        assert first.split("\t") == VARIABLES
    elif fmt == "markdown":
        assert [part.strip() for part in first.strip("|").split("|")] == VARIABLES
    elif fmt == "sparql-json":
        assert json.loads(text)["head"]["vars"] == VARIABLES
    elif fmt == "json":
        assert list(json.loads(text)[0]) == VARIABLES
    else:
        assert list(json.loads(first)) == VARIABLES


def test_width_zero_means_no_limit():
    assert render(VARIABLES, ROWS, "table", width=0) == render(VARIABLES, ROWS, "table")
