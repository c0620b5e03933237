"""The built site from the shipped content: complete, cross-linked, deterministic, atomic."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_build
from sitecheck import internal_targets, read_site

from chronicle import kinds, pipeline, urls

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    result = run_build("--content", CONTENT, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def pages(site):
    return read_site(site)


def test_every_record_has_its_page(site):
    graph = pipeline.check(CONTENT)
    for kind, declared in kinds.KINDS.items():
        assert (site / urls.index(kind)).is_file() == (declared.index is not None), kind
        for rid in graph.entries[kind]:
            assert (site / urls.page(kind, rid)).is_file(), (kind, rid)


def test_site_files_for_hosting_and_reuse(site):
    for name in ("index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml", ".nojekyll",
                 "data/chronology.json", "data/sources.csl.json", "data/timelinejs.json",
                 "assets/style.css"):
        assert (site / name).is_file(), name


def test_every_internal_link_and_anchor_resolves(site, pages):
    broken = []
    for path, page in pages.items():
        for href in page.links:
            target = internal_targets(path, href)
            if target is None:
                continue
            file, anchor = target
            if not (site / file).is_file():
                broken.append(f"{path}: {href} (no file {file})")
            elif anchor and not anchor.startswith(":~:") and file.endswith(".html") \
                    and anchor not in pages[file].ids:
                broken.append(f"{path}: {href} (no #{anchor} in {file})")
    assert broken == []


def test_every_citation_link_lands_on_a_highlighted_passage(site, pages):
    graph = pipeline.check(CONTENT)
    assert graph.quotes
    for quote in graph.quotes:
        if quote.kind == "sources":
            continue  # quote exceptions are listed, not highlighted
        file, _, anchor = urls.quote_link(quote).partition("#")
        assert pages[file].marks.get(anchor), f"{file}#{anchor} is not followed by a highlighted passage"


def test_links_are_relative(pages):
    for path, page in pages.items():
        for href in page.links:
            assert not href.startswith("/"), f"{path}: {href} is root-absolute"


def test_two_builds_are_byte_identical(site, tmp_path):
    """Every file is identical, except the search index's filter files: Pagefind writes the values of a
    filter in an order of its own, which changes their hashed names and the metadata naming them."""
    again = tmp_path / "again"
    assert run_build("--content", CONTENT, "--out", again).returncode == 0
    varies = lambda p: p.parts[:2] == ("pagefind", "filter") or p.name.endswith(".pf_meta") \
        or p.name == "pagefind-entry.json"  # noqa: E731
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert {k for k in first if not varies(k)} == {k for k in second if not varies(k)}
    assert len([k for k in first if varies(k)]) == len([k for k in second if varies(k)])
    assert [k for k in first if not varies(k) and first[k] != second[k]] == []


def test_failed_build_leaves_the_old_site_and_stale_pages_go(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    extra = content / "events" / "zz-temporary-event.md"
    extra.write_text((CONTENT / "events" / "ukraine-incursion-into-kursk.md").read_text())
    out = tmp_path / "site"
    assert run_build("--content", content, "--out", out).returncode == 0
    assert (out / "events" / "zz-temporary-event.html").is_file()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    extra.write_text(extra.read_text().replace("title:", "titel:", 1))
    assert run_build("--content", content, "--out", out).returncode == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    extra.unlink()
    assert run_build("--content", content, "--out", out).returncode == 0
    assert not (out / "events" / "zz-temporary-event.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_base_url_feeds_canonical_links_only(tmp_path):
    out = tmp_path / "site"
    assert run_build("--content", CONTENT, "--out", out, "--base-url", "https://example.org/kursk").returncode == 0
    index = (out / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/kursk/index.html">' in index
    assert 'href="assets/style.css"' in index
    assert "https://example.org/kursk/events/" in (out / "sitemap.xml").read_text()


def test_long_timelines_split_into_pages(make_content, tmp_path):
    from chronicle import render

    events = {}
    for i in range(render.TIMELINE_PAGE_LIMIT + 40):
        year = 2023 if i < 30 else 2024
        month = 1 + i % 12
        events[f"events/e{i:04d}.md"] = (
            f"---\ndate: {year}-{month:02d}-{1 + i % 28:02d}\ntitle: Event {i}\n"
            "citations:\n  - source: art\n    quote: killed near Plekhovo\n---\nSummary.\n")
    root = make_content(events)
    out = tmp_path / "site"
    assert run_build("--content", root, "--out", out).returncode == 0
    index = (out / "index.html").read_text()
    assert 'href="timeline/2023.html"' in index and "Event 5</a>" not in index
    # 2024 holds more than the limit, so it is split by month; every event is on exactly one page.
    pages = sorted((out / "timeline").glob("*.html"))
    assert [p.name for p in pages][:2] == ["2023.html", "2024-01.html"]
    listed = [e for p in pages for e in re.findall(r'<li class="event" id="(e\d+)"', p.read_text())]
    assert sorted(listed) == sorted(f"e{i:04d}" for i in range(render.TIMELINE_PAGE_LIMIT + 40))
    assert 'rel="next" href="2024-01.html"' in (out / "timeline" / "2023.html").read_text()
