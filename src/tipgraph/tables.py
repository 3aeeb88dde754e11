"""Laying out a table of text cells for a terminal: label columns first, fitted to a width.

Widths are counted in terminal columns, as wcwidth counts them: wide and full-width
characters (CJK) take two, combining marks and invisible format characters none, everything
else one (East Asian "ambiguous" characters such as typographic quotes and dashes too, as
Western terminals draw them).

Within a width, every column has ``MIN_COLUMN`` characters (or its whole width, if less),
then room for its longest word, then a share of the rest in proportion to what it still
needs (see :func:`fair_widths`). Cells wrap on
spaces (a word longer than its column breaks after a hyphen or slash or inside camelCase,
else anywhere), and rows that take several lines are set apart by a blank line. When the
columns cannot each have that minimum, each row is printed as a block of ``name  value``
lines instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

MIN_WIDTH = 20
MIN_COLUMN = 10
NEARLY = 3
GAP = "  "
_BREAK_AFTER = "-/_.:#"


def is_label_column(name: str) -> bool:
    """The saved queries name the label of ``?x`` ``?xLabel``; describe has ``valueLabel``."""
    return name == "label" or name.endswith("Label")


def label_first(variables: Sequence[str]) -> list[int]:
    """Column positions with the label columns first, each group in its own order."""
    labels = [i for i, name in enumerate(variables) if is_label_column(name)]
    return labels + [i for i, name in enumerate(variables) if not is_label_column(name)]


def char_width(char: str) -> int:
    if char != "\u00ad" and (
        unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf")
    ):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """The columns a line of text takes on a terminal."""
    if text.isascii():
        return len(text)
    return sum(char_width(char) for char in text)


def one_line(text: str) -> str:
    """Control characters (newlines, tabs, escapes) as spaces: a cell is one run of text."""
    if text.isprintable():
        return text
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


_PIECE = re.compile(r"[^\s\-/]*[\-/]?")


def longest_word(text: str) -> int:
    """The widest piece of text that wrapping keeps whole: a word, or a part of a hyphenated
    word or of a path (``id:saarc-regional-task-force`` breaks after each hyphen)."""
    return max((text_width(piece) for piece in _PIECE.findall(text)), default=0)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - text_width(text))


def _split_word(word: str, width: int) -> tuple[str, str]:
    """The longest head of ``word`` that fits, and the rest. The cut comes after a hyphen,
    slash or the like, or inside camelCase, when there is one past the first third."""
    used = 0
    end = 0
    for index, char in enumerate(word):
        used += char_width(char)
        if used > width:
            break
        end = index + 1
    end = max(end, 1)  # a character wider than the column still moves on
    soft = max(
        (
            i + 1
            for i in range(end)
            if word[i] in _BREAK_AFTER
            or (word[i].islower() and i + 1 < len(word) and word[i + 1].isupper())
        ),
        default=0,
    )
    if soft * 3 > end and soft < len(word):
        end = soft
    return word[:end], word[end:]


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns: words kept whole where they fit on a line."""
    lines: list[str] = []
    current, used = "", 0
    for word in text.split():
        size = text_width(word)
        if current and used + 1 + size <= width:
            current, used = f"{current} {word}", used + 1 + size
            continue
        if current:
            lines.append(current)
        while size > width:
            head, word = _split_word(word, width)
            lines.append(head)
            size = text_width(word)
        current, used = word, size
    if current or not lines:
        lines.append(current)
    return lines


