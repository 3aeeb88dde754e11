"""The web application (``tipgraph serve``) through Starlette's test client: every route,
content negotiation, the SPARQL protocol with its refusals and limits, the saved queries as
operations and their OpenAPI description."""

from __future__ import annotations

import csv
import io
import re
import warnings
import xml.etree.ElementTree as ElementTree

import pyoxigraph as ox
import pytest

from tipgraph.catalogue import Catalogue
from tipgraph.namespaces import ID_NS, RDFS_NS
from tipgraph.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette suggests httpx2; httpx is what it supports
    from starlette.testclient import TestClient

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
PAGES = [
    "/",
    "/id/",
    "/id/saarc",
    "/id/commit-mekong",
    "/queries/",
    "/queries/instruments-by-organization",
    "/search?q=saarc",
    "/ontology",
    "/scheme/",
    "/scheme/theme",
    "/pictures/",
    "/pictures/coverage",
    "/pictures/timeline",
    "/pictures/partnerships",
    "/pictures/members",
]


@pytest.fixture(scope="module")
def client(store, layout):
    with TestClient(create_app(store, layout, timeout=30, max_rows=100_000)) as client:
        yield client


@pytest.fixture(scope="module")
def limited(store, layout):
    """A server with a tiny row cap."""
    with TestClient(create_app(store, layout, timeout=30, max_rows=5)) as client:
        yield client


@pytest.fixture(scope="module")
def hurried(store, layout):
    """A server with a tiny time limit."""
    with TestClient(create_app(store, layout, timeout=0.1, max_rows=10**8)) as client:
        yield client


def sparql_json(response) -> dict:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(SPARQL_JSON)
    return response.json()


# Pages for people.


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_html_security_headers_and_how_to_cite(client, path):
    from tipgraph.references import how_to_cite

    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    page = response.text
    assert "How to cite" in page and _html_text(how_to_cite()) in page
    # nothing is loaded from another host: scripts, styles and images are local
    for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", page):
        for url in re.findall(r'(?:src|href)="([^"]*)"', tag):
            assert not re.match(r"(?i)^(https?:)?//", url), (path, tag)


def _html_text(text: str) -> str:
    """Text as the templates escape it."""
    import markupsafe

    return str(markupsafe.escape(text))


def test_home_page_has_counts_and_a_search_box(client):
    page = client.get("/").text
    assert 'name="q"' in page and 'action="/search"' in page
    assert re.search(r"<td>mechanisms</td><td class=\"number\">\d+</td>", page)


def test_saarc_page_shows_its_facts_with_citations(client, store):
    from tipgraph.references import full_reference

    page = client.get("/id/saarc").text
    assert "<h1>South Asian Association for Regional Cooperation</h1>" in page
    assert "SAARC" in page
    # each value with its citation: document, locator, quotation and the full reference
    assert "A/HRC/14/32" in page and "para. 25" in page
    assert "SAARC, established in 1985" in page
    citation = ID_NS + "cite-cn-annex-saarc"
    assert _html_text(full_reference(store, citation)) in page
    assert 'href="/id/cite-cn-annex-saarc"' in page
    # related resources are linked
    assert 'href="/id/saarc-convention"' in page
    assert 'href="/ontology#Mechanism"' in page


def test_commit_page_lists_its_coverage_claims(client):
    page = client.get("/id/commit-mekong").text
    assert "Claims about it" in page
    assert "para. 99" in page


