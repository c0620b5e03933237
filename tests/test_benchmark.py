"""Smoke test of the synthetic chronology and the benchmark at a small N (timings are not asserted)."""
from __future__ import annotations

import sys
from pathlib import Path

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
    assert capsys.readouterr().out.startswith("| 40 |")
