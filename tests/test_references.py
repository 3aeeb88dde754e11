"""Full references, the bibliography (BibTeX, CSL-JSON), CITATION.cff and how to cite, and the
``cite`` and ``bibliography`` commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from tipgraph.errors import InputError
from tipgraph.namespaces import ID_NS, TIP_NS
from tipgraph.references import (
    NO_ADDRESS,
    bibtex,
    bibtex_escape,
    citation_file,
    citation_iris,
    csl_json,
    documents,
    full_reference,
    how_to_cite,
    human_date,
)

ROOT = Path(__file__).resolve().parent.parent
CSL_FIELDS = {"id", "type", "title", "number", "issued", "URL", "note"}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def one(store, subject: str, predicate: str) -> str | None:
    found = sorted(
        q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None)
    )
    return found[0] if found else None


def test_every_citation_has_a_full_reference_with_symbol_and_locator(store):
    citations = citation_iris(store)
    assert len(citations) > 900
    for citation in citations:
        reference = full_reference(store, citation)
        assert "\n" not in reference
        document = one(store, citation, TIP_NS + "document")
        symbol = one(store, document, "http://purl.org/dc/terms/identifier")
        name = symbol or one(store, document, "http://www.w3.org/2000/01/rdf-schema#label")
        assert reference.startswith(name), reference
        assert one(store, citation, TIP_NS + "locator") in reference
        assert reference.endswith(NO_ADDRESS) or re.search(r"\. https?://\S+$", reference)


def test_reference_of_a_paragraph_of_the_report(store):
    reference = full_reference(store, ID_NS + "cite-hrc-p25-saarc-established")
    assert reference == (
        "A/HRC/14/32, “Report submitted by the Special Rapporteur on trafficking in persons, "
        "especially women and children, Joy Ngozi Ezeilo”, 4 May 2010, para. 25. "
        "https://undocs.org/A/HRC/14/32"
    )


def test_documents_without_a_recorded_address_say_so(store):
    for slug in ("cite-sum-pg13-saarc-gender", "cite-cn-annex-saarc"):
        assert full_reference(store, ID_NS + slug).endswith(". " + NO_ADDRESS)
    reference = full_reference(store, ID_NS + "cite-sum-pg13-saarc-gender")
    assert "December 2010" in reference and "Asian Region / SAARC, p. 13" in reference


def test_only_cited_web_addresses_are_recorded(store):
    """A web address comes from an external source cited for it; none for the Dakar
    documents or the OHCHR Summary."""
    by_key = {doc.key: doc for doc in documents(store)}
    assert by_key["a-hrc-14-32"].addresses == ("https://undocs.org/A/HRC/14/32",)
    for key in ("dakar-concept-note", "dakar-summary-report", "ohchr-summary-2010"):
        assert by_key[key].addresses == ()
    for doc in by_key.values():
        if not doc.addresses:
            continue
        citations = [
            q.object
            for q in store.quads_for_pattern(
                ox.NamedNode(doc.iri), ox.NamedNode(TIP_NS + "citation"), None
            )
        ]
        sources = {one(store, c.value, TIP_NS + "document") for c in citations}
        assert any(by_key[s.removeprefix(ID_NS)].external for s in sources)


def test_external_sources_are_marked(store):
    reference = full_reference(store, ID_NS + "cite-iso-3166-1-aus")
    assert reference.startswith("ISO 3166-1 (external source), ")


def test_a_page_of_an_external_website_is_the_address(store):
    reference = full_reference(store, ID_NS + "cite-escap-website-acronym")
    assert reference.startswith("ESCAP website (unescap.org) (external source), ")
    assert reference.endswith(
        ". https://www.unescap.org/news/"
        "lead-un-body-asia-pacific-opens-focus-regional-cooperation-support-2030-agenda"
    )
    assert NO_ADDRESS not in reference
    # A document with an address of its own keeps it after the locator.
    assert full_reference(store, ID_NS + "cite-hrc-p25-saarc-established").endswith(
        "para. 25. https://undocs.org/A/HRC/14/32"
    )


@pytest.mark.parametrize(
    "iri",
    [ID_NS + "saarc", ID_NS + "no-such-citation", "not an iri", "", ID_NS + "a-hrc-14-32"],
)
def test_unknown_citation_is_an_input_error(store, iri):
    with pytest.raises(InputError, match="no citation"):
        full_reference(store, iri)


def test_unknown_citation_names_close_matches(store):
    with pytest.raises(InputError, match="did you mean: cite-hrc-p25-saarc-established"):
        full_reference(store, ID_NS + "cite-hrc-p25-saarc-establishd")


@pytest.mark.parametrize(
    ("date", "shown"),
    [
        ("2010-05-04", "4 May 2010"),
        ("2010-12", "December 2010"),
        ("2010", "2010"),
        ("2010-02-30", "February 2010"),
        ("2010-00", "2010"),
        ("sometime", "sometime"),
        (None, None),
    ],
)
def test_human_dates(date, shown):
    assert human_date(date) == shown


# BibTeX


def entries(text: str) -> list[str]:
    return re.findall(r"^@misc\{([^,]+),$", text, flags=re.M)


def balanced(text: str) -> bool:
    depth = 0
    for match in re.finditer(r"\\[{}]|[{}]", text):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def test_bibtex_has_one_entry_per_document_in_order(store):
    text = bibtex(store)
    keys = entries(text)
    assert keys == sorted(doc.key for doc in documents(store))
    assert len(keys) == len(set(keys))
    assert balanced(text)
    for block in text.strip().split("\n\n"):
        assert block.startswith("@misc{") and block.endswith("\n}")
        assert balanced(block)
        assert re.search(r"^  title = \{\{.+\}\},?$", block, flags=re.M)
    assert "url = {https://undocs.org/A/HRC/14/32}" in text
    assert "number = {A/HRC/14/32}" in text
    assert "month = dec" in text
    assert bibtex(store) == text


def test_bibtex_escapes_special_characters():
    hostile = r"50% of {braces} & $math$ #1 a_b ~ ^ back\slash"
    escaped = bibtex_escape(hostile)
    assert balanced("{" + escaped + "}")
    for special in "%&$#_":
        assert re.search(r"(?<!\\)" + re.escape(special), escaped) is None
    assert r"\textbackslash{}" in escaped


def test_bibtex_of_a_hostile_document():
    store = ox.Store()
    store.load(
        b"@prefix id: <https://w3id.org/tipgraph/id/> .\n"
        b"@prefix tip: <https://w3id.org/tipgraph/def/> .\n"
        b"@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        b"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        b"@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        b'id:x a tip:SourceDocument ; rdfs:label "x } @misc{evil," ;\n'
        b'  dcterms:title "Title with } unbalanced { and \\\\ %" ;\n'
        b"  foaf:page <https://example.org/a%7Bb> ;\n"
        b'  dcterms:date "2010-13" ; tip:externalSource true .\n',
        format=ox.RdfFormat.TURTLE,
    )
    text = bibtex(store)
    assert entries(text) == ["x"]
    assert balanced(text)
    assert "@misc{evil" not in text.replace(r"@misc\{evil", "")
    item = csl_json(store)[0]
    assert item["title"] == "Title with } unbalanced { and \\ %"
    assert item["issued"] == {"date-parts": [[2010]]}  # 2010-13: no month 13
    assert item["URL"] == "https://example.org/a%7Bb"


# CSL-JSON


def test_csl_json_items(store):
    items = csl_json(store)
    assert json.loads(json.dumps(items)) == items
    assert [item["id"] for item in items] == sorted(doc.key for doc in documents(store))
    for item in items:
        assert set(item) <= CSL_FIELDS
        assert item["type"] == "document"
        assert item["title"]
        if "issued" in item:
            parts = item["issued"]["date-parts"]
            assert len(parts) == 1 and 1 <= len(parts[0]) <= 3
            assert all(isinstance(p, int) for p in parts[0])
    by_id = {item["id"]: item for item in items}
    report = by_id["a-hrc-14-32"]
    assert report["number"] == "A/HRC/14/32"
    assert report["issued"] == {"date-parts": [[2010, 5, 4]]}
    assert report["URL"] == "https://undocs.org/A/HRC/14/32"
    assert by_id["ohchr-summary-2010"]["issued"] == {"date-parts": [[2010, 12]]}
    assert "URL" not in by_id["ohchr-summary-2010"]
    assert "External source" in by_id["iso-3166-1"]["note"]


# CITATION.cff


def test_citation_cff_is_valid_and_agrees_with_pyproject():
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = pyproject()["project"]
    for key in ("cff-version", "message", "title", "version", "authors", "license", "abstract"):
        assert data.get(key), key
    assert data["cff-version"] == "1.2.0"
    assert data["version"] == project["version"]
    assert sorted(data["license"]) == sorted(project["license"].split(" AND "))
    assert [a["name"] for a in data["authors"]] == [a["name"] for a in project["authors"]]
    assert isinstance(data["keywords"], list) and all(isinstance(k, str) for k in data["keywords"])
    assert data["type"] in ("software", "dataset")


def test_how_to_cite_is_made_from_the_citation_file(tmp_path):
    line = how_to_cite()
    data = yaml.safe_load(citation_file().read_text(encoding="utf-8"))
    assert line.startswith("tipgraph contributors. ")
    assert data["title"] in line and f"version {data['version']}" in line
    assert "CC-BY-4.0 AND MIT" in line and "\n" not in line
    other = tmp_path / "CITATION.cff"
    other.write_text(
        "cff-version: 1.2.0\nmessage: m\ntitle: T\nversion: 9\ndate-released: 2027-01-02\n"
        "authors:\n  - family-names: Doe\n    given-names: Jo\nlicense: MIT\n"
        "doi: 10.1234/x\n",
        encoding="utf-8",
    )
    assert how_to_cite(other) == "Jo Doe. (2027). T (version 9) [software]. Licence: MIT. " + (
        "https://doi.org/10.1234/x"
    )


@pytest.mark.parametrize(
    "content", ["title: [unclosed\n", "just text\n", "title: T\n", "authors: []\ntitle: T\n"]
)
def test_how_to_cite_refuses_a_bad_citation_file(tmp_path, content):
    path = tmp_path / "CITATION.cff"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError):
        how_to_cite(path)


def test_how_to_cite_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        how_to_cite(tmp_path / "absent.cff")


def test_the_installed_package_finds_its_citation_file():
    """The checkout's file, or in an installed package the bundled copy: the same text."""
    path = citation_file()
    assert path.is_file()
    assert path.read_text(encoding="utf-8") == (ROOT / "CITATION.cff").read_text(encoding="utf-8")


