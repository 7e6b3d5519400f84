"""`nngrade grade --nbgrader COURSE_DIR ASSIGNMENT`: grade nbgrader submissions in the sandbox.

nbgrader's own autograde runs the hidden tests inside the student's kernel, where the student's
code can patch np.allclose, rewrite later cells or edit gradebook.db. Here only the student's
solution cells are taken from each notebook, rebuilt into exNN_*.py modules (given cells come from
the released notebook, as nbgrader restores them), graded like any submission, and the scores are
written into nbgrader's gradebook, so `nbgrader export`, formgrader and generate_feedback show them.
"""
import sys
import tempfile
from pathlib import Path

from grader.batch import BatchError, grade_folder
from grader.release.gradebook import write_scores
from grader.release.nbgrader_submissions import NotebookSubmissionError, notebook_to_module_source
from grader.reports import check_text, read_student
from grader.rubric import DEFAULT_RUBRIC, load_rubric


def _failing_module(message):
    """A module that fails at import with the reason: the other notebooks are graded normally."""
    return f"raise ImportError({message!r})\n"


def collect_sources(course_dir, assignment, modules, dest):
    """Write dest/<student>/exNN_*.py from submitted/<student>/<assignment>/*.ipynb; returns the students."""
    course = Path(course_dir)
    submitted = course / "submitted"
    if not submitted.is_dir():
        raise BatchError(f"{submitted}: no submitted/ folder in the nbgrader course (run `nbgrader collect` first)")
    released = course / "release" / assignment
    students = []
    for student_dir in sorted(p for p in submitted.iterdir() if p.is_dir() and not p.name.startswith(".")):
        notebooks = student_dir / assignment
        if not notebooks.is_dir():
            continue
        students.append(student_dir.name)
        target = Path(dest) / student_dir.name
        target.mkdir(parents=True)
        for module in modules:
            notebook = notebooks / f"{module}.ipynb"
            official = released / f"{module}.ipynb"
            if not notebook.is_file():
                source = _failing_module(f"{module}.ipynb was not submitted")
            else:
                try:
                    source = notebook_to_module_source(notebook, official if official.is_file() else None)
                except NotebookSubmissionError as exc:
                    source = _failing_module(str(exc))
            (target / f"{module}.py").write_text(source, encoding="utf-8")
    return students


def _feedback(function):
    return "\n".join(f"ok {c['check']}" if c["passed"] else f"FAILED {c['check']}: {check_text(c)}"
                     for c in function["checks"])


def grade_nbgrader(course_dir, assignment, out_dir, jobs=1, rubric=None, progress=True, insecure=False):
    rubric_obj = load_rubric(rubric or DEFAULT_RUBRIC)
    modules = rubric_obj.modules
    with tempfile.TemporaryDirectory(prefix="nngrade-nbgrader-") as tmp:
        students = collect_sources(course_dir, assignment, modules, tmp)
        # the course folder holds every student's notebooks and the gradebook: hidden from the child too
        summary = grade_folder(tmp, out_dir, rubric=rubric, jobs=jobs, progress=progress, extra_hide=[course_dir],
                               insecure=insecure)
    scores = {}
    for student in students:
        record = read_student(out_dir, student)
        if record is not None:
            scores[student] = {f["function"]: (f["score"], f["max_score"], _feedback(f)) for f in record["functions"]}
    written = write_scores(course_dir, assignment, scores)
    return summary, written


def grade_nbgrader_command(args):
    if not args.assignment:
        print("error: --nbgrader needs COURSE_DIR and ASSIGNMENT", file=sys.stderr)
        return 2
    out = args.out or str(Path(args.submissions) / "nngrade" / args.assignment)
    try:
        summary, written = grade_nbgrader(args.submissions, args.assignment, out, jobs=args.jobs, rubric=args.rubric,
                                          progress=not args.no_progress, insecure=getattr(args, "insecure", False))
    except (BatchError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"graded {summary['graded']} submission(s) of {args.assignment}, resumed {summary['resumed']}; "
          f"scores written to {Path(args.submissions) / 'gradebook.db'} for {len(written)} student(s)")
    print(f"feedback: {out}/<student>/feedback.md; `nbgrader export` now shows these scores")
    return 0
