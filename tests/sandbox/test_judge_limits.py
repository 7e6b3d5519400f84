"""The judge's resources stay bounded whatever a child sends: bytes, text, time and nesting.

Real submissions graded in the sandbox, one batch per concern, each with the honest student:
- floods: every graded function returns a huge array (uint8 or float) or a long list of long
  strings, some over the byte cap per function (dropped unread), some under it (judged: what the
  verdicts keep must be small); the judge's peak memory, measured in a subprocess that runs the
  batch, stays under 800 MB and every student's feedback.md and results.json under 1 MB;
- a slow student imports slowly and makes every function sleep near its limit and fail on larger
  inputs (each failure starts a search of slow calls): graded within its time budget;
- a deep student returns lists nested beyond the protocol's depth from several functions: those
  functions fail with a message saying so, the child is never restarted, the others keep their points.
"""
import contextlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from grader import PROJECT_ROOT
from grader.batch import grade_folder
from grader.probes import plot_id
from grader.limits import FUNCTION_BYTES, OUTPUT_BYTES, PLOT_SECONDS, STUDENT_BYTES, size_text
from helpers.contexts import build_context
from grader.outputs.reports import FEEDBACK, RESULTS, read_student
from grader.rubric import RubricError, load_checked_rubric, load_rubric
from grader.sandbox import client as client_module
from test_attacks import REFERENCE, SHORT, as_files, test_rubric_file, write_folder

PEAK_RSS_MB = 800
OUTPUT_MB = 1


def graded_names(ctx, module):
    """The graded functions (not classes) of one module."""
    import ast

    defined = {n.name for n in ast.parse(REFERENCE[module]).body if isinstance(n, ast.FunctionDef)}
    return [f.split(".")[1] for f in ctx.functions if f.split(".")[0] == module and f.split(".")[1] in defined]


def with_appended(ctx, code):
    """The reference modules with `code` appended to each; in it, NAMES lists the module's graded functions."""
    return {m: f"{text}\n\nNAMES = {graded_names(ctx, m)!r}\n{code}" for m, text in REFERENCE.items()}


def flood(expression):
    """Every graded function returns the value of `expression` (built once per child)."""
    return f"""
import numpy as _np
_FLOOD = {expression}
def _flood(*args, **kwargs):
    return _FLOOD
for _name in NAMES:
    globals()[_name] = _flood
"""


FLOODS = {
    "flood_uint8": "_np.zeros(3_500_000, dtype=_np.uint8)",  # 3.5 MB per case: over the cap, dropped unread
    "flood_float": "_np.ones(1_000_000)",  # 8 MB per case
    "flood_strings": "['x' * 1000] * 2000",  # 2 MB per case
    # Under the cap per function (100 kB per case, 30 cases at most): decoded and judged until the
    # student's cap is reached. As float64, the failing cases of one student would hold ~300 MB if
    # the verdicts kept what it returned.
    **{f"flood_judged_{k}": f"_np.full(100_000, {k}, dtype=_np.uint8)" for k in (3, 5, 7)},
    "flood_judged_strings": "['\U0001F600' * 500] * 10",  # judged, shown briefly; 4 bytes a character in UTF-8, 12 in JSON
}

RUN_BATCH = """
import json, resource, sys
from grader.batch import grade_folder
from grader.rubric import load_checked_rubric
summary = grade_folder(sys.argv[1], sys.argv[2], rubric=load_checked_rubric(sys.argv[3]), jobs=2, progress=False)
print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "graded": summary["graded"], "failed": summary["failed"]}))
"""


@pytest.fixture(scope="module")
def limits_ctx(tmp_path_factory):
    return build_context(load_checked_rubric(test_rubric_file(tmp_path_factory.mktemp("rubric"))))


