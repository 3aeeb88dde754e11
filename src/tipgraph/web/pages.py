"""Every page of the web view, rendered from one template set for the server and the static
site alike; only the ``links`` object a page is given (absolute or relative hrefs) differs."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import jinja2
import markupsafe
import pyoxigraph as ox

from tipgraph.catalogue import Catalogue
from tipgraph.describe import TIP_CITATION, label, term_key
from tipgraph.engine import Rows, run_saved_query
from tipgraph.errors import InputError, QueryError
from tipgraph.namespaces import ID_NS, TIP_NS, shorten
from tipgraph.paths import Layout
from tipgraph.store import RDF_TYPE
from tipgraph.web.facts import FactReader, Value
from tipgraph.web.links import Links
from tipgraph.web.vocabulary import Shapes, Vocabulary, anchor

# The pictures: page name → function of tipgraph.pictures (store, link) → Picture.
PICTURES = {
    "coverage": "coverage_heatmap",
    "timeline": "timeline",
    "partnerships": "partnership_network",
    "members": "members_per_mechanism",
}
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Table:
    variables: list[str]
    rows: list[list[Value | None]]


@functools.cache
def environment() -> jinja2.Environment:
    """The templates, packaged with the module; everything is escaped unless marked safe."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("tipgraph.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def class_title(store: ox.Store, iri: str) -> str:
    """A class's label, or its name in words for a class the graph gives no label
    (``org:OrganizationalUnit`` is "Organizational unit"), capitalised."""
    found = label(store, ox.NamedNode(iri)) if iri else None
    if found is not None:
        return found.value[:1].upper() + found.value[1:]
    local = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or "other"
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", local) or [local]
    return " ".join([words[0][:1].upper() + words[0][1:], *(w.lower() for w in words[1:])])


def slug_of(iri: str) -> str | None:
    local = iri[len(ID_NS) :] if iri.startswith(ID_NS) else None
    return local if local and "/" not in local and "#" not in local and "?" not in local else None


