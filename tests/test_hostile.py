"""Hostile content: script injection through any field, template syntax, and links, gives a safe site."""
from __future__ import annotations

import html.parser
import json
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from conftest import base_files, run_build, sha

from chronicle.markdown import render as markdown, safe_link

# Everything a pasted web page could hold to run code: a script, event handlers, an attribute break-out,
# a javascript: URL, and template syntax that must stay text.
PAYLOAD = ("<script>alert(1)</script><img src=x onerror=alert(2)>\"'><svg onload=alert(3)> "
           "{{ 7*7 }} {% if true %}evaluated{% endif %} javascript:alert(4)")
Y = json.dumps(PAYLOAD, ensure_ascii=False)  # a YAML double-quoted scalar
TEXT = f"Hostile article\n\nHe wrote {PAYLOAD} in a post.\nIt said {PAYLOAD} again, differently worded.\n"
QUOTE = json.dumps(f"He wrote {PAYLOAD}", ensure_ascii=False)
QUOTE2 = json.dumps(f"It said {PAYLOAD}", ensure_ascii=False)
SUMMARY = f"""Summary with {PAYLOAD}, <b onmouseover=alert(5)>bold</b> and <a href="javascript:alert(6)">raw</a>.

[a js link](javascript:alert(7)) [a data link](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:x)
[ok](https://example.org/x) [relative](../sources/hostile.html#p3) [no host](//evil.example/x)
![an image](https://evil.example/x.png) <javascript:alert(8)> [ref]

[ref]: javascript:alert(9)
"""


def hostile_files() -> dict:
    """Return a chronology whose every free-text field holds the payload."""
    files = base_files()
    files.update({
        "chronology.yaml": f"title: {Y}\ndescription: {Y}\nlanguage: en\n",
        "sources/hostile.txt": TEXT,
        "sources/hostile.yaml": (
            f"text: hostile.txt\nsha256: {sha(TEXT)}\ntitle: {Y}\nheadline: {Y}\npublisher: null\n"
            f"publisher_note: {Y}\nauthors: [{Y}]\ndate: 2024-12-20\nurl: https://example.org/a?b=c&d=%3Cscript%3E\n"
            f"language: en\ntranslation_note: {Y}\nnote: {Y}\nchrome:\n  - lines: \"1\"\n    label: {Y}\n"
            f"quote_exceptions:\n  - quote: {QUOTE}\n    reason: {Y}\n"
        ),
        "people/hostile-person.yaml": f"name: {Y}\naliases: [{Y}]\nrole: {Y}\ndescription: {Y}\n",
        "organisations/hostile-org.yaml": f"name: {Y}\nkind: {Y}\ndescription: {Y}\n",
        "places/hostile-place.yaml": f"name: {Y}\nkind: {Y}\ndescription: {Y}\n",
        "tags/hostile-tag.yaml": f"name: {Y}\ndescription: {Y}\n",
        "events/hostile.md": (
            f"---\ndate: 2024-12-20\ndate_note: {Y}\ntitle: {Y}\npeople: [hostile-person]\n"
            "organisations: [hostile-org]\nplaces: [hostile-place]\ntags: [hostile-tag]\n"
            f"citations:\n  - source: hostile\n    quote: {QUOTE}\n---\n{SUMMARY}"
        ),
        "statements/hostile-statement.yaml": (
            f"attribution: {Y}\nform: written\ndate: 2024-12-20\ndate_note: {Y}\ncontext: {Y}\n"
            f"renderings:\n  - source: hostile\n    quote: {QUOTE}\nevents: [hostile]\ntags: [hostile-tag]\nnote: {Y}\n"
        ),
        "figures/hostile-figure.yaml": (
            f"claimant: hostile-org\nsubject: {Y}\ncounted: killed\nvague: {Y}\nas_of: 2024-12\n"
            f"as_of_note: {Y}\nplace: hostile-place\ncitations:\n  - source: hostile\n    quote: {QUOTE2}\n"
            f"events: [hostile]\nnote: {Y}\n"
        ),
        "discrepancies/hostile-discrepancy.yaml": (
            f"title: {Y}\nabout: account\ndescription: {Y}\ncitations:\n  - source: hostile\n    quote: {QUOTE}\n"
            f"  - source: hostile\n    quote: {QUOTE2}\nfigures: [hostile-figure]\nstatements: [hostile-statement]\n"
            "events: [hostile]\n"
        ),
    })
    return files


