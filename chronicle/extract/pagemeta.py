"""What a saved page says about itself (title, headline, authors, publisher, date, language, URL), with where."""

import json
import re

from .article import NO_AUTHORS, NOT_FOUND, Found
from .dates import day_or_month

# JSON-LD types that describe the article itself (schema.org's CreativeWork kinds a news page uses).
_ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
                  "OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle", "LiveBlogPosting",
                  "TechArticle", "ScholarlyArticle", "Report", "WebPage", "Blog", "SocialMediaPosting"}
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


class Page:
    """A parsed page's metadata sources, read once: meta tags, JSON-LD objects, the tree itself."""

    def __init__(self, tree):
        self.tree = tree
        self.meta: dict[str, str] = {}
        for meta in tree.iter("meta"):
            key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
            content = " ".join((meta.get("content") or "").split())
            if key and content and key not in self.meta:  # the first of a name is the page's own
                self.meta[key] = content
        self.jsonld = _jsonld_objects(tree)
        self.article = next((obj for obj in self.jsonld if _types(obj) & _ARTICLE_TYPES - {"WebPage", "Blog"}),
                            next((obj for obj in self.jsonld if _types(obj) & _ARTICLE_TYPES), {}))

    def first_meta(self, *names: str) -> Found:
        """Return the first of the named meta tags the page has."""
        for name in names:
            if name in self.meta:
                return Found(self.meta[name], f"the page's {name}")
        return NOT_FOUND


def title(page: Page) -> Found:
    """Return the page's title: its <title>, else og:title."""
    element = page.tree.find(".//title")
    if element is not None and _text(element):
        return Found(_text(element), "the page's <title>")
    return page.first_meta("og:title", "twitter:title")


def headline(page: Page) -> Found:
    """Return the headline as printed: the <h1> the page's titles agree with most, else the JSON-LD
    headline, else og:title."""
    titles = [page.first_meta("og:title").value, title(page).value, page.article.get("headline")]
    named = set(_words(" ".join(t for t in titles if isinstance(t, str))))
    site = set(_words(publisher(page).value or ""))
    best, best_score = None, 0
    for xpath, where in (("//article//h1", "the article's <h1> heading"), ("//h1", "the page's <h1> heading")):
        for element in page.tree.xpath(xpath):
            words = _words(_text(element))
            score = sum(word in named for word in words)
            # An <h1> that is the site's name, or most of whose words are not in the page's titles, is
            # the site's or a section's heading, not the article's.
            if words and score * 2 >= len(words) and not set(words) <= site and score > best_score:
                best, best_score = Found(_text(element), where), score
    if best is not None:
        return best
    if isinstance(page.article.get("headline"), str) and page.article["headline"].strip():
        return Found(" ".join(page.article["headline"].split()), "the page's JSON-LD headline")
    return page.first_meta("og:title", "twitter:title")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def authors(page: Page) -> Found:
    """Return the bylines: JSON-LD author, else meta author, else the page's marked byline."""
    names = _names(page.article.get("author"))
    if names:
        return Found(names, "the page's JSON-LD author")
    for name in ("author", "article:author", "byl", "sailthru.author", "parsely-author", "dc.creator"):
        value = page.meta.get(name, "")
        if value and not value.startswith(("http://", "https://")):  # article:author is often a profile URL
            return Found([_unby(value)], f"the page's {name}")
    for xpath, where in (("//*[@itemprop='author']", "the byline marked itemprop=author"),
                         ("//a[@rel='author']", "the byline's rel=author link"),
                         ("//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]", "the byline")):
        found = [name for name in (_unby(_byline_name(e)) for e in page.tree.xpath(xpath)) if 0 < len(name.split()) <= 6]
        if found:
            # Several itemprop=author or rel=author marks are several authors; several elements of class
            # "byline" are the byline and, often, an author's note at the end: the first is the byline.
            return Found(list(dict.fromkeys(found)) if where != "the byline" else found[:1], where)
    return NO_AUTHORS


def _byline_name(element) -> str:
    """Return the name in a byline element: its itemprop=name or its link when it has one, else its text up
    to a line break or a date (a byline often holds the date too); "" for an e-mail address."""
    for xpath in (".//*[@itemprop='name']", ".//a[not(starts-with(@href, 'mailto:'))]"):
        for inner in element.xpath(xpath):
            if _text(inner):
                return _text(inner)
    parts = [element.text or ""]
    for child in element:
        kind = f"{child.tag} {child.get('class') or ''}".lower()
        if child.tag in ("br", "time") or "date" in kind or "time" in kind:
            break
        parts += [*child.itertext(), child.tail or ""]
    name = " ".join("".join(parts).split())
    return "" if "@" in name else name


def publisher(page: Page) -> Found:
    """Return the publisher's name: og:site_name, else JSON-LD publisher.name, else application-name."""
    found = page.first_meta("og:site_name")
    if found.value and not _http(found.value):  # some sites put their address there, not their name
        return found
    names = _names(page.article.get("publisher"))
    if names:
        return Found(names[0], "the page's JSON-LD publisher")
    return page.first_meta("application-name")


