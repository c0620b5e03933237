"""`python benchmarks/run.py --hugo`: chronicle and Hugo on the same synthetic chronology, in one run.

The synthetic chronology (benchmarks/synthetic.py) is converted into an equivalent Hugo site
(benchmarks/hugo_site.py, layouts in benchmarks/hugo/), and the two are built alternately on the same
machine, each run as its command line is run, in a fresh process:

- chronicle, full build: `python build.py --content C --out O`, which renders every page and then
  makes the Pagefind search index (in bundles for a large site), as users run it;
- chronicle without search: the same build without the index (`pipeline.build(..., index=False)`,
  what build.py calls), which also reports the time of each stage;
- Hugo: `hugo --quiet --source H --destination P`: its pages only; Hugo makes no search index;
- Pagefind on Hugo's pages: `python -m pagefind --site P`, what a Hugo site adds for search.

A pair is chronicle's run and Hugo's run back to back (the order alternates from pair to pair), so
that both see the machine at about the same speed; each figure is the median of the pairs' ratios
(chronicle ÷ Hugo), with the smallest and largest. Wall time is measured from the parent; peak
memory is the process tree's (benchmarks/measure.py: the summed Pss of its processes, sampled; the
summed Rss and the largest process's exact peak are kept in the JSON too).

The edit: both preview servers run at once (`python build.py serve` and `hugo server`, which renders
to memory and re-renders the pages a browser has visited, its default); one event file is edited in
each (its title), alternately, and the time from saving the file to serving the edited page is
measured by polling the event's page over http on 127.0.0.1 every POLL_S seconds until the new
title appears. Each server's own line about the rebuild is kept too. Between edits the benchmark
waits until both servers are idle (chronicle's feed, exports and search re-indexing run after an edit).
"""
from __future__ import annotations

import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import hugo_site
import measure

ROOT = Path(__file__).resolve().parent.parent
POLL_S = 0.01
MISSING = "hugo is not installed: the side-by-side benchmark needs Debian's hugo package (apt-get install hugo)"
# The chronicle build without the search index, as build.py runs it otherwise, printing its stage times.
WITHOUT_SEARCH = ("import json, sys; sys.path.insert(0, sys.argv[3]); from pathlib import Path; "
                  "from chronicle import pipeline; timings = {}; "
                  "result = pipeline.build(Path(sys.argv[1]), Path(sys.argv[2]), index=False, timings=timings); "
                  "print(json.dumps({'pages': result.pages, 'stages': timings}))")


def hugo_version() -> str | None:
    """Return `hugo version`'s first line, or None when hugo is not installed."""
    if not shutil.which("hugo"):
        return None
    result = subprocess.run(["hugo", "version"], capture_output=True, text=True)
    return result.stdout.strip().splitlines()[0] if result.returncode == 0 and result.stdout.strip() else None


class Sites:
    """Where each side's content and output live under one scratch folder."""

    def __init__(self, root: Path):
        self.content, self.hugo = root / "content", root / "hugo"
        self.chronicle_out, self.bare_out, self.hugo_out = root / "site", root / "site-bare", root / "public"

    def commands(self) -> dict:
        return {
            "chronicle": [sys.executable, str(ROOT / "build.py"), "--content", str(self.content),
                          "--out", str(self.chronicle_out)],
            "chronicle_without_search": [sys.executable, "-c", WITHOUT_SEARCH, str(self.content),
                                         str(self.bare_out), str(ROOT)],
            "hugo": ["hugo", "--quiet", "--source", str(self.hugo), "--destination", str(self.hugo_out)],
            "pagefind": [sys.executable, "-m", "pagefind", "--site", str(self.hugo_out), "--quiet"],
        }

    def clean(self, name: str) -> None:
        """Remove the output a run of `name` writes, so that every build starts from nothing."""
        folder = {"chronicle": self.chronicle_out, "chronicle_without_search": self.bare_out,
                  "hugo": self.hugo_out}.get(name)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


# Hugo's run comes between chronicle's two, and each pair starts with the other chronicle build than
# the pair before; Pagefind reads Hugo's pages, so it follows Hugo.
ORDERS = (("chronicle", "hugo", "pagefind", "chronicle_without_search"),
          ("chronicle_without_search", "hugo", "pagefind", "chronicle"))


