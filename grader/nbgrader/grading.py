"""`nngrade grade --nbgrader COURSE_DIR ASSIGNMENT`: grade nbgrader submissions in the sandbox.

nbgrader's own autograde runs the hidden tests inside the student's kernel, where the student's
code can patch np.allclose, rewrite later cells or edit gradebook.db. Here only the student's
solution cells are taken from each notebook, rebuilt into exNN_*.py modules (given cells come from
the released notebook, as nbgrader restores them), graded like any submission, and the scores are
written into nbgrader's gradebook, so `nbgrader export`, formgrader and generate_feedback show them;
the autograded notebooks generate_feedback renders are written too (grader/nbgrader/autograded.py).
The course's notebooks are read in one pass (grader/intake/course_notebooks.py).
"""
import sys
import tempfile
from pathlib import Path

from grader.batch import BatchError, grade_folder, not_graded_status, removed_if_left_empty
from grader.intake.course_notebooks import CourseError, read_course
from grader.nbgrader.autograded import student_feedback
from grader.nbgrader.course_points import CoursePointsError, check_course_points
from grader.nbgrader.gradebook import write_scores
from grader.outputs.reports import read_student
from grader.outputs.safe_text import one_line
from grader.rubric import RubricError, closest_name, load_checked_rubric


def check_course(course_dir, assignment):
    """BatchError unless course_dir is an nbgrader course with a gradebook and this assignment
    (in source/ or release/); the message lists the assignments it has."""
    course = Path(course_dir)
    if not course.is_dir():
        raise BatchError(f"{course}: not a folder (expected an nbgrader course)")
    known = sorted({p.name for folder in ("source", "release") if (course / folder).is_dir()
                    for p in (course / folder).iterdir() if p.is_dir() and not p.name.startswith(".")})
    if assignment not in known:
        close = closest_name(assignment, known)
        hint = f"; did you mean {close!r}?" if close else ""
        raise BatchError(f"{course}: no assignment {assignment!r} in source/ or release/{hint} "
                         f"(assignments: {', '.join(known) or 'none'})")
    if not (course / "gradebook.db").is_file():
        raise BatchError(f"{course / 'gradebook.db'}: no gradebook; run `nbgrader generate_assignment {assignment}` "
                         "in the course first")


def grade_nbgrader(course_dir, assignment, out_dir, jobs=1, rubric=None, progress=True, only=(), insecure=False):
    """Grade the course's submitted notebooks of `assignment` (or only the students named in
    `only`), write the scores into its gradebook; returns (summary, {student: points written})."""
    check_course(course_dir, assignment)
    rubric_obj = load_checked_rubric(rubric)
    # before anyone is graded: scores out of other points than the gradebook's would disagree with it
    check_course_points(course_dir, assignment, rubric_obj, rubric)
    with tempfile.TemporaryDirectory(prefix="nngrade-nbgrader-") as class_dir:
        course = read_course(course_dir, assignment, rubric_obj.modules, class_dir)
        for problem in course.problems:  # a student's folder name may not be valid UTF-8
            print(f"note: {one_line(problem.encode('utf-8', 'backslashreplace').decode('utf-8'))}", file=sys.stderr)
        # the course folder holds every student's notebooks and the gradebook: hidden from the child too
        summary = grade_folder(class_dir, out_dir, rubric=rubric_obj, jobs=jobs, progress=progress, extra_hide=[course_dir],
                               only=only, insecure=insecure)
    scores = {}
    for student, notebooks in course.students.items():
        record = read_student(out_dir, student) if not only or student in only else None  # the ones this run graded
        if record is not None:
            scores[student] = student_feedback(course_dir, assignment, student, record, course.released, notebooks)
    written = write_scores(course_dir, assignment, scores)
    return summary, written


def grade_nbgrader_command(args):
    if not args.assignment:
        print("error: --nbgrader needs COURSE_DIR and ASSIGNMENT", file=sys.stderr)
        return 2
    out = args.out or str(Path(args.submissions) / "nngrade" / args.assignment)
    try:
        with removed_if_left_empty(out):
            summary, written = grade_nbgrader(args.submissions, args.assignment, out, jobs=args.jobs, rubric=args.rubric,
                                              progress=not args.no_progress, only=args.student or (), insecure=args.insecure)
    except (BatchError, RubricError, CoursePointsError, CourseError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"graded {summary['graded']} submission(s) of {args.assignment}, resumed {summary['resumed']}; "
          f"scores written to {Path(args.submissions) / 'gradebook.db'} for {len(written)} student(s)")
    print(f"feedback: {out}/<student>/feedback.md; `nbgrader export` now shows these scores")
    return not_graded_status(summary)
