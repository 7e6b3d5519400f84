"""Grading a class: lanes in parallel, results written as each student finishes, resumable.

One lane = one thread of this (trusted) process driving one warm runner process. The class
context (inputs and reference outputs) is computed once and shared by the lanes.
"""
import contextlib
import gc
import hashlib
import queue
import sys
import threading
import time
from pathlib import Path

from grader import PROJECT_ROOT, SOLUTIONS_DIR, corrections, late
from grader.outputs.feedback_plots import draw_plots
from grader.judging.grading import grade_submission
from grader.judging.reference import build_context, fingerprint
from grader.outputs.class_report import terminal_text, write_class_report
from grader.rubric import RubricError, closest_name, load_checked_rubric
from grader.outputs.reports import (GRADES, KIT_FILE_SUFFIXES, grade_row, graded_records, is_kit_file_name, read_student,
                            refuse_untrusted_output, make_private_output, write_grades, write_student)
from grader.sandbox import untraversable
from grader.sandbox.client import InsecureSandbox, RunnerDied, SandboxClient, sandbox_uids
from grader.intake.entries import is_zip_entry, read_entry, student_name
from grader.intake.uploads import printable_name
from grader.outputs.safe_text import one_line


class BatchError(RuntimeError):
    """Bad command-line input: the message names the path and the problem."""


def list_students(submissions_dir):
    root = Path(submissions_dir)
    if not root.is_dir():
        raise BatchError(f"{root}: not a folder (expected one sub-folder per student)")
    students, skipped, names = [], [], set()
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        usable = (entry.is_dir() or entry.is_symlink() or is_zip_entry(entry)) and not _unusable_name(student_name(entry))
        usable = usable and student_name(entry) not in names  # alice/ and alice.zip: the folder is graded
        (students if usable else skipped).append(entry)
        names.update([student_name(entry)] if usable else [])
    if not students and not skipped:
        raise BatchError(f"{root}: no student submissions in it (expected one sub-folder or .zip file per student)")
    if not students:
        raise BatchError(f"{root}: none of its entries is a student submission (expected one sub-folder or .zip file "
                         f"per student; found {', '.join(printable_name(e.name) for e in skipped[:5])})")
    return students, skipped


