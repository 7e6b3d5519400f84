"""`nngrade bench` runs end to end and reports every figure the issue asks for (values are not
judged here: timings belong to the benchmark, not to the test suite)."""
import argparse
import json
import subprocess
import sys

import pytest

from grader import PROJECT_ROOT, bench

KEYS = ("submissions", "jobs", "wall_s", "per_second", "p50_s", "p95_s", "peak_rss_mb", "floor_s", "overhead_ratio",
        "nbgrader_s", "speedup_vs_nbgrader")


@pytest.fixture(scope="module")
def tiny():
    out = subprocess.run([sys.executable, "-m", "grader.cli", "bench", "-n", "4", "--jobs", "1", "--json", "--no-nbgrader"],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_bench_json_has_every_figure_for_a_tiny_class(tiny):
    assert set(KEYS) <= set(tiny)
    assert tiny["submissions"] == 4 and tiny["jobs"] == 1
    for key in ("wall_s", "per_second", "p50_s", "p95_s", "peak_rss_mb", "floor_s", "overhead_ratio"):
        assert isinstance(tiny[key], (int, float)) and tiny[key] > 0, key
    # The ratio comes from the unrounded times: allow for wall_s and floor_s being rounded to 0.01 s
    # and the ratio to 0.001.
    wall, floor = tiny["wall_s"], tiny["floor_s"]
    assert abs(tiny["overhead_ratio"] - wall / floor) <= 0.005 / floor * (1 + wall / floor) + 0.0005 + 1e-9
    assert tiny["nbgrader_s"] is None and tiny["speedup_vs_nbgrader"] is None
    # Two students of four make a mistake; each mistake's search is run by hypothesis or walked.
    assert tiny["searches_run"] + tiny["searches_walked"] >= 1


def test_bench_table_prints_each_figure(tiny, monkeypatch, capsys):
    monkeypatch.setattr(bench, "run_bench", lambda n, jobs, with_nbgrader: tiny)
    assert bench.bench_command(argparse.Namespace(submissions=4, jobs=1, no_nbgrader=True, json=False)) == 0
    table = {key.strip(): value.strip() for key, value in (line.rsplit("  ", 1) for line in capsys.readouterr().out.splitlines())}
    assert float(table["grading wall time (s)"]) == tiny["wall_s"]
    assert float(table["overhead ratio wall / floor"]) == tiny["overhead_ratio"]
    assert table["speed-up vs nbgrader"] == "n/a"
    for label in ("submissions per second", "p50 s per submission", "p95 s per submission",
                  "peak RSS (MB): grader / largest runner", "floor: same calls in-process (s)"):
        assert label in table, label