class Elements(html.parser.HTMLParser):
    """Collects every element with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data", "background")
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'")


def unsafe_elements(page: str) -> list[str]:
    """Return what in an HTML page could run code or load from elsewhere."""
    parser = Elements()
    parser.feed(page)
    found = []
    for tag, attrs in parser.elements:
        if tag == "script" and not (attrs.get("type") == "application/ld+json"
                                    or (attrs.get("src") and safe_link(attrs["src"]) and ":" not in attrs["src"])):
            found.append(f"<script {attrs}>")
        if tag in ("img", "iframe", "object", "embed", "frame", "style", "base"):
            found.append(f"<{tag}>")
        if tag == "link" and ":" in attrs.get("href", "") and attrs.get("rel") != "canonical":
            found.append(f"<link {attrs}>")  # stylesheets and icons come from the site itself
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value is not None and not safe_link(value.strip()):
                found.append(f"<{tag} {name}={value!r}>")
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            found.append("<meta refresh>")
    return found


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from conftest import write_tree

    folder = tmp_path_factory.mktemp("hostile")
    root = write_tree(folder / "content", hostile_files())
    result = run_build("--content", root, "--out", folder / "site")
    assert result.returncode == 0, result.stderr
    return folder / "site"


def test_no_page_runs_or_loads_anything_from_the_content(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 20
    problems = {p.relative_to(hostile_site).as_posix(): unsafe_elements(p.read_text()) for p in pages}
    assert {p: found for p, found in problems.items() if found} == {}


def test_the_payload_is_shown_as_text_everywhere(hostile_site):
    escaped = ("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#34;&#39;&gt;"
               "&lt;svg onload=alert(3)&gt; {{ 7*7 }} {% if true %}evaluated{% endif %} javascript:alert(4)")
    for page in ("index.html", "events/hostile.html", "sources/hostile.html", "statements/hostile-statement.html",
                 "figures/hostile-figure.html", "discrepancies/hostile-discrepancy.html",
                 "people/hostile-person.html", "organisations/hostile-org.html", "places/hostile-place.html",
                 "tags/hostile-tag.html", "about.html"):
        text = (hostile_site / page).read_text()
        assert escaped in text, page
        assert "evaluated{%" in text and ">evaluated<" not in text and " 49 " not in text


def test_every_page_carries_the_content_security_policy(hostile_site):
    for page in sorted(hostile_site.rglob("*.html")):
        text = page.read_text()
        assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in text, page
        assert text.index("Content-Security-Policy") < text.index("<link"), page  # before anything it governs


def test_markdown_summary_keeps_only_web_and_relative_links(hostile_site):
    page = (hostile_site / "events" / "hostile.html").read_text()
    summary = page[page.index('<div class="summary">'):]
    summary = summary[:summary.index("</div>")]
    assert '<a href="https://example.org/x">ok</a>' in summary
    assert '<a href="../sources/hostile.html#p3">relative</a>' in summary
    for text in ("[a js link](javascript:alert(7))", "[a data link](data:text/html;base64,PHNjcmlwdD4=)",
                 "[vb](vbscript:x)", "[no host](//evil.example/x)", "&lt;javascript:alert(8)&gt;", "[ref]",
                 "&lt;b onmouseover=alert(5)&gt;bold&lt;/b&gt;", "&lt;a href=&quot;javascript:alert(6)&quot;&gt;raw"):
        assert text in summary, text
    assert "an image" in summary and "evil.example/x.png" not in summary  # an image shows as its text
    assert summary.count("<a ") == 2


def test_data_files_hold_the_payload_as_data(hostile_site):
    feed = ET.parse(hostile_site / "feed.xml").getroot()  # well-formed: the payload is escaped
    assert PAYLOAD in ET.tostring(feed, encoding="unicode").replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&quot;", '"').replace("&amp;", "&")
    data = json.loads((hostile_site / "data" / "chronology.json").read_text())
    assert PAYLOAD in json.dumps(data, ensure_ascii=False).replace('\\"', '"')
    for page in sorted(hostile_site.rglob("*.html")):
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(), re.S):
            assert "<" not in block  # content can never close the element
            json.loads(block)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example/", "ftp://x/y",
                                 "https://example.org/\"onmouseover=\"alert(1)"])
def test_source_url_must_be_http(make_content, url):
    from conftest import problems_of

    files = base_files()
    root = make_content({"sources/art.yaml": files["sources/art.yaml"] + f"url: {json.dumps(url)}\n"})
    assert problems_of(root) == [
        f"content/sources/art.yaml:10: 'url' {url!r} is not an http(s) URL "
        "(only http:// and https:// links are allowed)"
    ]


@pytest.mark.parametrize("text, expected", [
    ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ("[x](JaVaScRiPt:alert(1))", "<p>[x](JaVaScRiPt:alert(1))</p>"),
    ("[x](&#106;avascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ("[x](java\nscript:alert(1))", "<p>[x](java\nscript:alert(1))</p>"),
    ("[x](data:image/png;base64,AAAA)", "<p>[x](data:image/png;base64,AAAA)</p>"),
    ("[x](mailto:someone@example.org)", "<p>[x](mailto:someone@example.org)</p>"),
    ("[x](file:///etc/passwd)", "<p>[x](file:///etc/passwd)</p>"),
    ("[x](https:evil.example)", "<p>[x](https:evil.example)</p>"),
    ("[x](//evil.example)", "<p>[x](//evil.example)</p>"),
    ("[x](HTTPS://example.org/a)", '<p><a href="HTTPS://example.org/a">x</a></p>'),
    ("[x](#p7)", '<p><a href="#p7">x</a></p>'),
    ("[x](/\\evil.example)", '<p><a href="/%5Cevil.example">x</a></p>'),
    ("<https://example.org/>", '<p><a href="https://example.org/">https://example.org/</a></p>'),
    ("![alt *text*](https://evil.example/i.png)", "<p>alt text</p>"),
    ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
    ("<div>\n<script>alert(1)</script>\n</div>", "<p>&lt;div&gt;\n&lt;script&gt;alert(1)&lt;/script&gt;\n&lt;/div&gt;</p>"),
    ("{{ 7*7 }}", "<p>{{ 7*7 }}</p>"),
])
def test_markdown_link_and_html_rules(text, expected):
    assert markdown(text).strip() == expected


def test_the_preview_error_page_escapes_problems():
    from chronicle.problems import Problem
    from chronicle.preview_server import error_page

    page = error_page([Problem("content/events/evil\u202egpj.md", 3, f"unknown field '{PAYLOAD}'", "<b>hint</b>")],
                      "evil.example/x.html")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "evil\\u202egpj.md:3" in page and "\u202e" not in page
    assert 'href="/evil.example/x.html?last-good=1"' in page  # not '//evil.example': a link off the site
    assert 'href="/a%22%3E%3Cb%3E%3F.html?last-good=1"' in error_page([], 'a"><b>?.html')


@pytest.mark.parametrize("path", ["/evil.example/x.html", "\\evil.example/x.html", "\tevil.example/x.html",
                                  "\nx.html", "x\x00.html", "./x.html", "a/../x.html", "a//x.html", "\u202ex.html"])
def test_the_preview_error_page_links_only_to_plain_site_paths(path):
    from chronicle.preview_server import error_page, plain

    assert not plain(path)
    with pytest.raises(ValueError, match="not a plain site path"):
        error_page([], path)


@pytest.mark.parametrize("path", ["", "index.html", "events/", "events/a-b.html", "assets/style.css", "été.html"])
def test_plain_site_paths(path):
    from chronicle.preview_server import plain

    assert plain(path)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a./\\%?#:@ \t\n\r\x00\x0b\x7f\x85\u2028\u202e\ufeffé"))))
def test_the_error_pages_link_stays_on_the_site(path):
    """Whatever path a request names, the error page is made for plain paths only, and its link is then a
    path on the preview's own host: one leading slash, only unreserved characters and %-escapes after it."""
    from chronicle.preview_server import error_page, plain

    if plain(path):
        [href] = re.findall(r'href="([^"]*)"', error_page([], path))
        assert re.fullmatch(r"/(?![/\\])[A-Za-z0-9._~%/-]*\?last-good=1", href), href


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(), st.integers(), st.none(), st.text().map(Markup)))
def test_templates_escape_output_exactly_as_jinja2_does(value):
    """Our environment's options (whitespace control, StrictUndefined) leave Jinja2's own
    autoescaping as it is, in plain output, macros, set blocks, filters and loops."""
    import jinja2

    from chronicle.render import environment

    source = ("{% macro m(v) %}<i>{{ v }}</i>{% endmacro %}{% set b %}[{{ v }}]{% endset %}"
              "{{ v }}|{{ m(v) }}|{{ b }}|{{ v | string }}|{% for w in [v, v] %}{{ w }}{% endfor %}"
              "{% filter upper %}{{ v }}{% endfilter %}|{{ '<' ~ v }}")
    ours = environment().from_string(source)
    theirs = jinja2.Environment(autoescape=True).from_string(source)
    assert ours.render(v=value) == theirs.render(v=value)


