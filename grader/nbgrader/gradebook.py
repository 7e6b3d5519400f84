"""Write the sandboxed grader's scores into an nbgrader course's gradebook.

Each graded function owns one autograded cell per rubric check in its
notebook (grade_id "grade_<function>_<check>", see notebooks.py). Each cell gets
the points its check earned, so the cells add up to the function's score and
agree with the verdict the autograded notebook shows in that cell (autograded.py).

Field: Grade.auto_score. It is the field `nbgrader autograde` itself writes for
autograded cells, which is what these scores are (automatic, from the
sandboxed grader instead of the notebook's kernel). nbgrader's `score` is
manual_score (when set) plus extra_credit, else auto_score plus extra_credit,
so the cells written here get their manual_score and extra_credit cleared:
`nbgrader autograde` runs the student's code in a kernel that can open
gradebook.db and set both (tests/nbgrader/test_nbgrader_roundtrip.py, the
gradebook_edit student), and such a value would hide the sandboxed score from
`nbgrader export` and formgrader. Override an autograded cell by hand in
formgrader after running nngrade, not before. Other cells (manually graded
answers, tasks) are never touched. needs_manual_grade is cleared, as autograde
does for code cells. The feedback text goes to the auto_comment of the
function's answer cell (formgrader shows it next to the student's code).
"""
import contextlib
import warnings
from pathlib import Path

from grader.intake.nbimport import SOLUTION_PREFIX

GRADE_PREFIX = "grade_"


def _submission(gb, assignment, student):
    from nbgrader.api import MissingEntry

    gb.update_or_create_student(student)
    try:
        return gb.find_submission(assignment, student)
    except MissingEntry:
        return gb.add_submission(assignment, student)


def _write_function(gb, assignment, student, qualified, checks, comment):
    from nbgrader.api import MissingEntry

    module, function = qualified.split(".", 1)
    total = 0.0
    for check, points in checks.items():
        name = f"{GRADE_PREFIX}{function}_{check}"
        try:
            cell_max = gb.find_grade_cell(name, module, assignment).max_score
        except MissingEntry:
            raise KeyError(f"{assignment}/{module}.ipynb has no autograded cell {name}") from None
        grade = gb.find_grade(name, module, assignment, student)
        grade.auto_score = min(max(float(points), 0.0), float(cell_max))
        grade.manual_score = None  # may have been planted by the student's code (module docstring)
        grade.extra_credit = None
        grade.needs_manual_grade = False
        total += grade.auto_score
    if comment is not None:
        try:
            gb.find_comment(f"{SOLUTION_PREFIX}{function}", module, assignment, student).auto_comment = comment
        except Exception:  # noqa: BLE001 - a notebook without that answer cell just gets no comment
            pass
    return total


@contextlib.contextmanager
def _open_gradebook(course_dir):
    from nbgrader.api import Gradebook

    with warnings.catch_warnings():
        # nbgrader 0.9 with SQLAlchemy 2 warns about its own session use (SAWarning); harmless.
        warnings.filterwarnings("ignore", module="nbgrader")
        warnings.filterwarnings("ignore", message=".*not in session.*")
        with Gradebook(f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}") as gb:
            yield gb


def grade_cell_points(course_dir, assignment):
    """{notebook: {grade cell: max points}} of the assignment's autograded cells in the gradebook
    (cells that are also answer cells, graded by hand, left out); LookupError if it has no such assignment."""
    from nbgrader.api import MissingEntry

    with _open_gradebook(course_dir) as gb:
        try:
            notebooks = gb.find_assignment(assignment).notebooks
        except MissingEntry:
            raise LookupError(f"the gradebook has no assignment {assignment!r}") from None
        points = {}
        for notebook in notebooks:
            answers = {cell.name for cell in notebook.solution_cells}
            points[notebook.name] = {cell.name: float(cell.max_score) for cell in notebook.grade_cells
                                     if cell.name not in answers}
        return points


def write_scores(course_dir, assignment, scores):
    """scores: {student: {"exNN_x.function": {"checks": {check: points}, "comment": text or None}}}.

    The course's gradebook must know the assignment (run `nbgrader
    generate_assignment` first); students and submissions are created as needed.
    Returns {student: total points written}.
    """
    db = Path(course_dir).resolve() / "gradebook.db"
    if not db.is_file():
        raise FileNotFoundError(f"{db}: no gradebook; run `nbgrader generate_assignment {assignment}` in the course first")
    written = {}
    with _open_gradebook(course_dir) as gb:
        for student, functions in scores.items():
            _submission(gb, assignment, student)
            written[student] = 0.0
            for qualified, function in functions.items():
                written[student] += _write_function(gb, assignment, student, qualified, function["checks"],
                                                    function.get("comment"))
            gb.db.commit()
    return written