def _unusable_name(name):
    """Why a folder name cannot be a student of the gradebook (None if it can): the name becomes
    OUT/<name>/ and a row of grades.csv, both written as UTF-8 text next to grades.csv."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "the folder name is not valid UTF-8 text: rename it (e.g. without accents) and grade again"
    if is_kit_file_name(name):
        return (f"names ending in {', '.join(KIT_FILE_SUFFIXES)} are kept for the grader's own files in the output "
                f"folder (such as {GRADES}): rename the student folder and grade again")
    return None


def _skip_reason(entry, students):
    if any(student_name(other) == student_name(entry) for other in students):
        return f"another submission of {printable_name(student_name(entry))} is graded (a folder and a .zip of the same name)"
    return (_unusable_name(student_name(entry))
            or "not a student submission (each student needs a folder of .py files or notebooks, or one .zip of it)")


def select_students(students, names):
    """The entries of `students` named in `names` (--student), in class order; BatchError naming
    each unknown name, with the closest student folder."""
    by_name = {student_name(entry): entry for entry in students}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        hints = []
        for name in unknown:
            close = closest_name(name, by_name)
            hints.append(f"{name!r}" + (f" (did you mean {close!r}?)" if close else ""))
        raise BatchError(f"no student folder named {', '.join(hints)} in the submissions")
    return [entry for entry in students if student_name(entry) in set(names)]


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


def submission_digest(submission):
    digest = hashlib.sha256()
    for name in sorted(submission.sources):
        digest.update(name.encode() + b"\0" + submission.sources[name].encode() + b"\0")
    for name in sorted(submission.problems):
        digest.update(name.encode() + b"\0" + submission.problems[name].encode() + b"\0")
    return digest.hexdigest()[:16]


def failed_record(ctx, submission, reason):
    """All zeros, with the reason: what a submission gets when the grader itself could not run it."""
    functions = [{"function": f, "score": 0.0, "max_score": ctx.rubric.function_points(f), "depends": [],
                  "checks": [{"check": c, "passed": False, "score": 0.0, "max_score": p, "message": reason}
                             for c, p in ctx.rubric.points[f].items()]} for f in ctx.functions]
    return {"student": submission.student, "score": 0.0, "max_score": ctx.rubric.max_score, "functions": functions,
            "problems": {"(grader)": reason}, "isolation": [], "notices": [], "fingerprint": ctx.fingerprint,
            "execution_time": 0.0}


class Progress:
    """A tqdm bar on a terminal, plain log lines otherwise. Rate and ETA count only submissions
    graded since start() (not the warm-up before it, nor resumed ones)."""

    def __init__(self, total, enabled, stream=None):
        self.total, self.done, self.graded, self.failed = total, 0, 0, 0
        self.stream, self.lock = stream or sys.stderr, threading.Lock()
        self.tty = enabled and self.stream.isatty()
        self.started = self.bar = None

    def start(self):
        """Grading begins (the runners are warm, the class context is built)."""
        with self.lock:
            self.started = time.monotonic()
            if self.tty:
                from tqdm import tqdm

                self.bar = tqdm(total=self.total, initial=self.done, unit="sub", file=self.stream, dynamic_ncols=True)

    def update(self, record, resumed=False):
        with self.lock:
            self.done += 1
            self.graded += not resumed
            self.failed += "(grader)" in record.get("problems", {})
            if self.bar is not None:
                self.bar.set_postfix_str(f"failures {self.failed}", refresh=False)
                self.bar.update(1)
                return
            if self.tty:
                return  # resumed before start(): the bar shows them as its initial count
            state = "resumed" if resumed else f"{record['score']:g}/{record['max_score']:g}"
            print(f"[{self.done}/{self.total}] {one_line(record['student'])}: {state} ({self._speed()}, failures {self.failed})",
                  file=self.stream, flush=True)

    def _speed(self):
        if not self.graded or self.started is None:
            return "eta -"
        elapsed = max(time.monotonic() - self.started, 1e-9)
        return f"{self.graded / elapsed:.1f}/s, eta {(self.total - self.done) * elapsed / self.graded:.0f} s"

    def close(self):
        if self.tty and self.bar is None:
            self.start()  # nothing was graded: the bar still shows the resumed ones
        if self.bar is not None:
            self.bar.close()


def _lane(client, ctx, work, out_dir, progress, lost, wrap_client=None):
    """Grade students from the queue until it is empty. A lane never dies of one student: whatever
    goes wrong with a student becomes that student's recorded failure, and one whose failure cannot
    even be written goes to `lost` (student, reason), which makes the run fail."""
    client.cases = ctx.cases
    client = wrap_client(client) if wrap_client else client
    while True:
        try:
            folder, handed_in = work.get_nowait()
        except queue.Empty:
            break
        try:
            record = _grade_one(client, ctx, folder, handed_in, out_dir)
        except Exception as exc:  # noqa: BLE001 - a grader bug must not stop the batch or lose others
            record = _record_failure(ctx, folder, out_dir, _internal_error(exc), lost)
        progress.update(record)
    client.stop()


def _grade_one(client, ctx, folder, handed_in, out_dir):
    submission = read_entry(folder, ctx.rubric.modules)
    record = None
    for attempt in range(2):  # a runner that dies is replaced; the submission is retried once
        try:
            record = grade_submission(ctx, client, submission, draw=draw_plots)
            break
        except RunnerDied as exc:
            client.stop()
            reason = f"grading failed twice: {exc}"
        except Exception as exc:  # noqa: BLE001 - a grader bug must not stop the batch or lose others
            client.stop()
            reason = _internal_error(exc)
            print(f"error: {one_line(submission.student)}: {one_line(reason)}", file=sys.stderr)
    if record is None:
        record = failed_record(ctx, submission, reason)
    record["submission_digest"] = submission_digest(submission)
    record["submitted"] = handed_in
    record["late"] = late.penalty(ctx.rubric.late, submission.student, handed_in, record["max_score"])
    write_student(out_dir, record)
    return record


def _internal_error(exc):
    return f"internal grader error ({type(exc).__name__}: {exc}); please report it"


def _record_failure(ctx, folder, out_dir, reason, lost):
    """The student's failure, written as its record if possible (else listed in `lost`)."""
    name = student_name(folder)
    print(f"error: {one_line(name)}: {one_line(reason)}", file=sys.stderr)
    record = failed_record(ctx, _Unread(name), reason)
    try:
        write_student(out_dir, record)
    except Exception as exc:  # noqa: BLE001 - the output itself is the problem: reported at the end
        lost.append((name, f"{reason}; its record could not be written either ({type(exc).__name__}: {exc})"))
    return record


