"""Choosing a response format from an HTTP ``Accept`` header."""

from __future__ import annotations

from collections.abc import Sequence


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    """(media range, quality, position) for each entry of the header."""
    ranges = []
    for position, entry in enumerate(accept.split(",")):
        media, *parameters = (part.strip() for part in entry.split(";"))
        if not media or "/" not in media:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media.lower(), quality, position))
    return ranges


def _match_quality(ranges: list[tuple[str, float, int]], offered: str) -> tuple[float, int, int]:
    """The quality the client gives ``offered``: the most specific range that matches it."""
    kind, _, _subtype = offered.partition("/")
    best: tuple[int, float, int] | None = None
    for media, quality, position in ranges:
        if media == offered:
            specificity = 2
        elif media == f"{kind}/*":
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if best is None or specificity > best[0]:
            best = (specificity, quality, position)
    if best is None:
        return (0.0, 0, 0)
    return (best[1], best[0], -best[2])


def choose(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers; the first offered when the header is missing
    or accepts anything equally; None when the client accepts none of them."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = _ranges(accept)
    if not ranges:
        return offered[0]
    scored = [(_match_quality(ranges, media), -index, media) for index, media in enumerate(offered)]
    (quality, _specific, _position), _index, media = max(scored)
    return media if quality > 0 else None
