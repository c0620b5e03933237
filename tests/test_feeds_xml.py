"""feed.xml and sitemap.xml are written as strings: byte for byte what ElementTree used to write.

The reference below is the former ElementTree code of chronicle/feeds.py (ET.indent + ET.tostring),
kept here only to compare with. The cases: the escaping helpers against ElementTree's own; the
shipped content; hostile content (& < > " ' tabs, CR, LF, non-ASCII, a hostile base URL), with and
without a base URL, whose output must also parse; and any values at all, through a stand-in graph.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from types import SimpleNamespace

from hypothesis import given, settings, strategies as st

from chronicle import feeds, pipeline, urls
from chronicle.characters import replaced
from chronicle.feeds import ATOM, DECLARATION, EPOCH, NO_BASE_COMMENT, SITEMAP, _href, _latest, _timestamp
from chronicle.render import Site

from conftest import ROOT, base_files

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = "{http://www.w3.org/2005/Atom}"
SPECIAL = "&<>\"'\r\n\t ;#aé🙂\u2028"  # characters escaping touches, and some it must not
HOSTILE = "a & b < c > d \" e ' f\tg\rh\ni\r\nj — Курськ é 🙂 \u2028 end"


# ------------------------------------------------------------------ reference: the former ElementTree code

def _xml(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode") + "\n"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    # ElementTree writes what XML forbids as it is; the feed makes it U+FFFD (characters.replaced)
    element = ET.SubElement(parent, tag, {name: replaced(value) for name, value in attrs.items()})
    if text is not None:
        element.text = replaced(text)
    return element


def reference_atom(graph, base: str | None) -> str:
    settings = graph.content.chronology
    title = settings.title if settings else "Chronology"
    events = [graph.entries["events"][eid] for eid in reversed(graph.timeline)]
    latest = max((_latest(graph.when(e)) for e in events), default=EPOCH)

    feed = ET.Element("feed", {"xmlns": ATOM})
    if settings:
        feed.set(XML_LANG, replaced(settings.language))
    _sub(feed, "title", title)
    if settings:
        _sub(feed, "subtitle", " ".join(settings.description.split()))
    _sub(feed, "id", base + "feed.xml" if base else
         "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"chronicle:feed:{title}")))
    _sub(feed, "updated", _timestamp(latest))
    author = _sub(feed, "author")
    _sub(author, "name", title)
    _sub(feed, "link", rel="alternate", type="text/html", href=_href("index.html", base))
    if base:
        _sub(feed, "link", rel="self", type="application/atom+xml", href=base + "feed.xml")
    _sub(feed, "generator", "chronicle")
    for entry in events:
        when = graph.when(entry)
        item = _sub(feed, "entry")
        _sub(item, "title", entry.record.title)
        _sub(item, "id", feeds.entry_id(entry.id, base))
        _sub(item, "updated", _timestamp(_latest(when)))
        _sub(item, "link", rel="alternate", type="text/html", href=_href(urls.page("events", entry.id), base))
        for tag in entry.record.tags:
            record = graph.entries["tags"].get(tag)
            _sub(item, "category", term=tag, label=record.record.name if record else tag)
        summary = " ".join(entry.body.split())
        _sub(item, "summary", f"Date: {when.words}. {summary}".rstrip(), type="text")
    return DECLARATION + _xml(feed)


def reference_sitemap(pages, base: str | None) -> str:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP})
    for page in sorted(set(pages)):
        _sub(_sub(urlset, "url"), "loc", _href(page, base))
    comment = "" if base else f"<!-- {NO_BASE_COMMENT} -->\n"
    return DECLARATION + comment + _xml(urlset)


def assert_same(graph, pages, bases) -> dict:
    """Assert that atom() and sitemap() equal the reference and parse; return {base: (feed, sitemap)}."""
    out = {}
    for base in bases:
        feed, sitemap = feeds.atom(graph, base), feeds.sitemap(pages, base)
        assert feed == reference_atom(graph, base), base
        assert sitemap == reference_sitemap(pages, base), base
        out[base] = ET.fromstring(feed), ET.fromstring(sitemap), feed, sitemap
    return out


# ------------------------------------------------------------------ escaping

def test_escaping_matches_elementtree_on_every_special_character():
    assert feeds._text(HOSTILE) == ET._escape_cdata(HOSTILE) == (
        "a &amp; b &lt; c &gt; d \" e ' f\tg\rh\ni\r\nj — Курськ é 🙂 \u2028 end")
    assert feeds._attr(HOSTILE) == ET._escape_attrib(HOSTILE) == (
        "a &amp; b &lt; c &gt; d &quot; e ' f&#09;g&#13;h&#10;i&#13;&#10;j — Курськ é 🙂 \u2028 end")
    assert feeds._attr("&amp;&#10;") == "&amp;amp;&amp;#10;"  # escaped once, not twice or left alone


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(SPECIAL)) | st.text())
def test_escaping_matches_elementtree_on_any_text(text):
    """As ElementTree escapes, once what XML forbids (which ElementTree writes as it is) is U+FFFD."""
    assert feeds._text(text) == ET._escape_cdata(replaced(text))
    assert feeds._attr(text) == ET._escape_attrib(replaced(text))


def test_characters_xml_forbids_never_reach_the_feed():
    text = "a\x00b\x07c\x1fd\x7fe\x85f\x9fg\ufffeh\uffffi\ud800j\tk"
    assert feeds._text(text) == "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffdh\ufffdi\ufffdj\tk"
    ET.fromstring(f"<x a=\"{feeds._attr(text)}\">{feeds._text(text)}</x>")


# ------------------------------------------------------------------ shipped content

def test_shipped_content_feed_and_sitemap_are_unchanged():
    graph = pipeline.check(ROOT / "content")
    pages = sorted(p for p in Site(graph).specs() if p != "404.html")
    parsed = assert_same(graph, pages, (None, "https://example.org/kursk/"))
    feed, sitemap, _, _ = parsed["https://example.org/kursk/"]
    assert len(feed.findall(f"{NS}entry")) == len(graph.entries["events"])
    assert len(sitemap) == len(pages)


# ------------------------------------------------------------------ hostile content

def _yaml(text: str) -> str:
    """Return `text` as a double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace(
        "\r", "\\r").replace("\n", "\\n").replace("\u2028", "\\L") + '"'