def test_resource_index_lists_every_class(client):
    page = client.get("/id/").text
    assert 'href="/id/saarc"' in page and 'href="/id/state-npl"' in page


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
    ],
)
def test_resource_answers_rdf_by_accept(client, accept, media):
    response = client.get("/id/saarc", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "accept" in response.headers["vary"].lower()
    formats = {
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/ld+json": ox.RdfFormat.JSON_LD,
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
    }
    triples = list(ox.parse(response.content, format=formats[media]))
    saarc = ox.NamedNode(ID_NS + "saarc")
    labels = [
        t.object.value
        for t in triples
        if t.subject == saarc and t.predicate.value == RDFS_NS + "label"
    ]
    assert labels == ["South Asian Association for Regional Cooperation"]
    # the citations travel with the facts
    assert any(t.subject.value.startswith(ID_NS + "cite-") for t in triples)


def test_resource_suffixes_and_browser_accept(client):
    assert client.get("/id/saarc.ttl").headers["content-type"].startswith("text/turtle")
    assert client.get("/id/saarc.jsonld").json()
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/id/saarc", headers={"Accept": browser})
    assert response.headers["content-type"].startswith("text/html")
    assert client.get("/id/saarc", headers={"Accept": "image/png"}).status_code == 406


def test_unknown_resource_is_404_with_close_matches(client):
    response = client.get("/id/sarc")
    assert response.status_code == 404
    assert 'href="/id/saarc"' in response.text
    assert client.get("/id/saarc.ttlx").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/scheme/no-such-scheme").status_code == 404
    assert client.get("/pictures/no-such-picture").status_code == 404
    assert client.get("/static/../cli.py").status_code == 404
    assert client.get("/static/nothing.css").status_code == 404


def test_wrong_methods_are_405(client):
    assert client.post("/id/saarc").status_code == 405
    assert client.delete("/sparql").status_code == 405
    assert client.put("/api/members-of").status_code == 405


def test_search_highlights_matches_and_escapes_the_query(client):
    page = client.get("/search", params={"q": "saarc"}).text
    assert "<mark>SAARC</mark>" in page
    assert 'href="/id/saarc"' in page
    hostile = client.get("/search", params={"q": "<script>alert(1)</script> saarc"}).text
    assert "<script>alert(1)</script>" not in hostile
    assert "&lt;script&gt;" in hostile
    stemmed = client.get("/search", params={"q": "trafficked"}).text
    assert "<mark>" in stemmed


def test_search_index_is_served_for_the_search_box(client):
    index = client.get("/search-index.json").json()
    assert any(entry["iri"] == ID_NS + "saarc" for entry in index["entries"])
    script = client.get("/static/search.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "initSearch" in script.text


def test_ontology_and_schemes_are_documented_with_their_shapes(client):
    ontology = client.get("/ontology").text
    assert 'id="Mechanism"' in ontology and "tip:MechanismShape" in ontology
    assert 'id="MechanismShape"' in ontology
    theme = client.get("/scheme/theme").text
    assert 'id="redress"' in theme
    assert "Shapes that check its use" in theme
    schemes = client.get("/scheme/").text
    assert 'href="/scheme/theme"' in schemes


def test_pictures_are_inline_svg_with_their_data(client):
    for name in ("coverage", "timeline", "partnerships", "members"):
        page = client.get(f"/pictures/{name}").text
        assert "<svg" in page and f'href="/pictures/{name}.csv"' in page
        assert 'href="#data"' in page
        data = client.get(f"/pictures/{name}.csv")
        assert data.status_code == 200 and len(data.text.splitlines()) > 1


# Saved queries: pages, the API, OpenAPI.


def test_queries_page_lists_every_saved_query(client, layout):
    page = client.get("/queries/").text
    for name in Catalogue(layout.queries).names():
        assert f'href="/queries/{name}"' in page


def test_query_page_has_a_form_with_drop_downs_and_the_answer(client):
    page = client.get("/queries/mechanisms-covering-theme").text
    assert '<select id="p-theme" name="theme">' in page
    assert '<option value="theme:prevention"' in page
    assert "download" in page.lower() and 'href="/api/mechanisms-covering-theme.csv"' in page
    chosen = client.get("/queries/mechanisms-covering-theme", params={"theme": "theme:prevention"})
    assert chosen.status_code == 200
    assert '<option value="theme:prevention" selected>' in chosen.text
    assert 'href="/api/mechanisms-covering-theme.csv?theme=theme%3Aprevention"' in chosen.text
    organisations = client.get("/queries/instruments-by-organization").text
    assert '<option value="saarc"' in organisations


def test_query_page_with_a_bad_value_is_400_and_escaped(client):
    response = client.get(
        "/queries/instruments-by-organization", params={"organization": "<b>nope</b>"}
    )
    assert response.status_code == 400
    assert "parameter organization" in response.text
    assert "<b>nope</b>" not in response.text
    assert client.get("/queries/no-such-query").status_code == 404


def test_api_men_and_boys_gives_commit_with_paragraph_99(client):
    rows = client.get("/api/mechanisms-covering-men-and-boys.json").json()
    commit = [r for r in rows if r["mechanism"] == ID_NS + "commit-mekong"]
    assert any(r["locator"] == "para. 99" and r["quotation"] for r in commit), commit
    assert not [r for r in rows if r["mechanism"] == ID_NS + "saarc"]


@pytest.mark.parametrize(
    ("path", "accept", "media"),
    [
        ("/api/members-of", None, "application/json"),
        ("/api/members-of", "text/csv", "text/csv"),
        ("/api/members-of", "text/tab-separated-values", "text/tab-separated-values"),
        ("/api/members-of", SPARQL_JSON, SPARQL_JSON),
        ("/api/members-of.csv", "application/json", "text/csv"),
        ("/api/members-of.tsv", None, "text/tab-separated-values"),
    ],
)
def test_api_formats_by_accept_or_suffix(client, path, accept, media):
    headers = {"Accept": accept} if accept else {}
    response = client.get(path, params={"mechanism": "saarc"}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    if media == "text/csv":
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert any(row["member"].endswith("/state-npl") for row in rows)
    elif media == SPARQL_JSON:
        assert response.json()["results"]["bindings"]


def test_api_parameters_are_typed_like_the_command_line(client):
    saarc = client.get("/api/instruments-by-organization", params={"organization": "saarc"})
    assert any(row["instrument"] == ID_NS + "saarc-convention" for row in saarc.json())
    by_prefixed = client.get(
        "/api/instruments-by-organization", params={"organization": "id:saarc"}
    )
    assert by_prefixed.json() == saarc.json()
    years = client.get("/api/instruments-adopted-between", params={"from": "2002", "to": "2003"})
    assert years.status_code == 200 and years.json()


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"organization": "no-such-thing"}, "no resource"),
        ({"organization": "not a slug!"}, "parameter organization"),
        ({"nonsense": "1"}, "unknown parameter 'nonsense'"),
    ],
)
def test_api_bad_parameters_are_400_naming_them(client, params, named):
    response = client.get("/api/instruments-by-organization", params=params)
    assert response.status_code == 400
    assert named in response.text
    assert response.headers["content-type"].startswith("text/plain")


