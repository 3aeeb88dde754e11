"""Pictures of the graph as SVG drawn on the server: no script, no external resource.

Each picture comes with the rows it is drawn from (for a table beside it) and a sentence of
alternative text. The data come from the saved queries (coverage-matrix, coverage-of,
instruments-timeline, events-timeline, partners-of, member-counts), so every rule about what
counts lives in one place; the same graph always gives the same bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tipgraph import svgdraw as s
from tipgraph.acronyms import acronym
from tipgraph.namespaces import TIP_NS
from tipgraph.output import plain
from tipgraph.store import RDFS_LABEL as LABEL
from tipgraph.textsearch import fold

Link = Callable[[str], str]
"""Maps a resource IRI to an href (server: ``/id/slug``; static site: a relative path)."""

DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
PARTNER = ox.NamedNode(TIP_NS + "partner")
MECHANISM = ox.NamedNode(TIP_NS + "Mechanism")


@dataclass(frozen=True)
class Picture:
    title: str
    svg: str
    variables: list[str]
    rows: list[list[str]]  # the data behind the picture as plain strings, for a table beside it
    description: str  # one-sentence alt text


Row = dict[str, str]


def _saved(store: ox.Store, name: str, queries: Path | None, **values: str) -> list[Row]:
    """A saved query's rows as plain strings by column name ("" where unbound)."""
    from tipgraph.catalogue import Catalogue
    from tipgraph.engine import run_saved_query
    from tipgraph.paths import Layout

    folder = queries or Layout.resolve().queries
    result = run_saved_query(store, Catalogue(folder).get(name), values)
    return [
        {variable: plain(term) for variable, term in zip(result.variables, row, strict=True)}
        for row in result.rows
    ]


def short_name(store: ox.Store, iri: str, label: str = "") -> str:
    """An acronym the graph records (SAARC, CoE, COMMIT), else the label, else the IRI."""
    short = acronym(store, iri)
    if short:
        return short
    if label:
        return label
    labels = sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode(iri), LABEL, None))
    return labels[0] if labels else iri


def _place(document: str, locator: str) -> str:
    return f"{document}, {locator}" if document and locator else document or locator


# The coverage heat-map


def _citation_places(store: ox.Store) -> dict[tuple[str, str, str], list[str]]:
    """(document label, locator, quotation) -> the citations that say it, for linking a
    saved query's row (which names the place) to its citation's page."""
    from tipgraph.search import DOCUMENT, LOCATOR, QUOTATION_P

    def one(subject, predicate) -> str:
        values = sorted(plain(q.object) for q in store.quads_for_pattern(subject, predicate, None))
        return values[0] if values else ""

    places: dict[tuple[str, str, str], list[str]] = {}
    for quad in store.quads_for_pattern(None, QUOTATION_P, None):
        citation = quad.subject
        if not isinstance(citation, ox.NamedNode):
            continue
        documents = [q.object for q in store.quads_for_pattern(citation, DOCUMENT, None)]
        document = min((one(d, LABEL) for d in documents), default="")
        key = (document, one(citation, LOCATOR), plain(quad.object))
        places.setdefault(key, []).append(citation.value)
    return {key: sorted(value) for key, value in places.items()}


