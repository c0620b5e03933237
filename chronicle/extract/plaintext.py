"""A plain text file as a source text, and the lines of it that look like page chrome (proposals)."""

import codecs
import re

from .article import NO_AUTHORS, NOT_FOUND, Article, ExtractError, lines_as_text

HOW = "plain text file, kept as it is (line endings normalised, trailing spaces and blank lines dropped)"

# A name's word starts with a capital letter, whatever the case of the rest of the line ("By the numbers"
# is a heading, not a byline).
_NAME = r"(?-i:[A-Z\u00C0-\u024F][\w’'.-]*)"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# Each kind of chrome line: what it looks like (a pattern over the whole line, case ignored) and the label
# proposed for it. Patterns match whole lines only, and short ones: a sentence of the article that merely
# mentions sharing or cookies is not chrome.
_SHARE = r"(?:share(?: this(?: article| story)?| on \w+)?|tweet|facebook|twitter|x|e-?mail|whatsapp|linkedin|pinterest|reddit|telegram|print|copy link|flipboard|messenger|comments?)"
_KINDS = [
    ("Navigation or accessibility links",
     r"(?:skip to (?:main )?(?:content|navigation)|(?:quick|direct) access to main (?:page|contents?).*|jump to (?:content|navigation)|main menu|menu|home|search|sections|toggle navigation)"),
    ("Share buttons", rf"{_SHARE}(?:\s*[|·•,/]?\s*{_SHARE})*"),
    ("A counter (views, comments, shares)",
     r"(?:[\d.,]+\s*[km]?\s*(?:views?|comments?|shares?|likes?|reads?|reactions?)|(?:views?|comments?|shares?|likes?)\s*[:(]?\s*[\d.,]+\s*[km]?\)?|[\d.,]+)"),
    ("Byline", rf"(?:by|written by|posted by|reporting by|words by)\s+{_NAME}(?:\s+{_NAME}){{0,4}}(?:\s*(?:,|and|&)\s*{_NAME}(?:\s+{_NAME}){{0,4}})*"),
    ("Dateline (published or updated)",
     rf"(?:published|updated|posted|last updated|last modified)(?: on| at)?:?\s+(?=.*(?:\d{{1,2}}:\d{{2}}|\d{{4}}|\b{_MONTH}|\bago\b)).{{0,60}}"),
    ("Date shown by the website",
     rf"(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})(?:,?\s+\d{{1,2}}:\d{{2}}\s*(?:am|pm)?(?:\s+[a-z]{{2,4}})?)?"),
    ("Weather shown by the website", r"-?\d{1,3}(?:\.\d)?\s*°?\s*[FC]"),
    ("Cookie notice", r".{0,300}\bcookies?\b.{0,300}\b(?:accept|consent|agree|policy|settings|preferences)\b.{0,300}"),
    ("Advertisement", r"(?:advertisement|advertising|sponsored(?: content)?|ad|ads by \w+|story continues below(?: advertisement)?|continue reading below)"),
    ("Subscription or sign-in prompt",
     r"(?:subscribe(?: now| today)?|sign (?:in|up)|log ?in|register|newsletter|sign up for (?:our|the) newsletter.{0,60}|subscribe to .{0,60}|already a subscriber\??.{0,40})"),
    ("Copyright line", r"(?:©|\(c\)|copyright\b).{0,120}"),
    ("An e-mail address", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("A photo credit", r"(?:photo|image|picture|credit|photograph)s?(?: by| credit)?\s*[:/]\s*.{1,60}|\((?:photo|image)s?:?\s*.{1,60}\)"),
]
_MATCHERS = [(label, re.compile(rf"^\s*[•·*-]?\s*(?:{pattern})\s*$", re.I)) for label, pattern in _KINDS]
# A chrome line is short: most kinds have at most 12 words; a row of navigation links or a cookie notice
# may run longer.
_MOST_WORDS = 12
_LONGER = {"Navigation or accessibility links": 25, "Cookie notice": 120}
# Headings after which a page lists other things than the article: comments, other headlines.
_TAIL = re.compile(r"^\s*(?:\[\w+\]\s*)?(?:(?:latest|related|more|top|recommended|popular|trending|other)(?: \w+)? (?:stories|articles|news|posts|headlines|reads?|from \w+.*)|you may also like|you might also like|read (?:more|next|also)|most (?:read|popular|viewed)|recommended(?: for you)?|related|comments?\s*\(?\d*\)?|\d+\s+comments?|leave a (?:comment|reply)|what to read next|also read|see also)\s*:?\s*$", re.I)
_PARAGRAPH_WORDS = 30  # a line this long is prose: the list of other things has ended, or never began


def article(data: bytes, path) -> Article:
    """Return a plain text file as the article, with the page-chrome lines it proposes."""
    # UTF-8, or UTF-16 when a byte-order mark says so (as Windows' Notepad saves "Unicode").
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        decoded = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as err:
        raise ExtractError(f"{path}: is not {'UTF-16' if utf16 else 'UTF-8'} text (byte {err.start}: {err.reason}); "
                           "save it as UTF-8") from None
    if "\x00" in decoded:
        raise ExtractError(f"{path}: holds NUL characters: a binary file, not text")
    text = lines_as_text(decoded.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if not text:
        raise ExtractError(f"{path}: no article text found in this file (it is empty or only blank lines)")
    return Article(text=text, title=NOT_FOUND, headline=NOT_FOUND, authors=NO_AUTHORS, publisher=NOT_FOUND,
                   date=NOT_FOUND, language=NOT_FOUND, url=NOT_FOUND, chrome=chrome(text.splitlines()),
                   how=HOW, format="text")


def chrome(lines: list[str]) -> list[tuple[int, int, str]]:
    """Return the proposed page-chrome ranges (first, last, label) of `lines`, 1-based and inclusive:
    consecutive chrome lines make one range, labelled with what each kind of line in it looks like."""
    labels = [_label(line) for line in lines]
    tail = _tail_start(lines)
    if tail is not None:
        for i in range(tail, len(lines)):
            labels[i] = f"What follows the article (from \"{lines[tail].strip()}\"): comments or lists of other pages"
    _fill_short_gaps(lines, labels)
    ranges: list[tuple[int, int, str]] = []
    kinds: list[list[str]] = []
    for i, label in enumerate(labels):
        if label is None:
            continue
        if ranges and ranges[-1][1] == i:
            ranges[-1] = (ranges[-1][0], i + 1, "")
        else:
            ranges.append((i + 1, i + 1, ""))
            kinds.append([])
        if label is not _AMONG and label not in kinds[-1]:
            kinds[-1].append(label)
    return [(first, last, "; ".join(names) or _AMONG) for (first, last, _), names in zip(ranges, kinds)]


def _label(line: str) -> str | None:
    words = len(line.split())
    for label, matcher in _MATCHERS:
        if words <= _LONGER.get(label, _MOST_WORDS) and matcher.match(line):
            return label
    return None


def _tail_start(lines: list[str]) -> int | None:
    """Return the index of the first heading, after the article's prose has begun, after which only short
    lines follow (comments, other headlines), or None."""
    prose = False
    for i, line in enumerate(lines):
        if prose and _TAIL.match(line) and all(len(rest.split()) < _PARAGRAPH_WORDS for rest in lines[i + 1:]):
            return i
        prose = prose or len(line.split()) >= _PARAGRAPH_WORDS
    return None


_AMONG = "Short lines among page chrome"


def _fill_short_gaps(lines: list[str], labels: list) -> None:
    """Mark a very short line (three words at most) lying between two chrome lines (a city beside the
    weather), and a short line just before an e-mail address (the author's name over it)."""
    short = [len(line.split()) <= 3 for line in lines]
    for i in range(len(lines)):
        if labels[i] is not None or not short[i]:
            continue
        before = next((labels[j] for j in range(i - 1, -1, -1) if labels[j] is not None or not short[j]), None)
        after = next((labels[j] for j in range(i + 1, len(lines)) if labels[j] is not None or not short[j]), None)
        if before and after:
            labels[i] = _AMONG
        elif i + 1 < len(lines) and labels[i + 1] == "An e-mail address":
            labels[i] = labels[i + 1] = "Author's name and e-mail address"