class Pages:
    """The pages of one graph. ``live`` pages (the server) show forms, the SPARQL endpoint
    and the API; static pages show each query's answer for its default parameters."""

    def __init__(
        self,
        store: ox.Store,
        layout: Layout,
        *,
        live: bool,
        timeout: float,
        max_rows: int,
    ) -> None:
        self.store = store
        self.layout = layout
        self.live = live
        self.timeout = timeout
        self.max_rows = max_rows
        self.catalogue = Catalogue(layout.queries)

    # What every page shares.

    @functools.cached_property
    def how_to_cite(self) -> str:
        from tipgraph.references import how_to_cite

        return how_to_cite()

    @functools.cached_property
    def shapes(self) -> Shapes:
        return Shapes(self.layout.shapes_file())

    @functools.cached_property
    def search_index(self):
        from tipgraph.search import SearchIndex

        return SearchIndex.from_store(self.store)

    @functools.cached_property
    def picture_list(self) -> list[dict]:
        return [{"name": name, "title": self._picture(name, None).title} for name in PICTURES]

    def render(self, template: str, links: Links, title: str, **context) -> str:
        return (
            environment()
            .get_template(template)
            .render(
                links=links,
                title=title,
                live=self.live,
                how_to_cite=self.how_to_cite,
                pictures=self.picture_list,
                **context,
            )
        )

    def facts(self, links: Links) -> FactReader:
        from tipgraph.references import full_reference

        return FactReader(self.store, links.link, full_reference)

    # Resources.

    @functools.cached_property
    def slugs(self) -> list[str]:
        """The slug of every resource that is the subject of a fact, sorted."""
        found = {
            slug
            for quad in self.store.quads_for_pattern(None, RDF_TYPE, None)
            if isinstance(quad.subject, ox.NamedNode) and (slug := slug_of(quad.subject.value))
        }
        return sorted(found)

    def exists(self, slug: str) -> bool:
        try:
            node = ox.NamedNode(ID_NS + slug)
        except ValueError:
            return False
        return (
            slug_of(node.value) == slug
            and next(iter(self.store.quads_for_pattern(node, None, None)), None) is not None
        )

    def close_matches(self, slug: str, links: Links) -> list[tuple[str, str]]:
        """Up to five resources whose slugs resemble ``slug``: (label, href)."""
        found = difflib.get_close_matches(slug[:200], self.slugs, n=5, cutoff=0.6)
        reader = self.facts(links)
        return [(reader.title(ox.NamedNode(ID_NS + s)), links.href(f"id/{s}")) for s in found]

    def resource(self, slug: str, links: Links) -> str:
        node = ox.NamedNode(ID_NS + slug)
        reader = self.facts(links)
        return self.render(
            "resource.html",
            links,
            reader.title(node),
            iri=node.value,
            target=f"id/{slug}",
            groups=reader.groups(node),
        )

    def resource_triples(self, slug: str) -> list[ox.Triple]:
        """What the resource's Turtle or JSON-LD holds: its own triples and its citations'."""
        node = ox.NamedNode(ID_NS + slug)
        own = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self.store.quads_for_pattern(node, None, None)
        ]
        cited = [t.object for t in own if t.predicate == TIP_CITATION]
        for citation in sorted(cited, key=term_key):
            own += [
                ox.Triple(q.subject, q.predicate, q.object)
                for q in self.store.quads_for_pattern(citation, None, None)
            ]
        return own

    def resource_data(self, slug: str, media: str) -> bytes:
        from tipgraph.web.results import graph_answer

        return graph_answer(self.resource_triples(slug), media)

    def resource_index(self, links: Links) -> str:
        by_class: dict[str, list[tuple[str, str]]] = {}
        reader = self.facts(links)
        for slug in self.slugs:
            node = ox.NamedNode(ID_NS + slug)
            types = sorted(
                (q.object.value for q in self.store.quads_for_pattern(node, RDF_TYPE, None)),
            )
            main = next((t for t in types if t.startswith(TIP_NS)), types[0] if types else "")
            by_class.setdefault(main, []).append((reader.title(node), slug))
        sections = []
        for cls in sorted(by_class, key=lambda c: (c == TIP_NS + "Citation", shorten(c))):
            items = sorted(by_class[cls], key=lambda pair: (pair[0].casefold(), pair[1]))
            sections.append(
                {
                    "name": shorten(cls),
                    "anchor": anchor(cls) or "other",
                    "title": class_title(self.store, cls),
                    "entries": [{"text": t, "href": links.href(f"id/{s}")} for t, s in items],
                }
            )
        return self.render("resources.html", links, "Resources", sections=sections)

    # Home, search, vocabulary.

    @functools.cached_property
    def counts(self) -> list[tuple[str, int]]:
        from tipgraph.stats import stats_rows

        rows = stats_rows(self.store)
        return [(r[1].value, int(r[2].value)) for r in rows if r[0].value in ("summary", "triples")]

    def home(self, links: Links) -> str:
        return self.render("home.html", links, "Home", counts=self.counts)

    def search(self, query: str, links: Links) -> str:
        hits = error = None
        if query.strip():
            try:
                hits = [
                    self._hit(hit, links) for hit in self.search_index.search(query, SEARCH_LIMIT)
                ]
            except InputError as problem:
                error = str(problem)
        return self.render("search.html", links, "Search", q=query, hits=hits, error=error)

    def _hit(self, hit, links: Links) -> dict:
        subject = hit.subject
        subject_label = None
        if subject:
            found = label(self.store, ox.NamedNode(subject))
            subject_label = found.value if found is not None else shorten(subject)
        return {
            "kind": hit.kind,
            "label": hit.label,
            "segments": hit.segments,
            "href": links.link(hit.citation or hit.iri),
            "subject_href": links.link(subject) if subject else None,
            "subject_label": subject_label,
        }

    def vocabulary(self, links: Links) -> Vocabulary:
        return Vocabulary(self.store, self.shapes, links.link)

    def ontology(self, links: Links) -> str:
        vocabulary = self.vocabulary(links)
        ontology = ox.NamedNode(TIP_NS[:-1])
        description = next(
            (
                q.object.value
                for q in self.store.quads_for_pattern(
                    ontology, ox.NamedNode("http://purl.org/dc/terms/description"), None
                )
            ),
            None,
        )
        return self.render(
            "ontology.html",
            links,
            "Ontology",
            description=description,
            classes=vocabulary.classes(),
            properties=vocabulary.properties(),
            shapes=vocabulary.shape_details(),
        )

    def scheme_names(self) -> list[str]:
        return Vocabulary(self.store, self.shapes, lambda iri: None).scheme_names()

    def schemes(self, links: Links) -> str:
        vocabulary = self.vocabulary(links)
        schemes = [vocabulary.scheme(name) for name in vocabulary.scheme_names()]
        return self.render("schemes.html", links, "Concept schemes", schemes=schemes)

    def scheme(self, name: str, links: Links) -> str | None:
        scheme = self.vocabulary(links).scheme(name)
        if scheme is None:
            return None
        return self.render("scheme.html", links, scheme.label, scheme=scheme)

    # Saved queries.

    def queries(self, links: Links) -> str:
        good, _bad = self.catalogue.load()
        return self.render("queries.html", links, "Saved queries", queries=good)

    def table(self, rows: Rows, links: Links) -> Table:
        """Rows for a page: an IRI column with a ``…Label`` column beside it shows as one
        column, the label (with the resource's acronym) linked to the resource's page."""
        from tipgraph.acronyms import in_store, with_acronyms

        reader = FactReader(self.store, links.link)
        variables = list(rows.variables)
        named_rows = with_acronyms(in_store(self.store), variables, rows.rows)
        labelled = {v: variables.index(v + "Label") for v in variables if v + "Label" in variables}
        hidden = {index for index in labelled.values()}
        shown = [i for i in range(len(variables)) if i not in hidden]

        def cell(row, index: int) -> Value | None:
            term = row[index]
            if term is None:
                return None
            if isinstance(term, ox.NamedNode):
                label_index = labelled.get(variables[index])
                name = row[label_index] if label_index is not None else None
                text = name.value if name is not None else shorten(term.value)
                return Value(text, links.link(term.value), term.value)
            return reader.value(term)

        return Table(
            [variables[i] for i in shown], [[cell(r, i) for i in shown] for r in named_rows]
        )

    def run_query(self, name: str, values: Mapping[str, str]) -> Rows:
        return run_saved_query(
            self.store,
            self.catalogue.get(name),
            dict(values),
            timeout=self.timeout,
            max_rows=self.max_rows,
        )

    def query(
        self,
        name: str,
        values: Mapping[str, str],
        links: Links,
        downloads: Sequence[tuple[str, str]],
    ) -> tuple[int, str]:
        """The page of a saved query with its answer (status 400 when a value is bad)."""
        from tipgraph.parameter_info import describe_parameters

        query = self.catalogue.get(name)
        status, table, error = 200, None, None
        try:
            table = self.table(self.run_query(name, values), links)
        except InputError as problem:
            status, error = 400, str(problem)
        except QueryError as problem:
            status, error = 503, str(problem)
        page = self.render(
            "query.html",
            links,
            query.summary,
            query=query,
            parameters=describe_parameters(query, self.store),
            values=dict(values),
            table=table,
            error=error,
            downloads=list(downloads),
        )
        return status, page

    # Pictures.

    def _picture(self, name: str, links: Links | None):
        import tipgraph.pictures as pictures

        def link(iri: str) -> str:
            return (links.link(iri) if links is not None else None) or iri

        make = getattr(pictures, PICTURES[name])
        return make(self.store, link, queries=self.layout.queries)

    def picture(self, name: str, links: Links, csv_href: str) -> str:
        picture = self._picture(name, links)
        rows = [[Value(cell) if cell else None for cell in row] for row in picture.rows]
        return self.render(
            "picture.html",
            links,
            picture.title,
            picture=picture,
            svg=markupsafe.Markup(picture.svg),  # drawn by tipgraph.pictures, which escapes
            table=Table(list(picture.variables), rows),
            csv_href=csv_href,
        )

    def picture_csv(self, name: str) -> bytes:
        import csv
        import io

        picture = self._picture(name, None)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(picture.variables)
        writer.writerows(picture.rows)
        return buffer.getvalue().encode("utf-8")

    def pictures_index(self, links: Links) -> str:
        return self.render("pictures.html", links, "Pictures")

    def not_found(self, links: Links, message: str, suggestions=()) -> str:
        return self.render(
            "error.html", links, "Not found", message=message, suggestions=list(suggestions)
        )

    def error(self, links: Links, title: str, message: str) -> str:
        return self.render("error.html", links, title, message=message, suggestions=[])