class _Unread:
    """What failed_record needs of a submission that could not be read."""

    def __init__(self, student):
        self.student = student


def grade_folder(submissions_dir, out_dir, rubric=None, jobs=1, progress=True, solutions_dir=SOLUTIONS_DIR, ctx=None,
                 extra_hide=(), only=(), insecure=False, wrap_client=None, submitted_times=None):
    """Grade every student folder not already graded (resume), or only the students named in
    `only` (graded again even if unchanged); returns a summary and writes grades.csv, which holds
    every student graded into out_dir. Refuses (BatchError) where the sandbox lacks its required
    layers, unless insecure. wrap_client(client) -> client stands between each lane and its
    sandbox client (nngrade bench records the calls grading makes through it). rubric: a Rubric
    (grader.rubric.load_checked_rubric; None: the bundled one), unless ctx brings its own."""
    students, skipped = list_students(submissions_dir)
    if only:
        students, skipped = select_students(students, only), []
    refused = []
    for entry in skipped:
        why = _unusable_name(student_name(entry))
        print(one_line(f"note: {printable_name(str(entry))}: skipped, {_skip_reason(entry, students)}"), file=sys.stderr)
        refused += [(printable_name(entry.name), why)] if why else []
    out_dir = Path(out_dir)
    if out_dir.resolve().is_relative_to(Path(submissions_dir).resolve()):
        raise BatchError(f"{out_dir}: the output folder must not be inside the submissions folder")
    rubric = ctx.rubric if ctx else rubric or load_checked_rubric()
    corrections.load(out_dir)  # a malformed adjustments.toml stops the run before anything is graded
    make_private_output(out_dir)
    untrusted = refuse_untrusted_output(out_dir)
    if untrusted:
        raise BatchError(untrusted)
    key = ctx.fingerprint if ctx else fingerprint(rubric, solutions_dir)
    modules = rubric.modules
    bar = Progress(len(students), progress)
    work = queue.Queue()
    times = late.read_times(submitted_times) if submitted_times else None
    for folder in students:
        handed_in = late.submitted(folder, student_name(folder), times)
        previous = None if only else _resumable(folder, modules, out_dir, key)
        if previous and (not rubric.late or previous.get("submitted") == handed_in):
            bar.update(previous, resumed=True)
        else:
            work.put((folder, handed_in))  # read again by the lane: sources are not held for the whole class
    todo, lost, guarded = work.qsize(), [], []
    _refuse_mixed_rubrics(out_dir, key, {student_name(entry) for entry in students})
    if todo:
        hide = [solutions_dir, PROJECT_ROOT / "grader", PROJECT_ROOT / "tests", Path(submissions_dir).resolve(), out_dir.resolve(),
                *(Path(p).resolve() for p in extra_hide)]
        clients = [SandboxClient(lane, hide=hide, insecure=insecure) for lane in range(max(1, min(jobs, todo)))]
        try:
            # The runners warm up while the class context is computed: one imports, the others are forked from it.
            starter = threading.Thread(target=_start_quietly, args=(clients[0], clients[1:]), daemon=True)
            starter.start()
            ctx = ctx or build_context(rubric, solutions_dir)
            starter.join()
            try:
                layers = clients[0].check_isolation()  # measured, not assumed: before the first student
            except InsecureSandbox as exc:
                raise BatchError(str(exc)) from None
            if "unprivileged-uid" in layers and "mount-namespace" not in layers:
                guarded = _untraversable(clients[0].hide)
            # Speed: the imports and the class context live as long as the batch; the garbage
            # collector stops walking them (a tenth of the judging time otherwise).
            gc.freeze()
            bar.start()
            _run_lanes(clients, ctx, work, out_dir, bar, lost, wrap_client)
        finally:
            gc.unfreeze()
            for client in clients:
                client.stop()
            untraversable.allow(guarded, list(sandbox_uids()))
    bar.close()
    # Memory stays flat: one small row per student is kept, never the full records; one pass over
    # OUT/<student>/results.json writes both the gradebook and the class report.
    for student in corrections.apply(out_dir):
        print(f"note: {out_dir / corrections.FILE} adjusts {student!r}, who is not graded in {out_dir}", file=sys.stderr)
    rows, report = write_gradebook(out_dir, rubric.functions)
    names = {student_name(s) for s in students}
    lost += [(student_name(folder), "not graded: every lane stopped before it") for folder, _ in _drain(work)]
    return {"lost": lost, "skipped_names": refused, "report": report, "students": len(students), "graded": todo, "resumed": len(students) - todo,
            "searches": {"run": ctx.searches.searched, "walked": ctx.searches.walked} if todo else {"run": 0, "walked": 0},
            "frames": {"judged": ctx.judged.judged, "reused": ctx.judged.reused} if todo else {"judged": 0, "reused": 0},
            "failed": sum(row["failed"] for row in rows if row["student"] in names) + len(lost),
            "records": [(r["student"], r["score"], r["max_score"]) for r in sorted(rows, key=lambda r: r["student"])]}


