"""Grading a class: lanes in parallel, results written as each student finishes, resumable.

One lane = one thread of this (trusted) process driving one warm runner process. The class
context (inputs and reference outputs) is computed once and shared by the lanes.
"""
import contextlib
import gc
import hashlib
import os
import queue
import sys
import threading
import time
from pathlib import Path

from grader import PROJECT_ROOT, SOLUTIONS_DIR
from grader.grading import SubmissionGrader
from grader.reference import build_context, fingerprint
from grader.class_report import terminal_text, write_class_report
from grader.rubric import DEFAULT_RUBRIC, RubricError, check_names, closest_name, load_rubric
from grader.safe_text import one_line
from grader.reports import GRADES, grade_row, graded_records, read_student, write_grades, write_student
from grader.sandbox.client import InsecureSandbox, RunnerDied, SandboxClient
from grader.submission import read_submission


class BatchError(RuntimeError):
    """Bad command-line input: the message names the path and the problem."""


def list_students(submissions_dir):
    root = Path(submissions_dir)
    if not root.is_dir():
        raise BatchError(f"{root}: not a folder (expected one sub-folder per student)")
    students, skipped = [], []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        usable = (entry.is_dir() or entry.is_symlink()) and not _unusable_name(entry.name)
        (students if usable else skipped).append(entry)
    return students, skipped


