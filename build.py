#!/usr/bin/env python3
"""Command line: `python build.py [COMMAND] [--content DIR] ...`; with no command, build the site.

Exit codes: 0 success, 1 content errors, 2 bad usage, 3 search indexing failed.
"""
from __future__ import annotations

import argparse
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from chronicle import pipeline
from chronicle.problems import ContentErrors, summary_line
from chronicle.search_index import SearchIndexError
from chronicle.write import UnsafePath, WrittenTwice

HERE = Path(__file__).resolve().parent


# ---------------------------------------------------------------------- the commands' bodies

def run_build(args) -> int:
    try:
        result = pipeline.build(args.content, args.out, args.base_url, on_wait=lambda pid: _waiting(pid, args.out))
    except SearchIndexError as err:
        print(f"error: {err}", file=sys.stderr)
        print("The search index could not be made; the previous site was left as it was.", file=sys.stderr)
        return 3
    except WrittenTwice as err:  # a bug, not the content's fault: the fresh folder was removed
        print(f"error: internal error: {err}", file=sys.stderr)
        print("The previous site was left as it was.", file=sys.stderr)
        return 1
    except UnsafePath as err:
        print(f"error: {err}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    except OSError as err:
        where = f": {err.filename}" if err.filename else ""
        print(f"error: {err.strerror or err}{where}", file=sys.stderr)
        print("The previous site was left as it was.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous site was left as it was", file=sys.stderr)
        return 130
    print(f"built {result.pages} pages ({result.files} files) into {args.out} in {result.seconds:.2f} s; "
          f"{result.search.line()}")
    return 0


def run_check(args) -> int:
    graph = pipeline.check(args.content)
    print("ok: " + ", ".join(f"{n} {k}" for k, n in graph.counts().items()))
    return 0


def run_serve(args) -> int:
    from chronicle.serve import serve

    return serve(args.content, args.host, args.port, open_browser=args.open, base_url=args.base_url)


def run_init(args) -> int:
    from chronicle.scaffold import init

    folder = args.dir if args.dir is not None else args.content_given
    return init(Path(folder) if folder is not None else args.content, _content_option(folder))


def run_import(args) -> int:
    from chronicle.import_source import Options, run

    return run(args.path, Options(args.content, args.id, args.url, args.archived_url,
                                  content_option=args.content_option))


def run_new(args) -> int:
    from chronicle.scaffold import new

    return new(args.content, args.kind, args.id, args.content_option)


def run_cite(args) -> int:
    from chronicle.find import cite

    return cite(args.content, args.words, args.source)


def _waiting(pid: int | None, out: Path) -> None:
    who = f"another build (process {pid})" if pid else "another build"
    print(f"{who} is writing {out}; waiting for it to finish (Ctrl-C to stop)", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------- their arguments

def _out(parser, shown=True) -> None:
    parser.add_argument("--out", type=Path, default=argparse.SUPPRESS,
                        help="output folder (default: site/)" if shown else argparse.SUPPRESS)


def _base_url(parser, shown=True) -> None:
    parser.add_argument("--base-url", default=argparse.SUPPRESS,
                        help="public URL of the site, for canonical links, feed and sitemap (default: base_url "
                             "in chronology.yaml)" if shown else argparse.SUPPRESS)


def build_arguments(parser) -> None:
    _out(parser)
    _base_url(parser)


def check_arguments(parser) -> None:
    _out(parser, shown=False)  # accepted, as before commands had options of their own; check writes nothing
    _base_url(parser, shown=False)


def serve_arguments(parser) -> None:
    _out(parser, shown=False)
    _base_url(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument("--open", action="store_true", help="open the preview in a browser")


def init_arguments(parser) -> None:
    parser.add_argument("dir", nargs="?", metavar="DIR", help="the new or empty folder (default: --content)")


def import_arguments(parser) -> None:
    parser.add_argument("path", metavar="PATH", type=Path,
                        help="a saved web page (.html, .htm, .html.gz), a PDF or a text file")
    parser.add_argument("--id", metavar="ID", help="the new source's id (default: made from its headline)")
    parser.add_argument("--url", metavar="URL", help="where it was published (default: the page's canonical link)")
    parser.add_argument("--archived-url", metavar="URL", help="a copy of it in a web archive")


def new_arguments(parser) -> None:
    parser.add_argument("kind", metavar="KIND", help="events, sources, people, ... (a folder of content/)")
    parser.add_argument("id", metavar="ID", help="the new record's id: its file name, e.g. kirby-briefing")


def cite_arguments(parser) -> None:
    parser.add_argument("words", metavar="WORDS", help="the words to find, in quotes")
    parser.add_argument("--source", metavar="ID", help="search this source only")


@dataclass(frozen=True)
class Command:
    help: str  # its line in `build.py --help`
    arguments: Callable  # adds its arguments to its parser (--content is every command's)
    run: Callable  # runs it with the parsed arguments; returns the exit code


# One entry per command, in the order `--help` lists them. A new command: its entry here, its body
# in a module of its own (named after what it does), its arguments in a function beside the others.
COMMANDS = {
    "build": Command("validate the content, render the site into --out and index it for search (the default)",
                     build_arguments, run_build),
    "check": Command("validate the content only: every problem with its file and line; writes nothing",
                     check_arguments, run_check),
    "serve": Command("build into a temporary folder, serve it and rebuild on every save", serve_arguments,
                     run_serve),
    "init": Command("make DIR a new content folder: chronology.yaml and an empty folder per kind",
                    init_arguments, run_init),
    "import": Command("make a source of a saved web page, a PDF or a text file: its text, capture and metadata",
                      import_arguments, run_import),
    "new": Command("write a blank record of KIND named ID, every field described, to fill in",
                   new_arguments, run_new),
    "cite": Command("find WORDS in the sources and print each match as a citation to paste",
                    cite_arguments, run_cite),
}
DEFAULTS = {"out": HERE / "site", "base_url": None}  # of the options several commands share


def parse_args(argv):
    """Return the parsed arguments: `command` (None: build), `content` (a Path), the command's own."""
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.splitlines()[0])
    _content(parser)
    build_arguments(parser)  # no command builds: `build.py --out DIR` as `build.py build --out DIR`
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, command in COMMANDS.items():
        sub = commands.add_parser(name, help=command.help, description=command.help)
        _content(sub)
        command.arguments(sub)
    args = parser.parse_args(argv)
    for name, value in DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, value)
    args.content_given = getattr(args, "content", None)  # as typed, to repeat in the hints printed
    args.content = Path(args.content_given) if args.content_given is not None else HERE / "content"
    args.content_option = _content_option(args.content_given)
    return args


def _content_option(given: str | None) -> str:
    """Return ' --content DIR' to repeat in the commands a command prints, or '' for the default folder."""
    return "" if given is None else f" --content {shlex.quote(given)}"


def _content(parser) -> None:
    # SUPPRESS: given before or after the command, a value is kept (a command's parser would otherwise
    # set its default over the one given before it).
    parser.add_argument("--content", default=argparse.SUPPRESS, metavar="DIR",
                        help="content folder (default: content/)")


def main(argv=None) -> int:
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as stop:  # argparse: bad usage (2), or --help printed (0)
        return stop.code if isinstance(stop.code, int) else 2
    if args.base_url and not re.match(r"^https?://[^\s/]+", args.base_url):
        print(f"build.py: error: --base-url must be an http(s) URL, not {args.base_url!r}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command or "build"].run(args)
    except ContentErrors as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(summary_line(err.problems), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
