"""The cases of tests/test_promises.py: one Hypothesis strategy per class of broken or hostile content of
issue 22 (`CLASSES`), and the cases the issue reports (`REPORTED`), each a `Case`: the files of a content
folder after one change, and what the README says of such content (refused, or either way).
"""
from __future__ import annotations

import errno
import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st
from promises import RECORDS, ROOT, SOURCE_TEXT, previous_site, promise_files, with_text
from test_fuzz_content import mutated_tree

from chronicle import files as content_files

@dataclass
class Case:
    note: str  # what was changed, as the report shows it
    files: dict
    links: dict = field(default_factory=dict)
    index: bool = False  # build the search index too (Pagefind: the language cases)
    refused: bool = False  # the README says such content is refused: it must exit 1
    unreadable: str = ""  # a file made unreadable (chmod 000, or simulated when running as root)
    check: object = None  # a further check of a successful build: check(site) -> list of broken promises

    def __repr__(self) -> str:
        return f"Case({self.note!r})"

    def _repr_pretty_(self, printer, cycle) -> None:  # how Hypothesis shows a failing case: its note
        printer.text(repr(self))


def _changed(note: str, rel: str, old: str, new: str, **options) -> Case:
    files = promise_files()
    assert old in files[rel], (rel, old)
    files[rel] = files[rel].replace(old, new, 1)
    return Case(note, files, **options)


def _yaml_quoted(text: str) -> str:
    return json.dumps(text)  # a YAML double-quoted scalar, every control character escaped


# ---------------------------------------------------------------------- ids colliding with the site's pages

def _site_names() -> list:
    """Return the names of what a build writes into each kind's folder that no record wrote (index...)."""
    site = previous_site(False)
    records = {Path(rel).stem for rel in RECORDS.values()}
    names = {p.stem for kind in RECORDS for p in (site / kind).iterdir() if p.stem not in records}
    names |= {p.stem for p in site.iterdir()}  # the top level's: about, search, feed, sitemap, 404, ...
    return sorted(names)


@st.composite
def reserved_ids(draw):
    kind = draw(st.sampled_from(sorted(RECORDS)))
    names = _site_names() + ["Index", "INDEX", "index.html", "page-2"]
    name = draw(st.one_of(st.just("index"), st.sampled_from(names)))  # index: half of the cases
    rel = RECORDS[kind]
    files = promise_files()
    suffix = Path(rel).suffix
    if kind == "sources":  # a source is its .yaml beside its text
        files[f"sources/{name}.txt"] = SOURCE_TEXT
        files[f"sources/{name}.yaml"] = files[rel].replace("text: art.txt", f"text: {name}.txt")
    else:
        files[f"{kind}/{name}{suffix}"] = files[rel]
    return Case(f"a copy of {rel} as {kind}/{name}{suffix}", files, refused=name.lower().startswith("index"))


# ---------------------------------------------------------------------- links, long names, unreadable files

