"""Search over labels, acronyms and quotations: matching, ranking, highlighting, bad input,
the static site's prebuilt index and its script, and the ``search`` command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from tipgraph.errors import InputError
from tipgraph.namespaces import ID_NS, TIP_NS
from tipgraph.search import (
    MAX_QUERY,
    QUOTATION,
    RESOURCE,
    SearchIndex,
    Segment,
    search_script,
    static_index,
)
from tipgraph.textsearch import fold, searchable

SCRIPT = Path(__file__).resolve().parent.parent / "src" / "tipgraph" / "web_assets" / "search.js"


@pytest.fixture(scope="session")
def index(store) -> SearchIndex:
    return SearchIndex.from_store(store)


def first(hits):
    assert hits, "no hits"
    return hits[0]


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("SAARC", "saarc"),
        ("saarc", "saarc"),
        ("GRETA", "coe-greta"),
        ("greta", "coe-greta"),
        (" GrEtA ", "coe-greta"),
        ("UNODC", "unodc"),
    ],
)
def test_an_acronym_ranks_its_resource_first(index, text, iri):
    hit = first(index.search(text))
    assert hit.iri == ID_NS + iri
    assert hit.kind == RESOURCE
    assert hit.field == "altLabel"
    assert hit.segments == (Segment(hit.text, True),)


def test_acronym_outranks_every_label_that_contains_it(index):
    hits = index.search("SAARC")
    assert hits[0].score > max(hit.score for hit in hits[1:])
    assert all("saarc" in fold(hit.text) for hit in hits)


def test_stemming_finds_other_forms_of_a_word(index):
    hits = index.search("trafficked")
    matched = {fold(s.text) for hit in hits for s in hit.segments if s.match}
    assert "trafficking" in matched
    assert "trafficked" in matched


def test_case_and_accents_are_ignored(index):
    plain = index.search("cote d ivoire")
    accented = index.search("CÔTE D’IVOIRE")
    assert first(plain).iri == first(accented).iri == ID_NS + "state-civ"
    assert first(plain).label == "Côte d'Ivoire"
    assert [s.text for s in first(plain).segments if s.match] == ["Côte", "d", "Ivoire"]


def test_every_word_must_match(index):
    hits = index.search("SAARC children")
    assert hits
    for hit in hits:
        words = {fold(s.text) for s in hit.segments if s.match}
        assert "saarc" in words
        assert "children" in words
    assert index.search("SAARC zzzqqq") == []


def test_last_word_may_be_a_prefix(index):
    hit = first(index.search("preven"))
    assert any(fold(s.text).startswith("preven") for s in hit.segments if s.match)
    assert index.search("pr") == []  # too short to stand for a longer word


def test_quotation_hits_carry_their_citation_and_subject(index, store):
    hits = [h for h in index.search("legally binding instrument", 50) if h.kind == QUOTATION]
    assert hits
    by_citation = {hit.citation: hit for hit in hits}
    hit = by_citation[ID_NS + "cite-hrc-p37-saarc-convention-binding"]
    assert hit.iri == hit.citation
    assert hit.field == QUOTATION
    assert hit.label == "A/HRC/14/32, para. 37"
    assert hit.text == "SAARC has also adopted a legally binding instrument."
    assert hit.subject == ID_NS + "saarc-convention"
    for hit in hits:
        citation = ox.NamedNode(hit.citation)
        quoted = store.quads_for_pattern(citation, ox.NamedNode(TIP_NS + "quotation"), None)
        assert hit.text == next(quoted).object.value
        assert hit.subject is not None
        citers = store.quads_for_pattern(None, ox.NamedNode(TIP_NS + "citation"), citation)
        assert next(citers, None) is not None


def test_quotation_of_a_claim_has_the_claims_subject(index):
    # cite-hrc-p37-saarc-convention-focus is cited only by a coverage claim on the convention
    hits = index.search("primarily focuses on judicial cooperation")
    hit = next(h for h in hits if h.citation == ID_NS + "cite-hrc-p37-saarc-convention-focus")
    assert hit.subject == ID_NS + "saarc-convention"


def test_segments_rebuild_the_text_and_alternate(index):
    for hit in index.search("women children", 50):
        assert "".join(s.text for s in hit.segments) == hit.text
        assert all(s.text for s in hit.segments)
        assert all(a.match != b.match for a, b in zip(hit.segments, hit.segments[1:], strict=False))
        assert any(s.match for s in hit.segments)


def test_ranking_is_by_score_names_before_quotations_on_ties(index):
    hits = index.search("trafficking", 200)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({(h.kind, h.iri) for h in hits}) == len(hits)  # one hit per resource or citation
    label_hits = [h for h in hits if h.field == "label"]
    quotation_hits = [h for h in hits if h.kind == QUOTATION]
    assert label_hits and quotation_hits
    assert max(h.score for h in quotation_hits) < max(h.score for h in label_hits)


def test_limit(index):
    assert len(index.search("trafficking", 3)) == 3
    assert len(index.search("trafficking", 1)) == 1
    for bad in (0, -1, 1001, True, 2.5):
        with pytest.raises(InputError, match="limit"):
            index.search("trafficking", bad)


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "\x00\x01", "\u200b"])
def test_empty_text_is_refused(index, text):
    with pytest.raises(InputError, match="empty"):
        index.search(text)


def test_text_without_words_is_refused(index):
    with pytest.raises(InputError, match="no letters or digits"):
        index.search("!!! ???")


def test_very_long_text_is_refused(index):
    with pytest.raises(InputError, match="too long"):
        index.search("a" * (MAX_QUERY + 1))
    assert index.search(("trafficking " * 16).strip()) is not None


def test_control_characters_separate_words(index):
    assert first(index.search("\x00SAARC\x07")).iri == ID_NS + "saarc"
    hits = index.search("SAARC\x1bchildren")
    assert hits == index.search("SAARC children")


def test_nothing_found_is_an_empty_list(index):
    assert index.search("qwertyuiopzxcv") == []


def test_hostile_text_is_returned_as_text(tmp_path):
    store = ox.Store()
    store.load(
        b"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        b'<https://w3id.org/tipgraph/id/x> rdfs:label "<script>alert(1)</script> & co"@en .\n',
        format=ox.RdfFormat.TURTLE,
    )
    hit = first(SearchIndex.from_store(store).search("script"))
    assert hit.text == "<script>alert(1)</script> & co"
    assert [s.text for s in hit.segments if s.match] == ["script", "script"]


def test_ontology_terms_are_not_results(index):
    assert all(not hit.iri.startswith(TIP_NS) for hit in index.search("mechanism", 200))


def test_static_index_is_json_with_folded_text(store):
    data = static_index(store)
    assert json.loads(json.dumps(data)) == data
    entries = data["entries"]
    by_iri = {(e["kind"], e["iri"]): e for e in entries}
    saarc = by_iri[(RESOURCE, ID_NS + "saarc")]
    assert saarc["label"] == "South Asian Association for Regional Cooperation"
    assert saarc["altLabels"] == ["SAARC"]
    assert saarc["text"] == "saarc south asian association for regional cooperation"
    civ = by_iri[(RESOURCE, ID_NS + "state-civ")]
    assert civ["text"] == "cote d ivoire"
    quotation = by_iri[(QUOTATION, ID_NS + "cite-hrc-p37-saarc-convention-binding")]
    assert quotation["citation"] == quotation["iri"]
    assert quotation["subject"] == ID_NS + "saarc-convention"
    assert quotation["text"] == searchable(quotation["quotation"])
    assert static_index(store) == data  # deterministic


def test_search_script_is_shipped():
    assert "function initSearch(inputEl, resultsEl, indexSource, linkFor)" in search_script()


def node_binary() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found is None:
        reason = "node (Debian package nodejs) is needed to test the static search script"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it", pytrace=False)
        pytest.skip(reason)
    return found


def run_script_search(tmp_path: Path, data: dict, queries: list[str]) -> list[list[str]]:
    (tmp_path / "index.json").write_text(json.dumps(data), encoding="utf-8")
    program = (
        f"const s = require({json.dumps(str(SCRIPT))});"
        f"const index = require({json.dumps(str(tmp_path / 'index.json'))});"
        f"const queries = {json.dumps(queries)};"
        "console.log(JSON.stringify(queries.map(q => s.searchIndex(index, q, 5)"
        ".map(m => m.entry.iri))));"
    )
    result = subprocess.run(
        [node_binary(), "-e", program], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


def test_static_script_matches_like_the_index(store, tmp_path):
    answers = run_script_search(
        tmp_path,
        static_index(store),
        ["SAARC", "greta", "CÔTE d’Ivoire", "legally binding instr", "", "zzqqxx"],
    )
    saarc, greta, civ, binding, empty, nothing = answers
    assert saarc[0] == ID_NS + "saarc"
    assert greta[0] == ID_NS + "coe-greta"
    assert civ[0] == ID_NS + "state-civ"
    assert ID_NS + "cite-hrc-p37-saarc-convention-binding" in binding
    assert empty == [] and nothing == []


# The command line


def test_cli_search_json(run):
    result = run("search", "GRETA", "-f", "json", "--limit", "3")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 3
    assert rows[0]["iri"] == ID_NS + "coe-greta"
    assert rows[0]["match"] == "«GRETA»"
    assert rows[0]["kind"] == "resource"
    assert isinstance(rows[0]["score"], float)


def test_cli_search_table_marks_the_match(run):
    result = run("search", "trafficked children", "-f", "table", "-n", "5")
    assert result.exit_code == 0, result.output
    assert "«trafficked» «children»" in result.output
    assert "(5 rows)" in result.output
    assert "\x1b[" not in result.output


def test_cli_search_quotation_row_has_subject(run):
    result = run("search", "legally binding instrument", "-f", "csv", "-n", "50")
    assert "id/cite-hrc-p37-saarc-convention-binding" in result.output
    assert "id/saarc-convention," in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("   ", "empty"), ("%%%", "no letters"), ("x" * 500, "too long")],
)
def test_cli_search_bad_text(run, text, message):
    result = run("search", text)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_search_bad_limit(run):
    result = run("search", "SAARC", "--limit", "0")
    assert result.exit_code == 2


FAKE_DOM = """
function element(tag) {
  return {
    tag: tag, children: [], listeners: {}, textContent: "", href: "", className: "",
    get firstChild() { return this.children[0] || null; },
    appendChild(child) { this.children.push(child); return child; },
    removeChild(child) { this.children.splice(this.children.indexOf(child), 1); },
    addEventListener(name, f) { this.listeners[name] = f; },
  };
}
const doc = { createElement: element };
const input = element("input"); input.value = "";
const results = element("ul"); results.ownerDocument = doc;
"""


def test_static_script_shows_links_as_text(tmp_path):
    data = {
        "entries": [
            {
                "iri": ID_NS + "x",
                "label": "<img src=x onerror=alert(1)> Côte",
                "altLabels": ["<b>X</b>"],
                "kind": RESOURCE,
                "text": searchable("<b>X</b> <img src=x onerror=alert(1)> Côte"),
            }
        ]
    }
    program = (
        f"const s = require({json.dumps(str(SCRIPT))});"
        + FAKE_DOM
        + f"s.initSearch(input, results, {json.dumps(data)}, iri => '/id/' + iri.split('/').pop())"
        ".then(() => {"
        "  const counts = [];"
        "  for (const typed of ['COTE', 'zzz', 'cote']) {"
        "    input.value = typed; input.listeners.input(); counts.push(results.children.length);"
        "  }"
        "  const li = results.children[0];"
        "  console.log(JSON.stringify({counts: counts, href: li.children[0].href,"
        "    text: li.children[0].textContent, note: li.children[1].textContent}));"
        "});"
    )
    result = subprocess.run(
        [node_binary(), "-e", program], capture_output=True, text=True, timeout=60, check=True
    )
    shown = json.loads(result.stdout)
    assert shown["counts"] == [1, 0, 1]  # a query with no match clears the list
    assert shown["href"] == "/id/x"
    assert shown["text"] == "<img src=x onerror=alert(1)> Côte"  # set as text, never as HTML
    assert shown["note"] == " <b>X</b>"
