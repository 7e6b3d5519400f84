"""Grading a class's pending students: lanes in parallel, each record written as its student finishes.

One lane = one thread of this (trusted) process driving one warm sandbox runner. The class context
(inputs and reference outputs) is read from the user's cache or computed once, while the runners warm
up, and shared by the lanes.
A lane never dies of one student: what goes wrong becomes that student's recorded failure.
"""
import gc
import os
import queue
import sys
import threading
from pathlib import Path

from grader import SOLUTIONS_DIR, late
from grader.class_plan import BatchError, submission_digest
from grader.intake.entries import read_entry, student_name
from grader.judging.grading import grade_submission
from grader.judging.context_cache import class_context
from grader.judging.reference import build_context
from grader.judging.untouched import is_untouched, released_stubs
from grader.outputs.feedback_plots import draw_plots
from grader.outputs.reports import write_student
from grader.outputs.safe_text import one_line
from grader.rubric import load_checked_rubric
from grader.sandbox import untraversable
from grader.sandbox.client import InsecureSandbox, RunnerDied, sandbox_uids, uids_claimed_elsewhere


def grade_pending(pending, clients, out_dir, bar, ctx=None, rubric=None, solutions_dir=SOLUTIONS_DIR, key=None,
                  wrap_client=None):
    """Grade the pending [(entry, handed-in time)] in one lane per sandbox client; returns (the class
    context: ctx, or the one of rubric, solutions_dir and key built while the runners warm up, and
    [(student, why)] of the students lost). The clients are stopped whatever happens."""
    work, lost, guarded = queue.Queue(), [], []
    for item in pending:
        work.put(item)
    try:
        if ctx is None and _all_untouched(pending, rubric, solutions_dir):
            # Nothing will run (grader.judging.untouched): no runner, no reference, no cases.
            ctx = build_context(rubric, solutions_dir, cached=NOTHING_TO_RUN, key=key)
        else:
            ctx, guarded = _start_lanes(clients, lambda: ctx or class_context(rubric, solutions_dir, key=key))
        # Speed: the imports and the class context live as long as the batch; the garbage
        # collector stops walking them (a tenth of the judging time otherwise).
        gc.freeze()
        bar.start()
        run_lanes(clients, ctx, work, out_dir, bar, lost, wrap_client)
    finally:
        gc.unfreeze()
        for client in clients:
            client.stop()
        _traversable_again(guarded)
    lost += [(student_name(folder), "not graded: every lane stopped before it") for folder, _ in _drain(work)]
    return ctx, lost


NOTHING_TO_RUN = {"cases": {}, "expected": {}}  # the context of a class of untouched stubs


def _all_untouched(pending, rubric, solutions_dir):
    """Every pending submission is the released stubs, untouched (read here until one is not, then
    again by its lane, which also records what reading it raised)."""
    rubric = rubric or load_checked_rubric()
    stubs = released_stubs(Path(solutions_dir), rubric.modules, rubric.functions)

    def untouched(folder):
        try:
            return is_untouched(read_entry(folder, rubric.modules), stubs)
        except Exception:  # noqa: BLE001 - its lane meets it again and records it
            return False

    return stubs is not None and all(untouched(folder) for folder, _ in pending)


def _start_lanes(clients, make_context):
    """(the class context, the folders made untraversable): the runners warm up while the class
    context is computed (one imports, the others are forked from it), then the first one measures
    the isolation layers before the first student (refused where a required one is missing)."""
    starter = threading.Thread(target=_start_quietly, args=(clients[0], clients[1:]), daemon=True)
    starter.start()
    ctx = make_context()
    _draw_ahead(ctx)
    starter.join()
    try:
        layers = clients[0].check_isolation()  # measured, not assumed
    except InsecureSandbox as exc:
        raise BatchError(str(exc)) from None
    guarded = []
    if "unprivileged-uid" in layers and "mount-namespace" not in layers:
        guarded = _untraversable(clients[0].hide)
    return ctx, guarded


def _draw_ahead(ctx):
    """The reference's plots (ctx.plots) drawn while the runners start, a core this process would
    leave idle meanwhile: matplotlib's first drawings (a second or two of CPU) leave the first
    students' time, and a student whose plot data are the reference's finds them drawn (the drawing
    cache is keyed by the data, so the page is the same). Not on one core, where it would only
    slow the runners' start."""
    if ctx.plots and (os.cpu_count() or 1) > 1:
        try:
            draw_plots(ctx.plots)
        except Exception:  # noqa: BLE001 - a head start only: each student's own drawing says what is wrong
            pass


def _untraversable(hidden):
    """The hidden folders made untraversable for the sandbox uids (see grader.sandbox.untraversable)."""
    guarded, notices = untraversable.deny(hidden, list(sandbox_uids()))
    for notice in notices:
        print(f"note: {one_line(notice)}", file=sys.stderr)
    return guarded


def _traversable_again(guarded):
    """The hidden folders' entries removed at the batch's end, but for the uids another grader on the
    machine holds now: it hid its folders from every sandbox uid too, and its children still run."""
    if guarded:
        uids = sandbox_uids()
        others = uids_claimed_elsewhere(uids)
        untraversable.allow(guarded, [uid for uid in uids if uid not in others])


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


def run_lanes(clients, ctx, work, out_dir, bar, lost, wrap_client=None):
    threads = [threading.Thread(target=_lane, args=(client, ctx, work, out_dir, bar, lost, wrap_client), daemon=True)
               for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.2)


def failed_record(ctx, submission, reason):
    """All zeros, with the reason: what a submission gets when the grader itself could not run it."""
    functions = [{"function": f, "score": 0.0, "max_score": ctx.rubric.function_points(f), "depends": [],
                  "checks": [{"check": c, "passed": False, "score": 0.0, "max_score": p, "message": reason}
                             for c, p in ctx.rubric.points[f].items()]} for f in ctx.functions]
    return {"student": submission.student, "score": 0.0, "max_score": ctx.rubric.max_score, "functions": functions,
            "problems": {"(grader)": reason}, "isolation": [], "notices": [], "fingerprint": ctx.fingerprint,
            "execution_time": 0.0}


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
    if ctx.cases is NOTHING_TO_RUN["cases"] and not is_untouched(submission, ctx.stubs):
        record = failed_record(ctx, submission, "the submission changed while its class was being graded: grade it again")
    for _ in range(2 if record is None else 0):  # a runner that dies is replaced; the submission is retried once
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
