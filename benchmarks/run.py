#!/usr/bin/env python3
"""Benchmark: build synthetic chronologies of N events and report where the time goes.

    python benchmarks/run.py                 # N = 1,000 and 10,000
    python benchmarks/run.py --events 2000   # any N, repeatable
    python benchmarks/run.py --repeat 5      # builds per size (default 3): the fastest is reported
    python benchmarks/run.py --json out.json # also write the results as JSON
    python benchmarks/run.py --hugo          # side by side with Hugo (benchmarks/sidebyside.py)
    python benchmarks/run.py --hugo --events 1000 --pairs 5

For each N it generates a deterministic chronology (benchmarks/synthetic.py), then runs, each in a
fresh process, cold builds without the search index, reporting the time per stage (load, verify
citations, link, render, write), pages written and peak memory, alternately with the bare-loop
reference (benchmarks/reference.py) on the same files, to tell how fast the machine is: `--repeat`
times each, the fastest of each kept, as this machine's speed changes from minute to minute; their
ratio is the column "build ÷ bare loop", and "median pair" is the median of the ratios of each build
to the bare loop run right after it (a pair sees the machine at about the same speed). Then one full build with the search index gives the search
time, the full build's time, CPU time, output size and Pagefind's memory (run last: its seconds of both
cores at full load slowed the builds timed after it). Then it starts the preview's incremental path
(chronicle/incremental.py), edits one event file at a time and reports the time from saving the file
to the rebuilt site, then to the search index's bundles made again (chronicle/preview_search.py).
Content and output go to
/dev/shm when it exists, so the disk does not dominate. Timings are reported, never asserted.

With --hugo it runs the side-by-side comparison instead (see benchmarks/sidebyside.py): the same
chronology as a Hugo site, both built alternately, `--pairs` pairs of runs per size.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

STAGES = ("load", "verify", "link", "render", "write", "search")
EDITS = 7  # preview edits measured per N


def scratch_root() -> Path:
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="chronicle-bench-", dir=shm if shm.is_dir() else None))


def cold_build(content: Path, out: Path, index: bool = True) -> dict:
    """Run one full build in a fresh process; return its timings, pages, bytes and peak memory."""
    code = ("import json, sys; sys.path.insert(0, %r); from benchmarks.run import _measure_build; "
            "print(json.dumps(_measure_build(%r, %r, %r)))") % (str(HERE.parent), str(content), str(out), index)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _measure_build(content: str, out: str, index: bool = True) -> dict:
    from chronicle import pipeline

    timings: dict = {}
    started = time.perf_counter()
    result = pipeline.build(Path(content), Path(out), index=index, timings=timings)
    total = time.perf_counter() - started
    size = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
    files = sum(1 for p in Path(out).rglob("*") if p.is_file())
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, peak_children = me.ru_maxrss / 1024, children.ru_maxrss / 1024  # kB on Linux -> MB
    cpu = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
    return {"total": total, "without_search": total - timings.get("search", 0.0), "cpu": cpu,
            "stages": timings, "pages": result.pages, "files": files, "bytes": size,
            "peak_mb": max(peak, peak_children), "peak_build_mb": peak, "peak_children_mb": peak_children}


def preview_edits(content: Path, out: Path, edits: int = EDITS) -> dict:
    """Time the preview's incremental path: save one event file, rebuild, repeat; and the search
    index's bundles it makes again after each edit (in the background in the preview server)."""
    from chronicle.incremental import Preview
    from chronicle.preview_search import SearchIndexer

    indexer = SearchIndexer(out.with_name(out.name + "-search"), sys.stdout)
    preview = Preview(content, out, on_pages=indexer.pages)
    started = time.perf_counter()
    report = preview.build()
    first = time.perf_counter() - started
    assert not report.problems, report.problems[:3]
    indexer.index_changed()
    events = sorted((content / "events").glob("*.md"))
    step = max(1, len(events) // edits)
    times, rendered, data, search = [], [], [], []
    for i in range(edits):
        path = events[(i * step + step // 2) % len(events)]
        text = path.read_text()
        path.write_text(text.replace("title: ", f"title: Edited {i} ", 1))
        started = time.perf_counter()
        report = preview.update([path], defer_data=True)  # as the preview server does
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        preview.finish()  # the feed, sitemap and exports, written after the browser reloads
        data.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert indexer.index_changed(), "the edited event's bundle was not indexed again"
        search.append(time.perf_counter() - started)
        rendered.append(report.rendered)
        assert not report.problems, report.problems[:3]
    return {"first_build": first, "edit_median": statistics.median(times), "edit_max": max(times),
            "edits": times, "pages_rendered_median": statistics.median(rendered),
            "data_files_median": statistics.median(data), "search_median": statistics.median(search)}


def run(sizes: list[int], repeat: int = 1) -> dict:
    """Measure each size; with `repeat`, the cold build and the bare loop run that many times,
    alternately, and the fastest of each is kept (the machine's speed varies from minute to minute)."""
    from reference import reference
    from synthetic import generate

    results = {"machine": machine(), "sizes": []}
    for n in sizes:
        root = scratch_root()
        try:
            started = time.perf_counter()
            counts = generate(root / "content", events=n)
            generated = time.perf_counter() - started
            builds, bares = [], []
            for _ in range(repeat):  # interleaved, so that both see the machine at the same speed
                builds.append(cold_build(root / "content", root / "site", index=False))
                shutil.rmtree(root / "site", ignore_errors=True)
                bares.append(reference(root / "content", root / "reference"))
                shutil.rmtree(root / "reference", ignore_errors=True)
            # The search index last, in a build of its own: Pagefind keeps both cores busy for seconds,
            # and the builds timed just after it were slower by up to a fifth.
            full = cold_build(root / "content", root / "site")
            shutil.rmtree(root / "site", ignore_errors=True)
            build = dict(min(builds, key=lambda b: b["without_search"]))
            build.update(total=full["total"], search_run=full,
                         stages={**build["stages"], "search": full["stages"]["search"]},
                         cpu=full["cpu"], peak_children_mb=full["peak_children_mb"],
                         peak_mb=max(build["peak_mb"], full["peak_mb"]), files=full["files"], bytes=full["bytes"],
                         peak_build_mb=max(build["peak_build_mb"], full["peak_build_mb"]))
            bare = min(bares, key=lambda b: b["seconds"])
            preview = preview_edits(root / "content", root / "preview")
        finally:
            shutil.rmtree(root, ignore_errors=True)
        # Each build beside the bare loop run right after it: the machine's speed drifts from minute to
        # minute, and a pair sees it alike, where the fastest of each may come from different minutes.
        pairs = [b["without_search"] / r["seconds"] for b, r in zip(builds, bares)]
        results["sizes"].append({"events": n, "counts": counts, "generate": generated, "build": build,
                                 "reference": bare, "preview": preview, "repeat": repeat,
                                 "all_builds_without_search": [b["without_search"] for b in builds],
                                 "all_bare_loops": [b["seconds"] for b in bares],
                                 "paired_ratios": pairs, "paired_ratio_median": statistics.median(pairs)})
        print(table_row(results["sizes"][-1]), flush=True)
    return results


def machine() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine()}


HEADER = ("| events | pages | build without search | load | verify | link | render | write | search | "
          "full build | CPU time | bare loop | build ÷ bare loop | median pair | output | peak memory (build / largest child) | "
          "preview edit (median / max) | then feeds and exports | then search index |\n"
          "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def table_row(size: dict) -> str:
    build, preview, stages = size["build"], size["preview"], size["build"]["stages"]
    cells = [f"{size['events']:,}", f"{build['pages']:,}", f"**{build['without_search']:.2f} s**"]
    cells += [f"{stages[s]:.2f} s" if s in stages else "-" for s in STAGES]
    bare = size["reference"]["seconds"]
    cells += [f"{build['total']:.2f} s", f"{build['cpu']:.1f} s", f"{bare:.2f} s",
              f"{build['without_search'] / bare:.2f}×", f"{size['paired_ratio_median']:.2f}×",
              f"{build['bytes'] / 1e6:.0f} MB",
              f"{build['peak_build_mb']:.0f} MB / {build['peak_children_mb']:.0f} MB",
              f"{preview['edit_median'] * 1000:.0f} / {preview['edit_max'] * 1000:.0f} ms",
              f"{preview['data_files_median'] * 1000:.0f} ms", f"{preview['search_median'] * 1000:.0f} ms"]
    return "| " + " | ".join(cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10000], help="sizes to run")
    parser.add_argument("--repeat", type=int, default=3,
                        help="cold builds and bare loops per size, alternately; the fastest of each is "
                             "reported (default 3)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--hugo", action="store_true",
                        help="build the same chronology with Hugo too, alternately, and report the ratios")
    parser.add_argument("--pairs", type=int, default=3,
                        help="with --hugo: pairs of runs (chronicle, then Hugo, or the other way) per size "
                             "(default 3)")
    args = parser.parse_args()
    if args.hugo:
        return side_by_side(args.events, max(1, args.pairs), args.json)
    print(f"machine: {machine()}")
    print(HEADER, flush=True)
    results = run(args.events, max(1, args.repeat))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


def side_by_side(sizes: list[int], pairs: int, json_path: Path | None) -> int:
    """Run the side-by-side comparison with Hugo at each size; return the exit code."""
    import sidebyside

    if sidebyside.hugo_version() is None:
        print(sidebyside.MISSING, file=sys.stderr)
        return 1
    print(f"machine: {machine()}", flush=True)
    results = []
    for n in sizes:
        result = sidebyside.run(n, pairs, log=lambda line: print(line, flush=True))
        results.append(result)
        print("\n" + sidebyside.report(result) + "\n", flush=True)
    if json_path:
        json_path.write_text(json.dumps({"machine": machine(), "sizes": results}, indent=2) + "\n")
        print(f"wrote {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