def build_pairs(sites: Sites, pairs: int, log=print) -> list[dict]:
    """Build both sides `pairs` times, alternately; return each pair's runs (measure.run results)."""
    commands, results = sites.commands(), []
    for number in range(pairs):
        runs = {}
        for name in ORDERS[number % 2]:
            sites.clean(name)
            runs[name] = measure.run(commands[name])
        runs["chronicle_without_search"]["report"] = _last_json(runs["chronicle_without_search"].pop("output"))
        for name in ("chronicle", "hugo", "pagefind"):
            runs[name].pop("output")
        results.append(runs)
        log(f"pair {number + 1}: " + ", ".join(f"{name} {run['seconds']:.2f} s" for name, run in runs.items()))
    return results


def _last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def ratios(pairs: list[dict], numerator, denominator) -> dict:
    """Return the median, smallest and largest of numerator(pair) / denominator(pair), and the values."""
    values = [numerator(pair) / denominator(pair) for pair in pairs]
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "values": values}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A preview server run for the benchmark: its process, address and the lines it prints."""

    def __init__(self, name: str, command: list, port: int):
        self.name, self.port, self.lines = name, port, []
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append((time.perf_counter(), line.rstrip()))

    def get(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=10) as response:
                return response.read().decode("utf-8", "replace")
        except OSError:
            return None

    def wait_until(self, path: str, text: str, timeout: float) -> float:
        """Poll `path` until it holds `text`; return when it did (perf_counter), or raise TimeoutError."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            page = self.get(path)
            if page is not None and text in page:
                return time.perf_counter()
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped: " + "\n".join(line for _, line in self.lines[-10:]))
            time.sleep(POLL_S)
        raise TimeoutError(f"{self.name} did not serve {text!r} in /{path} within {timeout:.0f} s")

    def lines_since(self, moment: float) -> list[str]:
        return [line for at, line in self.lines if at >= moment]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_servers(sites: Sites) -> dict:
    """Start both preview servers and wait until each serves its home page and is idle."""
    chronicle_port, hugo_port = _free_port(), _free_port()
    servers = {
        "chronicle": Server("chronicle", [sys.executable, str(ROOT / "build.py"), "serve", "--content",
                                          str(sites.content), "--port", str(chronicle_port)], chronicle_port),
        "hugo": Server("hugo", ["hugo", "server", "--source", str(sites.hugo), "--bind", "127.0.0.1",
                                "--port", str(hugo_port), "--baseURL", f"http://127.0.0.1:{hugo_port}/"], hugo_port),
    }
    try:
        for server in servers.values():
            server.wait_until("index.html", "</html>", timeout=900)
        for server in servers.values():
            measure.wait_idle(server.process.pid)
    except BaseException:
        for server in servers.values():
            server.stop()
        raise
    return servers


