"""One rubric in every gradebook, and notebook cells graded one by one.

One course built with a custom rubric (`nngrade course --rubric`, sigmoid's
matches_reference worth 5 instead of 1: 87 points), three students graded with
`nngrade grade --nbgrader --rubric`: the reference; the reference with a
leftover `print(undefined)` at the top of ex03's tanh cell; the reference with
an import of a package that is not installed at the top of ex03's sigmoid cell.
"""
import contextlib
import io
import json
from types import SimpleNamespace

import pytest

from grader.cli import main as nngrade
from grader.release.course import ASSIGNMENT, run_nbgrader
from grader.nbgrader.course_points import CoursePointsError, check_course_points
from grader.outputs.reports import read_student
from grader.rubric import DEFAULT_RUBRIC, load_rubric
from helpers.nbgrader_course import export_scores, read_grades_csv, reference, submit

SIGMOID = "[ex03_activations.sigmoid]\nmatches_reference = 1\nextreme_inputs = 1\n"
LEFTOVERS = {"leftover_print": ("tanh", "print(undefined)\n"),
             "missing_package": ("sigmoid", "import matplotlib_not_installed\n")}


def _rubric(path, matches, extreme):
    text = DEFAULT_RUBRIC.read_text()
    assert SIGMOID in text
    path.write_text(text.replace(SIGMOID, SIGMOID.replace("= 1\n", f"= {matches}\n", 1)
                                 .replace("extreme_inputs = 1", f"extreme_inputs = {extreme}")))
    return path


def _with_leftover(function, leftover):
    def edit(name, stub, answer, first):
        return leftover + answer if name == function else answer
    return edit


def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = nngrade([str(a) for a in argv])
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rubric")
    rubric = _rubric(tmp / "rubric87.toml", 5, 1)
    course = tmp / "course"
    assert _run(["course", course, "--rubric", rubric])[0] == 0
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    submit(course, "honest", reference)
    for student, (function, leftover) in LEFTOVERS.items():
        submit(course, student, _with_leftover(function, leftover))
    refused = _run(["grade", "--nbgrader", course, ASSIGNMENT, "--out", tmp / "refused", "--no-progress", "--jobs", "1"])
    refused_gradebook = export_scores(course, "before.csv")
    out = tmp / "out"
    code, log = _run(["grade", "--nbgrader", course, ASSIGNMENT, "--rubric", rubric, "--out", out,
                      "--no-progress", "--jobs", "2"])
    assert code == 0, log
    return SimpleNamespace(tmp=tmp, course=course, rubric=rubric, out=out, refused=refused,
                           refused_gradebook=refused_gradebook, csv=read_grades_csv(out),
                           exported=export_scores(course, "after.csv"))


def test_the_course_gets_the_rubrics_points(graded):
    nb = json.loads((graded.course / "release" / ASSIGNMENT / "ex03_activations.ipynb").read_text())
    points = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]["points"]
              for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")}
    assert points["grade_sigmoid_matches_reference"] == 5 and points["grade_sigmoid_extreme_inputs"] == 1


def test_grades_csv_and_nbgrader_export_agree(graded):
    maximum = load_rubric(graded.rubric).max_score
    assert maximum == load_rubric().max_score + 4
    assert {row["max_score"] for row in graded.csv.values()} == {maximum}
    assert graded.exported.keys() >= graded.csv.keys()
    for student, row in graded.csv.items():  # pytest.approx takes no nested containers (pytest 9)
        assert graded.exported[student] == pytest.approx((row["score"], row["max_score"])), student
    assert graded.csv["honest"]["score"] == maximum


def test_a_rubric_the_course_was_not_built_with_is_refused(graded):
    code, message = graded.refused
    assert code == 2
    source = graded.course / "source" / ASSIGNMENT
    assert (f"{source}: the notebooks' grade cells total 87 points, the rubric {DEFAULT_RUBRIC} (the default) totals 83: "
            f"rebuild the course with `nngrade course {graded.course}`") in message
    assert "ex03_activations.ipynb grade_sigmoid_matches_reference: 5 points in the course, 1 point in the rubric" in message
    assert "Traceback" not in message
    assert not (graded.tmp / "refused").exists()
    assert graded.refused_gradebook == {}  # nothing was written before the refusal


