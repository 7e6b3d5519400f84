"""The notebooks through nbgrader itself, and through `nngrade grade --nbgrader`.

One course, made with `nngrade course` and run once for the module, seven
students (tests/helpers/nbgrader_course.py): "reference" (every answer cell from the
source notebooks), "blank" (the release untouched), "mistake" (the reference
with sigmoid'(z) computed as z * (1 - z)), "hostile_text" (every answer raises
an exception whose message is HTML, markdown and terminal escapes meant for the
feedback pages), and three attacks on nbgrader's own
autograde, each the blank release plus code in the first answer cell of every
notebook:

- allclose_patch: patches np.allclose, np.isclose, np.array_equal,
  np.testing.assert_allclose, math.isclose (and np.asarray) in the kernel, and
  binds every exercise name to a stand-in object equal to anything;
- input_transformer: registers an IPython input transformer that turns every
  later cell, the hidden tests included, into `pass`;
- gradebook_edit: finds gradebook.db upwards from the kernel's working
  directory and sets its own manual_score = max_score with sqlite3.

The order matters: `nbgrader autograde`, then nbgrader's own scores and the
gradebook are read, then `nngrade grade --nbgrader` writes the sandboxed
scores into the gradebook and its own autograded notebooks, `nbgrader export`
shows those scores and `nbgrader generate_feedback` renders nngrade's verdicts
(for one notebook: the page of every student costs a few seconds).

Slow: autograde starts a kernel per notebook (42 in all); about three minutes
on the course machines.
"""
import html
import os
import json
import re
import types
import warnings

import pytest

from grader.cli import main as nngrade
from grader.release.course import ASSIGNMENT, run_nbgrader
from grader.rubric import load_rubric
from helpers.browser import assert_inert, dump_dom, hostile_text, needs_chromium, request_listener
from helpers.nbgrader_course import (
    MISTAKE_CELL, TAMPER_MARK, allclose_patch, clear_marks, export_scores, gradebook_edit, input_transformer, mistake,
    raising, read_grades_csv, reference, run_nngrade_nbgrader, submit, tampering, zero_cells)

ATTACKS = ("allclose_patch", "input_transformer", "gradebook_edit")
MISTAKE_FUNCTION = f"ex03_activations.{MISTAKE_CELL}"
MISTAKE_CELLS = ["grade_sigmoid_derivative_finite_differences", "grade_sigmoid_derivative_matches_reference"]
FEEDBACK_NOTEBOOK = "ex03_activations"

pytestmark = pytest.mark.slow  # ~2.5 minutes: 42 kernels, then nngrade and generate_feedback


def _gradebook(course):
    from nbgrader.api import Gradebook

    return Gradebook(f"sqlite:///{course / 'gradebook.db'}")


def _own_scores(course, students):
    """{student: {"total": (score, max_score), "<notebook>": score, "grades": number of grade cells}}."""
    scores = {}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="nbgrader")
        with _gradebook(course) as gb:
            for student in students:
                submission = gb.find_submission(ASSIGNMENT, student)
                scores[student] = {nb.name: nb.score for nb in submission.notebooks}
                scores[student]["total"] = (submission.score, submission.max_score)
                scores[student]["grades"] = sum(len(nb.grades) for nb in submission.notebooks)
    return scores


