"""`build.py init DIR` and `build.py new KIND ID`: a new content folder, and a new record's file.

Both only ever create: an existing file is never written over. `init` makes no example records (an
example is one more thing to find and delete before publishing); `new` writes a blank record of any
kind, from its schema model (blank.py), for the author to fill in.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

from . import kinds, schema, validate
from .blank import blank
from .files import CONFIG_FILE, Parsed, display_path
from .problems import did_you_mean, slug

KEEP = ".gitkeep"  # in each kind's folder, so that git keeps the empty folders (the loader skips dotfiles)
CHRONOLOGY = {  # what chronology.yaml starts with: values check accepts, for the author to replace
    "title": "Untitled chronology",
    "description": "What this chronology is about, in one or two sentences.",
    "language": "en",
}


def init(folder: Path, content_option: str) -> int:
    """Make `folder` (new or empty) a content folder with no records; return the exit code (1: not empty)."""
    shown = display_path(folder)
    if folder.exists() and not folder.is_dir():
        print(f"build.py init: error: {shown} is a file, not a folder; give a new or empty folder", file=sys.stderr)
        return 1
    if folder.is_dir() and any(folder.iterdir()):
        held = sorted(p.name for p in folder.iterdir())
        print(f"build.py init: error: {shown} is not empty (it holds {', '.join(held[:5])}"
              f"{', ...' if len(held) > 5 else ''}); init never writes over anything: give a new or empty "
              "folder", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CONFIG_FILE).write_text(chronology_yaml(), encoding="utf-8")
    for kind in kinds.KINDS:
        (folder / kind).mkdir()
        (folder / kind / KEEP).write_text("", encoding="utf-8")
    print(f"made the content folder {shown}/:")
    print(f"  {shown}/{CONFIG_FILE}: the title, description, language and base_url of the site; fill them in")
    print(f"  {shown}/{{{','.join(kinds.KINDS)}}}/: one empty folder per kind of record")
    _next_steps(content_option)
    return 0


def chronology_yaml() -> str:
    """Return the text of a new chronology.yaml: every setting with its description, ready to edit."""
    prefilled = {name: _yaml_text(value) for name, value in CHRONOLOGY.items()}
    return blank(schema.Chronology, "Chronology", prefilled=prefilled,
                 intro="Replace these values with your own; base_url (the address the site will be "
                       "published at) may stay null until then.")


def _next_steps(option: str) -> None:
    others = ", ".join(kind for kind in kinds.KINDS if kind != "events")
    steps = [(f"python build.py import PAGE.html{option}", "add a source: a saved web page, a PDF or a text file"),
             (f'python build.py cite "some words"{option}', "find a passage in the sources, as a citation to paste"),
             (f"python build.py new events ID{option}", f"a blank event to fill in (or: {others})"),
             (f"python build.py serve{option}", "preview the site as you edit")]
    width = max(len(command) for command, _ in steps)
    print("next:")
    for command, what in steps:
        print(f"  {command.ljust(width)}  {what}")


def new(content: Path, kind_name: str, record_id: str, content_option: str) -> int:
    """Write a blank record of `kind_name` named `record_id` into `content`; return the exit code:
    0 written, 1 the file exists or there is no content folder, 2 an unknown kind or a bad id."""
    kind = kinds.KINDS.get(kind_name)
    if kind is None:
        hint = _plural_hint(kind_name) or did_you_mean(kind_name, kinds.KINDS)
        print(f"build.py new: error: unknown kind '{kind_name}' ({hint + '; ' if hint else ''}kinds: {_kind_names()})",
              file=sys.stderr)
        return 2
    if not schema.ID_RE.match(record_id):
        print(f"build.py new: error: '{record_id}' is not an id: ids are lowercase letters and digits joined by "
              f"hyphens, e.g. '{slug(record_id)}'", file=sys.stderr)
        return 2
    taken = validate.id_problem(kind.name, record_id, record_id, Parsed(kind.name))  # reserved or too long
    if taken is not None:
        print(f"build.py new: error: {taken.message}: choose another id", file=sys.stderr)
        return 2
    if not content.is_dir():
        print(f"build.py new: error: no content folder at {display_path(content)} "
              f"(make one with: python build.py init {display_path(content)})", file=sys.stderr)
        return 1
    folder = content / kind.name
    path = folder / f"{record_id}{kind.suffix}"
    if path.exists():
        print(f"build.py new: error: {display_path(path)} exists already; new never writes over a file: "
              "edit it, or choose another id", file=sys.stderr)
        return 1
    folder.mkdir(exist_ok=True)
    prefilled, text_note = _source_files(folder, record_id) if kind.name == "sources" else ({}, None)
    with open(path, "x", encoding="utf-8") as out:  # "x": fails rather than replace a file made meanwhile
        out.write(blank(kind.model, kind.label, kind.suffix, prefilled))
    print(f"wrote {display_path(path)}: fill in the fields marked 'required', then run python build.py check"
          f"{content_option}")
    if kind.name == "sources":
        print(text_note)
        print(f"  (python build.py import PATH{content_option} makes a source from a saved page, PDF or text "
              "file, with its text, hash and metadata)")
    return 0


def _source_files(folder: Path, record_id: str) -> tuple[dict, str]:
    """Return a new source's prefilled fields, and what to say of its text file (made empty if missing)."""
    text = folder / f"{record_id}.txt"
    prefilled = {"text": f"{record_id}.txt"}
    if text.exists():
        prefilled["sha256"] = hashlib.sha256(text.read_bytes()).hexdigest()
        return prefilled, (f"  its text: {display_path(text)}, which exists already; its sha256 is filled in "
                           "(record it again if you change the text)")
    text.touch(exist_ok=False)
    return prefilled, (f"  its text: paste the article into {display_path(text)} (made empty), one paragraph per "
                       "line, exactly as published; then check gives the sha256 to fill in")


def _plural_hint(word: str) -> str:
    """Return "did you mean 'events'?" for 'event', 'person' -> 'people': a kind named by one record."""
    for kind in kinds.KINDS.values():
        if word.lower() in (kind.singular, kind.label.lower()):
            return f"did you mean '{kind.name}'?"
    return ""


def _kind_names() -> str:
    return ", ".join(kinds.KINDS)


def _yaml_text(value: str) -> str:
    """Return a value as YAML text, quoted only when it must be (YAML would read it otherwise)."""
    return yaml.safe_dump(value, allow_unicode=True, width=1 << 30).removesuffix("\n...\n").strip()

