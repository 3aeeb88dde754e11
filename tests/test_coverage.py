"""data/COVERAGE.md against the graph: its totals add up, every fact it counts as present is a
cited resource of the graph, and every resource cited from a section is listed under it; the
independent recount, which starts from the text, is held to the same sums and targets."""

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
RECOUNT = "## Independent recount"
RECOUNT_HEADING = re.compile(r"^### Recount — (?P<title>.+)$")


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


def table_row(line: str) -> list[str] | None:
    """The cells of a markdown table row, None for any other line (and the header rule)."""
    if not line.startswith("| ") or line.startswith("| ---"):
        return None
    return cells(line)


def parse(text: str) -> tuple[list[TotalsRow], list[Section]]:
    """The totals table and the per-section fact tables of COVERAGE.md."""
    totals: list[TotalsRow] = []
    sections: list[Section] = []
    current: Section | None = None
    for line in text.splitlines():
        if line == RECOUNT:
            break
        if line.startswith("## "):
            current = None
            if m := SUMMARY_HEADING.match(line):
                current = Section(line[3:], summary_heading=m["section"])
            elif m := REPORT_HEADING.match(line):
                current = Section(line[3:], paragraphs=range(int(m["first"]), int(m["last"]) + 1))
            if current is not None:
                sections.append(current)
            continue
        row = table_row(line)
        if row is None:
            continue
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


@dataclass
class RecountSection:
    title: str
    present: list[list[str]] = field(default_factory=list)  # slugs of facts present before
    added: list[list[str]] = field(default_factory=list)  # slugs of facts the recount added
    missing: list[str] = field(default_factory=list)  # the reason of each missing fact

    @property
    def found(self) -> int:
        return len(self.present) + len(self.added) + len(self.missing)

    @property
    def held(self) -> int:
        return len(self.present) + len(self.added)


@dataclass
class RecountRow:
    title: str
    found: int
    before: int
    held: int
    recall_before: str
    recall: str


def parse_recount(text: str) -> tuple[list[RecountRow], list[RecountSection]]:
    """The table and the per-section fact lists of the independent recount."""
    _, marker, rest = text.partition(RECOUNT)
    assert marker, f"no {RECOUNT!r} section"
    rows: list[RecountRow] = []
    sections: list[RecountSection] = []
    current: RecountSection | None = None
    for line in rest.splitlines():
        if line.startswith("## "):
            break
        if m := RECOUNT_HEADING.match(line):
            current = RecountSection(m["title"])
            sections.append(current)
            continue
        row = table_row(line)
        if row is None:
            continue
        if current is None:
            if len(row) == 7 and row[0] != "section":
                rows.append(
                    RecountRow(row[0], int(row[1]), int(row[2]), int(row[3]), row[4], row[5])
                )
        elif row[1] in ("present", "added"):
            slugs = IRI.findall(row[2])
            (current.present if row[1] == "present" else current.added).append(slugs)
        elif row[1] == "missing":
            current.missing.append(row[2])
        elif row != ["fact in the text", "status", "carried by"]:
            raise AssertionError(
                f"{current.title}: a row neither present, added nor missing: {line}"
            )
    return rows, sections


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


@pytest.fixture(scope="module")
def recount() -> tuple[list[RecountRow], list[RecountSection]]:
    return parse_recount(COVERAGE.read_text(encoding="utf-8"))


def test_the_recount_recounts_every_section_of_the_first_count(coverage, recount):
    _, sections = coverage
    _, recounted = recount
    assert [s.title for s in recounted] == [s.title for s in sections]


def test_every_recount_row_adds_up(recount):
    rows, sections = recount
    assert [r.title for r in rows if r.title != "**total**"] == [s.title for s in sections]
    for row, section in zip((r for r in rows if r.title != "**total**"), sections, strict=True):
        assert (row.found, row.before, row.held) == (
            section.found,
            len(section.present),
            section.held,
        ), row.title
        assert row.recall_before == recall(row.before, row.found), row.title
        assert row.recall == recall(row.held, row.found), row.title


def test_the_recount_total_is_the_sum_of_the_sections(recount):
    rows, sections = recount
    (total,) = [r for r in rows if r.title == "**total**"]
    assert total.found == sum(s.found for s in sections)
    assert total.before == sum(len(s.present) for s in sections)
    assert total.held == sum(s.held for s in sections)
    assert total.recall_before == recall(total.before, total.found)
    assert total.recall == recall(total.held, total.found)


def test_every_recounted_section_reaches_the_target(recount):
    _, sections = recount
    low = {s.title: recall(s.held, s.found) for s in sections}
    low = {t: r for t, r in low.items() if float(r.removesuffix(" %")) < TARGET}
    assert not low, f"recounted sections below {TARGET} %: {low}"


def test_every_fact_the_recount_holds_is_a_cited_resource_of_the_graph(recount, graph):
    _, sections = recount
    for section in sections:
        for slugs in section.present + section.added:
            assert slugs, f"{section.title}: a fact held names no IRI"
            for slug in slugs:
                assert (ID[slug], TIP.citation, None) in graph, f"{section.title}: id:{slug}"


def test_every_fact_the_recount_misses_says_why(recount):
    _, sections = recount
    for section in sections:
        assert all(reason and not IRI.search(reason) for reason in section.missing), section.title


def test_parse_recount_reads_a_small_file():
    text = "\n".join(
        [
            "## Summary — X",
            "| fact | status | carried by |",
            "| a body | present | `id:x-body` |",
            "## Independent recount",
            "| section | facts in the text | present before the recount | present | "
            "recall before the recount | recall | notes |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
            "| Summary — X | 3 | 1 | 2 | 33.3 % | 66.7 % | |",
            "| **total** | 3 | 1 | 2 | 33.3 % | 66.7 % | |",
            "### Recount — Summary — X",
            "| fact in the text | status | carried by |",
            "| --- | --- | --- |",
            "| a body | present | `id:x-body` |",
            "| a claim | added | `id:x-claim` `id:x-claim-2` |",
            "| a count | missing | no count property |",
        ]
    )
    rows, (section,) = parse_recount(text)
    assert [(r.title, r.found, r.before, r.held) for r in rows] == [
        ("Summary — X", 3, 1, 2),
        ("**total**", 3, 1, 2),
    ]
    assert section.title == "Summary — X"
    assert section.present == [["x-body"]]
    assert section.added == [["x-claim", "x-claim-2"]]
    assert section.missing == ["no count property"]
    # the first count stops where the recount begins: its rows are not read as the first count's
    _, first = parse(text)
    assert [s.title for s in first] == ["Summary — X"] and first[0].present == [["x-body"]]


def test_parse_recount_rejects_a_row_without_a_known_status():
    text = "## Independent recount\n### Recount — X\n| a fact | perhaps | `id:x` |"
    with pytest.raises(AssertionError, match="neither present, added nor missing"):
        parse_recount(text)


def test_parse_recount_needs_the_recount_section():
    with pytest.raises(AssertionError, match="no '## Independent recount' section"):
        parse_recount("## Summary — X\n| a body | present | `id:x` |")


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