def coverage_heatmap(store: ox.Store, link: Link, *, queries: Path | None = None) -> Picture:
    """Mechanisms × themes, each cell coloured by the number of citations that support the
    coverage and linked to the citation of its first supporting place."""
    matrix = _saved(store, "coverage-matrix", queries)
    places = _citation_places(store)
    mechanisms = sorted(
        {(r["mechanism"], r["mechanismLabel"]) for r in matrix},
        key=lambda m: (fold(short_name(store, *m)), m[0]),
    )
    themes = sorted({(r["theme"], r["themeLabel"]) for r in matrix}, key=lambda t: (fold(t[1]), t))
    names = {iri: short_name(store, iri, label) for iri, label in mechanisms}

    # The citation of each cell's first place, from the rows of coverage-of.
    first: dict[tuple[str, str], str] = {}
    wanted = {(r["mechanism"], r["theme"]): r["firstPlace"] for r in matrix}
    for mechanism, _ in mechanisms:
        for row in _saved(store, "coverage-of", queries, mechanism=mechanism):
            key = (mechanism, row["concept"])
            if wanted.get(key) != _place(row["document"], row["locator"]) or key in first:
                continue
            found = places.get((row["document"], row["locator"], row["quotation"]))
            if found:
                first[key] = found[0]

    cell, row_height = 26.0, 22.0
    left = 12 + 7 * max((len(s.clip(n, 40)) for n in names.values()), default=10)
    top = 16 + 6 * max((len(s.clip(t[1], 38)) for t in themes), default=10)
    longest = max((len(s.clip(t[1], 38)) for t in themes), default=10)
    width = left + cell * len(themes) + 20 + 3.2 * longest
    height = top + row_height * len(mechanisms) + 70
    thresholds = (2, 3, 5, 8)
    body: list[str] = []
    for column, (theme, label) in enumerate(themes):
        x = left + cell * column + cell / 2
        body.append(
            s.link(
                link(theme),
                s.text(
                    s.clip(label, 38),
                    x,
                    top - 8,
                    transform=f"rotate(-60 {s.num(x)} {s.num(top - 8)})",
                    fill=s.LINK,
                ),
                label,
            )
        )
    by_cell = {(r["mechanism"], r["theme"]): r for r in matrix}
    table: list[list[str]] = []
    for line, (mechanism, label) in enumerate(mechanisms):
        y = top + row_height * line
        body.append(
            s.link(
                link(mechanism),
                s.text(
                    s.clip(names[mechanism], 40),
                    left - 8,
                    y + row_height / 2 + 4,
                    text_anchor="end",
                    fill=s.LINK,
                ),
                label,
            )
        )
        body.append(
            s.element(
                "line",
                x1=float(left),
                y1=y + row_height,
                x2=left + cell * len(themes),
                y2=y + row_height,
                stroke=s.GRID,
                stroke_width="0.5",
            )
        )
        for column, (theme, theme_label) in enumerate(themes):
            row = by_cell.get((mechanism, theme))
            if row is None:
                continue
            count = int(row["citations"])
            shade = s.step(count, thresholds)
            target = first.get((mechanism, theme), mechanism)
            x = left + cell * column
            tip = (
                f"{label} — {theme_label}: {count} citation{'s' if count != 1 else ''} in "
                f"{row['documents']} document{'s' if row['documents'] != '1' else ''}; first: "
                f"{row['firstPlace']}"
            )
            mark = s.element(
                "rect",
                x=x + 1,
                y=y + 1,
                width=cell - 2,
                height=row_height - 2,
                fill=s.BLUES[shade],
            ) + s.text(
                str(count),
                x + cell / 2,
                y + row_height / 2 + 4,
                text_anchor="middle",
                fill=s.ON_BLUES[shade],
                font_size="11",
            )
            body.append(s.link(link(target), mark, tip, "cell"))
            table.append(
                [
                    label,
                    theme_label,
                    row["citations"],
                    row["documents"],
                    row["firstPlace"],
                    target,
                ]
            )
    legend_y = top + row_height * len(mechanisms) + 24
    body.append(s.text("Citations:", left, legend_y + 12, fill=s.MUTED))
    steps = ("1", "2", "3–4", "5–7", "8+")
    for index, caption in enumerate(steps):
        x = left + 70 + index * 62
        body.append(
            s.element(
                "rect",
                x=float(x),
                y=float(legend_y),
                width=18.0,
                height=16.0,
                fill=s.BLUES[index],
                stroke=s.GRID,
            )
        )
        body.append(s.text(caption, x + 24, legend_y + 12))
    title = "Coverage of themes by mechanism"
    description = (
        f"A heat map of {len(mechanisms)} mechanisms by {len(themes)} themes: {len(table)} "
        "cells, each shaded by the number of citations that support the coverage."
    )
    svg = s.shell("coverage-heatmap", width, height, title, description, "".join(body))
    variables = ["mechanism", "theme", "citations", "documents", "firstPlace", "citation"]
    return Picture(title, svg, variables, table, description)


# The timeline


@dataclass(frozen=True)
class _Mark:
    date: str
    what: str
    style: str  # a key of MARKS
    place: str
    disputed: bool


MARKS = {
    # style: (caption, colour (Okabe-Ito, at least 3:1 on white), shape)
    "adopted": ("adopted, signed or launched", "#0072B2", "circle"),
    "enteredIntoForce": ("entered into force", "#D55E00", "square"),
    "period": ("period start or end", "#007D5B", "diamond"),
    "event": ("event", "#A7498C", "circle"),
}


