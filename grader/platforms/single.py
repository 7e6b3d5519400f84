"""Grading one submission from a cold start: the class context (from the image's cache when it is
current), the runner (none for the released stubs, untouched), the grading, each timed. Platforms
grade one submission per container."""
import os
import time
import traceback
from dataclasses import dataclass, field
from types import SimpleNamespace

from grader import SOLUTIONS_DIR
from grader.lanes import failed_record
from grader.class_plan import submission_digest
from grader.outputs.feedback_plots import draw_plots
from grader.judging.grading import grade_submission
from grader.judging.context_cache import load_context
from grader.judging.fingerprint import fingerprint
from grader.judging.untouched import is_untouched
from grader.rubric import load_checked_rubric
from grader.sandbox.client import InsecureSandbox, RunnerDied, SandboxClient
from grader.submission import read_submission


@dataclass
class Graded:
    record: dict  # the grader's record (see grader.judging.grading.grade_submission)
    timings: dict = field(default_factory=dict)  # {"start-up": s, "cases": s, "grading": s}
    context: str = ""  # "cached" | "generated"
    error: str = None  # details of a grader failure (for the staff), None when grading worked


def grade_one(folder, *, student, rubric=None, cache_path=None, hide=(), solutions_dir=SOLUTIONS_DIR, started=None,
              plots=True, entry_script="the entry point"):
    """Grade the exNN_*.py files in `folder`. A grader failure gives an all-zero record and
    `error`; it never raises for anything the submission contains. started: time.time() when the
    process began (the start-up then includes the interpreter's own start and imports). rubric: a
    checked Rubric (grader.rubric.load_checked_rubric; None: the bundled one). plots:
    draw the feedback page's plots (record["plots"]). entry_script: the platform's script where the
    staff may set NNGRADE_INSECURE=1 (named when a layer is missing)."""
    timings, started = {}, started or time.time()
    # NNGRADE_INSECURE=1 (set by the staff in the platform's entry script) grades where the platform's kernel
    # lacks Landlock or seccomp; the root-only kit and the child's own uid still hide the reference.
    client = SandboxClient(0, hide=hide, insecure=os.environ.get("NNGRADE_INSECURE") == "1")
    try:
        timings["start-up"] = _lap(timings, started)
        ctx, how = load_context(cache_path, rubric, solutions_dir)
        timings["cases"] = _lap(timings, started)
        submission = read_submission(folder, ctx.rubric.modules)
        submission.student = student
        # The released stubs, untouched, are recorded without a child (grader.judging.untouched): no runner.
        error = None if is_untouched(submission, ctx.stubs) else _start(client, entry_script)
        timings["start-up"] += _lap(timings, started)
        record = None
        if error is None:
            record, error = _grade(ctx, client, submission, plots)
        if record is None:
            record = failed_record(ctx, submission, "the grader failed; please contact the course staff")
        record["submission_digest"] = submission_digest(submission)
        timings["grading"] = _lap(timings, started)
        return Graded(record, timings, how, error)
    finally:
        client.stop()


def _start(client, entry_script):
    """None, or why grading cannot start (a grader failure: the staff's details, never the student's 0)."""
    try:
        client.start()
        client.check_isolation()
        return None
    except RunnerDied as exc:
        return f"the sandbox runner did not start: {exc}"
    except InsecureSandbox as exc:
        return (f"{exc}. To grade with the layers this platform has (the root-only kit and the child's own uid "
                f"still hide the reference), add `export NNGRADE_INSECURE=1` to {entry_script}")


def _grade(ctx, client, submission, plots=True):
    """(record, None) or (None, details); a runner that dies is replaced once, as in a batch."""
    client.cases = ctx.cases
    error = None
    for _ in range(2):
        try:
            return grade_submission(ctx, client, submission, draw=draw_plots if plots else None), None
        except RunnerDied as exc:
            client.stop()
            error = f"the sandbox runner failed twice: {exc}"
        except Exception as exc:  # noqa: BLE001 - a grader bug still gives the student a results file
            client.stop()
            return None, f"internal grader error: {''.join(traceback.format_exception(exc))}"
    return None, error


def _lap(timings, started):
    return round(time.time() - started - sum(timings.values()), 3)


def not_graded_record(rubric, student, reason, solutions_dir=SOLUTIONS_DIR):
    """All zeros with the reason, without starting a sandbox: an upload with nothing to grade
    (rubric: a checked Rubric; None: the bundled one)."""
    rubric = rubric or load_checked_rubric()
    ctx = SimpleNamespace(rubric=rubric, functions=rubric.functions, fingerprint=fingerprint(rubric, solutions_dir))
    record = failed_record(ctx, SimpleNamespace(student=student), reason)
    record["problems"] = {"(upload)": reason}
    return record