@st.composite
def file_system(draw):
    files = promise_files()
    how = draw(st.sampled_from(["self", "pair", "folder loop", "link to a record", "dangling", "long name",
                                "long non-ASCII name", "unreadable"]))
    if how == "self":
        return Case("events/self.md -> self.md", files, {"events/self.md": "self.md"})
    if how == "pair":
        return Case("events/a.md -> b.md -> a.md", files, {"events/a.md": "b.md", "events/b.md": "a.md"})
    if how == "folder loop":
        where = draw(st.sampled_from(["events/loop", "tags/loop", "loop"]))
        target = draw(st.sampled_from([".", "..", "../tags"]))
        return Case(f"{where} -> {target}", files, {where: target})
    if how == "link to a record":
        return Case("events/copy.md -> losses.md", files, {"events/copy.md": "losses.md"})
    if how == "dangling":
        return Case("events/gone.md -> nowhere.md", files, {"events/gone.md": "nowhere.md"})
    kind = draw(st.sampled_from(sorted(RECORDS)))
    rel = RECORDS[kind]
    suffix = Path(rel).suffix
    if how == "unreadable":
        return Case(f"{rel} unreadable (chmod 000)", files, unreadable=rel)
    char = "a" if how == "long name" else "é"  # two bytes in UTF-8: a name of 126 is 252 bytes
    longest = (255 - len(suffix)) // len(char.encode())  # the longest a file system allows (255 bytes)
    length = draw(st.one_of(st.just(longest), st.integers(200 // len(char.encode()), longest)))
    name = char * length
    if kind == "sources":
        files[f"sources/{name}.txt"] = SOURCE_TEXT
        files[f"sources/{name}.yaml"] = files[rel].replace("text: art.txt", f"text: {name}.txt")
    else:
        files[f"{kind}/{name}{suffix}"] = files[rel]
    return Case(f"a copy of {rel} named {char!r} * {length}{suffix}", files)


def unreadable(case: Case, monkeypatch, content: Path) -> None:
    """Make the file unreadable: chmod 000, and, as root (who reads it anyway), a PermissionError from
    os.open on that path in chronicle/files.py (simulated: the content reader's one way to open a file)."""
    path = content / case.unreadable
    path.chmod(0)
    if os.geteuid() != 0:
        return
    real_open = os.open

    def refusing(name, flags, *args, **kwargs):
        if os.fspath(name) == os.fspath(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(name))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(content_files.os, "open", refusing)


# ---------------------------------------------------------------------- dates

EDTF_ALPHABET = "0123456789X-/.~?%[]{},uE Y+:TZ"
GARBAGE = ["2024-1X", "1933-XX/1993", "2024-XX-1X", "19XX-1X-X1", "2024-13", "2024-00-01", "2024-02-30",
           "2024-12-14/", "/", "..", "2024~~", "?2024", "2024-12-14T25:00", "Y-17E", "Y", "-", "2024-21-1X",
           "{2024,}", "[..2024", "2024-1X/2024-1X", "99999-99", "2024-12-XX/2024-11", "0000-00-00"]
FORMATS = ["13/11/2024", "05/11/2024", "13 November 2024", "November 13, 2024", "2024.11.13", "20241113",
           "13-11-2024", "2024/11/13", "Nov 2024"]
DIGITS = {"fullwidth": 0xFF10, "Arabic-Indic": 0x0660, "Devanagari": 0x0966, "Eastern Arabic": 0x06F0,
          "Bengali": 0x09E6, "mathematical bold": 0x1D7CE}
DATE_FIELDS = [("events/losses.md", "date: 2024-12-14"), ("figures/diu-killed.yaml", "as_of: 2024-12"),
               ("statements/kirby-said.yaml", "date: 2024-12-16"), ("sources/art.yaml", "date: 2024-12-17")]


def _in_digits(text: str, script: str) -> str:
    return "".join(chr(DIGITS[script] + int(c)) if c.isdigit() else c for c in text)


@st.composite
def dates(draw):
    rel, line = draw(st.sampled_from(DATE_FIELDS))
    key = line.split(":")[0]
    how = draw(st.sampled_from(["garbage", "alphabet", "digits", "digits", "format"]))
    refused = how in ("digits", "format")
    if how == "garbage":
        value = draw(st.sampled_from(GARBAGE))
    elif how == "alphabet":
        value = draw(st.text(st.sampled_from(EDTF_ALPHABET), min_size=1, max_size=14))
    elif how == "digits":
        script = draw(st.sampled_from(sorted(DIGITS)))
        value = _in_digits(draw(st.sampled_from(["2024-12-14", "2024-12", "2024", "2024-11/2024-12"])), script)
    else:
        value = draw(st.sampled_from(FORMATS))
    return _changed(f"{rel}: {key}: {value!r}", rel, line, f"{key}: {_yaml_quoted(value)}", refused=refused)


# ---------------------------------------------------------------------- figure values and YAML tags

NUMBERS = {  # written as is in YAML -> refused (True), or either (False: also a plain YAML 1.2 integer)
    str(10 ** 100): True, str(2 ** 63): False, str(2 ** 64): False, "-5": True, "-0": False, "0b11": True,
    "017": True, "1:30": True, "0x1F": True, "0o17": True, "1_000": True, "+5": False, "1e3": True,
    "1.0e+3": True, ".inf": True, "-.inf": True, ".nan": True, "3.0": True, "1,000": True, "३०": True,
    "３０": True, "'30'": True, "30 ": False, "~": False, "null": False, "true": True, "[30]": True,
}
TAGGED = {  # a tag -> refused (True), or either (False: YAML's own type of a scalar, as if written plain)
    "! x": True, "!!str 30": False, "!custom 30": True, "!!python/object/apply:os.system [\"touch x\"]": True,
    "!custom [x]": True, "!!set {a, b}": True, "!!python/name:os.system x": True, "!!binary MzA=": True,
    "!<tag:yaml.org,2002:int> 30": False, "!!int 30": False, "!custom {a: b}": True, "!!omap [a: 1]": True,
}
TAG_FIELDS = [("people/john-kirby.yaml", "aliases: [Kirby]", "aliases"), ("people/john-kirby.yaml",
              "name: John Kirby", "name"), ("events/losses.md", "tags: [casualties]", "tags"),
              ("figures/diu-killed.yaml", "value: 30", "value"), ("tags/casualties.yaml", "name: Casualties",
              "name"), ("sources/art.yaml", "language: en", "language")]


def _value_is_not(wrong: int):
    def check(site: Path) -> list:
        data = json.loads((site / "data" / "chronology.json").read_bytes())
        value = next(r["value"] for r in data["records"]["figures"] if r["id"] == "diu-killed")
        return [f"value silently read as {value}"] if value == wrong else []
    return check


@st.composite
def figure_values(draw):
    if draw(st.booleans()):
        number = draw(st.sampled_from(sorted(NUMBERS)))
        key = draw(st.sampled_from(["value", "value", "low", "high"]))
        line = f"{key}: {number}"
        old, new = ("value: 30", line) if key == "value" else ("value: 30", f"value: 30\n{line}")
        check = _value_is_not(15) if number == "017" and key == "value" else None
        return _changed(f"figures/diu-killed.yaml: {line}", "figures/diu-killed.yaml", old, new,
                        refused=NUMBERS[number], check=check)
    rel, old, key = draw(st.sampled_from(TAG_FIELDS))
    tagged = draw(st.sampled_from(sorted(TAGGED)))
    return _changed(f"{rel}: {key}: {tagged}", rel, old, f"{key}: {tagged}", refused=TAGGED[tagged])


# ---------------------------------------------------------------------- control characters

CONTROLS = ([chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + ["\x7f"]
            + [chr(c) for c in range(0x80, 0xA0)] + ["\ufffe", "\uffff"])
TEXT_FIELDS = [("events/losses.md", "title: Losses near Plekhovo"), ("people/john-kirby.yaml", "name: John Kirby"),
               ("tags/casualties.yaml", "name: Casualties"), ("sources/art.yaml", "title: Test article"),
               ("chronology.yaml", "title: Test chronology"), ("chronology.yaml", "description: A test."),
               ("figures/diu-killed.yaml", "subject: North Korean soldiers"),
               ("discrepancies/kirby-twice.yaml", "description: Kirby's words, twice."),
               ("places/plekhovo.yaml", "description: A village.")]


@st.composite
def control_characters(draw):
    char = draw(st.sampled_from(CONTROLS))
    where = draw(st.sampled_from(["field", "field", "summary", "source text"]))
    if where == "source text":  # with its hash updated, so that the text itself is accepted
        at = draw(st.integers(0, len(SOURCE_TEXT)))
        text = SOURCE_TEXT[:at] + char + SOURCE_TEXT[at:]
        return Case(f"U+{ord(char):04X} at {at} of sources/art.txt (hash updated)", with_text(promise_files(), text))
    if where == "summary":
        return _changed(f"U+{ord(char):04X} in the summary of events/losses.md", "events/losses.md",
                        "A summary.", f"A {char}summary.")
    rel, line = draw(st.sampled_from(TEXT_FIELDS))
    key, value = line.split(": ", 1)
    raw = draw(st.booleans())  # as the character itself, or as a YAML escape (\x00)
    new = f"{key}: {value[:2]}{char}{value[2:]}" if raw else f"{key}: {_yaml_quoted(value[:2] + char + value[2:])}"
    return _changed(f"U+{ord(char):04X} {'raw' if raw else 'escaped'} in {rel}: {key}", rel, line, new)


# ---------------------------------------------------------------------- a quote running into page chrome

LINES = SOURCE_TEXT.split("\n")  # 1 "57 F", 2 "Los Angeles", 3 "", 4-7 the article


def _offset(line: int) -> int:
    return sum(len(text) + 1 for text in LINES[:line - 1])


@st.composite
def quotes_into_chrome(draw):
    """A quote from a character of the chrome lines to one of the article's, or back: always refused."""
    filled = [n for n, text in enumerate(LINES, 1) if text]
    first = draw(st.sampled_from(filled))
    last = draw(st.sampled_from([n for n in filled if first <= n <= first + 2]))
    if (first, last) == (filled[0], filled[-1]):
        last = first
    chrome = f"{first}-{last}" if last > first else str(first)
    start, end = _offset(first), _offset(last) + len(LINES[last - 1])
    inside = [i for i in range(start, end) if not SOURCE_TEXT[i].isspace()]
    outside = [i for i, c in enumerate(SOURCE_TEXT) if not c.isspace() and not start <= i < end]
    a, b = sorted([draw(st.sampled_from(inside)), draw(st.sampled_from(outside))])
    quote = SOURCE_TEXT[a:b + 1]
    files = promise_files()
    files["sources/art.yaml"] = files["sources/art.yaml"].replace("lines: 1-2", f'lines: "{chrome}"')
    files["events/losses.md"] = files["events/losses.md"].replace(
        "quote: killed near Plekhovo", f"quote: {_yaml_quoted(quote)}")
    return Case(f"chrome lines {chrome}, quote {quote!r}", files, refused=True)


# ---------------------------------------------------------------------- chrome lines in other scripts' digits

@st.composite
def chrome_digits(draw):
    script = draw(st.sampled_from(sorted(DIGITS) + ["superscript"]))
    lines = draw(st.sampled_from(["1", "1-2", "2", "7", "1-7"]))
    written = lines.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")) if script == "superscript" \
        else _in_digits(lines, script)
    return _changed(f"sources/art.yaml: lines: {written!r} ({script})", "sources/art.yaml", "lines: 1-2",
                    f"lines: {_yaml_quoted(written)}", refused=True)


# ---------------------------------------------------------------------- languages (built with the search index)

ODD_VALID = ["zh-Hant-TW", "sr-Latn-RS", "de-CH-1901", "x-private", "i-klingon", "en-US-u-ca-gregory", "und",
             "qaa", "es-419", "sgn-BE-FR", "en-a-bbb-x-a-ccc", "zh-cmn-Hans-CN", "EN", "en-gb", "tlh", "ar"]
INVALID = ["english", "en_US", "e", "123", "en--us", "-en", "en-", "ünï", "en us", "../en", "en/x", "a" * 9,
           "<script>", "${x}", "x" * 8 + "-" + "y" * 8]


@st.composite
def languages(draw):
    where = draw(st.sampled_from(["chronology.yaml", "chronology.yaml", "sources/art.yaml"]))
    how = draw(st.sampled_from(["long", "odd but valid", "invalid"]))
    if how == "long":
        length = draw(st.integers(45, 100))
        value = draw(st.sampled_from(["en-" + "a" * (length - 3), "-".join(["abcdefgh"] * (length // 9 + 1))[:length],
                                      "x" * length]))
    else:
        value = draw(st.sampled_from(ODD_VALID if how == "odd but valid" else INVALID))
    return _changed(f"{where}: language: {value!r} ({how})", where, "language: en",
                    f"language: {_yaml_quoted(value)}", index=True)


# ---------------------------------------------------------------------- random mutations of YAML structure

@st.composite
def yaml_structure(draw):
    files = draw(mutated_tree())  # tests/test_fuzz_content.py's mutations, here through the whole build
    base = {rel: text.encode("utf-8") for rel, text in promise_files().items()}
    changed = sorted(rel for rel, data in files.items() if base.get(rel) != data)
    return Case(f"test_fuzz_content mutation of {', '.join(changed) or 'nothing'}", files)


# ---------------------------------------------------------------------- the shipped chronology (content/)

@functools.lru_cache(maxsize=1)
def shipped() -> dict:
    """Return every file of the shipped chronology, content/, by its path there (bytes)."""
    folder = ROOT / "content"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@st.composite
def shipped_changes(draw):
    """One change of the classes above to the shipped chronology: an index id, a control character, a date."""
    files = dict(shipped())
    records = sorted(rel for rel in files if "/" in rel and rel.endswith((".yaml", ".md"))
                     and not rel.startswith("sources/"))
    rel = draw(st.sampled_from(records))
    how = draw(st.sampled_from(["index id", "control character", "date"]))
    if how == "index id":
        kind, suffix = rel.split("/")[0], Path(rel).suffix
        files[f"{kind}/index{suffix}"] = files[rel]
        return Case(f"content/: a copy of {rel} as {kind}/index{suffix}", files, refused=True)
    lines = files[rel].decode("utf-8").split("\n")
    if how == "date":
        keyed = [i for i, line in enumerate(lines) if line.startswith(("date: ", "as_of: "))] or [0]
        value = draw(st.sampled_from(GARBAGE + FORMATS))
    else:
        keyed = [i for i, line in enumerate(lines) if line.startswith(("title: ", "name: ", "description: "))] or [0]
        value = "x" + draw(st.sampled_from(CONTROLS)) + "y"
    at = draw(st.sampled_from(keyed))
    key = lines[at].split(":")[0]
    lines[at] = f"{key}: {_yaml_quoted(value)}"
    files[rel] = "\n".join(lines).encode("utf-8")
    return Case(f"content/{rel}:{at + 1}: {key}: {value!r}", files)


CLASSES = {
    "reserved ids": reserved_ids(), "links and names": file_system(), "dates": dates(),
    "figure values, tags": figure_values(), "control characters": control_characters(),
    "quote into chrome": quotes_into_chrome(), "chrome digits": chrome_digits(), "language": languages(),
    "YAML structure": yaml_structure(), "shipped chronology": shipped_changes(),
}


def _copy(rel: str, new: str) -> Case:
    files = promise_files()
    files[new] = files[rel]
    return Case(f"a copy of {rel} as {new}", files, refused=Path(new).stem == "index")


def _index_in_shipped() -> Case:
    files = dict(shipped())
    files["discrepancies/index.yaml"] = files["discrepancies/kim-jong-un-spelling.yaml"]
    return Case("content/: a copy of discrepancies/kim-jong-un-spelling.yaml as discrepancies/index.yaml", files,
                refused=True)


def _value(written: str, refused: bool = True, check=None) -> Case:
    return _changed(f"figures/diu-killed.yaml: value: {written}", "figures/diu-killed.yaml", "value: 30",
                    f"value: {written}", refused=refused, check=check)


# The cases issue 22 reports, run first in every mode (Hypothesis's explicit examples).
REPORTED = {
    "reserved ids": lambda: [_copy("discrepancies/kirby-twice.yaml", "discrepancies/index.yaml"),
                             _copy("people/john-kirby.yaml", "people/index.yaml")],
    "links and names": lambda: [
        Case("events/self.md -> self.md", promise_files(), {"events/self.md": "self.md"}),
        Case("events/a.md -> b.md -> a.md", promise_files(), {"events/a.md": "b.md", "events/b.md": "a.md"}),
        _copy("events/losses.md", "events/" + "a" * 252 + ".md")],
    "dates": lambda: [
        _changed("events/losses.md: date: 2024-1X", "events/losses.md", "date: 2024-12-14", "date: 2024-1X"),
        _changed("figures/diu-killed.yaml: as_of: 1933-XX/1993", "figures/diu-killed.yaml", "as_of: 2024-12",
                 "as_of: 1933-XX/1993"),
        _changed("events/losses.md: date: ٢٠٢٤-١٢-١٤", "events/losses.md", "date: 2024-12-14",
                 "date: ٢٠٢٤-١٢-١٤", refused=True),
        _changed("figures/diu-killed.yaml: as_of: ２０２４-１２", "figures/diu-killed.yaml", "as_of: 2024-12",
                 "as_of: ２０２４-１２", refused=True)],
    "figure values, tags": lambda: [
        _value(str(10 ** 100)), _value("0b11"), _value("017", check=_value_is_not(15)), _value("1:30"),
        _value("0x1F"), _value("1_000"), _value("! 30"),
        _changed("people/john-kirby.yaml: aliases: !!python/object/apply:os.system", "people/john-kirby.yaml",
                 "aliases: [Kirby]", 'aliases: !!python/object/apply:os.system ["touch x"]', refused=True),
        _changed("people/john-kirby.yaml: aliases: !custom [x]", "people/john-kirby.yaml", "aliases: [Kirby]",
                 "aliases: !custom [x]", refused=True),
        _changed("people/john-kirby.yaml: name: ! x", "people/john-kirby.yaml", "name: John Kirby",
                 "name: ! x", refused=True)],
    "control characters": lambda: [
        _changed("U+0000 escaped in events/losses.md: title", "events/losses.md", "title: Losses near Plekhovo",
                 'title: "Losses\\x00 near Plekhovo"'),
        _changed("U+0001 in the summary of events/losses.md", "events/losses.md", "A summary.", "A \x01summary.")],
    "quote into chrome": lambda: [_changed(
        "chrome lines 1-2, quote 'Los Angeles The DIU said'", "events/losses.md", "quote: killed near Plekhovo",
        "quote: Los Angeles The DIU said", refused=True)],
    "chrome digits": lambda: [_changed("sources/art.yaml: lines: '１'", "sources/art.yaml", "lines: 1-2",
                                       'lines: "１"', refused=True)],
    "language": lambda: [_changed("chronology.yaml: language: 'en-' + 'a' * 42", "chronology.yaml", "language: en",
                                  "language: en-" + "a" * 42, index=True)],
    "shipped chronology": lambda: [_index_in_shipped()],
}
