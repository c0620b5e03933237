/* Timeline filters: show only the events of a person, organisation, place, tag or source, and within a
   date range. Progressive enhancement: without this script the form stays hidden and every event shows.
   The address keeps the filters (?person=…&from=…), so a filtered view can be shared and bookmarked. */
(function () {
  "use strict";
  var form = document.getElementById("event-filters");
  if (!form || !window.URLSearchParams) return;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-attribute]"));
  var from = form.elements.from, to = form.elements.to;
  var status = document.getElementById("filter-status");
  var events = Array.prototype.slice.call(document.querySelectorAll("li.event"));
  var total = events.length;
  var marks = {}; // event id -> its marks in the overview chart
  Array.prototype.forEach.call(document.querySelectorAll(".timeline-svg a.chart-mark"), function (a) {
    var id = (a.getAttribute("href") || "").replace(/^.*\//, "").replace(/\.html$/, "");
    (marks[id] = marks[id] || []).push(a);
  });

  function wanted() {
    var w = { values: [], from: from.value, to: to.value };
    selects.forEach(function (s) {
      if (s.value) w.values.push({ attribute: s.dataset.attribute, id: s.value, label: s.options[s.selectedIndex].text.replace(/ \(\d+\)$/, "") });
    });
    return w;
  }

  function matches(li, w) {
    for (var i = 0; i < w.values.length; i++) {
      var have = (li.getAttribute("data-" + w.values[i].attribute) || "").split(" ");
      if (have.indexOf(w.values[i].id) < 0) return false;
    }
    // An uncertain date is shown when the span of its possible dates overlaps the range.
    var start = li.getAttribute("data-from"), end = li.getAttribute("data-to");
    if (w.from && end && end < w.from) return false;
    if (w.to && start && start > w.to) return false;
    return true;
  }

  function apply(keepUrl) {
    var w = wanted();
    var shown = 0;
    events.forEach(function (li) {
      var ok = matches(li, w);
      li.hidden = !ok;
      if (ok) shown++;
      (marks[li.id] || []).forEach(function (a) { a.classList.toggle("chart-filtered-out", !ok); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("section.month, section.year"), function (sec) {
      sec.hidden = !sec.querySelector("li.event:not([hidden])");
    });
    var active = w.values.map(function (v) { return v.label; });
    if (w.from) active.push("from " + w.from);
    if (w.to) active.push("to " + w.to);
    status.textContent = active.length
      ? (shown ? "Showing " + shown + " of " + total + " events" : "No event of " + total + " matches") + ": " + active.join(", ") + "."
      : "Showing all " + total + " events.";
    if (!keepUrl) writeUrl();
  }

  function writeUrl() {
    var params = new URLSearchParams(location.search);
    selects.concat([from, to]).forEach(function (el) {
      if (el.value) params.set(el.name, el.value); else params.delete(el.name);
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    selects.concat([from, to]).forEach(function (el) {
      var value = params.get(el.name) || "";
      el.value = value;
      if (el.value !== value) el.value = ""; // an unknown id or a malformed date is ignored
    });
  }

  readUrl();
  form.hidden = false;
  apply(true);
  form.addEventListener("change", function () { apply(false); });
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(false); });
  document.getElementById("filters-clear").addEventListener("click", function () {
    selects.concat([from, to]).forEach(function (el) { el.value = ""; });
    apply(false);
  });
})();
