"""read_course: an nbgrader course's released and submitted notebooks read in one pass."""
import json
import os
import shutil

import pytest

from grader import RELEASE_DIR
from grader.intake.course_notebooks import CourseError, read_course
from grader.intake.nbimport import SOLUTION_PREFIX
from grader.release.course import ASSIGNMENT

MODULES = ["ex03_activations", "ex04_mlp_forward"]


@pytest.fixture
def course(tmp_path):
    """release/ with two notebooks; alice submitted both with collect's records, bob a link to
    alice's folder, carol another assignment only; a README beside the students."""
    release = tmp_path / "release" / ASSIGNMENT
    release.mkdir(parents=True)
    for module in MODULES:
        shutil.copy(RELEASE_DIR / ASSIGNMENT / f"{module}.ipynb", release)
    alice = tmp_path / "submitted" / "alice" / ASSIGNMENT
    shutil.copytree(release, alice)
    (alice / "timestamp.txt").write_text("2026-01-15 10:00:00 UTC")
    (tmp_path / "submitted" / "bob").symlink_to(tmp_path / "submitted" / "alice")
    (tmp_path / "submitted" / "carol" / "other").mkdir(parents=True)
    (tmp_path / "submitted" / "README").write_text("not a student")
    return tmp_path


def test_each_submitting_student_gets_modules_answers_and_records(course, tmp_path):
    read = read_course(course, ASSIGNMENT, MODULES, tmp_path / "class")
    assert list(read.students) == ["alice", "bob"]  # carol did not submit it; README is no student
    alice = read.students["alice"]
    assert alice.records == {"timestamp.txt": b"2026-01-15 10:00:00 UTC"}  # no secret: left out, not an error
    assert any(grade_id.startswith(SOLUTION_PREFIX) for grade_id in alice.answers["ex03_activations"])
    assert "_nngrade_run_cell(" in (tmp_path / "class" / "alice" / "ex03_activations.py").read_text()
    released = json.loads((RELEASE_DIR / ASSIGNMENT / "ex03_activations.ipynb").read_bytes())
    assert read.released["ex03_activations"] == released


def test_a_linked_student_folder_fails_every_module_naming_it(course, tmp_path):
    read = read_course(course, ASSIGNMENT, MODULES, tmp_path / "class")
    assert read.students["bob"].answers == dict.fromkeys(MODULES) and read.students["bob"].records == {}
    for module in MODULES:
        text = (tmp_path / "class" / "bob" / f"{module}.py").read_text()
        assert text.startswith("raise ImportError(") and "submitted/bob: refused: it is a symbolic link" in text
    assert [p for p in read.problems if p.startswith("submitted/bob")] == [read.problems[0]]  # noted once


def test_a_missing_or_unreadable_notebook_costs_that_module_only(course, tmp_path):
    alice = course / "submitted" / "alice" / ASSIGNMENT
    (alice / "ex04_mlp_forward.ipynb").unlink()
    os.mkfifo(alice / "ex03_activations.ipynb.tmp")
    (alice / "ex03_activations.ipynb").unlink()
    os.rename(alice / "ex03_activations.ipynb.tmp", alice / "ex03_activations.ipynb")
    read = read_course(course, ASSIGNMENT, MODULES, tmp_path / "class")
    assert read.students["alice"].answers == {"ex03_activations": None, "ex04_mlp_forward": None}
    assert (tmp_path / "class" / "alice" / "ex04_mlp_forward.py").read_text() == (
        "raise ImportError('ex04_mlp_forward.ipynb was not submitted')\n")
    fifo = f"submitted/alice/{ASSIGNMENT}/ex03_activations.ipynb: refused: it is a named pipe (FIFO)"
    assert fifo in (tmp_path / "class" / "alice" / "ex03_activations.py").read_text()
    alices = [p for p in read.problems if p.startswith("submitted/alice/")]
    assert len(alices) == 1 and alices[0].startswith(fifo)  # not submitted is no problem to note


def test_an_unreadable_released_notebook_stops_the_run_before_any_student_is_read(course, tmp_path):
    (course / "release" / ASSIGNMENT / "ex04_mlp_forward.ipynb").write_text("{not json")
    with pytest.raises(CourseError, match=r"ex04_mlp_forward.ipynb: the released notebook is unreadable"):
        read_course(course, ASSIGNMENT, MODULES, tmp_path / "class")
    assert not (tmp_path / "class").exists()


def test_a_course_without_submitted_is_refused(course, tmp_path):
    shutil.rmtree(course / "submitted")
    with pytest.raises(CourseError, match=r"no submitted/ folder .*nbgrader collect"):
        read_course(course, ASSIGNMENT, MODULES, tmp_path / "class")