def test_the_same_total_split_differently_is_refused(graded):
    """Comparing totals is not enough: 3 + 3 for sigmoid is 87 too, but not the cells' points."""
    other = _rubric(graded.tmp / "split.toml", 3, 3)
    with pytest.raises(CoursePointsError) as refused:
        check_course_points(graded.course, ASSIGNMENT, load_rubric(other), other)
    assert f"the rubric {other} both total 87 points, split differently" in str(refused.value)
    assert "grade_sigmoid_extreme_inputs: 1 point in the course, 3 points in the rubric" in str(refused.value)
    check_course_points(graded.course, ASSIGNMENT, load_rubric(graded.rubric), graded.rubric)  # its own: fine


def test_a_gradebook_older_than_the_notebooks_is_refused(graded, tmp_path):
    """The notebooks rebuilt with another rubric, generate_assignment not run again: the gradebook still
    has the old points, so the scores written would not add up to the rubric's."""
    course = tmp_path / "course"
    course.mkdir()
    for folder in ("source", "release"):
        (course / folder).symlink_to(graded.course / folder)
    (course / "gradebook.db").symlink_to(graded.course / "gradebook.db")
    rebuilt = tmp_path / "rebuilt"
    assert _run(["course", rebuilt])[0] == 0
    (course / "source").unlink()
    (course / "source").symlink_to(rebuilt / "source")
    with pytest.raises(CoursePointsError, match="gradebook.db: the notebooks' grade cells total 87 points, the rubric "
                                                ".* totals 83: the gradebook is older than the notebooks"):
        check_course_points(course, ASSIGNMENT, load_rubric(), None)


def _lost(graded, student):
    record = read_student(graded.out, student)
    return {f["function"]: f["max_score"] - f["score"] for f in record["functions"] if f["score"] < f["max_score"]}


def test_a_failing_cell_costs_only_its_functions_and_their_callers(graded):
    rubric = load_rubric(graded.rubric)
    assert _lost(graded, "leftover_print") == {"ex03_activations.tanh": 1.0}
    # sigmoid_derivative calls sigmoid
    assert _lost(graded, "missing_package") == {
        "ex03_activations.sigmoid": rubric.function_points("ex03_activations.sigmoid"),
        "ex03_activations.sigmoid_derivative": rubric.function_points("ex03_activations.sigmoid_derivative")}


@pytest.mark.parametrize("student, cell, error", [
    ("leftover_print", "ex03_activations.ipynb cell 15, solution_tanh", "NameError: name 'undefined' is not defined"),
    ("missing_package", "ex03_activations.ipynb cell 5, solution_sigmoid",
     "ModuleNotFoundError: No module named 'matplotlib_not_installed'"),
])
def test_the_feedback_names_the_cell_and_the_error(graded, student, cell, error):
    feedback = (graded.out / student / "feedback.md").read_text()
    assert f"its notebook cell ({cell}) failed when run at its line 1: {error}" in feedback
    assert "ex03_activations.py" not in feedback  # (the rebuilt module is not the student's file)


def test_a_caller_of_the_failed_cell_is_located_at_its_call(graded):
    feedback = (graded.out / "missing_package" / "feedback.md").read_text()
    derivative = feedback[feedback.index("`sigmoid_derivative`"):]
    assert "raised RuntimeError: sigmoid is not defined: its notebook cell (ex03_activations.ipynb cell 5" in derivative
    assert "(ex03_activations.ipynb cell 10, line " in derivative.split("###")[0]


def test_release_takes_the_rubric(graded):
    """The released notebooks show the rubric's points, and their README the same --rubric."""
    folder = graded.tmp / "release"
    assert _run(["release", "--rubric", graded.rubric, "--out", folder])[0] == 0
    assert (folder / ASSIGNMENT / "ex03_activations.ipynb").read_text() == (
        graded.course / "release" / ASSIGNMENT / "ex03_activations.ipynb").read_text()
    assert f"nngrade course COURSE_DIR --rubric {graded.rubric}" in (folder / "README.md").read_text()
    assert "(6 points)" in (folder / "student" / "README.md").read_text().split("`sigmoid`")[1].splitlines()[0]
    assert _run(["release", "--rubric", graded.rubric, "--out", folder, "--check"])[0] == 0
    assert _run(["release", "--out", folder, "--check"])[0] == 1  # built with another rubric: out of date


def test_a_rubric_typo_stops_the_course_build(tmp_path):
    typo = tmp_path / "typo.toml"
    typo.write_text(DEFAULT_RUBRIC.read_text().replace("extreme_inputs = 1", "extreme_input = 1", 1))
    code, message = _run(["course", tmp_path / "course", "--rubric", typo])
    assert code == 2 and "extreme_input" in message and "extreme_inputs" in message and "Traceback" not in message
    assert not (tmp_path / "course" / "source").exists()
