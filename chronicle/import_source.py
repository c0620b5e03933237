"""`import PATH`: a saved web page, a PDF or a text file made into a source: its article text
(`ID.txt`), the original kept byte for byte as its capture (`ID.capture.EXT`), and its metadata
(`ID.yaml`), each field found in the page said where it came from; nothing is overwritten."""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import captures, kinds, schema, validate
from .extract import Article, ExtractError, extract
from .files import Parsed, display_path
from .problems import slug
from .read import parse_yaml

MAX_ID = 60  # an id from a long headline is cut at a word, to keep file names and links readable
FORMATS = {"html": "a saved web page", "pdf": "a PDF", "text": "a text file"}


class CannotImport(Exception):
    """Why a file cannot be imported: one line for the user (exit 1)."""


@dataclass
class Options:
    content: Path
    source_id: str | None = None
    url: str | None = None
    archived_url: str | None = None
    today: datetime.date | None = None  # the capture's day (tests fix it)
    content_option: str = ""  # " --content DIR" to repeat in the commands printed, or ""


def run(path: Path, options: Options, out=print) -> int:
    """Import `path` into options.content's sources/, print what was written and what to check, and
    return the exit code: 0, or 1 with the reason printed when it cannot be imported."""
    try:
        written, checks = import_file(Path(path), options)
    except (CannotImport, ExtractError) as err:
        out(f"error: {err}")
        out("Nothing was written.")
        return 1
    for line in written:
        out(f"wrote {line}")
    out("Check these against the page before you cite it:")
    for line in checks:
        out(f"  - {line}")
    return 0


def import_file(path: Path, options: Options) -> tuple[list, list]:
    """Write the source of `path` and return (what was written, what the author should check)."""
    sources = _sources_folder(options.content)
    _check_input(path)
    for given, what in ((options.url, "--url"), (options.archived_url, "--archived-url")):
        if given is not None and not re.match(r"^https?://[^\s<>\"]+$", given):
            raise CannotImport(f"{what} must be an http(s) URL, not {given!r}")
    original = path.read_bytes()
    _check_not_imported(sources, hashlib.sha256(original).hexdigest())
    article = extract(path)
    source_id = _source_id(options.source_id, article, path)
    capture = captures.name_for(source_id, path.name)
    targets = [sources / f"{source_id}.yaml", sources / f"{source_id}.txt", sources / capture]
    for target in targets:
        if target.exists():
            raise CannotImport(f"{display_path(target)} already exists; nothing is overwritten: "
                               f"give another id with --id")
    today = options.today or datetime.date.today()
    text = article.text.encode("utf-8")
    fields, checks = _fields(article, path, source_id, capture, options, today)
    fields["sha256"] = hashlib.sha256(text).hexdigest()
    fields["capture_sha256"] = hashlib.sha256(original).hexdigest()
    record = _yaml(fields, article, path, today)
    doc, problems = parse_yaml(record, display_path(targets[0]))
    assert doc is not None and not problems, problems  # made from checked values: a bug otherwise
    schema.Source.model_validate(doc.data)
    _write_all(zip(targets, (record.encode("utf-8"), text, original)))
    lines = article.text.count("\n")
    written = [f"{display_path(targets[1])}: the article text, {lines} paragraph{'s' * (lines != 1)}, one a line",
               f"{display_path(targets[2])}: the capture, byte for byte as {path.name}",
               f"{display_path(targets[0])}: its metadata"]
    return written, checks + [
        f"the text in {targets[1].name} against the page: whole paragraphs, nothing of the page around them",
        f"then cite it: python build.py cite \"WORDS\" --source {source_id}{options.content_option}"]


def _sources_folder(content: Path) -> Path:
    if not (content / "chronology.yaml").is_file():
        raise CannotImport(f"{display_path(content)} is not a content folder (it has no chronology.yaml): "
                           f"make one with `python build.py init {display_path(content)}`, or pass --content DIR")
    sources = content / "sources"
    sources.mkdir(exist_ok=True)
    return sources


def _check_input(path: Path) -> None:
    if not path.is_file():
        raise CannotImport(f"{display_path(path)}: no such file")
    if not path.name.lower().endswith(captures.SUFFIXES):
        raise CannotImport(f"{display_path(path)}: not a file import reads; it reads saved web pages "
                           "(.html, .htm, .html.gz), PDFs (.pdf) and text files (.txt)")


def _check_not_imported(sources: Path, digest: str) -> None:
    """Refuse a file already imported: the same bytes as a capture there."""
    for item in sorted(sources.iterdir()):
        if captures.is_capture(item.name) and item.is_file() and \
                hashlib.sha256(item.read_bytes()).hexdigest() == digest:
            raise CannotImport(f"this file was imported already: {display_path(item)} holds the same bytes")


def _source_id(given: str | None, article: Article, path: Path) -> str:
    if given is not None:
        if not schema.ID_RE.match(given):
            raise CannotImport(f"--id '{given}' is not a valid id: ids are lowercase letters and digits "
                               f"joined by hyphens, e.g. '{slug(given)}'")
        taken = validate.id_problem("sources", given, given, Parsed("sources"))  # reserved, or too long
        if taken is not None:
            raise CannotImport(f"--{taken.message}: give another id")
        return given
    for name in (article.headline.value, article.title.value, re.sub(r"\.(html?|pdf|txt)(\.gz)?$", "", path.name)):
        made = slug(name or "")
        if made != "name" and made not in kinds.KINDS.reserved_ids:  # "name": nothing ASCII in it
            return _shortened(made)
    return "source"


def _shortened(made: str) -> str:
    if len(made) <= MAX_ID:
        return made
    cut = made[:MAX_ID + 1].rpartition("-")[0]
    return cut or made[:MAX_ID].rstrip("-")