def test_hostile_values_are_escaped_as_before(make_content):
    files = {
        "chronology.yaml": f"title: {_yaml('Kursk ' + HOSTILE)}\ndescription: {_yaml(HOSTILE)}\n"
                           "language: en\n",  # a BCP 47 tag (schema.py): it cannot be hostile
        "tags/casualties.yaml": f"name: {_yaml('Casualties ' + HOSTILE)}\ndescription: Losses.\n",
        "tags/other.yaml": "name: Ordinary\ndescription: Plain.\n",
    }
    text = base_files()["events/losses.md"].replace("tags: [casualties]", "tags: [casualties, other]")
    text = text.replace("title: Losses near Plekhovo", f"title: {_yaml('Losses ' + HOSTILE)}")
    files["events/losses.md"] = text.replace("A summary.\n", f"A summary {HOSTILE}\r\n\ttabbed.\n")
    content = make_content(files)
    graph = pipeline.check(content)
    pages = ["index.html", "events/losses.html", "a&b<c>\"d'.html", "é Курськ.html", "", "index.html"]
    bases = (None, "https://example.org/kursk/", "https://example.org/a&b<c>\"d'\te\r\nf/")
    parsed = assert_same(graph, pages, bases)

    # the hostile characters took each escaping path: text nodes, attributes, the base URL
    feed, sitemap, feed_text, sitemap_text = parsed[bases[2]]
    for escaped in ("&amp;", "&lt;", "&gt;", "&quot;", "&#09;", "&#13;", "&#10;", "Курськ"):
        assert escaped in feed_text, escaped
    assert "f\tg\rh\ni" in feed_text  # raw in text nodes, as ElementTree writes them
    assert 'xml:lang="en' in feed_text and "<loc />" in parsed[None][3]
    assert "<loc>https://example.org/a&amp;b&lt;c&gt;\"d'\te\r\nf/index.html</loc>" in sitemap_text

    # and read back as written (an XML parser turns CR LF and CR in text into LF)
    def eol(s):
        return s.replace("\r\n", "\n").replace("\r", "\n")

    assert feed.get(XML_LANG) == "en"
    assert feed.findtext(f"{NS}title") == eol("Kursk " + HOSTILE)
    assert feed.findtext(f"{NS}subtitle") == " ".join(HOSTILE.split())
    entry = feed.find(f"{NS}entry")
    assert entry.findtext(f"{NS}title") == eol("Losses " + HOSTILE)
    assert [c.get("label") for c in entry.findall(f"{NS}category")] == ["Casualties " + HOSTILE, "Ordinary"]
    assert entry.find(f"{NS}link").get("href") == bases[2] + "events/losses.html"
    assert " ".join(HOSTILE.split()) + " tabbed." in entry.findtext(f"{NS}summary")
    assert [url[0].text for url in sitemap] == [eol(_href(p, bases[2])) for p in sorted(set(pages))]