def _unusable_name(name):
    """Why a folder name cannot be a student of the gradebook (None if it can): the name becomes
    OUT/<name>/ and a row of grades.csv, both written as UTF-8 text next to grades.csv."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "the folder name is not valid UTF-8 text: rename it (e.g. without accents) and grade again"
    if name == GRADES:
        return f"a student folder cannot be named like the gradebook {GRADES}: rename it and grade again"
    return None


def select_students(students, names):
    """The entries of `students` named in `names` (--student), in class order; BatchError naming
    each unknown name, with the closest student folder."""
    by_name = {entry.name: entry for entry in students}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        hints = []
        for name in unknown:
            close = closest_name(name, by_name)
            hints.append(f"{name!r}" + (f" (did you mean {close!r}?)" if close else ""))
        raise BatchError(f"no student folder named {', '.join(hints)} in the submissions")
    return [entry for entry in students if entry.name in set(names)]


def nbgrader_course_marks(folder):
    """Why `folder` looks like an nbgrader course rather than a class of student folders ([] if not)."""
    folder = Path(folder)
    marks = [name for name in ("nbgrader_config.py", "gradebook.db") if (folder / name).is_file()]
    if (folder / "source").is_dir() and (folder / "submitted").is_dir():
        marks.append("source/ and submitted/")
    return marks


def load_checked_rubric(rubric=None):
    """The rubric, every section, function and check it names checked against the grader's own
    (a typo is a RubricError listing the valid names, before anything is graded)."""
    from grader.specs import all_functions

    rubric_obj = load_rubric(rubric or DEFAULT_RUBRIC)
    check_names(rubric_obj, {spec.function: [c.name for c in spec.checks] for spec in all_functions()})
    return rubric_obj


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


def write_gradebook(out_dir, functions, key):
    """grades.csv and the class report with every student graded into out_dir, by this run or an
    earlier one (a run that grades a subset never drops the others); returns (rows, report summary).
    One pass over the stored records serves both."""
    rows = []

    def records():
        for record in graded_records(out_dir):
            rows.append(grade_row(record))
            yield record

    report = write_class_report(out_dir, records())
    stale = [row["student"] for row in rows if row["fingerprint"] != key]
    if stale:
        shown = ", ".join(map(one_line, stale[:10])) + (f" and {len(stale) - 10} more" if len(stale) > 10 else "")
        print(f"note: {len(stale)} student(s) in {out_dir} were graded with another rubric or kit version and keep "
              f"those grades: {shown} (grade the whole class again to update them)", file=sys.stderr)
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


def _lane(client, ctx, work, out_dir, progress, wrap_client=None):
    client.cases = ctx.cases
    client = wrap_client(client) if wrap_client else client
    while True:
        try:
            folder = work.get_nowait()
        except queue.Empty:
            break
        submission = read_submission(folder, ctx.rubric.modules)
        record = None
        for attempt in range(2):  # a runner that dies is replaced; the submission is retried once
            try:
                record = SubmissionGrader(ctx, client).grade(submission)
                break
            except RunnerDied as exc:
                client.stop()
                reason = f"grading failed twice: {exc}"
            except Exception as exc:  # noqa: BLE001 - a grader bug must not stop the batch or lose others
                client.stop()
                reason = f"internal grader error ({type(exc).__name__}: {exc}); please report it"
                print(f"error: {one_line(submission.student)}: {one_line(reason)}", file=sys.stderr)
        if record is None:
            record = failed_record(ctx, submission, reason)
        record["submission_digest"] = submission_digest(submission)
        write_student(out_dir, record)
        progress.update(record)
    client.stop()


def grade_folder(submissions_dir, out_dir, rubric=None, jobs=1, progress=True, solutions_dir=SOLUTIONS_DIR, ctx=None,
                 extra_hide=(), only=(), insecure=False, wrap_client=None):
    """Grade every student folder not already graded (resume), or only the students named in
    `only` (graded again even if unchanged); returns a summary and writes grades.csv, which holds
    every student graded into out_dir. Refuses (BatchError) where the sandbox lacks its required
    layers, unless insecure. wrap_client(client) -> client stands between each lane and its
    sandbox client (nngrade bench records the calls grading makes through it)."""
    students, skipped = list_students(submissions_dir)
    if only:
        students, skipped = select_students(students, only), []
    for entry in skipped:
        why = _unusable_name(entry.name) or "not a folder (each student needs a folder of .py files)"
        shown = os.fsencode(entry).decode("utf-8", "backslashreplace")
        print(f"note: {one_line(shown)}: skipped, {why}", file=sys.stderr)
    out_dir = Path(out_dir)
    if out_dir.resolve().is_relative_to(Path(submissions_dir).resolve()):
        raise BatchError(f"{out_dir}: the output folder must not be inside the submissions folder")
    rubric_obj = ctx.rubric if ctx else load_checked_rubric(rubric)
    out_dir.mkdir(parents=True, exist_ok=True)
    key = ctx.fingerprint if ctx else fingerprint(rubric, solutions_dir)
    modules = rubric_obj.modules
    bar = Progress(len(students), progress)
    work = queue.Queue()
    for folder in students:
        submission = read_submission(folder, modules)
        previous = read_student(out_dir, submission.student)
        if not only and previous and previous.get("fingerprint") == key and previous.get("submission_digest") == submission_digest(submission):
            bar.update(previous, resumed=True)
        else:
            work.put(folder)  # read again by the lane: sources are not held for the whole class
    todo = work.qsize()
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
                clients[0].check_isolation()  # measured, not assumed: before the first student
            except InsecureSandbox as exc:
                raise BatchError(str(exc)) from None
            # Speed: the imports and the class context live as long as the batch; the garbage
            # collector stops walking them (a tenth of the judging time otherwise).
            gc.freeze()
            bar.start()
            _run_lanes(clients, ctx, work, out_dir, bar, wrap_client)
        finally:
            gc.unfreeze()
            for client in clients:
                client.stop()
    bar.close()
    # Memory stays flat: one small row per student is kept, never the full records; one pass over
    # OUT/<student>/results.json writes both the gradebook and the class report.
    rows, report = write_gradebook(out_dir, rubric_obj.functions, key)
    names = {s.name for s in students}
    return {"report": report, "students": len(students), "graded": todo, "resumed": len(students) - todo,
            "searches": {"run": ctx.searches.searched, "walked": ctx.searches.walked} if todo else {"run": 0, "walked": 0},
            "frames": {"judged": ctx.judged.judged, "reused": ctx.judged.reused} if todo else {"judged": 0, "reused": 0},
            "failed": sum(row["failed"] for row in rows if row["student"] in names),
            "records": [(r["student"], r["score"], r["max_score"]) for r in sorted(rows, key=lambda r: r["student"])]}


def _start_quietly(client, siblings):
    try:
        client.start(siblings)
    except RunnerDied:
        for lane in (client, *siblings):
            lane.stop()  # each lane starts a runner of its own on its first request


def _run_lanes(clients, ctx, work, out_dir, bar, wrap_client=None):
    threads = [threading.Thread(target=_lane, args=(client, ctx, work, out_dir, bar, wrap_client), daemon=True)
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
        with removed_if_left_empty(out):
            summary = grade_folder(args.submissions, out, rubric=args.rubric, jobs=args.jobs, progress=not args.no_progress,
                                   only=args.student or (), insecure=args.insecure)
    except (BatchError, RubricError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(terminal_text(summary["report"]))
    print()
    print(f"graded {summary['graded']} submission(s), resumed {summary['resumed']}, grader failures {summary['failed']}")
    print(f"gradebook: {Path(out) / 'grades.csv'}; class report: {Path(out) / 'report.html'} (and summary.json); "
          f"per student: {Path(out)}/<student>/feedback.md and results.json")
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
