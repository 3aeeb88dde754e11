/*
 * tipgraph static-site search: matches a typed query against the prebuilt index that
 * tipgraph.search.static_index() writes (JSON), with no server and no other host.
 *
 * Matching here is case- and accent-insensitive, by substring of the whole query or by
 * word prefix (every query word starts a word of the entry). Stemming ("trafficked" finds
 * "trafficking") is only done by the server's search (tipgraph search, /search).
 *
 * Use:
 *   <input id="q" type="search"> <ul id="results"></ul>
 *   <script src="search.js"></script>
 *   <script>
 *     tipgraphSearch.initSearch(document.getElementById("q"),
 *       document.getElementById("results"), "search-index.json",
 *       function (iri) { return "id/" + iri.split("/").pop() + ".html"; });
 *   </script>
 *
 * indexSource is the URL of the JSON file, or the index object itself: pages opened from
 * file:// cannot fetch a file in most browsers, so such a page may load the index with a
 * <script> that assigns it to a variable and pass that variable instead.
 */
(function (root) {
  "use strict";

  var MAX_RESULTS = 50;

  /* The same folding as the index: NFKD, combining marks removed, lower case, words of
     letters and digits joined by single spaces. */
  function fold(text) {
    var words = String(text)
      .normalize("NFKD")
      .replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu);
    return words ? words.join(" ") : "";
  }

  /* A score for one entry (0: no match). Whole-query matches beat word-prefix matches; an
     entry whose name or acronym is the query ranks first; names rank above quotations. */
  function score(entry, query, words) {
    var text = " " + entry.text + " ";
    var value = 0;
    if (entry.altLabels && entry.altLabels.some(function (a) { return fold(a) === query; })) {
      value = 100;
    } else if (fold(entry.label) === query) {
      value = 90;
    } else if (text.indexOf(" " + query + " ") >= 0) {
      value = 40;
    } else if (text.indexOf(" " + query) >= 0) {
      value = 30;
    } else if (words.every(function (w) { return text.indexOf(" " + w) >= 0; })) {
      value = 20;
    } else if (text.indexOf(query) >= 0) {
      value = 10;
    } else {
      return 0;
    }
    if (entry.kind === "resource") value += 5;
    return value - Math.min(entry.text.length, 1000) / 1000;
  }

  /* The best matches of a query in an index, best first: [{entry, score}]. */
  function searchIndex(index, rawQuery, limit) {
    var query = fold(rawQuery);
    if (!query) return [];
    var words = query.split(" ");
    var found = [];
    index.entries.forEach(function (entry) {
      var value = score(entry, query, words);
      if (value > 0) found.push({ entry: entry, score: value });
    });
    found.sort(function (a, b) {
      if (b.score !== a.score) return b.score - a.score;
      var x = a.entry.label.toLowerCase(), y = b.entry.label.toLowerCase();
      if (x !== y) return x < y ? -1 : 1;
      return a.entry.iri < b.entry.iri ? -1 : a.entry.iri > b.entry.iri ? 1 : 0;
    });
    return found.slice(0, limit || MAX_RESULTS);
  }

  function show(resultsEl, matches, linkFor) {
    var doc = resultsEl.ownerDocument;
    while (resultsEl.firstChild) resultsEl.removeChild(resultsEl.firstChild);
    matches.forEach(function (match) {
      var entry = match.entry;
      var item = doc.createElement("li");
      var link = doc.createElement("a");
      link.href = linkFor(entry.kind === "quotation" && entry.citation ? entry.citation : entry.iri);
      link.textContent = entry.label;  /* text, never HTML */
      item.appendChild(link);
      var note = entry.kind === "quotation" ? "“" + entry.quotation + "”" : entry.altLabels.join(", ");
      if (note) {
        var small = doc.createElement("span");
        small.className = "search-note";
        small.textContent = " " + note;
        item.appendChild(small);
      }
      resultsEl.appendChild(item);
    });
  }

  /* Wires a search box: shows up to MAX_RESULTS links in resultsEl as the user types.
     inputEl, resultsEl: DOM elements; indexSource: URL of the JSON index, or the index
     object; linkFor(iri) -> href of a resource or citation page. Returns a promise of the
     loaded index. */
  function initSearch(inputEl, resultsEl, indexSource, linkFor) {
    var loading = typeof indexSource === "string"
      ? fetch(indexSource).then(function (response) {
          if (!response.ok) throw new Error("search index: HTTP " + response.status);
          return response.json();
        })
      : Promise.resolve(indexSource);
    return loading.then(function (index) {
      function update() { show(resultsEl, searchIndex(index, inputEl.value), linkFor); }
      inputEl.addEventListener("input", update);
      if (inputEl.value) update();
      return index;
    }, function (error) {
      resultsEl.textContent = "Search is not available here: " + error.message;
      throw error;
    });
  }

  var api = { fold: fold, searchIndex: searchIndex, initSearch: initSearch };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.tipgraphSearch = api;
})(typeof self !== "undefined" ? self : this);
