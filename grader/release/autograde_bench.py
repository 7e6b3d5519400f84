"""Time `nbgrader autograde` on a class of .py submissions (for `nngrade bench`).

Each student's modules become nbgrader submissions: the released notebooks with every answer cell
(grade_id "solution_<name>") replaced by the student's definition of <name>.
"""
import json
import shutil
import time
from pathlib import Path

from grader import exercise_files
from grader.release.anatomy import parse_module
from grader.release.course import ASSIGNMENT, run_nbgrader, write_course
from grader.intake.nbimport import SOLUTION_PREFIX


def _definitions(student_dir):
    """{name: source} of every top-level function or class in the student's modules."""
    found = {}
    for path in exercise_files(student_dir):
        found.update({block.name: block.source for block in parse_module(path).blocks})
    return found


def submit_student(course, student_dir):
    """Write submitted/<student>/<assignment>/*.ipynb from the student's .py modules."""
    definitions = _definitions(student_dir)
    target = Path(course) / "submitted" / Path(student_dir).name / ASSIGNMENT
    target.mkdir(parents=True)
    for released in sorted((Path(course) / "release" / ASSIGNMENT).glob("*.ipynb")):
        notebook = json.loads(released.read_text())
        for cell in notebook["cells"]:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
            name = grade_id[len(SOLUTION_PREFIX):] if grade_id.startswith(SOLUTION_PREFIX) else None
            if name in definitions:
                cell["source"] = definitions[name]
        (target / released.name).write_text(json.dumps(notebook, indent=1))


def autograde_seconds(student_dirs, workdir):
    """Wall seconds of `nbgrader autograde` for these students (course set-up not included)."""
    course = Path(workdir) / "course"
    if course.exists():
        shutil.rmtree(course)
    write_course(course)
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    for student_dir in student_dirs:
        submit_student(course, student_dir)
    started = time.perf_counter()
    run_nbgrader(course, "autograde", ASSIGNMENT, "--force")
    return time.perf_counter() - started
