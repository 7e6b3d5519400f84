"""`nngrade bench` runs end to end and reports every figure the issue asks for (values are not
judged here: timings belong to the benchmark, not to the test suite)."""
import argparse
import json
import subprocess
import sys

import pytest

from grader import PROJECT_ROOT

from grader.devtools import bench

KEYS = ("submissions", "jobs", "wall_s", "per_second", "p50_s", "p95_s", "peak_rss_mb", "floor_s", "overhead_ratio",
        "nbgrader_s", "speedup_vs_nbgrader")


@pytest.fixture(scope="module")
def tiny():
    """`nngrade bench` on four students from the command line (its tests are slow: an end-to-end run
    that also times the floor in-process)."""
    out = subprocess.run([sys.executable, "-m", "grader.cli", "bench", "-n", "4", "--jobs", "1", "--json", "--no-nbgrader"],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
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


@pytest.mark.slow
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


def test_the_recorder_keeps_each_submissions_search_calls_for_the_floor(tmp_path):
    """The bench learns the calls grading made beyond the class's cases by wrapping the lane's
    client (nothing in grading knows about it); one file per submission, keyed by its sources."""
    import numpy as np

    from grader.protocol import decode, unpack_bytes

    class Client:
        def __init__(self):
            self.calls = []

        def __getattr__(self, name):
            return lambda *args, **kwargs: self.calls.append(name) or name

    client, sources = Client(), {"ex01_perceptron": "def add_bias(X): ..."}
    recorder = bench.CallRecorder(client, tmp_path)
    case = {"X": np.ones((1, 2))}
    assert recorder.warm() == "warm" and recorder.open(sources, timeout=1) == "open"
    assert recorder.run_functions([], None, {}) == "run_functions"  # the class's cases: not recorded
    assert recorder.run([("ex01_perceptron.add_bias:matches_reference", [case])], 5, {}) == "run"
    recorder.open({}, timeout=1)  # a restart with fewer modules is still the same submission
    recorder.close()
    assert client.calls == ["warm", "open", "run_functions", "run", "open", "close"]
    [written] = tmp_path.iterdir()
    assert written.name == f"{bench.sources_key(sources)}.bin"
    [[check_id, recorded]] = decode(*unpack_bytes(written.read_bytes()))
    assert check_id == "ex01_perceptron.add_bias:matches_reference" and np.array_equal(recorded["X"], case["X"])
    recorder.warm()  # the next submission starts empty
    recorder.open({"ex01_perceptron": "other"})
    recorder.close()
    assert decode(*unpack_bytes((tmp_path / f"{bench.sources_key({'ex01_perceptron': 'other'})}.bin").read_bytes())) == []
