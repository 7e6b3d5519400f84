"""The instructor's corrections (nngrade adjust): kept across regrades, shown in the student's
feedback, summed in grades.csv and exported."""
import csv
import json
import shutil

import pytest

from grader import SOLUTIONS_DIR
from grader.batch import grade_folder
from grader.cli import main as nngrade
from grader.corrections import FILE, PLOTS_MARK

REASON = "regrade request: sigmoid's derivative was right, the check's tolerance was too tight"


def _copy(source, folder):
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("__pycache__", "test_*", "conftest.py"))


def _gradebook(out):
    with open(out / "grades.csv", newline="") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


@pytest.fixture
def graded(small_class):
    """(subs, out): a copy of the session's small class (tests/conftest.py): alice and carol hand in
    the reference, bob the blank stubs."""
    return small_class


def test_an_adjustment_reaches_the_gradebook_the_feedback_and_the_results(graded, capsys):
    _, out = graded
    assert nngrade(["adjust", str(out), "bob", "--points", "5", "--reason", REASON]) == 0
    row = _gradebook(out)["bob"]
    assert (row["score"], row["adjustment"]) == ("5", "5")
    feedback = (out / "bob" / "feedback.md").read_text()
    assert "Corrections by your instructor" in feedback and REASON in feedback and "+5 points" in feedback
    assert REASON in (out / "bob" / "feedback.html").read_text()
    results = json.loads((out / "bob" / "results.json").read_text())
    assert results["score"] == 5 and results["extra_data"]["graded_score"] == 0


def test_a_correction_never_takes_a_score_below_zero_and_keeps_the_plots(graded):
    _, out = graded
    plots_before = (out / "alice" / "feedback.html").read_text().count("<img")
    assert plots_before and PLOTS_MARK in (out / "alice" / "feedback.html").read_text()
    assert nngrade(["adjust", str(out), "alice", "--points", "-100", "--reason", "copied work, see the hearing"]) == 0
    assert _gradebook(out)["alice"]["score"] == "0"
    assert (out / "alice" / "feedback.html").read_text().count("<img") == plots_before


def test_adjustments_survive_a_regrade_and_reach_the_export(graded, ctx, tmp_path):
    subs, out = graded
    assert nngrade(["adjust", str(out), "bob", "--points", "2.5", "--reason", "partial credit: right idea"]) == 0
    assert nngrade(["adjust", str(out), "bob", "--points", "1", "--reason", "late-enrolment extension"]) == 0
    shutil.copy(SOLUTIONS_DIR / "ex01_perceptron.py", subs / "bob" / "ex01_perceptron.py")  # bob hands in ex01
    grade_folder(subs, out, jobs=1, progress=False, ctx=ctx, only=["bob"])
    row = _gradebook(out)["bob"]
    graded_points = sum(float(v) for k, v in row.items() if k.startswith("ex"))
    assert graded_points > 0 and float(row["adjustment"]) == 3.5 and float(row["score"]) == graded_points + 3.5
    assert "partial credit: right idea" in (out / "bob" / "feedback.md").read_text()
    roster = tmp_path / "roster.csv"
    roster.write_text("student,id\nalice,1\nbob,2\ncarol,3\n")
    assert nngrade(["export", str(out), "--to", "canvas", "--roster", str(roster), "--out", str(tmp_path / "c.csv")]) == 0
    exported = {r[1]: r[-1] for r in csv.reader((tmp_path / "c.csv").open())}
    assert float(exported["2"]) == graded_points + 3.5


def test_an_adjustment_removed_from_the_file_is_undone_at_the_next_run(graded, ctx):
    subs, out = graded
    assert nngrade(["adjust", str(out), "bob", "--points", "4", "--reason", "bonus"]) == 0
    (out / FILE).unlink()
    grade_folder(subs, out, jobs=1, progress=False, ctx=ctx)
    assert _gradebook(out)["bob"]["score"] == "0"
    assert "Corrections" not in (out / "bob" / "feedback.md").read_text()


@pytest.mark.parametrize("argv, words", [
    (["nobody", "--points", "1", "--reason", "x"], "no graded student named 'nobody'"),
    (["bob", "--points", "nan", "--reason", "x"], "points must be a number"),
    (["bob", "--points", "1", "--reason", "  "], "a reason is required"),
])
def test_bad_adjustments_are_refused_naming_the_problem(graded, capsys, argv, words):
    _, out = graded
    assert nngrade(["adjust", str(out), *argv]) == 2
    assert words in capsys.readouterr().err
    assert not (out / FILE).exists()