@pytest.fixture(scope="module")
def floods(limits_ctx, tmp_path_factory):
    """The flood class, graded by a judge in its own process: its peak memory is the batch's alone."""
    root = tmp_path_factory.mktemp("floods")
    subs, out = root / "subs", root / "out"
    write_folder(subs / "honest", as_files(REFERENCE))
    for name, expression in FLOODS.items():
        write_folder(subs / name, as_files(with_appended(limits_ctx, flood(expression))))
    rubric = test_rubric_file(root)
    done = subprocess.run([sys.executable, "-c", RUN_BATCH, str(subs), str(out), str(rubric)], capture_output=True,
                          text=True, timeout=1200, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"flood batch: {summary}")
    return out, summary


def all_messages(record):
    return [c.get("message", "") for f in record["functions"] for c in f["checks"] if not c["passed"]]


def test_the_judge_memory_stays_flat_over_floods(floods):
    _, summary = floods
    assert summary["graded"] == 1 + len(FLOODS) and summary["failed"] == 0
    assert summary["peak_rss_mb"] < PEAK_RSS_MB, f"the judge peaked at {summary['peak_rss_mb']:.0f} MB"


def test_the_honest_student_keeps_full_marks_among_floods(floods, limits_ctx):
    out, _ = floods
    assert read_student(out, "honest")["score"] == limits_ctx.rubric.max_score


@pytest.mark.parametrize("name", FLOODS)
def test_each_flooding_student_gets_bounded_output(floods, name):
    out, _ = floods
    for file in (FEEDBACK, RESULTS):
        size = (out / name / file).stat().st_size
        assert size < OUTPUT_MB * 2**20, f"{name}/{file}: {size} bytes"
        assert size <= OUTPUT_BYTES + 4096, f"{name}/{file}: {size} bytes, over the cap"
    json.loads((out / name / RESULTS).read_text())  # a truncated results.json is still JSON
    record = read_student(out, name)
    assert record is not None and "(grader)" not in record["problems"]


@pytest.mark.parametrize("name", ["flood_uint8", "flood_float", "flood_strings"])
def test_a_function_returning_too_much_fails_with_the_cap_named(floods, name):
    out, _ = floods
    record = read_student(out, name)
    cap = re.escape(f"over the {size_text(FUNCTION_BYTES)} limit per function")
    capped = [m for m in all_messages(record) if re.fullmatch(rf"returned too much data: [\d.]+ [kMG]B {cap}", m)]
    assert len(capped) >= len(record["functions"]) // 2, all_messages(record)[:5]
    assert record["score"] <= 3  # a constant flood may pass a property check or two, nothing more


def test_values_under_the_cap_are_judged_and_shown_briefly(floods):
    out, _ = floods
    record = read_student(out, "flood_judged_3")
    shown = [c["got"] for f in record["functions"] for c in f["checks"] if "got" in c]
    assert shown and all(len(text) <= 2100 for text in shown)
    messages = all_messages(record)
    assert any(re.search(r"has shape \(100000,\)", m) for m in messages), messages[:5]
    cap = re.escape(f"over what was left of the {size_text(STUDENT_BYTES)} limit per student")
    assert any(re.fullmatch(rf"returned too much data: [\d.]+ [kM]B {cap}", m) for m in messages), messages[-5:]


def test_an_oversized_output_says_it_was_truncated(floods):
    out, _ = floods
    note = rf"output truncated: [\d.]+ [kM]B over the {size_text(OUTPUT_BYTES)} limit"
    # feedback.md keeps 4 bytes a character, results.json 12 (JSON's escapes): results.json is over
    # the cap and says so; feedback.md stays within it either way.
    assert len((out / "flood_judged_strings" / FEEDBACK).read_bytes()) <= OUTPUT_BYTES
    results = json.loads((out / "flood_judged_strings" / RESULTS).read_text())
    assert re.search(note, results["output"]) and re.search(note, results["extra_data"]["truncated"])
    checks = sum(len(f["checks"]) for f in read_student(out, "honest")["functions"])
    assert len(results["tests"]) == checks  # every check is still listed, with its score