def year_of(date: str) -> float | None:
    """A date of the graph (2002, 2002-01, 2002-01-05) as a fractional year."""
    match = DATE.match(date)
    if not match:
        return None
    year, month, day = match.groups()
    value = float(year)
    if month:
        value += (min(max(int(month), 1), 12) - 1) / 12
        if day:
            value += (min(max(int(day), 1), 31) - 1) / 365
    return value


def _shape(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return s.element("rect", x=x - 4.5, y=y - 4.5, width=9.0, height=9.0, fill=colour)
    if shape == "diamond":
        points = f"{s.num(x)},{s.num(y - 5.5)} {s.num(x + 5.5)},{s.num(y)} "
        points += f"{s.num(x)},{s.num(y + 5.5)} {s.num(x - 5.5)},{s.num(y)}"
        return s.element("polygon", points=points, fill=colour)
    return s.element("circle", cx=x, cy=y, r=5.0, fill=colour)


def timeline(store: ox.Store, link: Link, *, queries: Path | None = None) -> Picture:
    """Instruments and events by date on a year axis, one lane each; every mark links to its
    resource."""
    items: dict[str, tuple[str, str]] = {}  # iri -> (kind, label)
    marks: dict[str, dict[tuple, _Mark]] = {}
    for row in _saved(store, "instruments-timeline", queries):
        iri = row["instrument"]
        items[iri] = ("instrument", row["instrumentLabel"] or iri)
        prop = row["property"].rsplit("/", 1)[-1]
        style = prop if prop in MARKS else "period"
        mark = _Mark(
            row["date"],
            row["propertyLabel"] or prop,
            style,
            _place(row["document"], row["locator"]),
            row["disputed"] == "true",
        )
        marks.setdefault(iri, {}).setdefault((mark.date, mark.what), mark)
    for row in _saved(store, "events-timeline", queries):
        iri = row["event"]
        items[iri] = ("event", row["eventLabel"] or iri)
        place = _place(row["document"], row["locator"])
        for date, what in ((row["startDate"], "start"), (row["endDate"], "end")):
            if date:
                mark = _Mark(date, what, "event", place, False)
                marks.setdefault(iri, {}).setdefault((date, what), mark)

    def lane_key(iri: str) -> tuple:
        dates = sorted(m.date for m in marks[iri].values())
        return (dates[0], fold(items[iri][1]), iri)

    lanes = sorted(items, key=lane_key)
    years = [
        year for iri in lanes for m in marks[iri].values() if (year := year_of(m.date)) is not None
    ]
    start = 5 * math.floor(min(years, default=2000) / 5)
    end = 5 * math.ceil((max(years, default=2010) + 1) / 5)
    left, top, lane_height, per_year = 400.0, 56.0, 16.0, 14.0
    width = left + per_year * (end - start) + 30
    height = top + lane_height * len(lanes) + 30

    def x_of(year: float) -> float:
        return left + per_year * (year - start)

    body: list[str] = []
    for year in range(start, end + 1):
        x = x_of(year)
        major = year % 5 == 0
        body.append(
            s.element(
                "line",
                x1=x,
                y1=top - (6.0 if major else 2.0),
                x2=x,
                y2=height - 24,
                stroke=s.GRID if major else "#eeeeee",
                stroke_width="1" if major else "0.5",
            )
        )
        if major:
            body.append(s.text(str(year), x, top - 10, text_anchor="middle", fill=s.MUTED))
    legend_x = 10.0
    for caption, colour, shape in MARKS.values():
        body.append(_shape(shape, legend_x + 6, 16.0, colour))
        body.append(s.text(caption, legend_x + 16, 20.0))
        legend_x += 30 + 7 * len(caption)
    table: list[list[str]] = []
    for index, iri in enumerate(lanes):
        kind, label = items[iri]
        y = top + lane_height * index + lane_height / 2
        body.append(
            s.link(
                link(iri),
                s.text(s.clip(label, 54), left - 10, y + 4, text_anchor="end", fill=s.LINK),
                label,
            )
        )
        placed = sorted(marks[iri].values(), key=lambda m: (m.date, m.what))
        xs = [x_of(year) for m in placed if (year := year_of(m.date)) is not None]
        if len(xs) > 1:
            body.append(s.element("line", x1=min(xs), y1=y, x2=max(xs), y2=y, stroke="#8c8c8c"))
        for mark in placed:
            year = year_of(mark.date)
            what = f"{mark.what}{' (disputed: one source)' if mark.disputed else ''}"
            table.append([kind, mark.date, what, label, iri, mark.place])
            if year is None:
                continue
            caption, colour, shape = MARKS[mark.style]
            tip = f"{label} — {what} {mark.date}" + (f" ({mark.place})" if mark.place else "")
            body.append(s.link(link(iri), _shape(shape, x_of(year), y, colour), tip, "mark"))
    title = "Timeline of instruments and events"
    description = (
        f"A timeline from {start} to {end} of {sum(k == 'instrument' for k, _ in items.values())} "
        f"instruments and {sum(k == 'event' for k, _ in items.values())} events, one lane each, "
        "with a mark for each dated step."
    )
    svg = s.shell("timeline", width, height, title, description, "".join(body))
    return Picture(
        title, svg, ["kind", "date", "what", "label", "iri", "place"], table, description
    )


# The partnership network


def partnership_network(store: ox.Store, link: Link, *, queries: Path | None = None) -> Picture:
    """Who works with whom: every partnership as a line between partner and counterpart, the
    agents on a circle in alphabetical order (the same graph gives the same picture)."""
    partners = sorted(
        {q.object.value for q in store.quads_for_pattern(None, PARTNER, None)} - {""},
    )
    edges: dict[tuple[str, str, str], list[str]] = {}
    labels: dict[str, str] = {}
    for partner in partners:
        for row in _saved(store, "partners-of", queries, organization=partner):
            if row["side"] != "partner" or row["party"] != partner:
                continue
            labels[partner] = row["partyLabel"] or partner
            labels[row["other"]] = row["otherLabel"] or row["other"]
            key = (partner, row["other"], row["roleLabel"] or row["role"])
            detail = row["aboutLabel"]
            where = _place(row["document"], row["locator"])
            edges.setdefault(key, [])
            for note in (detail and f"about {detail}", where):
                if note and note not in edges[key]:
                    edges[key].append(note)
    nodes = sorted(labels, key=lambda iri: (fold(short_name(store, iri, labels[iri])), iri))
    names = {iri: short_name(store, iri, labels[iri]) for iri in nodes}
    degree = {iri: 0 for iri in nodes}
    for party, other, _ in edges:
        degree[party] += 1
        degree[other] += 1
    width, height, radius = 1200.0, 960.0, 330.0
    centre_x, centre_y = width / 2, height / 2
    position = {}
    for index, iri in enumerate(nodes):
        angle = 2 * math.pi * index / max(len(nodes), 1) - math.pi / 2
        position[iri] = (centre_x + radius * math.cos(angle), centre_y + radius * math.sin(angle))
    body: list[str] = []
    table: list[list[str]] = []
    for (party, other, role), notes in sorted(edges.items()):
        (x1, y1), (x2, y2) = position[party], position[other]
        # a curve bent towards the centre keeps the lines apart from the circle's chords
        control_x = (x1 + x2) / 2 * 0.6 + centre_x * 0.4
        control_y = (y1 + y2) / 2 * 0.6 + centre_y * 0.4
        path = (
            f"M{s.num(x1)} {s.num(y1)}Q{s.num(control_x)} {s.num(control_y)} "
            f"{s.num(x2)} {s.num(y2)}"
        )
        tip = f"{labels[party]} — {role} — {labels[other]}"
        shape = s.attrs(d=path, class_="edge", fill="none", stroke="#6b8fb5", stroke_width="1.2")
        body.append(
            f"<path{shape}>{s.tooltip(tip + (': ' + '; '.join(notes) if notes else ''))}</path>"
        )
        table.append([labels[party], role, labels[other], party, other, "; ".join(notes)])
    for iri in nodes:
        x, y = position[iri]
        r = 4 + 1.5 * math.sqrt(degree[iri])
        dx, dy = x - centre_x, y - centre_y
        distance = math.hypot(dx, dy) or 1.0
        lx, ly = x + dx / distance * (r + 6), y + dy / distance * (r + 6) + 4
        anchor = "start" if dx > 1 else "end" if dx < -1 else "middle"
        mark = s.element(
            "circle", cx=x, cy=y, r=r, fill="#0b4f9c", stroke="#ffffff", stroke_width="1"
        ) + s.text(s.clip(names[iri], 28), lx, ly, text_anchor=anchor, fill=s.LINK)
        tip = f"{labels[iri]}: {degree[iri]} partnership{'s' if degree[iri] != 1 else ''}"
        body.append(s.link(link(iri), mark, tip, "node"))
    title = "Partnerships between organisations"
    description = (
        f"A network of {len(nodes)} organisations and states on a circle, with {len(edges)} "
        "lines, one for each partner, role and counterpart the sources name."
    )
    svg = s.shell("partnership-network", width, height, title, description, "".join(body))
    variables = ["partner", "role", "counterpart", "partnerIri", "counterpartIri", "notes"]
    return Picture(title, svg, variables, table, description)


# Members per mechanism


def members_per_mechanism(store: ox.Store, link: Link, *, queries: Path | None = None) -> Picture:
    """A bar for each member count the sources give a mechanism (one per source where they
    disagree), beside a thinner bar for the members the graph names."""
    bars: dict[tuple[str, int, str], dict] = {}
    for row in _saved(store, "member-counts", queries):
        iri = row["organization"]
        if not _is_mechanism(store, iri):
            continue
        key = (iri, int(row["memberCount"]), row["disputed"])
        bar = bars.setdefault(
            key,
            {
                "label": row["organizationLabel"] or iri,
                "named": int(row["namedMembers"] or 0),
                "places": [],
            },
        )
        place = _place(row["document"], row["locator"])
        if place and place not in bar["places"]:
            bar["places"].append(place)
    order = sorted(bars, key=lambda k: (fold(short_name(store, k[0], bars[k]["label"])), -k[1]))
    most = max((k[1] for k in order), default=1) or 1
    left, top, band, plot = 200.0, 44.0, 34.0, 560.0
    width, height = left + plot + 80, top + band * len(order) + 40
    body: list[str] = []
    for tick in _ticks(most):
        x = left + plot * tick / most
        body.append(
            s.element("line", x1=x, y1=top - 6, x2=x, y2=height - 30, stroke=s.GRID)
            + s.text(str(tick), x, top - 10, text_anchor="middle", fill=s.MUTED)
        )
    body.append(s.element("rect", x=10.0, y=8.0, width=12.0, height=12.0, fill="#0b4f9c"))
    body.append(s.text("members the sources count", 28.0, 18.0))
    body.append(s.element("rect", x=220.0, y=11.0, width=12.0, height=6.0, fill="#D55E00"))
    body.append(s.text("members the graph names", 238.0, 18.0))
    table: list[list[str]] = []
    for index, key in enumerate(order):
        iri, count, disputed = key
        bar = bars[key]
        name = short_name(store, iri, bar["label"])
        y = top + band * index
        places = "; ".join(bar["places"])
        body.append(
            s.link(
                link(iri),
                s.text(s.clip(name, 28), left - 8, y + 17, text_anchor="end", fill=s.LINK),
                bar["label"],
            )
        )
        tip = f"{bar['label']}: {count} members" + (f" ({places})" if places else "")
        tip += f"; the graph names {bar['named']}"
        shapes = s.element(
            "rect", x=left, y=y + 4, width=plot * count / most, height=16.0, fill="#0b4f9c"
        )
        shapes += s.element(
            "rect", x=left, y=y + 22, width=plot * bar["named"] / most, height=6.0, fill="#D55E00"
        )
        shapes += s.text(str(count), left + plot * count / most + 6, y + 17)
        body.append(s.link(link(iri), shapes, tip, "bar"))
        table.append(
            [
                bar["label"],
                str(count),
                str(bar["named"]),
                "yes" if disputed == "true" else "no",
                places,
                iri,
            ]
        )
    title = "Members per mechanism"
    description = (
        f"A bar chart of the member counts the sources give for {len({k[0] for k in order})} "
        "mechanisms, each beside the number of members the graph names."
    )
    svg = s.shell("members-per-mechanism", width, height, title, description, "".join(body))
    variables = ["mechanism", "memberCount", "namedMembers", "disputed", "restsOn", "iri"]
    return Picture(title, svg, variables, table, description)


def _is_mechanism(store: ox.Store, iri: str) -> bool:
    from tipgraph.store import RDF_TYPE

    return any(True for _ in store.quads_for_pattern(ox.NamedNode(iri), RDF_TYPE, MECHANISM))


def _ticks(most: int) -> list[int]:
    """Round tick values from 0 to ``most``: about five of them."""
    raw = most / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    unit = next(f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= raw)
    return list(range(0, most + 1, max(int(unit), 1)))
