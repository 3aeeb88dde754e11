"""data/COVERAGE.md against the graph: its totals add up, every fact it counts as present is a
cited resource of the graph, and every resource cited from a section is listed under it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from tipgraph.namespaces import ID, TIP

COVERAGE = Path(__file__).resolve().parent.parent / "data" / "COVERAGE.md"
SUMMARY = ID["ohchr-summary-2010"]
REPORT = ID["a-hrc-14-32"]
TARGET = 95.0

SUMMARY_HEADING = re.compile(r"^## Summary — (?P<section>.+)$")
REPORT_HEADING = re.compile(r"^## A/HRC/14/32 — paras\. (?P<first>\d+)-(?P<last>\d+) \(.+\)$")
IRI = re.compile(r"`id:([a-z0-9]+(?:-[a-z0-9]+)*)`")


@dataclass
class Section:
    title: str
    summary_heading: str | None = None
    paragraphs: range | None = None
    present: list[list[str]] = field(default_factory=list)  # slugs of each present fact
    missing: list[str] = field(default_factory=list)  # the reason of each missing fact

    @property
    def stated(self) -> int:
        return len(self.present) + len(self.missing)


@dataclass
class TotalsRow:
    title: str
    stated: int
    present: int
    recall: str


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def parse(text: str) -> tuple[list[TotalsRow], list[Section]]:
    """The totals table and the per-section fact tables of COVERAGE.md."""
    totals: list[TotalsRow] = []
    sections: list[Section] = []
    current: Section | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = None
            if m := SUMMARY_HEADING.match(line):
                current = Section(line[3:], summary_heading=m["section"])
            elif m := REPORT_HEADING.match(line):
                current = Section(line[3:], paragraphs=range(int(m["first"]), int(m["last"]) + 1))
            if current is not None:
                sections.append(current)
            continue
        if not line.startswith("| ") or line.startswith("| ---"):
            continue
        row = cells(line)
        if current is None:
            if len(row) == 5 and row[0] != "section":
                totals.append(TotalsRow(row[0], int(row[1]), int(row[2]), row[3]))
        elif row[1] == "present":
            current.present.append(IRI.findall(row[2]))
        elif row[1] == "missing":
            current.missing.append(row[2])
        elif row != ["fact", "status", "carried by"]:
            raise AssertionError(f"{current.title}: a row neither present nor missing: {line}")
    return totals, sections


def recall(present: int, stated: int) -> str:
    return f"{100 * present / stated:.1f} %"


def cited_from(graph: Graph, section: Section) -> set[URIRef]:
    """The resources whose citations lie in the section's passages."""
    found: set[URIRef] = set()
    for citation in set(graph.subjects(TIP.document, None)):
        document = graph.value(citation, TIP.document)
        if section.summary_heading is not None:
            inside = document == SUMMARY and graph.value(citation, TIP.section) == Literal(
                section.summary_heading
            )
        else:
            paragraph = graph.value(citation, TIP.paragraph)
            inside = (
                document == REPORT
                and paragraph is not None
                and section.paragraphs is not None
                and int(paragraph) in section.paragraphs
            )
        if inside:
            found.update(s for s in graph.subjects(TIP.citation, citation) if isinstance(s, URIRef))
    return found


@pytest.fixture(scope="module")
def coverage() -> tuple[list[TotalsRow], list[Section]]:
    return parse(COVERAGE.read_text(encoding="utf-8"))


def test_every_section_has_one_totals_row_that_adds_up(coverage):
    totals, sections = coverage
    assert sections, "no sections found"
    rows = [r for r in totals if r.title != "**total**"]
    assert [r.title for r in rows] == [s.title for s in sections]
    for row, section in zip(rows, sections, strict=True):
        assert (row.stated, row.present) == (section.stated, len(section.present)), row.title
        assert row.recall == recall(row.present, row.stated), row.title


def test_the_total_row_is_the_sum_of_the_sections(coverage):
    totals, sections = coverage
    (total,) = [r for r in totals if r.title == "**total**"]
    assert total.stated == sum(s.stated for s in sections)
    assert total.present == sum(len(s.present) for s in sections)
    assert total.recall == recall(total.present, total.stated)


def test_every_section_reaches_the_target(coverage):
    _, sections = coverage
    low = {s.title: recall(len(s.present), s.stated) for s in sections}
    low = {t: r for t, r in low.items() if float(r.removesuffix(" %")) < TARGET}
    assert not low, f"sections below {TARGET} %: {low}"


def test_every_present_fact_is_a_cited_resource_of_the_graph(coverage, graph):
    _, sections = coverage
    for section in sections:
        for slugs in section.present:
            assert slugs, f"{section.title}: a present fact names no IRI"
            for slug in slugs:
                assert (ID[slug], TIP.citation, None) in graph, f"{section.title}: id:{slug}"


def test_every_missing_fact_says_why(coverage):
    _, sections = coverage
    for section in sections:
        assert all(reason and not IRI.search(reason) for reason in section.missing), section.title


def test_every_resource_cited_from_a_section_is_listed_under_it(coverage, graph):
    _, sections = coverage
    for section in sections:
        listed = {ID[slug] for slugs in section.present for slug in slugs}
        unlisted = sorted(cited_from(graph, section) - listed)
        assert not unlisted, f"{section.title}: not listed: " + ", ".join(
            f"id:{str(u).removeprefix(str(ID))}" for u in unlisted
        )


def test_the_sections_cover_the_summary_headings_and_paragraphs_15_to_137(coverage, graph):
    _, sections = coverage
    headings = {s.summary_heading for s in sections if s.summary_heading}
    # Every organisation heading the Summary's citations use (its introduction aside) is counted.
    used = {
        str(graph.value(c, TIP.section))
        for c in graph.subjects(TIP.document, SUMMARY)
        if graph.value(c, TIP.section) is not None and graph.value(c, TIP.page) is not None
    }
    assert used <= headings
    paragraphs = sorted(p for s in sections if s.paragraphs for p in s.paragraphs)
    assert paragraphs == list(range(15, 138))


def test_parse_reads_a_small_file():
    text = "\n".join(
        [
            "## Totals",
            "| section | facts stated | facts present | recall | notes |",
            "| --- | ---: | ---: | ---: | --- |",
            "| Summary — X | 2 | 1 | 50.0 % | |",
            "| **total** | 2 | 1 | 50.0 % | |",
            "## Summary — X",
            "| fact | status | carried by |",
            "| --- | --- | --- |",
            "| a body | present | `id:x-body` `id:x-body-covers` |",
            "| a count | missing | no count property |",
        ]
    )
    totals, sections = parse(text)
    assert [(r.title, r.stated, r.present) for r in totals] == [
        ("Summary — X", 2, 1),
        ("**total**", 2, 1),
    ]
    (section,) = sections
    assert section.summary_heading == "X"
    assert section.present == [["x-body", "x-body-covers"]]
    assert section.missing == ["no count property"]


def test_parse_rejects_a_row_without_a_status():
    text = "## Summary — X\n| fact | status | carried by |\n| a fact | perhaps | `id:x` |"
    with pytest.raises(AssertionError, match="neither present nor missing"):
        parse(text)
