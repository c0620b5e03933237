"""Smoke test of the synthetic chronology and the benchmark at a small N (timings are not asserted)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from chronicle import pipeline  # noqa: E402


def test_synthetic_chronology_is_valid_and_deterministic(tmp_path):
    from synthetic import generate

    counts = generate(tmp_path / "a", events=60)
    generate(tmp_path / "b", events=60)
    files_a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    files_b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert files_a == files_b
    graph = pipeline.check(tmp_path / "a")  # every quote really occurs in its source
    assert len(graph.entries["events"]) == counts["events"] == 60
    assert len(graph.entries["statements"]) == counts["statements"] == 30
    located = sum(len(e.record.citations) for e in graph.entries["events"].values())
    assert located and len([q for q in graph.quotes if q.kind == "events"]) == located


def test_benchmark_reports_every_stage(capsys):
    import run

    results = run.run([40])
    [size] = results["sizes"]
    assert size["events"] == 40
    assert set(run.STAGES) <= set(size["build"]["stages"])
    assert size["build"]["pages"] > 40 and size["build"]["bytes"] > 0 and size["build"]["peak_mb"] > 0
    assert 0 < size["build"]["without_search"] < size["build"]["total"] and size["build"]["cpu"] > 0
    assert size["reference"]["pages"] == sum(size["counts"].values()) + size["counts"]["sources"] + 1
    pairs = [b / r for b, r in zip(size["all_builds_without_search"], size["all_bare_loops"])]
    assert size["paired_ratios"] == pairs and size["paired_ratio_median"] == sorted(pairs)[len(pairs) // 2]
    assert len(size["preview"]["edits"]) == run.EDITS and size["preview"]["pages_rendered_median"] > 0
    assert size["preview"]["search_median"] > 0
    assert capsys.readouterr().out.startswith("| 40 |")


def _side_by_side(tmp_path, *args, env=None):
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--hugo", *args],
                          capture_output=True, text=True, env=env, timeout=900)


@pytest.mark.skipif(shutil.which("hugo") is None,
                    reason="hugo is not installed: the side-by-side benchmark needs Debian's hugo package "
                           "(apt-get install hugo)")
def test_side_by_side_with_hugo_builds_equivalent_sites_and_reports_paired_ratios(tmp_path):
    result = _side_by_side(tmp_path, "--events", "20", "--pairs", "1", "--json", str(tmp_path / "out.json"))
    assert result.returncode == 0, result.stderr
    [size] = json.loads((tmp_path / "out.json").read_text())["sizes"]
    assert size["events"] == 20 and size["pairs"] == 1
    pages = size["pages"]
    assert pages["chronicle"] == pages["hugo"]  # every kind's pages, and all HTML pages
    assert {kind: pages["hugo"][kind] for kind in size["counts"]} == size["counts"]
    assert pages["chronicle_indexed"] == pages["hugo_indexed"] > size["counts"]["events"]
    [build] = size["builds"]
    for name in ("chronicle", "chronicle_without_search", "hugo", "pagefind"):
        assert build[name]["seconds"] > 0 and build[name]["peak_pss_mb"] > 0, name
    assert set(build["chronicle_without_search"]["report"]["stages"]) >= {"load", "verify", "link", "render"}
    [edit] = size["edits"]
    assert edit["chronicle"]["seconds"] > 0 and edit["hugo"]["seconds"] > 0
    summary = size["summary"]
    assert len(summary) == 7 and all(row["min"] <= row["median"] <= row["max"] and len(row["values"]) == 1
                                     for row in summary.values())
    ratio = build["chronicle"]["seconds"] / build["hugo"]["seconds"]
    assert summary["full build with search ÷ Hugo"]["values"] == [ratio]
    assert "| full build with search ÷ Hugo |" in result.stdout
    assert "| one-file edit, saved to served |" in result.stdout
    assert "makes no search index" in result.stdout  # the report says what each side does


def test_side_by_side_without_hugo_says_how_to_install_it(tmp_path):
    result = _side_by_side(tmp_path, "--events", "20", env={"PATH": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.strip() == ("hugo is not installed: the side-by-side benchmark needs Debian's hugo "
                                     "package (apt-get install hugo)")
