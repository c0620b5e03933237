"""Search and timeline filters on the built site, in a real browser (Debian's Chromium on 127.0.0.1).

Also measures what one search costs a reader: `python tests/test_search.py --weight` prints the bytes of
JavaScript, CSS, WebAssembly and index files the browser downloads to search for "expendable".
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import pytest  # noqa: E402
from browser import AXE, browser, require, serve  # noqa: E402
from conftest import ROOT, run_build  # noqa: E402

from chronicle import kinds, pipeline, search_index  # noqa: E402

CONTENT = ROOT / "content"
AXE_RUN = ("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
           ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("search") / "site"
    result = run_build("--content", CONTENT, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def graph():
    return pipeline.check(CONTENT)


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    """A synthetic chronology large enough for the two rendering processes, built with its index."""
    from benchmarks.synthetic import generate

    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder / "content", events=300)
    pipeline.build(folder / "content", folder / "site")
    return folder / "site"


@pytest.fixture(scope="module")
def chromium():
    with browser() as instance:
        yield instance


@pytest.fixture
def page(chromium, site):
    """A browser page on the served site; fails the test on any console error."""
    errors: list[str] = []
    with serve(site) as base:
        tab = chromium.new_page()
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.base = base
        yield tab
        tab.close()
    assert errors == []


def run_search(page, query: str = "") -> list[str]:
    """Open the search page at `query` (e.g. 'q=Plekhovo&kind=Event'); return the result paths."""
    page.goto(f"{page.base}search.html" + (f"?{query}" if query else ""))
    return results(page)


def results(page) -> list[str]:
    page.wait_for_selector("#search-status:not(:empty)")
    page.wait_for_selector("#search-results:not([aria-busy])", state="attached")
    hrefs = page.eval_on_selector_all("#search-results li h2 a", "links => links.map(a => a.href)")
    return [urlsplit(h).path.removeprefix("/") for h in hrefs]


def sources_mentioning(graph, word: str) -> set[str]:
    """Return the pages of the sources whose article text (not page chrome) contains `word`."""
    found = set()
    for sid, entry in graph.entries["sources"].items():
        text = graph.texts[sid]
        chrome = {n for c in entry.record.chrome for n in range(c.span[0], c.span[1] + 1)}
        lines = text.text.splitlines()
        if any(word in line for n, line in enumerate(lines, 1) if n not in chrome):
            found.add(f"sources/{sid}.html")
    return found


# ---------------------------------------------------------------------- the index, without a browser

def test_the_build_indexes_every_record_page_and_only_those(site, graph):
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert not any((bundle / name).exists() for name in search_index.UNUSED)
    records = {f"{kind}/{rid}.html" for kind in kinds.KINDS for rid in graph.entries[kind]}
    assert set(fragments(site)) == records
    assert not (site / search_index.COPIES).exists()  # the copies Pagefind read are gone


def fragments(site: Path) -> dict[str, dict]:
    return fragments_in(site / "pagefind")


def fragments_in(bundle: Path) -> dict[str, dict]:
    out = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        out[data["url"].removeprefix("/")] = data
    return out


def word_index(bundle: Path) -> dict[str, bytes]:
    """The files of a bundle's word index (named by the hash of their content)."""
    return {p.name: p.read_bytes() for p in (bundle / "index").iterdir()}


def test_only_page_content_is_indexed(site, graph):
    indexed = fragments(site)
    for url, data in indexed.items():
        for chrome in ("Skip to content", "How to read this chronology", "Atom feed", "text-fragment link",
                       "Browse the indexes", "Related events"):
            assert chrome not in data["content"], (url, chrome)
    event = indexed["events/diu-mixed-units-losses-december-14.html"]
    assert event["meta"]["kind"] == "Event" and event["meta"]["date"] == "14 December 2024"
    assert event["filters"]["kind"] == ["Event"] and "Plekhovo" in event["filters"]["place"]
    # page chrome captured with an article (weather, other headlines) is not evidence, and not indexed
    for sid, entry in graph.entries["sources"].items():
        lines = graph.texts[sid].text.splitlines()
        for c in entry.record.chrome:
            for n in range(c.span[0], c.span[1] + 1):
                line = lines[n - 1].strip()
                if len(line) > 30 and not any(line in lines[m - 1] for m in range(1, len(lines) + 1)
                                              if m != n and m not in range(c.span[0], c.span[1] + 1)):
                    assert line not in indexed[f"sources/{sid}.html"]["content"], (sid, n)