def _page_text(path):
    """The text a student reads on a feedback page (tags, styles and scripts left out)."""
    page = re.sub(r"<(style|script)\b.*?</\1>", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _errors(course, student, notebook):
    """{grade_id: "Ename: message"} of the cells that failed in nbgrader's autograded notebook."""
    path = course / "autograded" / student / ASSIGNMENT / f"{notebook}.ipynb"
    errors = {}
    for cell in json.loads(path.read_text())["cells"]:
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                errors[cell["metadata"].get("nbgrader", {}).get("grade_id")] = f"{output['ename']}: {output['evalue']}"
    return errors


@pytest.fixture(scope="module")
def listener():
    """A local HTTP server the hostile student's text points at: the feedback pages must never reach it."""
    with request_listener() as (url, requests):
        yield types.SimpleNamespace(url=url, requests=requests)


@pytest.fixture(scope="module")
def run(tmp_path_factory, listener):
    course = tmp_path_factory.mktemp("course")
    assert nngrade(["course", str(course)]) == 0
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    students = {"reference": reference, "blank": None, "mistake": mistake, "allclose_patch": allclose_patch,
                "input_transformer": input_transformer, "gradebook_edit": gradebook_edit(course),
                "hostile_text": raising(hostile_text(listener.url))}
    for student, edit in students.items():
        submit(course, student, edit)
    run_nbgrader(course, "autograde", ASSIGNMENT, "--force", timeout=1800)

    # nbgrader's own results, before nngrade writes its scores into the same gradebook
    own = _own_scores(course, students)
    own_mistake_cells = zero_cells(course, "ex03_activations", "mistake")
    own_errors = {student: {path.stem: _errors(course, student, path.stem)  # (nngrade then writes its own notebooks)
                            for path in sorted((course / "autograded" / student / ASSIGNMENT).glob("*.ipynb"))}
                  for student in students}
    tampered_in_nbgrader = tampering(course, "gradebook_edit")
    clear_marks(course)  # a mark found from now on was written from inside nngrade's sandbox

    out = tmp_path_factory.mktemp("nngrade")
    log = run_nngrade_nbgrader(course, out)
    run_nbgrader(course, "generate_feedback", ASSIGNMENT, "--force", f"--notebook={FEEDBACK_NOTEBOOK}")
    exchange = tmp_path_factory.mktemp("exchange")
    run_nbgrader(course, "release_feedback", ASSIGNMENT, f"--Exchange.root={exchange}")
    return types.SimpleNamespace(
        released_feedback=sorted(p.read_text(encoding="utf-8") for p in exchange.rglob("*.html")),
        feedback={student: _page_text(course / "feedback" / student / ASSIGNMENT / f"{FEEDBACK_NOTEBOOK}.html")
                  for student in students},
        course=course, out=out, log=log, own=own, own_mistake_cells=own_mistake_cells, own_errors=own_errors,
        tampered_in_nbgrader=tampered_in_nbgrader, tampered_after_nngrade=tampering(course, "gradebook_edit"),
        exported=export_scores(course, "grades.csv"), nngrade_csv=read_grades_csv(out),
        nngrade_mistake_cells=zero_cells(course, "ex03_activations", "mistake"))


# ---- nbgrader's own autograde -------------------------------------------------

def test_max_score_is_the_rubrics(run):
    maximum = load_rubric().max_score
    assert {s["total"][1] for s in run.own.values()} == {maximum}
    assert {m for _, m in run.exported.values()} == {maximum}
    assert {row["max_score"] for row in run.nngrade_csv.values()} == {maximum}


def test_nbgrader_grades_the_honest_students(run):
    rubric = load_rubric()
    assert run.own["reference"]["total"][0] == rubric.max_score
    assert run.own["blank"]["total"][0] == 0
    assert run.own["mistake"]["total"][0] == rubric.max_score - rubric.function_points(MISTAKE_FUNCTION)
    assert run.own_mistake_cells == MISTAKE_CELLS


def test_reference_notebooks_run_without_errors(run):
    assert len(run.own_errors["reference"]) == len(load_rubric().modules)
    for notebook, errors in run.own_errors["reference"].items():
        assert not errors, f"{notebook}: {errors}"


def test_nbgrader_autograde_is_beaten_by_the_attacks(run):
    """Recorded: what nbgrader's own autograde gives each attack (run, observed, asserted)."""
    maximum = load_rubric().max_score
    # allclose_patch: 0. The hidden tests run the sandboxed grader's checks (grader.in_kernel):
    # what the student's functions return goes through the plain-data protocol before the specs'
    # judges see it, so the stand-in arrives as the name of its type and fails every check; the
    # patched numpy functions are not what the judges compare with. The kernel is still no
    # boundary: an attack that patches grader.toolkit.compare itself in the kernel would pass.
    assert run.own["allclose_patch"]["total"] == (0, maximum)
    # input_transformer: full marks. nbgrader restores the hidden test cells' source, but the
    # kernel transforms every cell after the attack's into `pass`: no cell raises, and a grade
    # cell without an error gets its points.
    assert run.own["input_transformer"]["total"] == (maximum, maximum)
    assert run.own_errors["input_transformer"]["ex03_activations"] == {}
    # gradebook_edit: full marks. The kernel runs in autograded/gradebook_edit/nn_basics/,
    # two folders below gradebook.db, with write access; nbgrader created this submission's
    # grade rows before executing, so the attack's UPDATE finds them, and nbgrader's
    # SaveAutoGrades afterwards writes only auto_score: the planted manual_score wins.
    assert run.own["gradebook_edit"]["total"] == (maximum, maximum)
    assert run.own["blank"]["total"] == (0, maximum)


def test_gradebook_edit_reaches_the_gradebook_from_nbgraders_kernel(run):
    manual, marks = run.tampered_in_nbgrader
    assert manual == run.own["gradebook_edit"]["grades"]  # every grade cell of the submission
    assert marks and all(m.startswith(f"{TAMPER_MARK} from ") and m.endswith(f"gradebook_edit/{ASSIGNMENT}") for m in marks)
    # the attack reports in the first answer cell's function (the stub still raises)
    errors = run.own_errors["gradebook_edit"]["ex01_perceptron"]
    assert errors["grade_add_bias_matches_reference"].startswith(
        f"AssertionError: add_bias / matches_reference: raised NotImplementedError: gradebook_edit: tampered with "
        f"{run.course / 'gradebook.db'}")


# ---- nngrade grade --nbgrader ---------------------------------------------------

def test_nngrade_grades_the_honest_students(run):
    rubric = load_rubric()
    expected = {"reference": rubric.max_score, "blank": 0,
                "mistake": rubric.max_score - rubric.function_points(MISTAKE_FUNCTION)}
    for student, score in expected.items():
        assert run.exported[student][0] == score, student  # nbgrader export: from the gradebook
        assert run.nngrade_csv[student]["score"] == score, student  # OUT/grades.csv
    assert float(run.nngrade_csv["mistake"][MISTAKE_FUNCTION]) == 0
    assert run.nngrade_mistake_cells == MISTAKE_CELLS  # the function's score spread over its cells
    assert "graded 7 submission(s)" in run.log


def test_nngrade_gives_the_attacks_no_more_than_the_blank_release(run):
    blank = run.exported["blank"][0]
    assert blank == 0
    for attack in (*ATTACKS, "hostile_text"):
        assert run.exported[attack][0] <= blank, attack
        assert run.nngrade_csv[attack]["score"] <= blank, attack


def test_gradebook_edit_cannot_reach_the_gradebook_from_the_sandbox(run):
    manual, marks = run.tampered_after_nngrade
    assert marks == []  # the attack ran (see below) but wrote nothing
    assert manual == 0  # and the manual scores planted through nbgrader's kernel are cleared
    feedback = (run.out / "gradebook_edit" / "feedback.md").read_text()
    assert "gradebook_edit: no gradebook.db visible (searched upwards from " in feedback


def test_generate_feedback_shows_nngrades_verdicts(run):
    """`nbgrader generate_feedback` after `nngrade grade --nbgrader`: each student's page carries
    nngrade's messages, naming the notebook's cells, never the modules they were rebuilt into."""
    pages = run.feedback
    assert set(pages) == {"reference", "blank", "mistake", "hostile_text", *ATTACKS}
    mistake_page = pages["mistake"]
    assert f"{FEEDBACK_NOTEBOOK} (Score: 19.0 / 21.0)" in mistake_page  # the gradebook's points, per cell
    assert "sigmoid_derivative / matches_reference: failed (0 / 1)" in mistake_page
    assert "sigmoid_derivative(z) differs from the expected value" in mistake_page  # the check's message
    assert "this computes z * (1 - z)" in mistake_page  # and its hint, in the cell and the comment
    assert "passed: sigmoid / matches_reference" in mistake_page
    assert "failed (" not in pages["reference"] and "(Score: 21.0 / 21.0)" in pages["reference"]
    assert "sigmoid: not answered yet" in pages["blank"] and "(Score: 0.0 / 21.0)" in pages["blank"]
    # the attack's answer cell raises: the error names the notebook's cell and its line
    assert re.search(rf"gradebook_edit: no gradebook.db visible .*\({FEEDBACK_NOTEBOOK}\.ipynb cell \d+, line \d+\)",
                     pages["gradebook_edit"])
    for student, page in pages.items():
        assert not re.search(r"ex\d\d_\w+\.py\b", page), student
    # and `nbgrader release_feedback` hands them out (it needs collect's records, copied along)
    assert len(run.released_feedback) == len(pages)
    assert sum("this computes z * (1 - z)" in page for page in run.released_feedback) == 1  # the mistake's page


@needs_chromium
def test_feedback_pages_show_a_students_html_as_text(run, listener):
    """A student's exception message holds script, remote images, markdown forging a heading and
    a score, math and terminal escapes: nbgrader renders gradebook comments with raw HTML, so
    nngrade's comments and cell outputs carry it only as text. In headless chromium the page runs
    no script of the student's and makes no request to the listener the text points at."""
    page = run.course / "feedback" / "hostile_text" / ASSIGNMENT / f"{FEEDBACK_NOTEBOOK}.html"
    dom = dump_dom(page)
    assert_inert(dom, listener.requests)
    text = run.feedback["hostile_text"]
    assert "raised ValueError: <script>document.body.setAttribute" in text  # shown, as text
    assert "Score: 83 / 83" in text and "\x1b" not in page.read_text(encoding="utf-8")
    assert not re.search(r"<h1[^>]*>\s*Feedback for mallory", page.read_text(encoding="utf-8"))


def test_write_scores_reaches_nbgrader_export(run):
    """grader.nbgrader.gradebook: the sandboxed grader's scores, shown by nbgrader."""
    from grader.nbgrader.gradebook import write_scores

    course = run.course
    rubric = load_rubric()
    scores = {f: {"checks": dict(rubric.points[f]), "comment": "ok"} for f in rubric.functions}
    scores["ex03_activations.sigmoid_derivative"] = {"checks": {"matches_reference": 1.0, "finite_differences": 0.0},
                                                     "comment": "computes z * (1 - z)"}
    scores["ex03_activations.relu"] = {"checks": {"matches_reference": 0.0}, "comment": "wrong sign"}
    written = write_scores(course, ASSIGNMENT, {"sandboxed": scores})
    assert written == {"sandboxed": rubric.max_score - 2}
    rows = export_scores(course, "sandboxed.csv")
    assert rows["sandboxed"][0] == rubric.max_score - 2
    assert rows["reference"][0] == rubric.max_score  # others untouched
    with _gradebook(course) as gb:
        grades = {g.name: g.score for g in gb.find_submission_notebook("ex03_activations", ASSIGNMENT, "sandboxed").grades}
        comment = gb.find_comment("solution_sigmoid_derivative", "ex03_activations", ASSIGNMENT, "sandboxed").comment
    assert grades["grade_relu_matches_reference"] == 0
    assert grades["grade_relu_derivative_value_at_kink"] == 1  # relu's score did not spill over
    assert grades["grade_sigmoid_derivative_matches_reference"] == 1  # each check's own points
    assert grades["grade_sigmoid_derivative_finite_differences"] == 0
    assert comment == "computes z * (1 - z)"


def test_course_command_keeps_a_foreign_config(tmp_path, capsys):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    assert nngrade(["course", str(tmp_path)]) == 2
    assert "not written by nngrade" in capsys.readouterr().err
    assert (tmp_path / "nbgrader_config.py").read_text() == "c = get_config()\n"
    assert not (tmp_path / "source").exists()


def test_generate_feedbacks_pages_pass_wcag_21_aa(run):
    """nbgrader's feedback pages carrying nngrade's verdicts: axe-core's WCAG 2.1 A and AA rules find
    nothing (nbgrader's template, as post-processed by nngrade where it falls short)."""
    from helpers.browser import CHROMIUM, _AXE_READY, axe, violations

    if not (CHROMIUM and _AXE_READY) and not os.environ.get("CI"):
        pytest.skip("needs chromium, node and `npm ci` in tests/browser")
    pages = sorted((run.course / "feedback").rglob("*.html"))
    assert len(pages) == len(run.feedback)
    found = axe(pages)
    assert not violations(found), violations(found)
