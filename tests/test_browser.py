"""Real browser: every page kind loads without console errors, and axe-core finds no violations."""
from __future__ import annotations

import json
import subprocess

import pytest
from browser import AXE, VNU, browser, require, serve
from conftest import ROOT, run_build

from chronicle import pipeline

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "site"
    result = run_build("--content", CONTENT, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def sample_pages() -> list[str]:
    """Return one page of every kind, plus the indexes."""
    graph = pipeline.check(CONTENT)
    pages = ["index.html", "about.html", "figures/index.html"]
    for kind in ("events", "sources", "statements", "figures", "people", "organisations", "places",
                 "tags", "discrepancies"):
        if kind != "figures":
            pages.append(f"{kind}/index.html")
        ids = sorted(graph.entries[kind])
        if kind == "statements":  # the richest statement: most renderings
            ids.sort(key=lambda s: -len(graph.entries[kind][s].record.renderings))
        pages.append(f"{kind}/{ids[0]}.html")
    return [p for p in pages if p != "events/index.html"]


@pytest.fixture(scope="module")
def loaded(site):
    """Load every sample page in light and dark mode; return {page: (console errors, axe violations, h1s)}."""
    require(AXE, "axe-core")
    results = {}
    with serve(site) as base, browser() as chromium:
        page = chromium.new_page()
        page.add_init_script(path=str(AXE))  # not a script tag, which the pages' CSP would refuse
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for path in sample_pages():
                errors.clear()
                response = page.goto(base + path)
                assert response.status == 200, path
                violations = page.evaluate(
                    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                    ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))")
                results[f"{path} ({scheme})"] = (list(errors), violations, page.locator("h1").count())
        page.close()
    return results


def test_pages_load_without_console_errors(loaded):
    assert {p: e for p, (e, _, _) in loaded.items() if e} == {}


def test_axe_finds_no_violations(loaded):
    assert {p: v for p, (_, v, _) in loaded.items() if v} == {}


def test_one_h1_per_page(loaded):
    assert {p: n for p, (_, _, n) in loaded.items() if n != 1} == {}


def test_citation_link_scrolls_to_highlighted_passage(site):
    graph = pipeline.check(CONTENT)
    eid = graph.timeline[len(graph.timeline) // 2]
    with serve(site) as base, browser() as chromium:
        page = chromium.new_page()
        page.goto(f"{base}events/{eid}.html")
        page.locator("ol.citations a").first.click()
        page.wait_for_load_state()
        anchor = page.evaluate("location.hash.slice(1)")
        assert anchor.startswith(f"q-events-{eid}-")
        mark = page.locator(f"#{anchor} + mark.cited")
        assert mark.count() == 1 and mark.is_visible()


def test_html_is_valid(site):
    """The Nu HTML Checker reports no errors on any page."""
    require(VNU, "the Nu HTML Checker (vnu-jar)")
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json",
                             str(site)], capture_output=True, text=True)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [f"{m.get('url')}: {m.get('message')}" for m in messages] == []


RECORD_VIOLATIONS = ("window.__violations = [];"
                     "document.addEventListener('securitypolicyviolation',"
                     " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")


def test_no_page_violates_its_content_security_policy(site):
    """Every page kind, the search page searching, a filtered timeline and the 404 page, served over http
    and opened from disk: the site's own Content-Security-Policy (a meta tag) is never violated."""
    pages = [*sample_pages(), "search.html?q=expendable", "index.html?person=john-kirby", "404.html"]
    found = {}
    with serve(site) as base, browser() as chromium:
        page = chromium.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
        for address in [base + p for p in pages] + [site.resolve().as_uri() + "/index.html"]:
            page.goto(address)
            if "search.html" in address:
                page.wait_for_selector("#search-results li h2 a")
            assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, address
            if page.evaluate("window.__violations"):
                found[address] = page.evaluate("window.__violations")
        # The policy is in force: an inline script, as injected content would be, is refused.
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                      " document.body.append(s); }")
        assert page.evaluate("window.ran") is None
        assert page.evaluate("window.__violations") == ["script-src-elem inline"]
        page.close()
    assert found == {}
    assert [m for m in console if "inline" not in m] == [] and len(console) == 1