def index_of_pages(site: Path, pages, folder: Path) -> Path:
    """Index the built pages `pages` of `site` whole, as Pagefind reads a site (in the order of their
    paths, as the copies are); return the bundle."""
    for rel in sorted(pages):
        (folder / "pages" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / rel, folder / "pages" / rel)
    search_index.run_bundles([(folder / "pages", folder / "index")])
    return folder / "index"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The hostile chronology of test_hostile.py, its texts also naming the markup a copy cuts."""
    from conftest import write_tree
    from test_hostile import hostile_files

    files = hostile_files()
    files["events/hostile.md"] += "\nIt says data-pagefind-ignore> and </section> <p data-pagefind-ignore>.\n"
    folder = tmp_path_factory.mktemp("hostile")
    pipeline.build(write_tree(folder / "content", files), folder / "site")
    return folder / "site"


@pytest.mark.parametrize("which", ["site", "synthetic_site", "hostile_site"])
def test_the_copies_index_as_the_pages_would(which, tmp_path, request):
    """A copy leaves out what Pagefind ignores (lists of other records): the index made from the copies
    is the one Pagefind makes from the whole pages, to the byte (but for its filter files, whose order
    Pagefind varies), words, their places and weights, excerpts, filters and metadata."""
    built = request.getfixturevalue(which)
    pages = [p.relative_to(built).as_posix() for p in built.rglob("*.html") if "data-pagefind-body" in p.read_text()]
    whole = index_of_pages(built, pages, tmp_path)
    assert set(fragments(built)) == set(pages)  # those rendered by either process
    assert fragments_in(whole) == fragments(built)
    assert word_index(whole) == word_index(built / "pagefind")


def test_two_builds_in_two_processes_make_the_same_index(synthetic_site, tmp_path):
    """Either rendering process makes the copies of the pages it renders, in an order that varies;
    Pagefind reads them in the order of their paths, and numbers them alike (its filter files aside).
    Built in /dev/shm where there is one: on tmpfs a folder lists its files in the order they were made."""
    shm = Path("/dev/shm")
    scratch = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() else tmp_path
    try:
        sites = [scratch / "first", scratch / "second"]
        for site in sites:
            pipeline.build(synthetic_site.parent / "content", site)
        varies = lambda p: p.parts[0] == "filter" or p.suffix == ".pf_meta" or p.name == "pagefind-entry.json"  # noqa: E731
        files = [{p.relative_to(site / "pagefind"): p.read_bytes() for p in (site / "pagefind").rglob("*")
                  if p.is_file() and not varies(p.relative_to(site / "pagefind"))} for site in sites]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    assert files[0] == files[1]


def test_a_copy_keeps_a_text_that_names_the_ignore_attribute():
    html = ('<!DOCTYPE html>\n<html lang="en">\n<head></head><body><main id="content" data-pagefind-body>'
            '<p>Write data-pagefind-ignore in a tag</p><p class="x" data-pagefind-ignore>cut</p>'
            '<section data-pagefind-ignore><ul><li>cut too</li></ul></section><p>kept</p>'
            '<div hidden data-pagefind-ignore><span data-pagefind-filter="kind">Event</span></div>'
            '</main></body></html>')
    assert search_index.search_copy(html) == (
        '<html lang="en"><body><main id="content" data-pagefind-body><p>Write data-pagefind-ignore in a tag</p>'
        '<p>kept</p><div hidden data-pagefind-ignore><span data-pagefind-filter="kind">Event</span></div>'
        '</main></body></html>')


def test_a_failed_indexing_leaves_the_previous_site(tmp_path):
    out = tmp_path / "site"
    assert run_build("--content", CONTENT, "--out", out).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(CONTENT), "--out", str(out)],
                            capture_output=True, text=True, env={**os.environ, "PAGEFIND_BINARY_PATH": "/bin/false"})
    assert result.returncode == 3
    assert result.stderr.startswith("error: Pagefind could not index the site:\n  exit code 1\n")
    assert "Traceback" not in result.stderr
    assert "the previous site was left as it was" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_missing_binary_is_reported_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    (tmp_path / "copies").mkdir()
    with pytest.raises(search_index.SearchIndexError) as err:
        search_index.run_bundles([(tmp_path / "copies", tmp_path / "index")])
    assert str(err.value) == f"could not run Pagefind ({tmp_path / 'no-such-pagefind'}): No such file or directory"


SPLIT = 60  # pages per bundle of split_site


@pytest.fixture(scope="module")
def split_site(tmp_path_factory):
    """The shipped content built with its index in bundles of at most SPLIT pages."""
    out = tmp_path_factory.mktemp("split") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "BUNDLE_PAGES", SPLIT)
        pipeline.build(CONTENT, out)
    return out


def test_a_site_of_few_pages_is_one_bundle(site, graph):
    assert search_index.Plan.of(graph).starts[1:] == []
    assert json.loads((site / "pagefind" / "bundles.json").read_text()) == {"bundles": [""], "dated": 1}


def test_a_large_index_is_split_in_bundles_of_consecutive_dates(graph, split_site):
    plan = search_index.Plan.of(graph, SPLIT)
    groups: dict = {}
    for path, bundle in plan.bundle.items():
        groups.setdefault(bundle, []).append(search_index.page_key(graph, path))
    assert sorted(groups) == list(range(len(groups))) and len(groups) >= 3
    keys = [key for b in sorted(groups) for key in sorted(groups[b])]
    assert keys == sorted(keys)  # in date order across bundles, the undated last
    weight = lambda key: 1 + (len(graph.texts[key[2][8:-5]].text) // search_index.TEXT_PAGE  # noqa: E731
                              if key[2].startswith("sources/") else 0)
    assert all(sum(map(weight, group)) <= SPLIT + max(map(weight, group)) for group in groups.values())
    assert json.loads((split_site / "pagefind" / "bundles.json").read_text()) == {
        "bundles": [search_index.bundle_name(b) for b in sorted(groups)],
        "dated": sum(1 for b in groups if not min(groups[b])[0])}
    for bundle, group in groups.items():  # each bundle indexes its pages, at their own addresses
        folder = split_site / "pagefind" / search_index.bundle_name(bundle)
        assert set(fragments_in(folder)) == {key[2] for key in group}
        assert not any((folder / name).exists() for name in search_index.UNUSED)
    assert sorted(p.name for p in split_site.parent.iterdir()) == ["site"]
    assert not (split_site / search_index.COPIES).exists()


# ---------------------------------------------------------------------- search in the browser

def test_search_finds_a_place_in_every_kind_of_page(page, graph):
    found = run_search(page, "q=Plekhovo")
    expected = {"places/plekhovo.html", "events/diu-mixed-units-losses-december-14.html"}
    expected |= sources_mentioning(graph, "Plekhovo")
    assert expected <= set(found), found
    kinds = page.locator("#search-results .kind-label").all_inner_texts()
    assert {"Place", "Event", "Source"} <= {k.capitalize() for k in kinds}
    # each result shows its kind, its date when it has one, and the matching excerpt
    event = page.locator("#search-results li", has=page.locator('a[href*="events/diu-mixed-units"]'))
    assert "14 December 2024" in event.locator(".result-meta").inner_text()
    assert event.locator(".excerpt mark").first.inner_text().startswith("Plekhovo")


def test_search_finds_a_quoted_word_and_a_kind_filter_narrows(page, graph):
    found = run_search(page, "q=expendable")
    assert {"statements/kirby-expendable-hopeless-assaults.html"} | sources_mentioning(graph, "expendable") \
        <= set(found), found
    page.select_option("#search-kind", "Statement")
    narrowed = results(page)
    assert narrowed and set(narrowed) < set(found)
    assert all(p.startswith("statements/") for p in narrowed)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["expendable"], "kind": ["Statement"]}
    assert "(kind: Statement)" in page.locator("#search-status").inner_text()


def test_search_finds_a_figure_and_a_person_filter_narrows(page):
    found = run_search(page, "q=3%2C800")
    assert {"figures/zelensky-nearly-3800.html", "discrepancies/zelensky-casualty-estimates.html",
            "sources/hard-to-hide.html"} <= set(found), found
    assert run_search(page, "q=3800")[:1] == found[:1]
    narrowed = run_search(page, "q=3%2C800&person=Volodymyr+Zelensky")
    assert "figures/zelensky-nearly-3800.html" in narrowed and "sources/hard-to-hide.html" not in narrowed


def test_search_by_date_and_shared_address(page):
    found = run_search(page, "q=expendable&sort=date-asc")
    assert page.input_value("#search-q") == "expendable" and page.input_value("#search-sort") == "date-asc"
    dates = page.eval_on_selector_all("#search-results li", "items => items.length")
    assert dates == len(found) > 1
    assert "without a date" in page.locator("#search-status").inner_text()
    page.click("#search-clear")
    page.wait_for_function("() => document.querySelector('#search-results').children.length === 0")
    assert urlsplit(page.url).query == ""


def test_the_header_box_leads_to_the_search(page):
    page.goto(page.base + "events/diu-mixed-units-losses-december-14.html")
    page.fill("#site-q", "Plekhovo")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search.html?q=Plekhovo")
    assert "places/plekhovo.html" in results(page)


def test_search_works_under_a_project_subpath(chromium, site, tmp_path):
    (tmp_path / "chronology").symlink_to(site)
    with serve(tmp_path) as base:
        tab = chromium.new_page()
        tab.base = base + "chronology/"
        found = run_search(tab, "q=Plekhovo")
        assert "places/plekhovo.html" not in found and "chronology/places/plekhovo.html" in found
        tab.click('#search-results a[href*="places/plekhovo.html"]')
        tab.wait_for_load_state()
        assert tab.locator("h1").inner_text() == "Plekhovo"
        tab.close()


def test_without_javascript_the_box_is_a_link_to_the_indexes(chromium, site):
    with serve(site) as base:
        context = chromium.new_context(java_script_enabled=False)
        tab = context.new_page()
        tab.goto(base + "index.html")
        assert not tab.locator("form.site-search").is_visible()
        fallback = tab.locator(".search-fallback a")
        assert fallback.is_visible() and fallback.get_attribute("href") == "search.html#browse"
        assert not tab.locator("#event-filters").is_visible()
        assert tab.locator("li.event:visible").count() == tab.locator("li.event").count() > 0
        tab.goto(base + "search.html#browse")
        assert tab.locator("#search-needs-js").is_visible() and not tab.locator("#search-form").is_visible()
        assert tab.locator("#browse a").count() >= 9
        context.close()


def test_from_a_file_the_search_page_says_it_needs_http(chromium, site):
    tab = chromium.new_page()
    tab.goto((site / "search.html").as_uri())
    assert tab.locator("#search-needs-http").is_visible()
    assert not tab.locator("#search-needs-js").is_visible()
    tab.close()


def test_the_preview_server_reindexes_after_an_edit(chromium, tmp_path):
    from playwright.sync_api import Error
    from test_serve import free_port, serving, wait_for_line

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    event = content / "events" / "ukraine-incursion-into-kursk.md"
    port = free_port()
    with serving(content, port) as (process, lines):
        tab = chromium.new_page()
        tab.base = f"http://127.0.0.1:{port}/"

        def search_until(query: str, wanted: str) -> list[str]:
            found: list[str] = []
            for _ in range(40):  # the index is made in the background, just after each rebuild
                try:
                    tab.goto(f"{tab.base}search.html?{query}")
                    tab.wait_for_function("() => document.querySelector('#search-status').textContent"
                                          " || !document.querySelector('#search-failed').hidden")
                    if tab.locator("#search-status").inner_text():
                        found = results(tab)
                        if wanted in found:
                            return found
                except Error:  # the preview reloaded the page meanwhile
                    pass
                tab.wait_for_timeout(250)
            raise AssertionError(f"{wanted} not found for {query}: {found}")

        search_until("q=Plekhovo", "places/plekhovo.html")
        event.write_text(event.read_text().replace("title: Ukraine mounts", "title: Zanzibarish, Ukraine mounts"))
        wait_for_line(process, lines, "rebuilt")
        search_until("q=Zanzibarish", "events/ukraine-incursion-into-kursk.html")
        tab.close()
    assert not any("search index not updated" in line for line in lines), lines


def test_a_bundled_index_finds_what_the_whole_one_does(chromium, site, split_site):
    """The search page joins the bundles' answers: the same results, in date order when asked, and the
    filter counts of the whole index."""
    def searches(folder: Path) -> dict:
        answers = {}
        with serve(folder) as base:
            tab = chromium.new_page()
            tab.base = base
            for query in ("q=Plekhovo", "q=expendable&sort=date-asc", "q=Kirby&sort=date-desc", "kind=Event&sort=date-asc",
                          "q=troops&person=Volodymyr+Zelensky"):
                found = run_search(tab, query)
                dated = tab.eval_on_selector_all("#search-results li .result-meta", "ps => ps.map(p => p.textContent)")
                status = tab.locator("#search-status").inner_text()
                counts = tab.eval_on_selector_all("#search-form select[data-filter] option",
                                                  "os => os.map(o => o.textContent)")
                answers[query] = (found, dated, status, counts)
            tab.close()
        return answers

    whole, split = searches(site), searches(split_site)
    for query, (found, dated, status, counts) in whole.items():
        got = split[query]
        assert len(found) > 1 and set(got[0]) == set(found), query
        assert got[2:] == (status, counts), query
        if "sort=" in query:  # the same dates in the same order (pages of one date may trade places)
            assert got[1] == dated, query


# ---------------------------------------------------------------------- timeline filters

def visible_events(page) -> list[str]:
    return page.eval_on_selector_all("li.event:not([hidden])", "items => items.map(li => li.id)")


def test_timeline_person_filter_shows_exactly_their_events_and_the_url_round_trips(page, graph, chromium):
    page.goto(page.base + "index.html")
    total = len(graph.timeline)
    assert page.locator("#filter-status").inner_text() == f"Showing all {total} events."
    person = "john-kirby"
    expected = [e for e in graph.timeline if person in graph.entries["events"][e].record.people]
    assert 0 < len(expected) < total
    page.select_option("#f-person", person)
    assert visible_events(page) == expected
    assert page.locator("#filter-status").inner_text() == \
        f"Showing {len(expected)} of {total} events: John Kirby."
    assert parse_qs(urlsplit(page.url).query) == {"person": [person]}
    shared = page.url

    again = chromium.new_page()
    again.goto(shared)
    assert again.input_value("#f-person") == person and visible_events(again) == expected
    again.click("#filters-clear")
    assert len(visible_events(again)) == total and urlsplit(again.url).query == ""
    again.close()


def test_timeline_filters_combine_with_a_date_range(page, graph):
    place = "kursk-oblast"
    page.goto(page.base + f"index.html?place={place}&from=2024-12-01&to=2024-12-31")
    expected = []
    for eid in graph.timeline:
        entry = graph.entries["events"][eid]
        when = graph.when(entry)
        lower, upper = when.iso("lower"), when.iso("upper")
        if place in entry.record.places and (not upper or upper >= "2024-12-01") \
                and (not lower or lower <= "2024-12-31"):
            expected.append(eid)
    assert 0 < len(expected) < len([e for e in graph.timeline if place in graph.entries["events"][e].record.places])
    assert visible_events(page) == expected
    assert page.input_value("#f-from") == "2024-12-01"
    # months without a shown event are hidden; the overview dims the marks of hidden events
    assert page.locator("section.month:not([hidden])").count() < page.locator("section.month").count()
    hidden = next(e for e in graph.timeline if e not in expected)
    assert "chart-filtered-out" in page.locator(f'a.chart-mark[href="events/{hidden}.html"]').first.get_attribute("class")


def test_timeline_filters_are_keyboard_usable(page, graph):
    page.goto(page.base + "index.html")
    page.focus("#f-tag")
    page.keyboard.press("ArrowDown")  # Chromium changes a closed select's value with the arrow keys
    chosen = page.input_value("#f-tag")
    assert chosen
    assert all(chosen in graph.entries["events"][e].record.tags for e in visible_events(page))
    page.focus("#filters-clear")
    page.keyboard.press("Enter")
    assert len(visible_events(page)) == len(graph.timeline)


def test_a_split_timeline_says_filters_apply_to_the_page_shown(make_content, tmp_path):
    from chronicle import render

    events = {f"events/e{i:04d}.md": (f"---\ndate: {2023 + i % 2}-0{1 + i % 9}-01\ntitle: Event {i}\n"
                                      "citations:\n  - source: art\n    quote: killed near Plekhovo\n---\nSummary.\n")
              for i in range(render.TIMELINE_PAGE_LIMIT + 20)}
    out = tmp_path / "site"
    assert run_build("--content", make_content(events), "--out", out).returncode == 0
    assert 'id="event-filters"' not in (out / "index.html").read_text()  # no event list there
    page = (out / "timeline" / "2023.html").read_text()
    assert 'id="event-filters"' in page and "Filters apply to the events of this page (2023) only" in page


CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:"


def test_search_and_filters_work_under_a_strict_content_security_policy(chromium, site, graph):
    """No inline script, style or event handler: a CSP allowing only the site's own files and WebAssembly."""
    errors: list[str] = []
    with serve(site, {"Content-Security-Policy": CSP}) as base:
        tab = chromium.new_page()
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.base = base
        assert "events/diu-mixed-units-losses-december-14.html" in run_search(tab, "q=Plekhovo&sort=date-desc")
        response = tab.goto(base + "index.html?person=john-kirby")
        assert response.headers["content-security-policy"] == CSP
        kirby = [e for e in graph.timeline if "john-kirby" in graph.entries["events"][e].record.people]
        assert tab.locator("#event-filters").is_visible() and visible_events(tab) == kirby
        tab.close()
    assert errors == []


