"""Tables for people: label columns first, fitted to a width, wrapped on words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipgraph.tables import (
    MIN_COLUMN,
    MIN_WIDTH,
    fair_widths,
    label_first,
    layout,
    text_width,
    wrap,
)

QUOTATION = (
    "COMMIT-Mekong has taken specific relevant steps to include men and boys in the COMMIT "
    "national plans, anti-trafficking laws and MOUs"
)
VARIABLES = ["mechanism", "mechanismLabel", "document", "locator", "quotation"]
ROW = [
    "id:commit-mekong",
    "Coordinated Mekong Ministerial Initiative against Human Trafficking",
    "OHCHR Summary of Regional and Sub-Regional Structures (December 2010)",
    "Asian Region / COMMIT-Mekong, p. 12",
    QUOTATION,
]


def widest(text: str) -> int:
    return max(text_width(line) for line in text.splitlines())


def test_label_columns_come_first_each_group_in_order():
    names = ["body", "bodyLabel", "parent", "parentLabel", "established", "label", "labelled"]
    assert [names[i] for i in label_first(names)] == [
        "bodyLabel",
        "parentLabel",
        "label",
        "body",
        "parent",
        "established",
        "labelled",
    ]


def test_without_a_width_every_row_is_one_line_label_first():
    text = layout(VARIABLES, [ROW, ROW])
    lines = text.splitlines()
    assert lines[0].split() == ["mechanismLabel", "mechanism", "document", "locator", "quotation"]
    assert len(lines) == 5 and lines[-1] == "(2 rows)"
    assert lines[2].startswith("Coordinated Mekong") and lines[2].endswith("and MOUs")


def test_a_table_that_fits_is_not_wrapped_nor_spaced():
    rows = [["id:saarc", "SAARC"], ["id:coe", "Council of Europe"]]
    text = layout(["mechanism", "mechanismLabel"], rows, width=80)
    assert text == layout(["mechanism", "mechanismLabel"], rows)
    assert "" not in text.splitlines()


def test_long_cells_wrap_on_words_and_rows_are_set_apart():
    text = layout(VARIABLES, [ROW, ROW], width=100)
    lines = text.splitlines()
    assert widest(text) <= 100
    assert "" in lines  # the blank line between the two wrapped rows
    first = lines[2 : lines.index("")]
    assert len(first) > 1
    # every word of the quotation is whole on some line, in order
    column = lines[0].index("quotation")
    wrapped = " ".join(line[column:].strip() for line in first)
    assert wrapped == QUOTATION
    assert lines[-1] == "(2 rows)"


def test_narrow_widths_print_each_row_as_a_block_of_name_value_lines():
    text = layout(VARIABLES, [ROW, ROW], width=40)
    assert widest(text) <= 40
    lines = text.splitlines()
    assert lines[0].startswith("mechanismLabel  Coordinated")
    assert any(line.startswith("quotation") for line in lines)
    blocks = text.rsplit("\n(2 rows)", 1)[0].split("\n\n")
    assert len(blocks) == 2 and blocks[0] == blocks[1]
    names = [line.split()[0] for line in blocks[0].splitlines() if not line.startswith(" ")]
    assert names == ["mechanismLabel", "mechanism", "document", "locator", "quotation"]


def test_no_rows_at_a_narrow_width_still_names_the_columns():
    text = layout([*VARIABLES, "a" * 30, "b" * 30], [], width=40)
    assert widest(text) <= 40
    assert "mechanismLabel" in text.splitlines()[0] and text.endswith("(0 rows)\n")


def test_unbreakable_tokens_are_cut_after_a_hyphen_or_else_hard():
    assert wrap("id:coe-convention-on-action-against-trafficking", 20) == [
        "id:coe-convention-",
        "on-action-against-",
        "trafficking",
    ]
    assert wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert wrap("mechanismLabel", 10) == ["mechanism", "Label"]
    assert wrap("", 10) == [""]
    assert wrap("  two   spaces ", 20) == ["two spaces"]


def test_width_counts_terminal_columns():
    assert text_width("“quoted” – dash — done") == 22  # ambiguous-width punctuation: one each
    assert text_width("東南アジア") == 10  # wide characters: two each
    assert text_width("e\u0301te\u0301") == 3  # combining accents: none
    assert text_width("a\u200bb") == 2  # zero-width space: none
    assert wrap("東南アジア 諸国連合", 6) == ["東南ア", "ジア", "諸国連", "合"]


def test_wide_characters_and_typographic_quotes_stay_within_the_width():
    row = ["id:asean", "東南アジア諸国連合 " * 6, "“Tenth” — report", "p. 5", "“" + QUOTATION + "”"]
    for width in (MIN_WIDTH, 40, 60, 80, 120):
        assert widest(layout(VARIABLES, [row], width=width)) <= width


def test_control_characters_cannot_reach_the_terminal():
    row = ["id:x", "red\x1b[31m text\r\nnext\tline\x07", "d", "l", "q"]
    text = layout(VARIABLES, [row], width=80)
    assert "\x1b" not in text and "\r" not in text and "\t" not in text and "\x07" not in text
    assert len(text.splitlines()) == 4


def test_fair_widths_give_each_column_a_minimum_then_shares():
    assert fair_widths([5, 50, 100], 100) == [5, 33, 62]
    assert fair_widths([5, 50, 100], 100, words=[5, 12, 40]) == [5, 28, 67]
    assert fair_widths([30, 30], 40) == [20, 20]
    assert fair_widths([12, 200], 40) == [12, 28]  # two characters short: given them whole
    assert fair_widths([30] * 5, 40) is None  # 5 columns of MIN_COLUMN do not fit in 40
    assert sum(fair_widths([11, 400, 300, 9], 100)) == 100


def test_widths_below_the_minimum_are_refused():
    with pytest.raises(ValueError, match="at least"):
        layout(["a"], [["b"]], width=MIN_WIDTH - 1)


CELL = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=120
)
# Words this wide are never cut: columns have MIN_COLUMN, values in blocks at least
# MIN_WIDTH // 2 - 2.
WHOLE = min(MIN_COLUMN, MIN_WIDTH // 2 - 2)
NAME = st.from_regex(r"[a-z][A-Za-z0-9]{0,24}", fullmatch=True)


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    variables=st.lists(NAME, min_size=1, max_size=14, unique=True),
    width=st.integers(MIN_WIDTH, 200),
)
def test_no_line_is_ever_wider_than_the_width(data, variables, width):
    rows = data.draw(
        st.lists(st.lists(CELL, min_size=len(variables), max_size=len(variables)), max_size=5)
    )
    text = layout(variables, rows, width=width)
    assert widest(text) <= width
    assert text.endswith(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    for row in rows:  # nothing is lost: every word of every cell is printed
        for cell in row:
            for word in cell.split()[:3]:
                if text_width(word) <= WHOLE and word.isprintable():
                    assert word in text
