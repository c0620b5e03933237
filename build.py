#!/usr/bin/env python3
"""Command line: `python build.py [build|check|serve] [--content DIR] [--out DIR]`.

Exit codes: 0 success, 1 content errors, 2 bad usage, 3 search indexing failed.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from chronicle import pipeline
from chronicle.problems import ContentErrors, summary_line
from chronicle.search_index import SearchIndexError
from chronicle.write import UnsafePath

HERE = Path(__file__).resolve().parent

def parse_args(argv):
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="build", choices=("build", "check", "serve"),
                        help="build the site (default), only check the content, or serve a live preview")
    parser.add_argument("--content", type=Path, default=HERE / "content", help="content folder (default: content/)")
    parser.add_argument("--out", type=Path, default=HERE / "site", help="output folder (default: site/)")
    parser.add_argument("--base-url", help="public URL of the site, for canonical links, feed and sitemap "
                        "(default: base_url in chronology.yaml)")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port (default: 8000)")
    parser.add_argument("--open", action="store_true", help="serve: open the preview in a browser")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.base_url and not re.match(r"^https?://[^\s/]+", args.base_url):
        print(f"build.py: error: --base-url must be an http(s) URL, not {args.base_url!r}", file=sys.stderr)
        return 2
    if args.command == "serve":
        from chronicle.serve import serve

        return serve(args.content, args.host, args.port, open_browser=args.open, base_url=args.base_url)
    try:
        if args.command == "check":
            graph = pipeline.check(args.content)
            print("ok: " + ", ".join(f"{n} {k}" for k, n in graph.counts().items()))
            return 0
        result = pipeline.build(args.content, args.out, args.base_url, on_wait=lambda pid: _waiting(pid, args.out))
    except ContentErrors as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(summary_line(err.problems), file=sys.stderr)
        return 1
    except SearchIndexError as err:
        print(f"error: {err}", file=sys.stderr)
        print("The search index could not be made; the previous site was left as it was.", file=sys.stderr)
        return 3
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


def _waiting(pid: int | None, out: Path) -> None:
    who = f"another build (process {pid})" if pid else "another build"
    print(f"{who} is writing {out}; waiting for it to finish (Ctrl-C to stop)", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
