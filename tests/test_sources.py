"""Normalisation, paragraph and heading detection, and the quotation check itself."""

from __future__ import annotations

import pytest

from tipgraph.sources import (
    CitationPlace,
    SourceText,
    check_quotation,
    normalise,
    split_paragraphs,
    split_summary_sections,
)

REPORT = "002_6b6ec84fa1ef47ba.txt"
EXCERPT = "000_6ee31e5c574f7d3a.txt"
SUMMARY = "001_368c63d31fbd57db.txt"
# Paragraph numbers the full extraction of A/HRC/14/32 lacks (sources README).
MISSING_FROM_REPORT = {13, 14, 20, 23, 24, 25, 31, 36, 48, 87}


def test_normalise_folds_whitespace_quotes_and_dashes():
    assert normalise("the „SAARC\n Convention‟ – 2002") == normalise(
        "the 'SAARC Convention' - 2002"
    )
    assert normalise("gender- based") == normalise("gender-based")
    assert normalise("Men") != normalise("men")


def test_report_paragraphs_are_all_found_except_those_the_extraction_lost(sources):
    paragraphs = split_paragraphs((sources / REPORT).read_text(encoding="utf-8"))
    assert set(range(1, 138)) - set(paragraphs) == MISSING_FROM_REPORT
    assert paragraphs[99].startswith("99. COMMIT in the Mekong region")
    assert paragraphs[107].startswith("107 Regional mechanisms should develop standards")


def test_excerpt_holds_the_paragraphs_the_report_lacks(sources):
    paragraphs = split_paragraphs((sources / EXCERPT).read_text(encoding="utf-8"))
    assert {13, 14, 23, 25} <= set(paragraphs)
    assert paragraphs[25].startswith("25. SAARC, established in 1985")


def test_table_of_contents_entries_are_not_paragraphs():
    text = "1. Africa ........ 17–19 5\n1. First paragraph text.\n2. Second one.\n"
    assert split_paragraphs(text) == {1: "1. First paragraph text.\n", 2: "2. Second one.\n"}


def test_a_stray_number_inside_a_sentence_is_not_a_paragraph():
    text = "1. Opening. It cites 7 Things here.\n2. Then. In 2002 it rose.\n3. End.\n"
    assert sorted(split_paragraphs(text)) == [1, 2, 3]


def test_summary_headings_come_from_its_table_of_contents(sources):
    sections = split_summary_sections((sources / SUMMARY).read_text(encoding="utf-8"))
    headings = [s.heading for s in sections]
    assert "South Asian Association for Regional Cooperation (SAARC)" in headings
    assert (
        "Bali Process on People Smuggling, Trafficking in Persons and Related Transnational Crime"
        in headings
    )
    saarc = next(s for s in sections if "(SAARC)" in s.heading)
    assert (saarc.first_page, saarc.last_page) == (13, 14)
    assert "Regional Task Force" in saarc.text


@pytest.fixture(scope="module")
def report(sources) -> SourceText:
    return SourceText([sources / REPORT, sources / EXCERPT])


@pytest.fixture(scope="module")
def summary(sources) -> SourceText:
    return SourceText([sources / SUMMARY])


def test_a_quotation_in_its_paragraph_passes(report):
    place = CitationPlace("has taken relevant steps to include men and boys", paragraph=99)
    assert check_quotation(report, place) == []


def test_a_quotation_in_another_paragraph_names_where_it_is(report):
    place = CitationPlace("has taken relevant steps to include men and boys", paragraph=98)
    assert check_quotation(report, place) == ["the quotation is not in paragraph 98 (found in: 99)"]


def test_a_paragraph_only_the_excerpt_has_is_checked_there(report):
    place = CitationPlace("SAARC, established in 1985 by Bangladesh", paragraph=25)
    assert check_quotation(report, place) == []


def test_a_misquotation_fails(report):
    place = CitationPlace("COMMIT has taken relevant steps to include women", paragraph=99)
    assert check_quotation(report, place) == ["the quotation is not in the document"]


def test_summary_quotation_needs_its_heading_and_page(summary):
    quotation = "The Regional Task Force meets yearly to monitor and assess the implementation"
    heading = "South Asian Association for Regional Cooperation (SAARC)"
    assert check_quotation(summary, CitationPlace(quotation, section=heading, page=13)) == []
    assert check_quotation(summary, CitationPlace(quotation, section=heading, page=3)) == [
        "page 3 is outside the heading's pages (13-14)"
    ]
    wrong = check_quotation(summary, CitationPlace(quotation, section="Council of Europe (CoE)"))
    assert wrong == ["the quotation is not under the heading 'Council of Europe (CoE)'"]
    unknown = check_quotation(summary, CitationPlace(quotation, section="Nowhere"))
    assert unknown == ["no heading 'Nowhere' in the document"]


def test_an_overlong_or_empty_quotation_is_reported(report):
    assert check_quotation(report, CitationPlace("   ")) == ["the quotation is empty"]
    long_text = "x" * 201
    assert "at most 200" in check_quotation(report, CitationPlace(long_text))[0]