def test_capped_output_keeps_every_check_and_names_the_cap():
    from grader.outputs.reports import capped, feedback_markdown, results_json

    checks = [{"check": f"c{i}", "passed": False, "score": 0.0, "max_score": 1.0, "message": "m" * 5000,
               "input": "x = 1", "expected": "1", "got": "g" * 5000, "hint": ""} for i in range(100)]
    record = {"student": "s", "score": 0.0, "max_score": 100.0, "execution_time": 1.0, "problems": {}, "notices": [],
              "functions": [{"function": "ex01_m.f", "score": 0.0, "max_score": 100.0, "depends": [], "checks": checks}]}
    for render in (feedback_markdown, results_json):
        full = render(record)
        text = capped(render, record, limit=64 * 2**10)
        assert len(full.encode()) > 64 * 2**10 >= len(text.encode())
        assert f"output truncated: {size_text(len(full.encode()))} over the 64 kB limit" in text
        assert all(f"c{i}" in text for i in range(100))
        assert capped(render, {**record, "functions": []}, limit=64 * 2**10) == render({**record, "functions": []})
    json.loads(capped(results_json, record, limit=64 * 2**10))


# ---- time: a per-student budget bounds everything a student costs --------------------------------

BUDGET_S = 10
SLOW = """
import functools as _functools
import time as _time
import numpy as _np
_time.sleep(0.7)  # every module imports slowly
_LAST = [0.0]
def _slow(function, limit):
    @_functools.wraps(function)
    def wrapper(*args, **kwargs):
        if _time.monotonic() - _LAST[0] > 0.002:  # the first call of a request (a run, a search's call)
            _time.sleep(0.8 * limit)
        try:
            value = function(*args, **kwargs)
            if any(isinstance(a, _np.ndarray) and a.size > 4 for a in args):
                value = _np.asarray(value, dtype=float) + 1.0  # wrong on larger inputs only: a search starts
            return value
        finally:
            _LAST[0] = _time.monotonic()
    return wrapper
for _name in NAMES:
    globals()[_name] = _slow(globals()[_name], __LIMITS__.get(_name, __DEFAULT__))
"""


def budget_rubric(folder):
    path = test_rubric_file(folder)
    text = path.read_text()
    assert "per_student = 120" in text
    path.write_text(text.replace("per_student = 120", f"per_student = {BUDGET_S}"))
    return path


def test_a_slow_student_is_graded_within_its_budget(tmp_path):
    rubric = budget_rubric(tmp_path)
    ctx = build_context(load_checked_rubric(rubric))
    limits = {f.split(".")[1]: ctx.rubric.timeout(f) for f in ctx.functions}
    code = SLOW.replace("__LIMITS__", repr(limits)).replace("__DEFAULT__", repr(ctx.rubric.default_timeout))
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_folder(subs / "honest", as_files(REFERENCE))
    write_folder(subs / "slow", as_files(with_appended(ctx, code)))
    grade_folder(subs, out, jobs=2, progress=False, ctx=ctx)
    assert read_student(out, "honest")["score"] == ctx.rubric.max_score
    slow = read_student(out, "slow")
    message = f"time budget spent ({BUDGET_S} s per student)"
    # Unbounded, this student would cost minutes (0.7 s per import, ~2.4 s per function, slow searches).
    assert slow["execution_time"] < BUDGET_S + 10, slow["execution_time"]
    assert slow["problems"].get("(time budget)", "").startswith(message), slow["problems"]
    spent = [f for f in slow["functions"] if any(c.get("message") == message for c in f["checks"])]
    assert spent and all(f["score"] == 0 for f in spent)
    assert "(time budget)" not in read_student(out, "honest")["problems"]


def test_the_time_budget_is_read_from_the_rubric(tmp_path):
    assert load_rubric().per_student == 120
    assert load_rubric(budget_rubric(tmp_path)).per_student == BUDGET_S
    text = (PROJECT_ROOT / "grader" / "rubric.toml").read_text()
    for bad, why in (("per_student = -1", "non-negative"), ("per_student = 0", "more than 0"),
                     ("per_student = 120\nper_function = 3", "unknown limits.*known: per_student, plots"),
                     ("per_student = 120\nplots = 0", "plots must be more than 0"),
                     ("per_student = 120\nplots = \"ten\"", "plots: expected a non-negative number")):
        path = tmp_path / "bad.toml"
        path.write_text(text.replace("per_student = 120", bad))
        with pytest.raises(RubricError, match=rf"bad\.toml: \[limits\].*{why}"):
            load_rubric(path)