# ---------------------------------------------------------------------- accessibility

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_search_and_filtered_timeline(page, scheme):
    require(AXE, "axe-core")
    page.emulate_media(color_scheme=scheme)
    page.add_init_script(path=str(AXE))  # not a script tag, which the pages' CSP would refuse
    violations = {}
    for address in ("search.html?q=expendable&kind=Statement", "index.html?person=john-kirby&from=2024-12-01"):
        page.goto(page.base + address)
        if address.startswith("search"):
            results(page)
        violations[address] = page.evaluate(AXE_RUN)
    assert violations == {a: [] for a in violations}


# ---------------------------------------------------------------------- what one search costs

def search_weight(chromium, site, term: str = "expendable") -> dict[str, tuple[int, int]]:
    """Return what the browser downloads to open the search page and search for `term`, by type.

    Each type maps to (files, bytes): every response's body as received, with an empty cache. The local
    server sends files as they are; Pagefind's WebAssembly and index files are already gzipped, and a
    host that gzips JavaScript and CSS (GitHub Pages does) sends those smaller: `js (gzipped)` says how
    much. `search` sums what the search adds to a page: JavaScript, WebAssembly, index and fragments.
    """
    sizes: dict[str, list] = {}
    with serve(site) as base:
        context = chromium.new_context()  # an empty cache
        tab = context.new_page()
        seen = []
        tab.on("response", lambda r: seen.append(r))
        tab.goto(f"{base}search.html?q={term}")
        results(tab)
        for response in seen:
            name = urlsplit(response.url).path.rsplit("/", 1)[-1]
            body = response.body()
            kind = ("html" if name.endswith(".html") else "css" if name.endswith(".css")
                    else "js" if name.endswith(".js") else "wasm" if name.startswith("wasm.")
                    else "index" if name.startswith("pagefind") or name.endswith((".pf_index", ".pf_filter"))
                    else "fragments" if name.endswith(".pf_fragment") else "other")
            for key, size in ((kind, len(body)),) + (((f"{kind} (gzipped)", len(gzip.compress(body))),)
                                                     if kind in ("js", "css") else ()):
                files, total = sizes.get(key, (0, 0))
                sizes[key] = (files + 1, total + size)
        context.close()
    parts = [sizes[k] for k in ("js", "wasm", "index", "fragments") if k in sizes]
    sizes["search"] = (sum(f for f, _ in parts), sum(b for _, b in parts))
    return sizes