def test_api_bad_typed_values_and_repeats_are_400(client):
    year = client.get("/api/instruments-adopted-between", params={"from": "abc"})
    assert year.status_code == 400 and "parameter from (year)" in year.text
    twice = client.get("/api/instruments-adopted-between?from=2000&from=2001")
    assert twice.status_code == 400 and "from" in twice.text
    assert client.get("/api/no-such-query").status_code == 404
    assert client.get("/api/members-of", headers={"Accept": "image/png"}).status_code == 406


def test_api_limits(limited):
    capped = limited.get("/api/member-counts")
    assert capped.status_code == 413 and "more than 5 rows" in capped.text


def test_openapi_describes_every_operation(client, layout, store):
    import jsonschema

    from tipgraph.parameter_info import describe_parameters

    document = client.get("/api/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    catalogue = Catalogue(layout.queries)
    assert set(document["paths"]) == {f"/api/{name}" for name in catalogue.names()}
    for path, item in document["paths"].items():
        operation = item["get"]
        query = catalogue.get(path.removeprefix("/api/"))
        assert operation["operationId"] == query.name and operation["summary"]
        assert "200" in operation["responses"] and "400" in operation["responses"]
        described = {info.name: info for info in describe_parameters(query, store)}
        assert [p["name"] for p in operation["parameters"]] == list(described)
        for parameter in operation["parameters"]:
            assert parameter["in"] == "query"
            assert parameter["required"] == described[parameter["name"]].required
            schema = parameter["schema"]
            jsonschema.Draft202012Validator.check_schema(schema)
            if "default" in schema:
                jsonschema.validate(schema["default"], schema)
    theme = document["paths"]["/api/mechanisms-covering-theme"]["get"]["parameters"][0]
    assert (
        "theme:redress" in theme["schema"]["enum"] and theme["schema"]["default"] == "theme:redress"
    )
    years = document["paths"]["/api/instruments-adopted-between"]["get"]["parameters"]
    assert years[0]["schema"]["type"] == "integer" and years[0]["schema"]["default"] == 2000


# The SPARQL protocol.


def test_sparql_get_ask(client):
    response = client.get(
        "/sparql", params={"query": "ASK{?s?p?o}"}, headers={"Accept": SPARQL_JSON}
    )
    assert sparql_json(response) == {"head": {}, "boolean": True}


SELECT = "SELECT ?label WHERE { id:saarc rdfs:label ?label }"


@pytest.mark.parametrize(
    "accept", [SPARQL_JSON, SPARQL_XML, "text/csv", "text/tab-separated-values", None, "*/*"]
)
def test_sparql_select_in_every_result_format(client, accept):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": SELECT}, headers=headers)
    assert response.status_code == 200
    media = response.headers["content-type"].split(";")[0]
    assert media == (accept if accept not in (None, "*/*") else SPARQL_JSON)
    label = "South Asian Association for Regional Cooperation"
    if media == SPARQL_JSON:
        binding = response.json()["results"]["bindings"][0]["label"]
        assert binding == {"type": "literal", "value": label, "xml:lang": "en"}
    elif media == SPARQL_XML:
        root = ElementTree.fromstring(response.content)
        literal = root.find(
            f"{RESULTS_NS}results/{RESULTS_NS}result/{RESULTS_NS}binding/{RESULTS_NS}literal"
        )
        assert literal is not None and literal.text == label
    elif media == "text/csv":
        assert response.text == f"label\r\n{label}\r\n"
    else:
        assert response.text == f'?label\n"{label}"@en\n'


def test_sparql_ask_as_xml(client):
    response = client.get(
        "/sparql", params={"query": "ASK { id:saarc a tip:State }"}, headers={"Accept": SPARQL_XML}
    )
    root = ElementTree.fromstring(response.content)
    assert root.find(f"{RESULTS_NS}boolean").text == "false"


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_sparql_construct_and_describe_as_rdf(client, accept, rdf_format):
    for query in (
        "CONSTRUCT { id:saarc rdfs:label ?l } WHERE { id:saarc rdfs:label ?l }",
        "DESCRIBE id:saarc",
    ):
        response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(accept)
        triples = list(ox.parse(response.content, format=rdf_format))
        assert any(
            t.object.value == "South Asian Association for Regional Cooperation" for t in triples
        )
    refused = client.get(
        "/sparql", params={"query": "DESCRIBE id:saarc"}, headers={"Accept": SPARQL_JSON}
    )
    assert refused.status_code == 406


def test_sparql_post_form_and_direct(client):
    form = client.post("/sparql", data={"query": SELECT}, headers={"Accept": SPARQL_JSON})
    assert sparql_json(form)["results"]["bindings"]
    direct = client.post(
        "/sparql",
        content=SELECT.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": SPARQL_JSON},
    )
    assert sparql_json(direct) == sparql_json(form)


UPDATES = [
    "INSERT DATA { id:saarc rdfs:label 'hacked' }",
    "PREFIX x: <http://example.org/> # comment\nDELETE WHERE { ?s ?p ?o }",
    "  CLEAR ALL",
    "LOAD <http://example.org/data.ttl>",
    "DROP DEFAULT",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_with_403_and_the_graph_is_unchanged(client, store, update):
    before = len(store)
    answers = [
        client.post("/sparql", data={"update": update}),
        client.post(
            "/sparql",
            content=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        ),
        client.get("/sparql", params={"query": update}),
        client.post("/sparql", data={"query": update}),
        client.post(
            "/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-query"}
        ),
        client.get("/sparql", params={"update": update}),
    ]
    for response in answers:
        assert response.status_code == 403, (response.status_code, response.text)
        assert "read-only" in response.text
    assert len(store) == before
    labels = client.get("/sparql", params={"query": SELECT}, headers={"Accept": SPARQL_JSON})
    assert [b["label"]["value"] for b in labels.json()["results"]["bindings"]] == [
        "South Asian Association for Regional Cooperation"
    ]


def test_update_words_inside_a_query_are_not_refused(client):
    query = 'SELECT ?x WHERE { BIND("INSERT DATA { <a:b> <a:c> <a:d> }" AS ?x) } # DELETE'
    response = client.get("/sparql", params={"query": query}, headers={"Accept": SPARQL_JSON})
    assert sparql_json(response)["results"]["bindings"][0]["x"]["value"].startswith("INSERT")


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("SELECT ?s WHERE { ?s ?p }", 400, "syntax error"),
        ("SELEKT * {}", 400, "syntax error"),
        ("INSERT garbage", 400, "syntax error"),
        ("   ", 400, "no query"),
        ("{" * 300 + "}" * 300, 400, "nests"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403, "SERVICE"),
    ],
)
def test_malformed_and_refused_queries(client, query, status, message):
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == status, response.text
    assert message in response.text
    assert response.headers["content-type"].startswith("text/plain")