def test_the_plot_probes_get_the_seconds_the_rubric_gives_them(limits_ctx, tmp_path):
    """[limits] plots (default: grader.limits.PLOT_SECONDS) is the time of a student's one request
    for its plot probes, clipped to what is left of its budget (the test rubric gives them 3 s)."""
    assert load_rubric().plots == PLOT_SECONDS
    path = tmp_path / "rubric.toml"
    path.write_text((PROJECT_ROOT / "grader" / "rubric.toml").read_text().replace("per_student = 120", "per_student = 120\nplots = 2.5"))
    assert load_rubric(path).plots == 2.5
    assert limits_ctx.rubric.plots == SHORT != PLOT_SECONDS
    plot_timeouts = []

    class Recorder:
        def __init__(self, client):
            self._client = client

        def __getattr__(self, name):
            return getattr(self._client, name)

        def run(self, jobs, timeout, *args, **kwargs):
            if all(cid == plot_id(cid.split(":")[0]) for cid, _ in jobs):  # the plot probes' request
                plot_timeouts.append(timeout)
            return self._client.run(jobs, timeout, *args, **kwargs)

    subs = tmp_path / "subs"
    write_folder(subs / "honest", as_files(REFERENCE))
    grade_folder(subs, tmp_path / "out", jobs=1, progress=False, ctx=limits_ctx, wrap_client=Recorder)
    assert len(plot_timeouts) == 1 and SHORT - 1 < plot_timeouts[0] <= SHORT, plot_timeouts
    assert read_student(tmp_path / "out", "honest")["score"] == limits_ctx.rubric.max_score


# ---- nesting: one depth limit, the function's error, no restart ----------------------------------

DEEP = {"ex03_activations": ("maxout", 1000), "ex04_mlp_forward": ("xor_params", 20),
        "ex07_torch": ("autograd_gradient", 15), "ex05_backprop": ("sigmoid_backward", 5000)}


def deep(depth):
    return f"""
def _deep(*args, **kwargs):
    value = [1.0]
    for _ in range({depth}):
        value = [value]
    return value
"""


def test_a_too_deep_value_is_the_functions_error_without_restarts(limits_ctx, tmp_path):
    modules = dict(REFERENCE)
    for module, (function, depth) in DEEP.items():
        modules[module] += deep(depth) + f"\n{function} = _deep\n"
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_folder(subs / "deep", as_files(modules))
    write_folder(subs / "honest", as_files(REFERENCE))
    opened, started = [], []
    real_open, real_start = client_module.SandboxClient.open, client_module.SandboxClient.start
    with pytest.MonkeyPatch.context() as patch:
        # (a child on no sources is the check of the isolation layers before the first student)
        patch.setattr(client_module.SandboxClient, "open",
                      lambda self, sources, *a, **k: opened.append(bool(sources)) or real_open(self, sources, *a, **k))
        patch.setattr(client_module.SandboxClient, "start", lambda self, *a, **k: started.append(1) or real_start(self, *a, **k))
        grade_folder(subs, out, jobs=1, progress=False, ctx=limits_ctx)
    assert len(started) == 1 and opened.count(True) == 2, (started, opened)  # one runner, one child per student
    record = read_student(out, "deep")
    targets = {f"{m}.{f}" for m, (f, _) in DEEP.items()}
    dependents = set(targets)  # and whatever calls them, directly or through others
    while True:
        more = {f["function"] for f in record["functions"] if dependents & set(f["depends"])} - dependents
        if not more:
            break
        dependents |= more
    for f in record["functions"]:
        messages = [c.get("message", "") for c in f["checks"] if not c["passed"]]
        if f["function"] in targets:
            assert f["score"] == 0 and messages
            assert all(re.fullmatch(r"the returned value is nested deeper than \d+ levels", m) for m in messages), messages
        elif f["function"] not in dependents:
            assert f["score"] == f["max_score"], (f["function"], messages[:1])
    assert read_student(out, "honest")["score"] == limits_ctx.rubric.max_score
