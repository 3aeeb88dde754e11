"""Writing SVG text by hand: escaping, numbers, the document shell, a colour scale.

Every piece of text and every attribute value goes through :func:`esc`, so a label can
never become markup; numbers are written with fixed precision, so the same picture is
always the same bytes.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

# Characters XML 1.0 does not allow at all; they are dropped from any text.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1a1a1a"  # text and axes: about 17:1 on white
MUTED = "#595959"  # secondary text: 7:1 on white
GRID = "#d0d0d0"
LINK = "#0b4f9c"  # 8:1 on white

# A sequential blue scale (light to dark) and the text colour that reads on each step.
BLUES = ("#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b")
ON_BLUES = (INK, INK, INK, "#ffffff", "#ffffff")


def esc(value: object) -> str:
    """Text or an attribute value, XML-escaped (quotes too), without characters XML forbids."""
    return escape(NOT_XML.sub("", str(value)), {'"': "&quot;", "'": "&apos;"})


def num(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros, no negative zero."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def attrs(**values: object) -> str:
    """Attributes in the order given; underscores in names become hyphens; None is left out."""
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        shown = num(value) if isinstance(value, float) else esc(value)
        parts.append(f' {name.rstrip("_").replace("_", "-")}="{shown}"')
    return "".join(parts)


def element(name: str, content: str = "", **values: object) -> str:
    if content:
        return f"<{name}{attrs(**values)}>{content}</{name}>"
    return f"<{name}{attrs(**values)}/>"


def text(content: str, x: float, y: float, **values: object) -> str:
    return element("text", esc(content), x=float(x), y=float(y), **values)


def tooltip(content: str) -> str:
    """A <title> child: the tooltip and the accessible name of its parent."""
    return f"<title>{esc(content)}</title>"


def link(href: str, content: str, label: str | None = None, kind: str | None = None) -> str:
    """An <a> around ``content``; ``label`` becomes its tooltip and accessible name, ``kind``
    its class (for styling and tests)."""
    inner = (tooltip(label) if label else "") + content
    return f"<a{attrs(href=href, class_=kind)}>{inner}</a>"


def clip(label: str, limit: int) -> str:
    """A label shortened to ``limit`` characters with an ellipsis."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def shell(name: str, width: float, height: float, title: str, description: str, body: str) -> str:
    """The whole SVG document: namespace, viewBox, role="img", <title> and <desc>."""
    ids = f"{name}-title {name}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg"{attrs(viewBox=f"0 0 {num(width)} {num(height)}")}'
        f"{attrs(width=float(width), height=float(height), role='img', aria_labelledby=ids)}"
        f"{attrs(font_family=FONT, font_size='12', fill=INK)}>"
    )
    return (
        head
        + f'<title id="{esc(name)}-title">{esc(title)}</title>'
        + f'<desc id="{esc(name)}-desc">{esc(description)}</desc>'
        + f'<rect width="100%" height="100%" fill="#ffffff"/>{body}</svg>\n'
    )


def step(value: int, thresholds: tuple[int, ...]) -> int:
    """The index of the colour step for ``value``: the number of thresholds it reaches."""
    return sum(1 for threshold in thresholds if value >= threshold)