def edit_pairs(sites: Sites, pairs: int, log=print) -> list[dict]:
    """Edit one event file in each preview server, `pairs` times; return each pair's timings."""
    events = sorted(p.stem for p in (sites.content / "events").glob("*.md"))
    files = {"chronicle": sites.content / "events", "hugo": sites.hugo / "content" / "events"}
    servers = start_servers(sites)
    results = []
    try:
        for number in range(pairs):
            event = events[(number * 7919 + len(events) // 2) % len(events)]  # spread over the timeline
            order = ["chronicle", "hugo"] if number % 2 == 0 else ["hugo", "chronicle"]
            pair = {"event": event}
            for name in order:
                saved, seconds = _edit(servers[name], files[name] / f"{event}.md", event, f"Edited{number}x")
                for server in servers.values():  # chronicle re-indexes for search after an edit
                    measure.wait_idle(server.process.pid)
                pair[name] = {"seconds": seconds, "lines": servers[name].lines_since(saved)[:12]}
            results.append(pair)
            log(f"edit {number + 1} ({event}): chronicle {pair['chronicle']['seconds'] * 1000:.0f} ms, "
                f"hugo {pair['hugo']['seconds'] * 1000:.0f} ms")
    finally:
        for server in servers.values():
            server.stop()
    return results


def _edit(server: Server, path: Path, event: str, marker: str) -> tuple[float, float]:
    """Put `marker` into the event's title; return when it was saved and the seconds until the
    server served it. The page is loaded once first, as if open in the author's browser: Hugo's
    server re-renders the pages visited, and renders a page visited for the first time on request."""
    page = f"events/{event}.html"
    if not server.get(page):
        raise RuntimeError(f"{server.name} does not serve /{page}")
    text = path.read_text(encoding="utf-8")
    assert marker not in text
    saved = time.perf_counter()
    path.write_text(text.replace("title: ", f"title: {marker} ", 1), encoding="utf-8")
    return saved, server.wait_until(page, marker, timeout=300) - saved


def rebuild_ms(name: str, lines: list[str]) -> float | None:
    """Return the rebuild time a server printed after an edit, in ms (None when it printed none)."""
    pattern = r"\bin (\d+) ms\b" if name == "chronicle" else r"Total in (\d+) ms"
    for line in lines:
        found = re.search(pattern, line)
        if found:
            return float(found.group(1))
    return None


def run(events: int, pairs: int, log=print) -> dict:
    """Generate, convert, build and edit both sides; return every measurement and the summary."""
    from synthetic import generate

    version = hugo_version()
    if version is None:
        raise SystemExit(MISSING)
    root = _scratch()
    try:
        sites = Sites(root)
        counts = generate(sites.content, events=events)
        hugo_site.convert(sites.content, sites.hugo)
        builds = build_pairs(sites, pairs, log)
        pages = {"chronicle": hugo_site.html_pages(sites.chronicle_out),
                 "hugo": hugo_site.html_pages(sites.hugo_out),
                 "chronicle_indexed": _indexed(sites.chronicle_out), "hugo_indexed": _indexed(sites.hugo_out)}
        edits = edit_pairs(sites, pairs, log)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {"events": events, "pairs": pairs, "counts": counts, "hugo_version": version, "pages": pages,
            "builds": builds, "edits": edits, "summary": summary(builds, edits)}


def _scratch() -> Path:
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="chronicle-hugo-", dir=shm if shm.is_dir() else None))


def _indexed(site: Path) -> int:
    """Return how many pages a site's Pagefind index holds (its fragments, in every bundle)."""
    return sum(1 for _ in (site / "pagefind").rglob("*.pf_fragment"))


def summary(builds: list[dict], edits: list[dict]) -> dict:
    """Return each figure's paired ratios (chronicle ÷ Hugo) and each side's median."""
    wall = lambda name: lambda pair: pair[name]["seconds"]  # noqa: E731
    pss = lambda name: lambda pair: pair[name]["peak_pss_mb"]  # noqa: E731
    hugo_and_pagefind = lambda pair: pair["hugo"]["seconds"] + pair["pagefind"]["seconds"]  # noqa: E731
    hugo_or_pagefind = lambda pair: max(pair["hugo"]["peak_pss_mb"], pair["pagefind"]["peak_pss_mb"])  # noqa: E731
    rows = {
        "full build with search ÷ Hugo": (wall("chronicle"), wall("hugo"), builds),
        "full build with search ÷ Hugo + Pagefind": (wall("chronicle"), hugo_and_pagefind, builds),
        "build without search ÷ Hugo": (wall("chronicle_without_search"), wall("hugo"), builds),
        "one-file edit, saved to served": (lambda p: p["chronicle"]["seconds"], lambda p: p["hugo"]["seconds"], edits),
        "peak memory, full build with search ÷ Hugo": (pss("chronicle"), pss("hugo"), builds),
        "peak memory, full build with search ÷ Hugo + Pagefind": (pss("chronicle"), hugo_or_pagefind, builds),
        "peak memory, build without search ÷ Hugo": (pss("chronicle_without_search"), pss("hugo"), builds),
    }
    out = {}
    for label, (mine, theirs, pairs) in rows.items():
        out[label] = {"chronicle": statistics.median(mine(p) for p in pairs),
                      "hugo": statistics.median(theirs(p) for p in pairs), **ratios(pairs, mine, theirs)}
    return out