def test_templates_write_each_part_as_a_filter_with_the_pages_own_parts():
    """Every public method of Parts is a template filter calling the Parts the page is given (its
    links relative to the page's folder), with the filter's arguments; none hides a Jinja2 filter."""
    from types import SimpleNamespace

    import jinja2

    from chronicle.parts import Parts
    from chronicle.render import _PART_NAMES, environment

    assert "ref_list" in _PART_NAMES and not set(_PART_NAMES) & set(jinja2.Environment().filters)
    env = environment()
    page = env.from_string('{{ refs | ref_list }}|{{ [] | index_items("tags") }}')
    refs = [{"href": "people/a&b.html", "title": "<T>"}]
    graph = SimpleNamespace(entries={"tags": {}})
    assert page.render(parts=Parts(graph, lambda path: "../" + path), refs=refs) == \
        '<ul>\n<li><a href="../people/a&amp;b.html">&lt;T&gt;</a></li>\n</ul>|'


@settings(max_examples=500, deadline=None)
@given(value=st.one_of(st.text(), st.text(alphabet=st.sampled_from(list("ab &<>'\"\\;#é\u2028\n"))), st.integers(),
                       st.floats(allow_nan=False), st.none(), st.text().map(Markup)))
def test_parts_escape_values_as_templates_do(value):
    """The pieces written in Python (parts, views, search) escape each value as a template's
    autoescaped `{{ value }}` does: & < > ' " as the same entities, Markup as it is."""
    from chronicle import html as chtml, parts

    assert parts.escape is chtml.escape
    escaped = chtml.escape(value)
    assert escaped == _autoescaped(value)
    assert type(escaped) is str  # written into f-strings and joins, never into a template


def _autoescaped(value) -> str:
    """Return `{{ value }}` as plain Jinja2 renders it with autoescaping (its template made once)."""
    global _plain_template
    if _plain_template is None:
        import jinja2

        _plain_template = jinja2.Environment(autoescape=True).from_string("{{ v }}")
    return _plain_template.render(v=value)


_plain_template = None
