"""The notebooks through nbgrader itself: generate_assignment, autograde, export.

Three students: "reference" (every answer cell from the source notebooks),
"blank" (the release untouched) and "mistake" (the reference with
sigmoid'(z) computed as z * (1 - z)). Slow: autograde starts a kernel per
notebook (21 in all); about a minute and a half on the course machines.
"""
import csv
import json

import pytest

from grader.release.course import ASSIGNMENT, run_nbgrader, write_course
from grader.release.notebooks import build_source_notebooks
from grader.rubric import load_rubric

MISTAKE_CELL = "solution_sigmoid_derivative"
MISTAKE = ("s = sigmoid(z)\n    return s * (1.0 - s)", "return z * (1.0 - z)")


def _solutions(source_path):
    cells = json.loads(source_path.read_text())["cells"]
    return {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in cells
            if c["metadata"].get("nbgrader", {}).get("solution")}


def _submit(course, student, edit=None):
    """Copy the released notebooks to submitted/<student>/, with answer cells replaced by edit(grade_id, source)."""
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for released in sorted((course / "release" / ASSIGNMENT).glob("*.ipynb")):
        nb = json.loads(released.read_text())
        answers = _solutions(course / "source" / ASSIGNMENT / released.name)
        for cell in nb["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if edit and grade_id in answers:
                cell["source"] = edit(grade_id, answers[grade_id])
        (folder / released.name).write_text(json.dumps(nb, indent=1))


def _reference(grade_id, source):
    return source


def _mistake(grade_id, source):
    if grade_id != MISTAKE_CELL:
        return source
    assert MISTAKE[0] in source
    return source.replace(*MISTAKE)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = write_course(tmp_path_factory.mktemp("course"), build_source_notebooks())
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    _submit(course, "reference", _reference)
    _submit(course, "blank")
    _submit(course, "mistake", _mistake)
    run_nbgrader(course, "autograde", ASSIGNMENT, "--force", timeout=1800)
    run_nbgrader(course, "export", "--to", str(course / "grades.csv"))
    with open(course / "grades.csv", newline="") as f:
        scores = {row["student_id"]: (float(row["score"]), float(row["max_score"])) for row in csv.DictReader(f)}
    return course, scores


def test_max_score_is_the_rubrics(graded):
    _, scores = graded
    assert {maximum for _, maximum in scores.values()} == {load_rubric().max_score}


def test_reference_gets_full_marks(graded):
    _, scores = graded
    assert scores["reference"][0] == scores["reference"][1]


def test_blank_gets_zero(graded):
    _, scores = graded
    assert scores["blank"][0] == 0


def test_mistake_loses_exactly_its_function(graded):
    course, scores = graded
    lost = scores["reference"][0] - scores["mistake"][0]
    assert lost == load_rubric().function_points("ex03_activations.sigmoid_derivative")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_submission_notebook("ex03_activations", ASSIGNMENT, "mistake")
        zero = sorted(g.name for g in notebook.grades if g.score == 0)
    assert zero == ["grade_sigmoid_derivative_finite_differences", "grade_sigmoid_derivative_matches_reference"]


def test_reference_notebooks_run_without_errors(graded):
    course, _ = graded
    for path in sorted((course / "autograded" / "reference" / ASSIGNMENT).glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
            assert not errors, f"{path.name}: {cell['metadata'].get('nbgrader', {}).get('grade_id')}: {errors[0]['ename']}"


def test_write_scores_reaches_nbgrader_export(graded):
    """grader.release.gradebook: the sandboxed grader's scores, shown by nbgrader."""
    from nbgrader.api import Gradebook

    from grader.release.gradebook import write_scores

    course, _ = graded
    rubric = load_rubric()
    scores = {f: (rubric.function_points(f), rubric.function_points(f), "ok") for f in rubric.functions}
    scores["ex03_activations.sigmoid_derivative"] = (1.0, 2.0, "computes z * (1 - z)")
    scores["ex03_activations.relu"] = (0.0, 1.0, "wrong sign")
    written = write_scores(course, ASSIGNMENT, {"sandboxed": scores})
    assert written == {"sandboxed": rubric.max_score - 2}
    run_nbgrader(course, "export", "--to", str(course / "sandboxed.csv"))
    with open(course / "sandboxed.csv", newline="") as f:
        rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(f)}
    assert rows["sandboxed"] == rubric.max_score - 2
    assert rows["reference"] == rubric.max_score  # others untouched
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grades = {g.name: g.score for g in gb.find_submission_notebook("ex03_activations", ASSIGNMENT, "sandboxed").grades}
        comment = gb.find_comment("solution_sigmoid_derivative", "ex03_activations", ASSIGNMENT, "sandboxed").comment
    assert grades["grade_relu_matches_reference"] == 0
    assert grades["grade_relu_derivative_value_at_kink"] == 1  # relu's score did not spill over
    assert grades["grade_sigmoid_derivative_matches_reference"] + grades["grade_sigmoid_derivative_finite_differences"] == 1
    assert comment == "computes z * (1 - z)"
