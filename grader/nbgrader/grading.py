"""`nngrade grade --nbgrader COURSE_DIR ASSIGNMENT`: grade nbgrader submissions in the sandbox.

nbgrader's own autograde runs the hidden tests inside the student's kernel, where the student's
code can patch np.allclose, rewrite later cells or edit gradebook.db. Here only the student's
solution cells are taken from each notebook, rebuilt into exNN_*.py modules (given cells come from
the released notebook, as nbgrader restores them), graded like any submission, and the scores are
written into nbgrader's gradebook, so `nbgrader export`, formgrader and generate_feedback show them;
the autograded notebooks generate_feedback renders are written too (grader/nbgrader/autograded.py).
"""
import json
import os
import sys
import tempfile
from pathlib import Path

from grader.batch import BatchError, grade_folder, not_graded_status, removed_if_left_empty
from grader.nbgrader.autograded import (
    answer_status, autograded_notebook, function_comment, notebook_function, write_autograded, write_submission_records)
from grader.nbgrader.course_points import CoursePointsError, check_course_points
from grader.nbgrader.gradebook import write_scores
from grader.intake.notebooks import (
    NotebookSubmissionError, given_sources, module_source, parse_notebook)
from grader.intake.notebook_files import RefusedFile, open_folder, read_regular_file
from grader.limits import MAX_NOTEBOOK_BYTES
from grader.outputs.reports import read_student
from grader.rubric import RubricError, closest_name, load_checked_rubric
from grader.outputs.safe_text import one_line
from grader.limits import MAX_RECORD_BYTES

# What `nbgrader collect` writes next to the notebooks and release_feedback needs in feedback/
SUBMISSION_RECORDS = ("timestamp.txt", "submission_secret.txt")


def _failing_module(message):
    """A module that fails at import with the reason: the other notebooks are graded normally."""
    return f"raise ImportError({message!r})\n"


def released_notebooks(course, assignment, modules):
    """{module: the released notebook's bytes, or None if there is none}. release/ is the
    instructor's own folder, read as it is; an unreadable notebook there stops the run before
    anyone is graded."""
    released = {}
    for module in modules:
        path = Path(course) / "release" / assignment / f"{module}.ipynb"
        try:
            released[module] = path.read_bytes() if path.is_file() else None
            if released[module] is not None:
                parse_notebook(released[module], path.name)
        except (OSError, NotebookSubmissionError) as exc:
            raise BatchError(f"{path}: the released notebook is unreadable: {exc}") from None
    return released


def released_given_cells(released):
    """{module: given_sources of the released notebook} ({} for a module without one)."""
    return {module: given_sources(parse_notebook(data, f"{module}.ipynb")) if data else {}
            for module, data in released.items()}


def student_sources(submitted_fd, student, assignment, given):
    """{module: (module source, {grade_id: source} of the answer cells or None if unreadable)} of
    one student, or None if the student did not submit this assignment. Whatever is wrong with a notebook (or the student's folders) becomes a module
    failing with that reason, naming the student's file: graded 0, the others go on."""
    shown = f"submitted/{student}/{assignment}"
    try:
        student_fd = open_folder(student, submitted_fd)
    except RefusedFile as exc:
        return _refused_all(given, f"submitted/{student}: refused: it {exc}")
    except OSError as exc:
        return _refused_all(given, f"submitted/{student}: cannot open it: {exc.strerror}")
    try:
        folder = open_folder(assignment, student_fd)
    except FileNotFoundError:
        return None
    except RefusedFile as exc:
        return _refused_all(given, f"{shown}: refused: it {exc}")
    except OSError as exc:
        return _refused_all(given, f"{shown}: cannot open it: {exc.strerror}")
    finally:
        os.close(student_fd)
    try:
        return {module: _module_source(folder, shown, module, official) for module, official in given.items()}
    finally:
        os.close(folder)


def _module_source(folder, shown, module, official):
    name = f"{module}.ipynb"
    try:
        cells = parse_notebook(read_regular_file(name, folder, MAX_NOTEBOOK_BYTES), name)
        return module_source(cells, name, official), {c.grade_id: c.source for c in cells if c.solution and c.grade_id}
    except FileNotFoundError:
        return _failing_module(f"{name} was not submitted"), None
    except RefusedFile as exc:
        message = f"{shown}/{name}: refused: it {exc}"
    except NotebookSubmissionError as exc:
        message = f"{shown}/{exc}"
    except OSError as exc:
        message = f"{shown}/{name}: cannot read it: {exc.strerror}"
    except Exception as exc:  # noqa: BLE001 - one student's notebook must never stop the class
        message = f"{shown}/{name}: could not be read ({type(exc).__name__}); please report it"
    _note(message)
    return _failing_module(message), None


def _refused_all(given, message):
    _note(message)
    return {module: (_failing_module(message), None) for module in given}


def _note(message):
    print(f"note: {one_line(message.encode('utf-8', 'backslashreplace').decode('utf-8'))}", file=sys.stderr)