def _grow(widths: list[int], limits: Sequence[int], spare: int) -> int:
    """Widen the columns towards their limits by ``spare`` in all, each in proportion to how
    far it is from its limit; the spare left over (when every column is at its limit)."""
    growing = [i for i, limit in enumerate(limits) if widths[i] < limit]
    while spare > 0 and growing:
        total = sum(limits[i] - widths[i] for i in growing)
        grants = {i: spare * (limits[i] - widths[i]) // total for i in growing}
        if not any(grants.values()):
            neediest = sorted(growing, key=lambda i: widths[i] - limits[i])
            grants = {i: int(rank < spare) for rank, i in enumerate(neediest)}
        for i in growing:
            widths[i] = min(limits[i], widths[i] + grants[i])
        spare -= sum(grants.values())
        growing = [i for i in growing if widths[i] < limits[i]]
    return spare


def fair_widths(
    natural: Sequence[int], available: int, words: Sequence[int] | None = None
) -> list[int] | None:
    """Column widths within ``available``, or None when the columns cannot each have
    ``MIN_COLUMN`` (or their whole width, if less).

    Much as a browser lays out a table: every column gets that minimum, then, when all of them
    fit, room for its longest word (``words``), so that no word is cut; then the columns
    within ``NEARLY`` characters of their whole width get it; what is left goes to the others
    in proportion to the room they still need.
    """
    widths = [min(n, MIN_COLUMN) for n in natural]
    spare = available - sum(widths)
    if spare < 0:
        return None
    if words is not None:
        whole = [max(w, min(word, n)) for w, word, n in zip(widths, words, natural, strict=True)]
        if sum(whole) <= available:
            widths, spare = whole, available - sum(whole)
    for i in sorted(range(len(widths)), key=lambda i: natural[i] - widths[i]):
        need = natural[i] - widths[i]
        if 0 < need <= NEARLY and need <= spare:  # not worth a second line
            widths[i], spare = natural[i], spare - need
    _grow(widths, natural, spare)
    return widths


def _footer(count: int) -> str:
    return f"({count} row{'s' if count != 1 else ''})"


def _grid(variables: Sequence[str], cells: Sequence[Sequence[str]], widths: list[int]) -> str:
    def lines_of(values: Sequence[str]) -> list[str]:
        wrapped = [wrap(value, width) for value, width in zip(values, widths, strict=True)]
        height = max(len(lines) for lines in wrapped)
        return [
            GAP.join(
                pad(lines[n] if n < len(lines) else "", width)
                for lines, width in zip(wrapped, widths, strict=True)
            ).rstrip()
            for n in range(height)
        ]

    body = [lines_of(row) for row in cells]
    spaced = any(len(lines) > 1 for lines in body)
    out = [*lines_of(variables), GAP.join("-" * w for w in widths).rstrip()]
    for number, lines in enumerate(body):
        if spaced and number:
            out.append("")
        out += lines
    return "\n".join(out)


def _records(variables: Sequence[str], cells: Sequence[Sequence[str]], width: int) -> str:
    """Each row as a block of ``name  value`` lines, blocks apart by a blank line."""
    key_width = min(max(text_width(v) for v in variables), width // 2)
    value_width = width - key_width - len(GAP)
    if not cells:
        return "\n".join(wrap(GAP.join(variables), width))
    blocks = []
    for row in cells:
        lines = []
        for name, value in zip(variables, row, strict=True):
            keys, values = wrap(name, key_width), wrap(value, value_width)
            for n in range(max(len(keys), len(values))):
                key = keys[n] if n < len(keys) else ""
                text = values[n] if n < len(values) else ""
                lines.append((pad(key, key_width) + GAP + text).rstrip())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def layout(
    variables: Sequence[str], cells: Sequence[Sequence[str]], width: int | None = None
) -> str:
    """The table of ``cells`` under the header ``variables``, with a row count.

    Label columns come first. With ``width`` (at least ``MIN_WIDTH``) no line is longer;
    without it, every cell stays on one line.
    """
    if width is not None and width < MIN_WIDTH:
        raise ValueError(f"a table needs a width of at least {MIN_WIDTH} columns")
    order = label_first(variables)
    variables = [variables[i] for i in order]
    cells = [[one_line(row[i]) for i in order] for row in cells]
    natural = [
        max([text_width(v)] + [text_width(row[i]) for row in cells])
        for i, v in enumerate(variables)
    ]
    footer = _footer(len(cells))
    if width is None or sum(natural) + len(GAP) * (len(natural) - 1) <= width:
        return _grid(variables, cells, natural) + "\n" + footer + "\n"
    words = [max([0] + [longest_word(row[i]) for row in cells]) for i in range(len(variables))]
    widths = fair_widths(natural, width - len(GAP) * (len(natural) - 1), words)
    if widths is not None:
        table = _grid(variables, cells, widths)
    else:
        table = _records(variables, cells, width)
    return f"{table}\n{footer}\n"
