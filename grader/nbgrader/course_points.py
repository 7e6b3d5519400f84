"""Do an nbgrader course's notebook points match the rubric it is graded with?

grades.csv counts the rubric's points; nbgrader's gradebook (and `nbgrader
export`, formgrader) counts its autograded cells' points, which the course
build (`nngrade course --rubric`) copied from a rubric into each cell
"grade_<function>_<check>" (notebooks.py). When the two differ, the same
student has two different scores, so `nngrade grade --nbgrader` refuses to
write any before grading (CoursePointsError), naming both numbers and the
cells that differ. Checked twice: the course's notebooks (source/ or release/,
what `nngrade course` wrote) and its gradebook (what `nbgrader
generate_assignment` copied from them).
"""
import json
from pathlib import Path

from grader.nbgrader.gradebook import GRADE_PREFIX, grade_cell_points

SHOWN_DIFFERENCES = 8


class CoursePointsError(ValueError):
    """The course's points differ from the rubric's; the message says by how much and what to run."""


def rubric_cells(rubric):
    """{notebook: {grade cell: points}} the rubric gives (the cells `nngrade course` writes)."""
    cells = {}
    for qualified, checks in rubric.points.items():
        module, function = qualified.split(".", 1)
        for check, points in checks.items():
            cells.setdefault(module, {})[f"{GRADE_PREFIX}{function}_{check}"] = float(points)
    return cells


def notebook_cells(folder):
    """{notebook: {grade cell: points}} of the autograded cells in the notebooks of `folder`."""
    cells = {}
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
            for cell in notebook["cells"]:
                meta = cell.get("metadata", {}).get("nbgrader", {})
                if _is_autograded(meta.get("grade_id", ""), meta.get("grade"), meta.get("solution")):
                    cells.setdefault(path.stem, {})[meta["grade_id"]] = float(meta.get("points") or 0)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CoursePointsError(f"{path}: cannot read its grade cells ({type(exc).__name__}: {exc})") from None
    return cells


def _is_autograded(grade_id, grade, solution):
    # nngrade's own test cells; the instructor's other cells (manually graded answers, tasks) are not ours
    return bool(grade) and not solution and isinstance(grade_id, str) and grade_id.startswith(GRADE_PREFIX)


def differences(course, rubric):
    """Lines naming each cell whose points differ, course first."""
    lines = []
    for notebook in sorted(set(course) | set(rubric)):
        ours, theirs = course.get(notebook, {}), rubric.get(notebook, {})
        for cell in sorted(set(ours) | set(theirs)):
            if ours.get(cell) != theirs.get(cell):
                lines.append(f"{notebook}.ipynb {cell}: {_worth(ours.get(cell))} in the course, "
                             f"{_worth(theirs.get(cell))} in the rubric")
    return lines


def _worth(points):
    return "no such cell" if points is None else f"{points:g} point{'s' if points != 1 else ''}"


def _total(cells):
    return sum(sum(points.values()) for points in cells.values())


def _mismatch(where, found, rubric, rubric_name, fix):
    expected = rubric_cells(rubric)
    lines = differences(found, expected)
    if not lines:
        return None
    course_total, rubric_total = _total(found), _total(expected)
    totals = (f"the notebooks' grade cells total {course_total:g} points, the rubric {rubric_name} totals "
              f"{rubric_total:g}" if course_total != rubric_total else
              f"the notebooks' grade cells and the rubric {rubric_name} both total {rubric_total:g} points, split differently")
    shown = lines[:SHOWN_DIFFERENCES] + ([f"... and {len(lines) - SHOWN_DIFFERENCES} more"]
                                         if len(lines) > SHOWN_DIFFERENCES else [])
    return f"{where}: {totals}: {fix}\n" + "\n".join("  " + line for line in shown)


def check_course_points(course_dir, assignment, rubric, rubric_path=None):
    """CoursePointsError unless the course's notebooks and gradebook give every autograded cell the
    points the rubric gives it. rubric_path: the --rubric given (None: the bundled rubric)."""
    course = Path(course_dir)
    rubric_name = str(rubric_path) if rubric_path else f"{rubric.source} (the default)"
    rebuild = f"nngrade course {course}" + (f" --rubric {rubric_path}" if rubric_path else "")
    regenerate = f"nbgrader generate_assignment {assignment} --force"
    for folder in ("source", "release"):
        notebooks = course / folder / assignment
        if notebooks.is_dir():
            problem = _mismatch(notebooks, notebook_cells(notebooks), rubric, rubric_name,
                                f"rebuild the course with `{rebuild}` and run `{regenerate}` in it "
                                "(or grade with the rubric the course was built with)")
            if problem:
                raise CoursePointsError(problem)
            break
    try:
        in_gradebook = grade_cell_points(course, assignment)
    except LookupError as exc:
        raise CoursePointsError(f"{course / 'gradebook.db'}: {exc}; run `{regenerate}` in the course first") from None
    in_gradebook = {nb: {c: p for c, p in cells.items() if c.startswith(GRADE_PREFIX)} for nb, cells in in_gradebook.items()}
    problem = _mismatch(course / "gradebook.db", in_gradebook, rubric, rubric_name,
                        f"the gradebook is older than the notebooks: run `{regenerate}` in the course")
    if problem:
        raise CoursePointsError(problem)