def collect_sources(course_dir, assignment, released, dest):
    """Write dest/<student>/exNN_*.py from submitted/<student>/<assignment>/*.ipynb; returns
    {student: {module: {grade_id: source} of its answer cells, or None if unreadable}}."""
    course = Path(course_dir)
    submitted = course / "submitted"
    if not submitted.is_dir():
        raise BatchError(f"{submitted}: no submitted/ folder in the nbgrader course (run `nbgrader collect` first)")
    given = released_given_cells(released)
    students = {}
    submitted_fd = os.open(submitted, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for entry in sorted(os.scandir(submitted_fd), key=lambda e: e.name):
            # plain files next to the student folders (a README, .DS_Store) are not students; links are
            if entry.name.startswith(".") or not (entry.is_dir(follow_symlinks=False) or entry.is_symlink()):
                continue
            sources = student_sources(submitted_fd, entry.name, assignment, given)
            if sources is None:
                continue
            students[entry.name] = {module: answers for module, (_, answers) in sources.items()}
            target = Path(dest) / entry.name
            target.mkdir(parents=True)
            for module, (source, _) in sources.items():
                (target / f"{module}.py").write_text(source, encoding="utf-8")
    finally:
        os.close(submitted_fd)
    return students


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
    released = released_notebooks(course_dir, assignment, rubric_obj.modules)
    with tempfile.TemporaryDirectory(prefix="nngrade-nbgrader-") as tmp:
        students = collect_sources(course_dir, assignment, released, tmp)
        # the course folder holds every student's notebooks and the gradebook: hidden from the child too
        summary = grade_folder(tmp, out_dir, rubric=rubric_obj, jobs=jobs, progress=progress, extra_hide=[course_dir],
                               only=only, insecure=insecure)
    scores = {}
    for student in [s for s in students if not only or s in only]:  # the ones this run graded
        record = read_student(out_dir, student)
        if record is not None:
            scores[student] = student_feedback(course_dir, assignment, student, record, released, students[student])
    written = write_scores(course_dir, assignment, scores)
    return summary, written


def student_feedback(course_dir, assignment, student, record, released, answers):
    """Writes the student's autograded notebooks (what `nbgrader generate_feedback` renders);
    returns the gradebook's scores and comments for write_scores, in the notebooks' terms."""
    scores, by_module = {}, {}
    for function in record["functions"]:
        by_module.setdefault(function["function"].split(".")[0], []).append(notebook_function(function))
    for module, functions in by_module.items():
        notebook = json.loads(released[module]) if released.get(module) else None
        status = answer_status(notebook, answers.get(module)) if notebook else {}
        for function in functions:  # a function written in another cell than its own is answered
            if any(c["passed"] for c in function["checks"]):
                status[function["function"].split(".", 1)[1]] = True
        for function in functions:
            done = status.get(function["function"].split(".", 1)[1], True)
            scores[function["function"]] = {"checks": {c["check"]: c["score"] for c in function["checks"]},
                                            "comment": function_comment(function, done)}
        if notebook:
            write_autograded(course_dir, assignment, student, module,
                             autograded_notebook(notebook, answers.get(module), functions, status))
    write_submission_records(course_dir, assignment, student, submission_records(course_dir, student, assignment))
    return scores


def submission_records(course_dir, student, assignment):
    """{name: bytes} of collect's small records in submitted/<student>/<assignment>/, read like the
    notebooks (no links, no oversized files); what cannot be read is left out."""
    records = {}
    try:
        submitted = os.open(Path(course_dir) / "submitted", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return records
    try:
        student_fd = open_folder(student, submitted)
        try:
            folder = open_folder(assignment, student_fd)
        finally:
            os.close(student_fd)
        try:
            for name in SUBMISSION_RECORDS:
                try:
                    records[name] = read_regular_file(name, folder, MAX_RECORD_BYTES)
                except (OSError, RefusedFile):
                    pass
        finally:
            os.close(folder)
    except (OSError, RefusedFile):
        pass
    finally:
        os.close(submitted)
    return records


def grade_nbgrader_command(args):
    if not args.assignment:
        print("error: --nbgrader needs COURSE_DIR and ASSIGNMENT", file=sys.stderr)
        return 2
    out = args.out or str(Path(args.submissions) / "nngrade" / args.assignment)
    try:
        with removed_if_left_empty(out):
            summary, written = grade_nbgrader(args.submissions, args.assignment, out, jobs=args.jobs, rubric=args.rubric,
                                              progress=not args.no_progress, only=args.student or (), insecure=args.insecure)
    except (BatchError, RubricError, CoursePointsError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"graded {summary['graded']} submission(s) of {args.assignment}, resumed {summary['resumed']}; "
          f"scores written to {Path(args.submissions) / 'gradebook.db'} for {len(written)} student(s)")
    print(f"feedback: {out}/<student>/feedback.md; `nbgrader export` now shows these scores")
    return not_graded_status(summary)
