"""The source texts, and checking that a citation's quotation stands where it says.

The texts are extractions with artefacts (words split across lines, „ ‟ for ‘ ’), so both the
text and the quotation are normalised before matching: whitespace is dropped, quote characters
become ``'`` and dashes ``-``. Case, spelling and punctuation must still match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

QUOTES = str.maketrans({c: "'" for c in '‘’‚‛„‟“”"«»′″`´'} | {c: "-" for c in "‐‑‒–—―−"})
WHITESPACE = re.compile(r"\s+")
PARAGRAPH_START = re.compile(r"(?:^|(?<=\s))(\d{1,3})(\.\s+|\s+)(?=[A-Z“\"‘(])", re.MULTILINE)
TOC_ENTRY = re.compile(r"^\s*(?P<heading>\S.*?)\s*(?:\.{3,}\s*)?(?P<page>\d{1,3})\s*$")


def normalise(text: str) -> str:
    """The form in which quotations are compared with source texts."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    return WHITESPACE.sub("", text)


def _paragraph_starts(text: str) -> list[tuple[int, int]]:
    """(number, offset) of each numbered paragraph, as the longest increasing run of candidates.

    A number followed by a full stop opens a paragraph anywhere; a bare number only at the
    start of a line or after a sentence (some paragraphs lost their full stop in extraction).
    Table-of-contents lines are skipped. Taking the longest strictly increasing subsequence
    drops stray numbers inside sentences and footnote numbers.
    """
    candidates = []
    for match in PARAGRAPH_START.finditer(text):
        line_end = text.find("\n", match.start())
        if "...." in text[match.start() : line_end if line_end >= 0 else len(text)]:
            continue  # a table-of-contents entry, not a paragraph
        before = text[max(0, match.start() - 2) : match.start()]
        opens_line = match.start() == 0 or before.endswith("\n")
        after_sentence = before in (". ", "; ", ": ")
        if match.group(2).startswith(".") or opens_line or after_sentence:
            candidates.append((int(match.group(1)), match.start()))
    best: list[list[tuple[int, int]]] = []
    for index, candidate in enumerate(candidates):
        chain = [candidate]
        for previous in range(index):
            if candidates[previous][0] < candidate[0] and len(best[previous]) + 1 > len(chain):
                chain = [*best[previous], candidate]
        best.append(chain)
    return max(best, key=len, default=[])


def split_paragraphs(text: str) -> dict[int, str]:
    """Numbered paragraphs of a report: number → raw text."""
    starts = _paragraph_starts(text)
    paragraphs = {}
    for position, (number, offset) in enumerate(starts):
        end = starts[position + 1][1] if position + 1 < len(starts) else len(text)
        paragraphs[number] = text[offset:end]
    return paragraphs


@dataclass(frozen=True)
class Section:
    heading: str
    first_page: int
    last_page: int
    text: str


def split_summary_sections(text: str) -> list[Section]:
    """Sections of the December 2010 Summary, located from its table of contents."""
    lines = text.splitlines()
    try:
        toc_start = next(i for i, line in enumerate(lines) if "Table of Contents" in line)
    except StopIteration:
        return []
    entries: list[tuple[str, int]] = []
    position = toc_start + 1
    for position in range(toc_start + 1, len(lines)):
        line = lines[position]
        if not line.strip():
            continue
        match = TOC_ENTRY.match(line)
        if not match or (len(entries) and not ("." in line or match.group("page"))):
            break
        if not re.search(r"\.{3,}|\S\s+\d{1,3}\s*$", line):
            break
        entries.append((match.group("heading").rstrip(". "), int(match.group("page"))))
    body_start = position
    located: list[tuple[int, str, int]] = []
    cursor = body_start
    for heading, page in entries:
        wanted = normalise(heading)
        for i in range(cursor, len(lines)):
            if not wanted.startswith(normalise(lines[i]) or "\0"):
                continue
            joined = ""
            for line in (line for line in lines[i : i + 6] if line.strip()):
                joined += normalise(line)
                if len(joined) >= len(wanted):
                    break
            if joined == wanted:
                located.append((i, heading, page))
                cursor = i + 1
                break
    sections = []
    for index, (line_no, heading, page) in enumerate(located):
        end_line = located[index + 1][0] if index + 1 < len(located) else len(lines)
        next_page = located[index + 1][2] if index + 1 < len(located) else page + 2
        sections.append(
            Section(heading, page, max(page, next_page), "\n".join(lines[line_no:end_line]))
        )
    return sections


@dataclass
class SourceText:
    """One document's extraction files and the structure found in them."""

    files: list[Path]
    texts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.texts = [path.read_text(encoding="utf-8") for path in self.files]

    @cached_property
    def normalised(self) -> list[str]:
        return [normalise(text) for text in self.texts]

    @cached_property
    def paragraphs(self) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for text in self.texts:
            for number, paragraph in split_paragraphs(text).items():
                found.setdefault(number, []).append(normalise(paragraph))
        return found

    @cached_property
    def sections(self) -> list[Section]:
        return [s for text in self.texts for s in split_summary_sections(text)]

    @cached_property
    def normalised_sections(self) -> list[tuple[Section, str, str]]:
        """Each section with its heading and text normalised once, not once per citation."""
        return [(s, normalise(s.heading), normalise(s.text)) for s in self.sections]

    def contains(self, quotation: str) -> bool:
        wanted = normalise(quotation)
        return any(wanted in text for text in self.normalised)


@dataclass(frozen=True)
class CitationPlace:
    """What a citation says about where its quotation is."""

    quotation: str
    paragraph: int | None = None
    section: str | None = None
    page: int | None = None


MAX_QUOTATION = 200


def check_quotation(source: SourceText, place: CitationPlace) -> list[str]:
    """Problems with a citation's quotation against its document (an empty list if none)."""
    quotation = normalise(place.quotation)
    if not quotation:
        return ["the quotation is empty"]
    problems = []
    if len(place.quotation) > MAX_QUOTATION:
        problems.append(
            f"the quotation has {len(place.quotation)} characters (at most {MAX_QUOTATION})"
        )
    if not source.contains(place.quotation):
        return [*problems, "the quotation is not in the document"]
    if place.paragraph is not None:
        texts = source.paragraphs.get(place.paragraph)
        if texts is None:
            # The extraction lost this paragraph's number, so its text runs on in the block of
            # the paragraph found before it.
            earlier = [n for n in source.paragraphs if n < place.paragraph]
            texts = source.paragraphs[max(earlier)] if earlier else []
        if not any(quotation in text for text in texts):
            holders = sorted(
                n for n, ts in source.paragraphs.items() if any(quotation in t for t in ts)
            )
            where = ", ".join(map(str, holders)) or "no single paragraph"
            problems.append(
                f"the quotation is not in paragraph {place.paragraph} (found in: {where})"
            )
    if place.section is not None and source.sections:
        heading = normalise(place.section)
        matching = [(s, text) for s, h, text in source.normalised_sections if h == heading]
        if not matching:
            problems.append(f"no heading {place.section!r} in the document")
        else:
            holding = [s for s, text in matching if quotation in text]
            if not holding:
                problems.append(f"the quotation is not under the heading {place.section!r}")
            elif place.page is not None and not any(
                s.first_page <= place.page <= s.last_page for s in holding
            ):
                spans = ", ".join(f"{s.first_page}-{s.last_page}" for s in holding)
                problems.append(f"page {place.page} is outside the heading's pages ({spans})")
    return problems
