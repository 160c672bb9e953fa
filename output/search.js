// Searches the index written at build time (search-index.js); every word must match.
(function () {
  "use strict";
  var index = window.LEGEND_SEARCH_INDEX || [];
  var input = document.getElementById("search-query");
  var results = document.getElementById("search-results");
  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    for (var name in attributes || {}) node.setAttribute(name, attributes[name]);
    return node;
  }

  function snippet(text, word) {
    var at = text.toLowerCase().indexOf(word);
    var start = Math.max(0, at - 60);
    return (start > 0 ? "…" : "") + text.slice(start, start + 180) + (start + 180 < text.length ? "…" : "");
  }

  function search(query) {
    results.textContent = "";
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return;
    var found = index.map(function (entry) {
      var title = (entry.chapter + " " + entry.section).toLowerCase();
      var text = entry.text.toLowerCase();
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var inTitle = title.indexOf(words[i]) >= 0, inText = text.indexOf(words[i]) >= 0;
        if (!inTitle && !inText) return null;
        score += (inTitle ? 10 : 0) + (inText ? 1 : 0);
      }
      return { entry: entry, score: score };
    }).filter(Boolean).sort(function (a, b) { return b.score - a.score; });
    results.appendChild(element("p", found.length + (found.length === 1 ? " section" : " sections") + " found.", { class: "search-count" }));
    var list = element("ol", null, { class: "search-results" });
    found.slice(0, 50).forEach(function (hit) {
      var item = element("li");
      var heading = hit.entry.section === hit.entry.chapter ? hit.entry.chapter : hit.entry.chapter + " › " + hit.entry.section;
      item.appendChild(element("a", heading, { href: hit.entry.url }));
      item.appendChild(element("p", snippet(hit.entry.text, words[0])));
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  search(query);
})();