def _fields(article: Article, path: Path, source_id: str, capture: str, options: Options,
            today: datetime.date) -> tuple[dict, list]:
    """Return the source's fields from what was found, and a line for the author to check for each."""
    checks, notes = [], []
    headline, title = article.headline.value, article.title.value
    shown_title = headline or title or f"[Untitled {FORMATS[article.format]}, imported from {path.name}]"
    checks.append(f"title: {shown_title!r}" + _from(article.headline if headline else article.title))
    url = options.url or article.url.value
    if url is None:
        notes.append("The page gives no canonical URL: add url if it is known.")
    checks.append(f"url: {url}" + (" (given)" if options.url else _from(article.url)) if url else
                  "url: none found: add it if you know where the page was published")
    fields = {"text": f"{source_id}.txt", "sha256": None, "title": shown_title, "headline": headline}
    publisher = article.publisher.value
    fields["publisher"] = publisher
    fields["publisher_note"] = None if publisher else \
        "Not found in the page's metadata; give it if the page shows it, or say why it is unknown."
    checks.append(f"publisher: {publisher}{_from(article.publisher)}" if publisher else
                  "publisher: not found: give it, or say in publisher_note why it is unknown")
    authors = list(article.authors.value or [])
    fields["authors"] = authors
    if not authors:
        notes.append("No byline was found in the page's metadata.")
    checks.append(f"authors: {', '.join(authors)}{_from(article.authors)}" if authors else
                  "authors: none found: add the byline if the page prints one")
    fields["date"], fields["date_note"] = _date(article, today)
    checks.append(f"date: {fields['date']}" + (_from(article.date) if article.date.value else
                                                " (none found: on or before the capture)"))
    fields["url"], fields["archived_url"] = url, options.archived_url
    stated = article.language.value
    language = _language_tag(stated)
    fields["language"] = language or "und"
    if not language:
        notes.append("The page does not state its language (und: undetermined)." if not stated else
                     f"The page gives its language as {stated!r}, which is not a language tag (und: undetermined).")
    checks.append(f"language: {language}{_from(article.language)}" if language else
                  f"language: {'not stated in the page' if not stated else repr(stated) + ' is not a language tag'}: "
                  "give it (e.g. en, fr, ko)")
    fields["note"] = " ".join(notes) or None
    fields["capture"], fields["capture_sha256"] = capture, None
    fields["captured"] = today.isoformat()
    what = FORMATS[article.format]
    fields["captured_note"] = (f"{what[0].upper()}{what[1:]}, {path.name}, imported with chronicle on "
                               f"{today.isoformat()}; {article.how}.")
    if article.chrome:
        spans = ", ".join(_lines(first, last) for first, last, _ in article.chrome)
        checks.append(f"proposed page chrome, lines {spans}: look at them in {source_id}.txt and "
                      f"uncomment in {source_id}.yaml those that are not part of the article")
    return fields, checks


def _language_tag(stated: str | None) -> str | None:
    """Return the page's language as the BCP 47 tag the schema accepts (`en_US`, as pages often write
    it, becomes `en-US`), or None when there is none."""
    if not stated:
        return None
    tag = stated.strip().replace("_", "-")
    try:
        return schema.language_tag(tag)
    except ValueError:
        return None


def _from(found) -> str:
    return f" (from {found.where})" if found.where else ""


def _date(article: Article, today: datetime.date) -> tuple[str, str]:
    found = article.date
    if found.value:
        return found.value, f"From {found.where}."
    return f"../{today.isoformat()}", (f"The page gives no publication date; it was captured on {today.isoformat()}, "
                                       "so it was published on or before then.")


def _lines(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


ORDER = ("text", "sha256", "title", "headline", "publisher", "publisher_note", "authors", "date", "date_note",
         "url", "archived_url", "language", "note", "capture", "capture_sha256", "captured", "captured_note")
RAW = ("date", "captured")  # EDTF, written as it is (the content's YAML reads dates as text)


def _yaml(fields: dict, article: Article, path: Path, today: datetime.date) -> str:
    """Return the source's YAML: the fields in the schema's order, each value quoted only if need be,
    and the proposed page chrome as comments for the author to confirm."""
    lines = [f"# Imported from {path.name} on {today.isoformat()} by `python build.py import`.",
             "# Check each field against the page; the comments may be deleted."]
    for name in ORDER:
        value = fields[name]
        lines.append(f"{name}: {value if name in RAW else _scalar(value)}")
    if article.chrome:
        lines.append("# Proposed page chrome: lines of the text that look like the page around the article.")
        lines.append("# Check each in the text file, then uncomment those that are not part of the article.")
        lines.append("# chrome:")
        for first, last, label in article.chrome:
            lines.append(f"#   - lines: \"{_lines(first, last)}\"")
            lines.append(f"#     label: {_scalar(label)}")
    return "\n".join(lines) + "\n"


def _scalar(value) -> str:
    """Return `value` as a YAML flow scalar or list that reads back as the same value."""
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    plain = yaml.safe_dump(value, allow_unicode=True, width=1 << 30, default_flow_style=True)
    plain = plain.removesuffix("\n").removesuffix("\n...")
    if "\n" not in plain and yaml.safe_load(plain) == value:
        return plain
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _write_all(files) -> None:
    """Write files that must not exist yet (O_EXCL: never overwrite, even one made meanwhile); if one
    cannot be written, remove those written before it and raise CannotImport."""
    done = []
    try:
        for target, data in files:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
            done.append(target)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
    except OSError as err:
        for target in done:
            target.unlink(missing_ok=True)
        raise CannotImport(f"cannot write {display_path(Path(err.filename or target))}: {err.strerror or err}") from err