# The command line


@pytest.mark.parametrize(
    "given",
    [
        "cite-hrc-p25-saarc-established",
        "id:cite-hrc-p25-saarc-established",
        ID_NS + "cite-hrc-p25-saarc-established",
    ],
)
def test_cli_cite(run, store, given):
    result = run("cite", given)
    assert result.exit_code == 0, result.output
    assert result.stdout == full_reference(store, ID_NS + "cite-hrc-p25-saarc-established") + "\n"


def test_cli_cite_without_argument_says_how_to_cite_tipgraph(run):
    result = run("cite")
    assert result.exit_code == 0
    assert result.stdout == how_to_cite() + "\n"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("cite-hrc-p25-saarc-establishd", "did you mean: cite-hrc-p25-saarc-established"),
        ("no-such-thing", "no citation 'no-such-thing' in the graph"),
        ("not a slug!", "no citation 'not a slug!'"),
        ("saarc", "saarc is not a citation"),
    ],
)
def test_cli_cite_unknown(run, given, message):
    result = run("cite", given)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_bibliography_formats(run, store):
    result = run("bibliography")
    assert result.exit_code == 0
    assert result.stdout == bibtex(store)
    result = run("bibliography", "--format", "csl-json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == csl_json(store)
    assert run("bibliography", "--format", "ris").exit_code == 2