# ------------------------------------------------------------------ any values, past what content validation allows

def _graph(title, description, language, events, tag_names, settings_given):
    """Return a stand-in for a Graph with just what atom() reads."""
    entries = {"events": {}, "tags": {t: SimpleNamespace(record=SimpleNamespace(name=n)) for t, n in tag_names}}
    timeline = []
    for i, (eid, etitle, tags, body, words, lower, upper) in enumerate(events):
        eid = f"{eid}{i}"  # ids are unique
        entries["events"][eid] = SimpleNamespace(
            id=eid, body=body, when=SimpleNamespace(words=words, lower=lower, upper=upper),
            record=SimpleNamespace(title=etitle, tags=tags))
        timeline.append(eid)
    chronology = SimpleNamespace(title=title, description=description, language=language)
    return SimpleNamespace(content=SimpleNamespace(chronology=chronology if settings_given else None),
                           entries=entries, timeline=timeline, when=lambda e: e.when)


TEXT = st.text(st.sampled_from(SPECIAL), max_size=12) | st.text(max_size=12)
DAY = st.tuples(st.integers(-10**7, 10**7), st.integers(1, 12), st.integers(1, 31))


@settings(max_examples=150, deadline=None)
@given(title=TEXT, description=TEXT, language=TEXT, settings_given=st.booleans(),
       tag_names=st.lists(st.tuples(TEXT, TEXT), max_size=3),
       events=st.lists(st.tuples(TEXT, TEXT, st.lists(TEXT, max_size=3), TEXT, TEXT, DAY, DAY), max_size=4),
       pages=st.lists(TEXT, max_size=5), base=st.none() | TEXT.map(lambda s: "https://example.org/" + s + "/"))
def test_any_values_give_the_same_bytes(title, description, language, settings_given, tag_names, events,
                                         pages, base):
    graph = _graph(title, description, language, events, tag_names, settings_given)
    assert feeds.atom(graph, base) == reference_atom(graph, base)
    assert feeds.sitemap(pages, base) == reference_sitemap(pages, base)


def test_empty_values_are_self_closing_as_before():
    graph = _graph("", "", "", [("e", "", [""], "", "", EPOCH, EPOCH)], [], True)
    for base in (None, "https://example.org/"):
        assert feeds.atom(graph, base) == reference_atom(graph, base)
        for pages in ([], [""], ["index.html"]):
            assert feeds.sitemap(pages, base) == reference_sitemap(pages, base)
    assert "<title />" in feeds.atom(graph, None) and "<subtitle />" in feeds.atom(graph, None)
    assert feeds.sitemap([], None).endswith(f'<urlset xmlns="{SITEMAP}" />\n')
    assert "<loc />" in feeds.sitemap([""], None)
    ET.fromstring(feeds.atom(graph, None))
    ET.fromstring(feeds.sitemap([], None))
