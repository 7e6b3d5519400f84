"""The released stubs, untouched, are recorded without running them (grader.judging.untouched):
exactly what their child would report, and a class of them starts no runner and builds no cases."""
import shutil
from pathlib import Path

import pytest

from grader import EXERCISES_DIR, SOLUTIONS_DIR
from grader.batch import grade_folder
from grader.judging import grading
from grader.judging.untouched import NOT_RUN_NOTICE, is_untouched, released_stubs
from grader.loader import read_sources
from grader.outputs import feedback_plots
from grader.outputs.reports import read_student
from grader.rubric import load_checked_rubric
from grader.sandbox.client import SandboxClient
from grader.submission import Submission

RUBRIC = load_checked_rubric()
STUBS = read_sources(EXERCISES_DIR)
MACHINE_ONLY = ("execution_time", "function_seconds", "isolation", "notices")  # the run's, never the grade's


def _submission(sources, problems=None):
    return Submission("s", Path("s"), dict(sources), dict(problems or {}))


@pytest.fixture(scope="module")
def stubs():
    return released_stubs(SOLUTIONS_DIR, RUBRIC.modules, RUBRIC.functions)


def test_the_kits_stubs_are_recognised_as_released(stubs):
    assert stubs is not None and set(stubs["errors"]) == set(RUBRIC.functions)
    assert is_untouched(_submission(STUBS), stubs)
    windows = {m: t.replace("\n", "\r\n") for m, t in STUBS.items()}
    assert is_untouched(_submission(windows), stubs)  # line endings are not a change: Python reads them alike


@pytest.mark.parametrize("change", ["a comment", "one function written", "a module missing", "a problem"])
def test_any_change_makes_the_submission_run(stubs, change):
    sources, problems = dict(STUBS), {}
    if change == "a comment":
        sources["ex03_activations"] += "# done?\n"
    elif change == "one function written":
        sources["ex03_activations"] = sources["ex03_activations"].replace(
            'raise NotImplementedError("relu: not implemented yet', 'return x * (x > 0)  # ("relu: not implemented yet', 1)
    elif change == "a module missing":
        del sources["ex07_torch"]
    else:
        problems["notes.txt"] = "an extra file"
    assert not is_untouched(_submission(sources, problems), stubs)


def test_stubs_that_keep_given_lines_before_the_raise_are_always_run(tmp_path):
    solutions = tmp_path / "solutions"
    shutil.copytree(SOLUTIONS_DIR, solutions)
    path = solutions / "ex03_activations.py"
    text = path.read_text()
    # relu's solution region made smaller: a given line now runs before the stub's raise
    start = text.index("def relu(")
    marker = text.index("### BEGIN SOLUTION", start)
    indent = text[text.rindex("\n", 0, marker) + 1:marker]
    path.write_text(text[:marker] + f"pass\n{indent}" + text[marker:])
    assert released_stubs(solutions, RUBRIC.modules, RUBRIC.functions) is None


def test_solutions_whose_markers_do_not_pair_recognise_no_stub_and_still_grade(tmp_path):
    solutions = tmp_path / "solutions"
    shutil.copytree(SOLUTIONS_DIR, solutions)
    path = solutions / "ex01_perceptron.py"
    path.write_text(path.read_text() + "\n### BEGIN SOLUTION\n")  # a comment: the module still imports
    assert released_stubs(solutions, RUBRIC.modules, RUBRIC.functions) is None


@pytest.mark.slow
def test_the_record_without_a_child_is_the_record_with_one(ctx):
    submission = _submission(STUBS)
    unrun = grading.grade_submission(ctx, None, submission, draw=feedback_plots.draw_plots)  # no client: none used
    assert unrun["notices"] == [NOT_RUN_NOTICE] and unrun["isolation"] == []
    ran_ctx = type(ctx)(**{**ctx.__dict__, "stubs": None})  # the same context, the stubs not recognised
    client = SandboxClient(0)
    client.cases = ctx.cases
    try:
        ran = grading.grade_submission(ran_ctx, client, submission, draw=feedback_plots.draw_plots)
    finally:
        client.stop()
    assert ran["isolation"] and ran["score"] == 0
    for key in MACHINE_ONLY:
        unrun.pop(key), ran.pop(key)
    assert unrun == ran
    checks = [c for f in ran["functions"] for c in f["checks"]]
    assert checks and all(c["message"].startswith("raised NotImplementedError: ") for c in checks)
    assert not any({"input", "expected", "got"} & set(c) for c in checks)  # nothing of the student's ran: nothing to show


def test_a_class_of_untouched_stubs_starts_no_runner_and_makes_no_cases(tmp_path, monkeypatch):
    import grader.lanes

    started = []
    monkeypatch.setattr(SandboxClient, "start", lambda self, *a, **k: started.append(self))
    monkeypatch.setattr(grader.lanes, "class_context", lambda *a, **k: started.append("cases") or pytest.fail("cases made"))
    subs = tmp_path / "subs"
    for name in ("ann", "bob", "cyd"):
        (subs / name).mkdir(parents=True)
        for module, text in STUBS.items():
            (subs / name / f"{module}.py").write_text(text)
    summary = grade_folder(subs, tmp_path / "out", jobs=2, progress=False)
    assert summary["graded"] == 3 and summary["failed"] == 0 and not started
    record = read_student(tmp_path / "out", "bob")
    assert record["score"] == 0 and record["notices"] == [NOT_RUN_NOTICE]
    assert (tmp_path / "out" / "bob" / "feedback.html").is_file()


def test_a_submission_changed_after_the_scan_is_a_recorded_failure_not_a_crash(tmp_path, monkeypatch):
    import grader.lanes

    subs = tmp_path / "subs"
    for name, edit in (("ann", ""), ("bob", "# started\n")):
        (subs / name).mkdir(parents=True)
        for module, text in STUBS.items():
            (subs / name / f"{module}.py").write_text(text + edit)
    monkeypatch.setattr(grader.lanes, "_all_untouched", lambda *args: True)  # as if bob wrote after the scan
    summary = grade_folder(subs, tmp_path / "out", jobs=1, progress=False)
    assert summary["graded"] == 2 and summary["failed"] == 1
    assert read_student(tmp_path / "out", "ann")["notices"] == [NOT_RUN_NOTICE]
    bob = read_student(tmp_path / "out", "bob")
    assert bob["problems"] == {"(grader)": "the submission changed while its class was being graded: grade it again"}


def test_one_upload_of_the_untouched_stubs_starts_no_runner(monkeypatch):
    from grader.platforms.single import grade_one

    monkeypatch.setattr(SandboxClient, "start", lambda self, *a, **k: pytest.fail("a runner was started"))
    graded = grade_one(EXERCISES_DIR, student="early")
    assert graded.error is None and graded.record["score"] == 0 and graded.record["notices"] == [NOT_RUN_NOTICE]
    assert set(graded.timings) == {"start-up", "cases", "grading"}