TARGETS = {"full build with search ÷ Hugo": "at most 1.0×", "one-file edit, saved to served": "at most 0.1×",
           "peak memory, full build with search ÷ Hugo": "at most 0.5×"}


def report(result: dict) -> str:
    """Return the side-by-side run as text: what each side does, the table of ratios, the pages."""
    pages, counts = result["pages"], result["counts"]
    lines = [
        f"## chronicle beside Hugo: {result['events']:,} events, {result['pairs']} pair(s) of runs",
        "",
        f"- chronicle: `python build.py` renders {pages['chronicle']['all']:,} HTML pages and indexes "
        f"{pages['chronicle_indexed']:,} record pages with Pagefind; \"without search\" is the same build "
        "without the index.",
        f"- Hugo ({result['hugo_version'].split()[1]}): `hugo` renders {pages['hugo']['all']:,} HTML pages and makes "
        f"no search index; \"+ Pagefind\" adds `python -m pagefind --site public` ({pages['hugo_indexed']:,} "
        "pages indexed), run right after it.",
        "- Each ratio is chronicle's run over Hugo's run made right after or before it; the median of the "
        "pairs, then the smallest and largest. Time: wall clock. Memory: peak of the summed proportional "
        "set size (Pss) of the process tree, sampled every 0.2 s or more (a page shared by forked "
        "processes counts once); Hugo + Pagefind: the larger of the two, which run one after the other.",
        "- Edit: the event's title changed in one file; saved to served is the time until the event's page, "
        "polled over http every 10 ms, shows the new title (`build.py serve` beside `hugo server`, which "
        "renders to memory). Each server's own rebuild time, as it printed it, is in brackets.",
        "",
        "| measure | chronicle | Hugo | chronicle ÷ Hugo, median (min to max) | target at 10,000 events |",
        "|---|---:|---:|---:|---|",
    ]
    for label, row in result["summary"].items():
        unit = (lambda v: f"{v:.0f} MB") if label.startswith("peak") else (
            (lambda v: f"{v * 1000:.0f} ms") if "edit" in label else (lambda v: f"{v:.2f} s"))
        mine, theirs = unit(row["chronicle"]), unit(row["hugo"])
        if "edit" in label:
            mine += _printed(result["edits"], "chronicle")
            theirs += _printed(result["edits"], "hugo")
        lines.append(f"| {label} | {mine} | {theirs} | **{row['median']:.2f}×** ({row['min']:.2f} to "
                     f"{row['max']:.2f}) | {TARGETS.get(label, '')} |")
    kinds = ", ".join(f"{kind} {pages['chronicle'][kind]:,}/{pages['hugo'][kind]:,}"
                      for kind in hugo_site.KINDS + ("timeline",))
    builds = result["builds"]
    median = lambda name, key="seconds": statistics.median(pair[name][key] for pair in builds)  # noqa: E731
    stages = _stages(builds)
    lines += ["", f"Pages, chronicle/Hugo: {kinds} (content: {counts['events']:,} events).",
              "chronicle's build without search, median stage times: "
              + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items())
              + f"; the search index adds {median('chronicle') - median('chronicle_without_search'):.2f} s "
              "(full build minus build without search, medians).",
              f"CPU time (user and system, every process), medians: chronicle {median('chronicle', 'cpu'):.2f} s, "
              f"without search {median('chronicle_without_search', 'cpu'):.2f} s; Hugo {median('hugo', 'cpu'):.2f} s, "
              f"Pagefind on its pages {median('pagefind', 'cpu'):.2f} s."]
    return "\n".join(lines)


def _printed(edits: list[dict], name: str) -> str:
    found = [ms for ms in (rebuild_ms(name, pair[name]["lines"]) for pair in edits) if ms is not None]
    return f" [{statistics.median(found):.0f} ms]" if found else ""


def _stages(builds: list[dict]) -> dict:
    names = builds[0]["chronicle_without_search"]["report"]["stages"]
    return {name: statistics.median(pair["chronicle_without_search"]["report"]["stages"][name] for pair in builds)
            for name in names}
