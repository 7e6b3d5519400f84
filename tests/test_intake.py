"""`nngrade grade` takes every form a platform takes, per student, through one intake: a folder of
.py files, the same wrapped in folders, the release's notebooks, or a zip of any of those; each
gets the same grade. Anything else is that student's message; an empty class is an error."""
import json
import shutil

import pytest

from grader import EXERCISES_DIR, SOLUTIONS_DIR
from grader.batch import BatchError, grade_folder
from grader.cli import main as nngrade
from grader.rubric import DEFAULT_RUBRIC, load_rubric
from helpers.submission_forms import copy_modules, reference_notebooks, zip_folder

MAX = load_rubric(DEFAULT_RUBRIC).max_score


@pytest.fixture(scope="module")
def graded_forms(tmp_path_factory):
    root = tmp_path_factory.mktemp("forms")
    subs, staging = root / "subs", root / "staging"
    copy_modules(SOLUTIONS_DIR, subs / "loose")
    copy_modules(SOLUTIONS_DIR, subs / "nested" / "Downloads" / "exercises")
    (subs / "nested" / "README.txt").write_text("my work\n")
    reference_notebooks(subs / "notebooks")
    zip_folder(copy_modules(SOLUTIONS_DIR, staging / "zipped"), subs / "zipped.zip", inside="hw1")
    zip_folder(reference_notebooks(staging / "nbzip"), subs / "notebooks_zipped.zip")
    zip_folder(copy_modules(EXERCISES_DIR, staging / "blank"), subs / "blank.zip")
    (subs / "garbage.zip").write_bytes(b"not a zip at all")
    (subs / "photo").mkdir()
    (subs / "photo" / "homework.jpg").write_bytes(b"\xff\xd8\xff")
    (subs / "stray.txt").write_text("not a student\n")
    out = root / "out"
    summary = grade_folder(subs, out, jobs=2, progress=False)
    return summary, out


def _record(out, student):
    return json.loads((out / student / "results.json").read_text())


@pytest.mark.parametrize("student", ["loose", "nested", "notebooks", "zipped", "notebooks_zipped"])
def test_every_form_of_the_reference_gets_full_marks(graded_forms, student):
    summary, out = graded_forms
    assert dict((name, score) for name, score, _ in summary["records"])[student] == MAX


def test_each_form_gets_the_same_feedback_as_loose_files(graded_forms):
    _, out = graded_forms
    loose = [t["status"] for t in _record(out, "loose")["tests"]]
    for student in ("nested", "notebooks", "zipped", "notebooks_zipped"):
        assert [t["status"] for t in _record(out, student)["tests"]] == loose


def test_zip_of_the_stubs_scores_zero_and_is_named_without_zip(graded_forms):
    summary, out = graded_forms
    assert ("blank", 0.0, MAX) in summary["records"]
    assert not (out / "blank.zip").exists()


@pytest.mark.parametrize("student, words", [("garbage", "not a readable zip file"), ("photo", "homework.jpg")])
def test_anything_else_is_that_students_message(graded_forms, student, words):
    _, out = graded_forms
    record = _record(out, student)
    assert record["score"] == 0
    assert words in (out / student / "feedback.md").read_text()


def test_a_stray_file_is_not_a_student(graded_forms):
    summary, _ = graded_forms
    assert "stray" not in {name for name, _, _ in summary["records"]}


def test_a_folder_and_a_zip_of_one_name_grade_the_folder_and_say_so(tmp_path, capsys):
    subs = tmp_path / "subs"
    copy_modules(SOLUTIONS_DIR, subs / "alice")
    zip_folder(copy_modules(EXERCISES_DIR, tmp_path / "blank"), subs / "alice.zip")
    summary = grade_folder(subs, tmp_path / "out", progress=False)
    assert summary["records"] == [("alice", MAX, MAX)]
    assert "another submission of alice is graded" in capsys.readouterr().err


@pytest.mark.parametrize("make, words", [
    (lambda p: p.mkdir(), "no student submissions"),
    (lambda p: (p.mkdir(), (p / "notes.txt").write_text("x")), "none of its entries is a student submission")],
    ids=["empty", "no-students"])
def test_an_empty_class_is_an_error(tmp_path, capsys, make, words):
    subs = tmp_path / "subs"
    make(subs)
    with pytest.raises(BatchError, match=words):
        grade_folder(subs, tmp_path / "out", progress=False)
    assert nngrade(["grade", str(subs), "--out", str(tmp_path / "out2")]) == 2
    err = capsys.readouterr().err
    assert words in err and str(subs) in err and "Traceback" not in err
    assert not (tmp_path / "out2").exists()
