/* Search page: a small interface over Pagefind's JavaScript API (pagefind/pagefind.js, built with the site).
   The address keeps the search (?q=…&person=…&sort=…), so a search can be shared and bookmarked.
   No dependency; works at any sub-path, because every URL is resolved relative to this script.
   A large site's index comes in bundles of consecutive dates (pagefind/bundles.json lists them, in date
   order). Best match first, the first bundle's Pagefind searches them all, the others merged into it
   (mergeIndex: one WebAssembly module and one worker for all; it joins their results by score and adds
   up their filter counts). Ordered by date, each dated bundle is searched by a Pagefind of its own,
   loaded at the first such search, and their results follow each other here. */
(function () {
  "use strict";
  var PAGE = 20; // results loaded at a time
  var form = document.getElementById("search-form");
  if (!form) return;
  var $ = function (id) { return document.getElementById(id); };
  var input = $("search-q"), status = $("search-status"), list = $("search-results"), more = $("search-more");
  var sortSelect = $("search-sort");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var scriptUrl = document.currentScript && document.currentScript.src;
  var siteRoot = new URL("../", scriptUrl || location.href); // assets/ sits at the root of the site

  $("search-needs-js").hidden = true;
  if (location.protocol === "file:") {
    $("search-needs-http").hidden = false;
    return;
  }

  var names = [], dated = 1, merged = null, byDate = null;
  var results = [], shown = 0, generation = 0, timer = null, labels = {};
  var OPTIONS = { excerptLength: 24 };

  // The bundles' filter counts, added up: {filter: {value: count}}.
  function added(countsList) {
    var total = {};
    countsList.forEach(function (counts) {
      Object.keys(counts || {}).forEach(function (name) {
        var into = total[name] = total[name] || {};
        Object.keys(counts[name]).forEach(function (value) {
          into[value] = (into[value] || 0) + counts[name][value];
        });
      });
    });
    return total;
  }

  var bundle = function (name, tag) {
    return import(new URL("pagefind/" + name + "pagefind.js" + (tag || ""), siteRoot).href);
  };

  // One search over every bundle: see the top of this file.
  function searchAll(q, options) {
    if (!merged) return Promise.resolve({ results: [], filters: {} }); // nothing is indexed
    if (!options.sort || names.length === 1) return merged.search(q, options);
    byDate = byDate || Promise.all(names.slice(0, dated).map(function (name) {
      return bundle(name, "?by-date").then(function (index) { // another module, so another Pagefind
        return index.options(OPTIONS).then(function () { return index; });
      });
    }));
    return byDate.then(function (indexes) {
      return Promise.all(indexes.map(function (index) { return index.search(q, options); }));
    }).then(function (found) {
      if (found.some(function (f) { return !f; })) return null;
      var parts = options.sort.date === "desc" ? found.slice().reverse() : found;
      return { results: [].concat.apply([], parts.map(function (f) { return f.results; })),
               filters: added(found.map(function (f) { return f.filters; })) };
    });
  }

  function state() {
    var filters = {};
    selects.forEach(function (s) { if (s.value) filters[s.dataset.filter] = s.value; });
    return { q: input.value.trim(), filters: filters, sort: sortSelect.value };
  }

  function writeUrl(st) {
    var params = new URLSearchParams();
    if (st.q) params.set("q", st.q);
    Object.keys(st.filters).forEach(function (k) { params.set(k, st.filters[k]); });
    if (st.sort) params.set("sort", st.sort);
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    selects.forEach(function (s) { setSelect(s, params.get(s.dataset.filter) || ""); });
    setSelect(sortSelect, params.get("sort") || "");
  }

  function setSelect(select, value) {
    if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      select.appendChild(new Option(value, value)); // a value from a shared address, before counts are known
    }
    select.value = value;
  }

  function fillFilters(counts) {
    selects.forEach(function (s) {
      var values = counts[s.dataset.filter] || {};
      var keep = s.value;
      var names = Object.keys(values).sort(function (a, b) { return a.localeCompare(b); });
      if (keep && names.indexOf(keep) < 0) names.push(keep);
      while (s.options.length > 1) s.remove(1);
      names.forEach(function (name) {
        var n = values[name] || 0;
        s.appendChild(new Option(name + " (" + n + ")", name));
      });
      s.value = keep;
    });
  }

  function search() {
    var st = state();
    writeUrl(st);
    var mine = ++generation;
    if (!st.q && !Object.keys(st.filters).length) {
      list.textContent = "";
      list.removeAttribute("aria-busy");
      more.hidden = true;
      status.textContent = "";
      fillFilters(labels);
      return;
    }
    list.setAttribute("aria-busy", "true");
    var options = { filters: st.filters };
    if (st.sort) options.sort = { date: st.sort === "date-desc" ? "desc" : "asc" };
    var all = st.sort ? searchAll(st.q || null, { filters: st.filters }) : null; // to count the undated
    Promise.all([searchAll(st.q || null, options), all]).then(function (both) {
      var found = both[0];
      if (mine !== generation || !found) return;
      results = found.results;
      var undated = both[1] ? both[1].results.length - results.length : 0;
      shown = 0;
      list.textContent = "";
      fillFilters((both[1] || found).filters || labels); // counted over all results, dated or not
      var n = results.length;
      var what = st.q ? " for “" + st.q + "”" : "";
      var narrowed = Object.keys(st.filters).map(function (k) { return k + ": " + st.filters[k]; }).join(", ");
      status.textContent = (n ? n + " result" + (n === 1 ? "" : "s") : "No results") + what +
        (narrowed ? " (" + narrowed + ")" : "") + (n || undated ? "." : ". Try fewer words or filters.") +
        (undated > 0 ? " Ordered by date, " + undated + " result" + (undated === 1 ? "" : "s") +
          " without a date (people, places, discrepancies…) " + (undated === 1 ? "is" : "are") +
          " left out: choose “Best match first” to see " + (undated === 1 ? "it" : "them") + "." : "");
      return showMore(mine);
    }).catch(failed);
  }

  function showMore(mine) {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== generation) return;
      items.forEach(function (item) { list.appendChild(render(item)); });
      list.removeAttribute("aria-busy");
    });
  }

  function render(item) {
    var li = document.createElement("li");
    var meta = document.createElement("p");
    meta.className = "result-meta";
    var kind = document.createElement("span");
    kind.className = "kind-label";
    kind.textContent = item.meta.kind || "Page";
    meta.appendChild(kind);
    if (item.meta.date) meta.appendChild(document.createTextNode(" · " + item.meta.date));
    var h = document.createElement("h2");
    h.className = "result-title";
    var a = document.createElement("a");
    a.href = href(item);
    a.textContent = item.meta.title || item.url;
    h.appendChild(a);
    var excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    excerpt.innerHTML = item.excerpt; // Pagefind escapes the text and adds only <mark> elements
    li.appendChild(h);
    li.appendChild(meta);
    li.appendChild(excerpt);
    return li;
  }

  function href(item) {
    var url = new URL(item.url, siteRoot); // Pagefind gives paths from the host's root, sub-path included
    var first = /<mark>([^<]+)<\/mark>/.exec(item.excerpt);
    var word = first ? decode(first[1]).replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "") : "";
    if (word && !url.hash) { // a text fragment: the browser scrolls to the first match and highlights it
      url.hash = ":~:text=" + encodeURIComponent(word);
    }
    return url.href;
  }

  function decode(html) {
    var t = document.createElement("textarea");
    t.innerHTML = html;
    return t.value;
  }

  function failed(err) {
    $("search-failed").hidden = false;
    list.removeAttribute("aria-busy");
    form.hidden = true;
    status.textContent = "";
    if (window.console) console.warn("search: " + err);
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  }

  readUrl();
  form.hidden = false;
  var first = bundle("").catch(function (err) { return err; }); // loads while the list comes: most sites have it
  fetch(new URL("pagefind/bundles.json", siteRoot).href).then(function (response) {
    return response.ok ? response.json() : { bundles: [""], dated: 1 }; // without the list, the one bundle
  }).then(function (list) {
    names = list.bundles;
    dated = list.dated;
    if (!names.length) return {};
    var primary = names[0] ? bundle(names[0]) : first.then(function (m) { if (m instanceof Error) throw m; return m; });
    return primary.then(function (index) {
      merged = index;
      return index.options(OPTIONS);
    }).then(function () {
      return Promise.all(names.slice(1).map(function (name) {
        return merged.mergeIndex(new URL("pagefind/" + name, siteRoot).href, OPTIONS);
      }));
    }).then(function () { return merged.filters(); });
  }).then(function (counts) {
    labels = counts;
    fillFilters(counts);
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); search(); });
    input.addEventListener("input", later);
    selects.concat([sortSelect]).forEach(function (s) { s.addEventListener("change", search); });
    $("search-clear").addEventListener("click", function () {
      input.value = "";
      selects.concat([sortSelect]).forEach(function (s) { s.value = ""; });
      search();
      input.focus();
    });
    more.addEventListener("click", function () {
      var next = list.children.length;
      showMore(generation).then(function () { // move focus to the first new result, for keyboard users
        var link = list.children[next] && list.children[next].querySelector("a");
        if (link) link.focus();
      });
    });
    search();
  }).catch(failed);
})();
