"""Grading a class folder, resumable: `nngrade grade` and `nngrade adjust`.

grade_folder runs its steps in order: plan the class (grader.class_plan: list, select, resume),
grade the pending students in lanes (grader.lanes, which builds the class context), then write the
gradebook, the class report and the summary.
"""
import contextlib
import sys
from pathlib import Path

from grader import PROJECT_ROOT, SOLUTIONS_DIR, corrections, late
from grader.class_plan import BatchError, plan_class
from grader.judging.fingerprint import fingerprint
from grader.lanes import grade_pending
from grader.outputs.class_report import terminal_text, write_class_report
from grader.outputs.progress import Progress
from grader.rubric import RubricError, load_checked_rubric
from grader.outputs.reports import GRADES, grade_row, graded_records, read_student, write_grades
from grader.sandbox.client import SandboxClient, sandbox_uids
from grader.intake.entries import student_name
from grader.outputs.safe_text import one_line


def nbgrader_course_marks(folder):
    """Why `folder` looks like an nbgrader course rather than a class of student folders ([] if not)."""
    folder = Path(folder)
    marks = [name for name in ("nbgrader_config.py", "gradebook.db") if (folder / name).is_file()]
    if (folder / "source").is_dir() and (folder / "submitted").is_dir():
        marks.append("source/ and submitted/")
    return marks


@contextlib.contextmanager
def removed_if_left_empty(out_dir):
    """A run that fails leaves no empty output folder behind (nor the empty parents it created)."""
    created = Path(out_dir).absolute()
    while not created.parent.exists():
        created = created.parent
    existed = created.exists()
    try:
        yield
    except BaseException:
        if not existed:
            _remove_empty(Path(out_dir).absolute(), created)
        raise


def _remove_empty(folder, top):
    for path in (folder, *folder.parents):
        with contextlib.suppress(OSError):  # not empty: then neither are its parents
            path.rmdir()
        if path == top or path.exists():
            return


def write_gradebook(out_dir, functions):
    """grades.csv and the class report with every student graded into out_dir, by this run or an
    earlier one (a run that grades a subset never drops the others); returns (rows, report summary).
    One pass over the stored records serves both."""
    rows = []

    def records():
        for record in graded_records(out_dir):
            rows.append(grade_row(record))
            yield record

    report = write_class_report(out_dir, records())
    write_grades(out_dir, rows, functions)
    return rows, report


def grade_folder(submissions_dir, out_dir, rubric=None, jobs=1, progress=True, solutions_dir=SOLUTIONS_DIR, ctx=None,
                 extra_hide=(), only=(), insecure=False, wrap_client=None, submitted_times=None):
    """Grade every student folder not already graded (resume), or only the students named in
    `only` (graded again even if unchanged); returns a summary and writes grades.csv, which holds
    every student graded into out_dir. Refuses (BatchError) where the sandbox lacks its required
    layers, unless insecure. wrap_client(client) -> client stands between each lane and its
    sandbox client (nngrade bench records the calls grading makes through it). rubric: a Rubric
    (grader.rubric.load_checked_rubric; None: the bundled one), unless ctx brings its own."""
    rubric = ctx.rubric if ctx else rubric or load_checked_rubric()
    key = ctx.fingerprint if ctx else fingerprint(rubric, solutions_dir)  # the resume key, and the context's
    out_dir = Path(out_dir)
    plan = plan_class(submissions_dir, out_dir, rubric, key, only, submitted_times)
    bar = Progress(len(plan.students), progress)
    for record in plan.resumed:
        bar.update(record, resumed=True)
    lost = []
    if plan.pending:
        try:
            sandbox_uids()  # a malformed NNGRADE_SANDBOX_UIDS refuses the batch before anything starts
        except ValueError as exc:
            raise BatchError(str(exc)) from None
        hide = [solutions_dir, PROJECT_ROOT / "grader", PROJECT_ROOT / "tests", Path(submissions_dir).resolve(),
                out_dir.resolve(), *(Path(p).resolve() for p in extra_hide)]
        clients = [SandboxClient(lane, hide=hide, insecure=insecure) for lane in range(max(1, min(jobs, len(plan.pending))))]
        ctx, lost = grade_pending(plan.pending, clients, out_dir, bar, ctx=ctx, rubric=rubric, solutions_dir=solutions_dir,
                                  key=key, wrap_client=wrap_client)
    bar.close()
    return _write_class(out_dir, rubric, plan, ctx if plan.pending else None, lost)