def test_a_malformed_adjustments_file_stops_the_run_naming_it(graded, capsys):
    subs, out = graded
    (out / FILE).write_text("[[adjustment]]\nstudent = 'bob'\npoints = 'many'\nreason = 'x'\n")
    assert nngrade(["grade", str(subs), "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert FILE in err and "points must be a number" in err


# ---- the rubric's late policy -------------------------------------------------------------------
import datetime  # noqa: E402
import os  # noqa: E402

from helpers.contexts import build_context  # noqa: E402
from grader.rubric import DEFAULT_RUBRIC, RubricError, load_rubric  # noqa: E402

DEADLINE = datetime.datetime(2026, 12, 1, 23, 59, tzinfo=datetime.timezone.utc)
LATE = f"""
[late]
deadline = {DEADLINE.isoformat()}
penalty_per_day = 0.1
max_penalty = 0.5
[late.extensions]
dave = 3
"""


def _late_rubric(tmp_path, text=LATE):
    rubric = tmp_path / "late_rubric.toml"
    rubric.write_text(DEFAULT_RUBRIC.read_text() + text)
    return rubric


def _hand_in(folder, when):
    stamp = when.timestamp()
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (stamp, stamp), follow_symlinks=False)


@pytest.fixture(scope="module")
def late_class(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("late")
    rubric = _late_rubric(tmp)
    subs, out = tmp / "subs", tmp / "out"
    hours = {"alice": -1, "bob": 30, "carol": 24 * 10, "dave": 48, "erin": 30}
    for student, late_by in hours.items():
        _copy(SOLUTIONS_DIR, subs / student)
        _hand_in(subs / student, DEADLINE + datetime.timedelta(hours=late_by))
    times = tmp / "times.csv"
    times.write_text(f"student,submitted\nerin,{(DEADLINE - datetime.timedelta(minutes=5)).isoformat()}\n")
    assert nngrade(["grade", str(subs), "--out", str(out), "--rubric", str(rubric), "--jobs", "2", "--no-progress",
                    "--submitted-times", str(times)]) == 0
    return subs, out, load_rubric(rubric).max_score


def test_late_penalties_follow_the_rubric(late_class):
    _, out, top = late_class
    book = _gradebook(out)
    scores = {s: float(book[s]["score"]) for s in book}
    assert scores["alice"] == top  # on time
    assert scores["bob"] == pytest.approx(top - round(0.2 * top, 2))  # 30 hours: two days begun
    assert scores["carol"] == pytest.approx(top - round(0.5 * top, 2))  # ten days: the cap
    assert scores["dave"] == top  # two days late with a three-day extension
    assert scores["erin"] == top  # the instructor's time says on time, whatever the files say
    assert float(book["bob"]["adjustment"]) == pytest.approx(-round(0.2 * top, 2))


def test_the_late_penalty_is_explained_in_the_feedback(late_class):
    _, out, _ = late_class
    feedback = (out / "bob" / "feedback.md").read_text()
    assert "late: handed in 2026-12-03" in feedback and "2 day(s) after the deadline" in feedback
    assert "modification time" in feedback
    assert "Corrections" not in (out / "alice" / "feedback.md").read_text()


def test_an_adjustment_adds_to_the_late_penalty(late_class, tmp_path):
    _, out, top = late_class
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    assert nngrade(["adjust", str(copy), "bob", "--points", "10", "--reason", "illness, documented"]) == 0
    assert float(_gradebook(copy)["bob"]["score"]) == pytest.approx(top - round(0.2 * top, 2) + 10)


@pytest.mark.parametrize("text, words", [
    ("\n[late]\ndeadline = 2026-12-01T23:59:00\npenalty_per_day = 0.1\n", "with a time zone"),
    ("\n[late]\ndeadline = 2026-12-01T23:59:00Z\npenalty_per_day = 10\n", "between 0 and 1"),
    ("\n[late]\ndeadline = 2026-12-01T23:59:00Z\npenalty_per_day = 0.1\ngrace = 5\n", "unknown keys ['grace']"),
])
def test_a_malformed_late_policy_is_a_rubric_error_naming_the_file(tmp_path, text, words):
    rubric = _late_rubric(tmp_path, text)
    with pytest.raises(RubricError) as error:
        load_rubric(rubric)
    assert str(rubric) in str(error.value) and words in str(error.value)
