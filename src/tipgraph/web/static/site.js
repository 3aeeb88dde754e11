/* Wires the search box of a page to the search script (search.js): results as the user
   types, from the index the server serves or the static site ships. On a page opened from
   file://, the index comes from search-index.js (window.tipgraphSearchIndex) instead. */
(function () {
  "use strict";
  var input = document.getElementById("q");
  var results = document.getElementById("search-results");
  if (!input || !results || !window.tipgraphSearch) return;
  var root = input.getAttribute("data-root") || "/";
  var isStatic = input.getAttribute("data-static") === "yes";
  var ID = "https://w3id.org/tipgraph/id/";
  var CONCEPT = "https://w3id.org/tipgraph/concept/";
  if (root.charAt(root.length - 1) !== "/") root = root.replace(/[^\/]*$/, "");
  function linkFor(iri) {
    var suffix = isStatic ? ".html" : "";
    if (iri.indexOf(ID) === 0) return root + "id/" + encodeURIComponent(iri.slice(ID.length)) + suffix;
    if (iri.indexOf(CONCEPT) === 0) {
      var parts = iri.slice(CONCEPT.length).split("/");
      return root + "scheme/" + encodeURIComponent(parts[0]) + suffix + "#" + encodeURIComponent(parts[1] || "");
    }
    return iri;
  }
  var source = window.tipgraphSearchIndex || input.getAttribute("data-index");
  window.tipgraphSearch.initSearch(input, results, source, linkFor).catch(function () {});
})();