def _refuse_mixed_rubrics(out_dir, key, graded_now):
    """One rubric and kit per output folder: a run may not leave students graded with another
    rubric or kit version beside the ones it grades (their maxima and points would mix)."""
    if not out_dir.is_dir():
        return
    stale = [r["student"] for r in graded_records(out_dir) if r.get("fingerprint") != key and r["student"] not in graded_now]
    if stale:
        shown = ", ".join(stale[:10]) + (f" and {len(stale) - 10} more" if len(stale) > 10 else "")
        raise BatchError(f"{out_dir} holds {len(stale)} student(s) graded with another rubric or kit version that this "
                         f"run would not grade again: {shown}. Grade the whole class into it again (every student "
                         f"folder, without --student), or write to another --out")


def _untraversable(hidden):
    """The hidden folders made untraversable for the sandbox uids (see grader.sandbox.untraversable)."""
    guarded, notices = untraversable.deny(hidden, list(sandbox_uids()))
    for notice in notices:
        print(f"note: {one_line(notice)}", file=sys.stderr)
    return guarded


def _resumable(folder, modules, out_dir, key):
    """The stored record of this student if it stands (graded by this kit and rubric from the same
    files, without a grader failure), else None: graded (again)."""
    try:
        submission = read_entry(folder, modules)
    except Exception:  # noqa: BLE001 - its lane records why
        return None
    previous = read_student(out_dir, submission.student)
    if (previous and previous.get("fingerprint") == key and "(grader)" not in (previous.get("problems") or {})
            and previous.get("submission_digest") == submission_digest(submission)):
        return previous
    return None


def _start_quietly(client, siblings):
    try:
        client.start(siblings)
    except RunnerDied:
        for lane in (client, *siblings):
            lane.stop()  # each lane starts a runner of its own on its first request


def _drain(work):
    left = []
    while not work.empty():
        left.append(work.get_nowait())
    return left


def _run_lanes(clients, ctx, work, out_dir, bar, lost, wrap_client=None):
    threads = [threading.Thread(target=_lane, args=(client, ctx, work, out_dir, bar, lost, wrap_client), daemon=True)
               for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.2)


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