def test_a_bundled_index_loads_one_pagefind_unless_ordered_by_date(chromium, split_site):
    """Best match first, the bundles are merged into the first one's Pagefind: one script, one WebAssembly
    module. Ordered by date, each dated bundle is searched by a Pagefind of its own besides."""
    listing = json.loads((split_site / "pagefind" / "bundles.json").read_text())
    assert len(listing["bundles"]) > 2
    best = search_weight(chromium, split_site)
    assert best["wasm"][0] == 1 and best["js"][0] == 3  # search.js, pagefind.js and its worker
    by_date = search_weight(chromium, split_site, "expendable&sort=date-asc")
    assert by_date["wasm"][0] == 1 + listing["dated"]


def test_one_search_downloads_little(chromium, site):
    sizes = search_weight(chromium, site)
    assert sizes["search"][1] < 250_000, sizes  # about 95 KB of script, 72 KB of WebAssembly, the rest index
    assert sizes["js (gzipped)"][1] < 40_000, sizes


if __name__ == "__main__":
    if sys.argv[1:] != ["--weight"]:
        sys.exit("usage: python tests/test_search.py --weight")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "site"
        pipeline.build(CONTENT, out)
        with browser() as instance:
            sizes = search_weight(instance, out)
    print("Downloaded to open search.html and search for \"expendable\" (empty cache):")
    for kind, (files, size) in sizes.items():
        print(f"{kind:16} {files:3} files {size:>9,} bytes")