# Where a page states when it was published, in the order they are trusted: the Open Graph article
# property, schema.org's datePublished (microdata, JSON-LD), then other documented metadata names.
_OTHER_DATE_METAS = ("og:published_time", "date", "pubdate", "publishdate", "dc.date", "dc.date.issued",
                     "dcterms.created", "dcterms.issued", "sailthru.date", "parsely-pub-date")


def date(page: Page) -> Found:
    """Return the publication date as EDTF (a day, or only a month when that is all it says), with where."""
    found = _dated(page.meta.get("article:published_time"), "the page's article:published_time")
    if found.value:
        return found
    for element in page.tree.xpath("//*[@itemprop='datePublished']"):
        found = _dated(element.get("content") or element.get("datetime"), "the page's itemprop datePublished")
        if found.value:
            return found
    found = _dated(page.article.get("datePublished"), "the page's JSON-LD datePublished")
    if found.value:
        return found
    for name in _OTHER_DATE_METAS:
        found = _dated(page.meta.get(name), f"the page's {name}")
        if found.value:
            return found
    for xpath, where in (("//article//time[@datetime]", "the article's first <time datetime>"),
                         ("//time[@datetime]", "the page's first <time datetime>")):
        for element in page.tree.xpath(xpath)[:1]:
            found = _dated(element.get("datetime"), where)
            if found.value:
                return found
    return _guessed_date(page.tree)


def _guessed_date(tree) -> Found:
    """Return htmldate's guess from the page's markup (never fetching anything), said to be a guess."""
    import htmldate  # only here: it loads dateparser, which takes a while

    try:
        # A tree, not a URL: htmldate downloads only when given an address. Not its extensive search,
        # which reads dates in the text and fills in a day that is not there.
        guess = htmldate.find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate is a guess; a failure to guess is no date, never a failed import
        return NOT_FOUND
    if guess:
        return Found(guess, "a date found by htmldate in the page (a guess from its markup: check it)")
    return NOT_FOUND


def language(page: Page) -> Found:
    """Return the page's language as a BCP 47 tag: <html lang>, else content-language, else og:locale."""
    candidates = [(page.tree.getroottree().getroot().get("lang"), "the <html lang> attribute"),
                  (page.tree.getroottree().getroot().get("{http://www.w3.org/XML/1998/namespace}lang"), "the <html xml:lang> attribute")]
    for meta in page.tree.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language":
            candidates.append((meta.get("content"), "the page's Content-Language"))
    candidates += [(page.meta.get("og:locale"), "the page's og:locale"),
                   (page.article.get("inLanguage") if isinstance(page.article.get("inLanguage"), str) else None,
                    "the page's JSON-LD inLanguage")]
    for value, where in candidates:
        tag = bcp47(value)
        if tag:
            return Found(tag, where)
    return NOT_FOUND


def url(page: Page) -> Found:
    """Return the page's canonical http(s) address: its canonical link, else og:url, else JSON-LD url."""
    for link in page.tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and _http(link.get("href")):
            return Found(link.get("href").strip(), "the page's canonical link")
    for name in ("og:url", "twitter:url"):
        if _http(page.meta.get(name)):
            return Found(page.meta[name], f"the page's {name}")
    if isinstance(page.article.get("url"), str) and _http(page.article["url"]):
        return Found(page.article["url"].strip(), "the page's JSON-LD url")
    return NOT_FOUND


def _dated(value, where: str) -> Found:
    day = day_or_month(value) if isinstance(value, str) else None
    return Found(day, where) if day else NOT_FOUND


def bcp47(value) -> str | None:
    """Return `value` as a BCP 47 tag in its usual case ("pt-BR", "zh-Hant"), or None if it is not one."""
    if not isinstance(value, str):
        return None
    value = value.strip().split(",")[0].strip()
    if not _BCP47.match(value):
        return None
    parts = value.replace("_", "-").split("-")
    tag = [parts[0].lower()]
    for part in parts[1:]:
        tag.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part.lower())
    return "-".join(tag)


def _http(value) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")) and " " not in value.strip()


def _text(element) -> str:
    """Return an element's text with its whitespace collapsed (its parts joined as the page shows them)."""
    return " ".join("".join(element.itertext()).split())


def _unby(name: str) -> str:
    """Return a byline without its leading "By"."""
    return re.sub(r"^(?:by|por|par|von|di|door)\s+", "", " ".join(name.split()), flags=re.I).strip()


def _names(value) -> list[str]:
    """Return the names in a JSON-LD author or publisher: a string, an object with a name, or a list of them."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and not name.strip().startswith(("http://", "https://")):
            names.append(" ".join(name.split()))
    return list(dict.fromkeys(names))


def _types(obj: dict) -> set:
    kind = obj.get("@type")
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def _jsonld_objects(tree) -> list[dict]:
    """Return every JSON-LD object on the page, those inside lists and @graph included, in page order."""
    found: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue  # a broken block is the page's mistake; the others may still be read
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                found.append(item)
                if isinstance(item.get("@graph"), list):
                    stack[:0] = item["@graph"]
    return found
