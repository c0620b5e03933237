/* Search page: a small interface over Pagefind's JavaScript API (pagefind/pagefind.js, built with the site).
   The address keeps the search (?q=…&person=…&sort=…), so a search can be shared and bookmarked.
   No dependency; works at any sub-path, because every URL is resolved relative to this script.
   A large site's index comes in bundles of consecutive dates (pagefind/bundles.json lists them, in date
   order): each is searched by its own Pagefind instance and their answers are joined here. */
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

  var indexes = [], dated = 1, results = [], shown = 0, generation = 0, timer = null, labels = {};

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

  // One search over every bundle. Ordered by date, the bundles' results follow each other (bundles hold
  // consecutive dates, and those after the first `dated` hold no date); best match first, they are
  // merged by score (a stable sort keeps ties in order).
  function searchAll(q, options) {
    var asked = options.sort ? indexes.slice(0, dated) : indexes;
    return Promise.all(asked.map(function (index) { return index.search(q, options); })).then(function (found) {
      if (found.some(function (f) { return !f; })) return null;
      if (found.length === 1) return found[0];
      var parts = options.sort && options.sort.date === "desc" ? found.slice().reverse() : found;
      var joined = [].concat.apply([], parts.map(function (f) { return f.results; }));
      if (!options.sort) joined.sort(function (a, b) { return b.score - a.score; });
      return { results: joined, filters: added(found.map(function (f) { return f.filters; })) };
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
  var bundle = function (name) { return import(new URL("pagefind/" + name + "pagefind.js", siteRoot).href); };
  var first = bundle("").catch(function (err) { return err; }); // loads while the list comes: most sites have it
  fetch(new URL("pagefind/bundles.json", siteRoot).href).then(function (response) {
    return response.ok ? response.json() : { bundles: [""], dated: 1 }; // without the list, the one bundle
  }).then(function (list) {
    dated = list.dated;
    return Promise.all(list.bundles.map(function (name) {
      return name ? bundle(name) : first.then(function (m) { if (m instanceof Error) throw m; return m; });
    }));
  }).then(function (modules) {
    indexes = modules;
    return Promise.all(modules.map(function (index) {
      return index.options({ excerptLength: 24 }).then(function () { return index.filters(); });
    }));
  }).then(function (countsList) {
    var counts = added(countsList);
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