def test_protocol_errors(client):
    assert client.get("/sparql").status_code == 400
    twice = client.get("/sparql?query=ASK{}&query=ASK{}")
    assert twice.status_code == 400 and "once" in twice.text
    dataset = client.get("/sparql", params={"query": "ASK{}", "default-graph-uri": "http://x/"})
    assert dataset.status_code == 400
    wrong_type = client.post("/sparql", content=b"ASK{}", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    not_utf8 = client.post(
        "/sparql", content=b"ASK{\xff}", headers={"Content-Type": "application/sparql-query"}
    )
    assert not_utf8.status_code == 400
    huge = client.post(
        "/sparql",
        content=b"#" * (4_000_001),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert huge.status_code == 413
    assert (
        client.get(
            "/sparql", params={"query": "ASK{}"}, headers={"Accept": "image/png"}
        ).status_code
        == 406
    )


def test_sparql_time_limit(hurried):
    # every row is a step at which the stopped query ends, so nothing runs on afterwards
    slow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    response = hurried.get("/sparql", params={"query": slow})
    assert response.status_code == 503
    assert "time limit" in response.text and "0.1 s" in response.text


def test_sparql_row_cap(limited):
    capped = limited.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert capped.status_code == 413
    assert "more than 5 rows" in capped.text
    triples = limited.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert triples.status_code == 413


def test_query_page_names_resources_with_their_acronyms(client):
    page = client.get("/queries/mechanisms-covering-men-and-boys").text
    assert "Coordinated Mekong Ministerial Initiative against Human Trafficking (COMMIT)" in page


@pytest.mark.parametrize(
    ("iri", "title"),
    [
        ("http://www.w3.org/ns/org#OrganizationalUnit", "Organizational unit"),
        ("http://www.w3.org/ns/org#Site", "Site"),
        ("https://w3id.org/tipgraph/def/Mechanism", "Mechanism"),
        ("", "Other"),
    ],
)
def test_resource_index_titles_classes_in_words(store, iri, title):
    from tipgraph.web.pages import class_title

    assert class_title(store, iri) == title


def test_resource_index_has_no_prefixed_class_names_as_titles(client):
    page = client.get("/id/").text
    assert "Org:" not in page
    assert "Organizational unit" in page