def _write_class(out_dir, rubric, plan, ctx, lost):
    """Corrections applied, grades.csv and the class report written; returns the run's summary
    (ctx: the class context, None when nobody was graded)."""
    # Memory stays flat: one small row per student is kept, never the full records; one pass over
    # OUT/<student>/results.json writes both the gradebook and the class report.
    for student in corrections.apply(out_dir):
        print(f"note: {out_dir / corrections.FILE} adjusts {student!r}, who is not graded in {out_dir}", file=sys.stderr)
    rows, report = write_gradebook(out_dir, rubric.functions)
    names = {student_name(s) for s in plan.students}
    todo = len(plan.pending)
    return {"lost": lost, "skipped_names": plan.refused, "report": report, "students": len(plan.students),
            "graded": todo, "resumed": len(plan.students) - todo,
            "searches": {"run": ctx.searches.searched, "walked": ctx.searches.walked} if ctx else {"run": 0, "walked": 0},
            "frames": {"judged": ctx.judged.judged, "reused": ctx.judged.reused} if ctx else {"judged": 0, "reused": 0},
            "failed": sum(row["failed"] for row in rows if row["student"] in names) + len(lost),
            "records": [(r["student"], r["score"], r["max_score"]) for r in sorted(rows, key=lambda r: r["student"])]}


def grade_command(args):
    """`nngrade grade SUBMISSIONS` (a folder of student folders; --nbgrader is nbgrader_grading's)."""
    mistake = _not_a_class(args)
    if mistake:
        print(f"error: {mistake}", file=sys.stderr)
        return 2
    out = args.out or "graded"
    try:
        rubric = load_checked_rubric(args.rubric)  # once, here: every stage below is given the Rubric
        with removed_if_left_empty(out):
            summary = grade_folder(args.submissions, out, rubric=rubric, jobs=args.jobs, progress=not args.no_progress,
                                   only=args.student or (), insecure=args.insecure, submitted_times=args.submitted_times)
    except (BatchError, RubricError, corrections.CorrectionsError, late.LateError) as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    print(terminal_text(summary["report"]))
    print()
    print(f"graded {summary['graded']} submission(s), resumed {summary['resumed']}, grader failures {summary['failed']}")
    print(f"gradebook: {Path(out) / 'grades.csv'}; class report: {Path(out) / 'report.html'} (and summary.json); "
          f"per student: {Path(out)}/<student>/feedback.md and results.json")
    return not_graded_status(summary)


def not_graded_status(summary):
    """The exit status of a run: 1, after saying so, when any student was not graded (a grader
    failure, a record that could not be written, a name that cannot be a student), else 0."""
    for student, reason in summary["lost"]:
        print(f"error: {one_line(student)}: missing from the gradebook: {one_line(reason)}", file=sys.stderr)
    not_graded = summary["failed"] + len(summary["skipped_names"])
    if not_graded:
        print(f"error: {not_graded} student(s) were not graded (grader failures and skipped names, listed above): "
              f"fix what is said and grade again (graded students are kept)", file=sys.stderr)
        return 1
    return 0


def _not_a_class(args):
    """What is wrong with grading args.submissions as a folder of student folders (None if nothing)."""
    marks = nbgrader_course_marks(args.submissions)
    if marks:
        return (f"{args.submissions} is an nbgrader course ({', '.join(marks)}), not a folder of student folders: "
                f"grade its notebooks with `nngrade grade --nbgrader {args.submissions} ASSIGNMENT`")
    if args.assignment:
        return f"ASSIGNMENT ({args.assignment}) is for --nbgrader only: `nngrade grade SUBMISSIONS [--out OUT]`"
    return None


def adjust_command(args):
    """`nngrade adjust OUT STUDENT --points N --reason TEXT`: one correction, applied at once."""
    out = Path(args.graded)
    try:
        corrections.add(out, args.student, args.points, args.reason)
        corrections.apply(out)
        functions = next((r["functions"] for r in graded_records(out)), [])
        write_gradebook(out, [f["function"] for f in functions])
    except corrections.CorrectionsError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    record = read_student(out, args.student)
    print(f"{args.student}: {record['graded_score']:g} graded, {record['score']:g} with {len(record['adjustments'])} "
          f"correction(s); kept in {out / corrections.FILE} across regrades; {out / GRADES} updated")
    return 0
