"""Grading one submission: a pipeline of named stages over one SubmissionState, through one sandbox
client (run its functions and judge every check, settle what checks owe each other, shrink each
failure to its smallest input, record the points by the rubric, run the plot probes)."""
import time

from grader.judging.stages.plot import failing_cases, plot
from grader.judging.stages.record import record
from grader.judging.stages.run import run
from grader.judging.stages.settle import settle
from grader.judging.stages.shrink import shrink
from grader.judging.stages.state import SubmissionState, checks_of, open_child
from grader.judging.untouched import NOT_RUN_NOTICE, is_untouched
from grader.toolkit.compare import Verdict

STAGES = (run, settle, shrink, record, plot)  # each stage(state, ctx, client), in this order


def grade_submission(ctx, client, submission, draw=None):
    """The grading record of one submission (plain data). draw(outcomes, failing) -> plots: what
    makes feedback.html's plots of the plot probes' outcomes (grader.outputs.feedback_plots.draw_plots,
    given by the caller, which writes the pages); None: no plot probes run (Gradescope shows none)."""
    if is_untouched(submission, ctx.stubs):
        return untouched_result(SubmissionState.begin(ctx, submission), ctx, draw)
    client.warm()  # starting a runner is the grader's cost, not the student's
    state = SubmissionState.begin(ctx, submission)
    open_child(state, ctx, client, first=True)
    for stage in STAGES:
        if stage is not plot or draw:
            stage(state, ctx, client)
    client.close()
    return result(state, ctx, draw)


def untouched_result(state, ctx, draw):
    """The record of the released stubs, untouched: what their child would report, without one
    (grader.judging.untouched)."""
    state.verdicts = {f: [(c, Verdict(False, ctx.stubs["errors"][f]), None) for c in checks_of(ctx, spec)]
                      for f, spec in ctx.functions.items()}
    state.notices = [NOT_RUN_NOTICE]
    state.seconds = dict.fromkeys(ctx.functions, 0.0)
    record(state, ctx)
    return result(state, ctx, draw)


def result(state, ctx, draw):
    if state.out_of_time:
        state.problems["(time budget)"] = f"{state.budget.message}: what was not graded by then scores 0"
    return {
        "student": state.student,
        "score": round(sum(f["score"] for f in state.functions), 4),
        "max_score": ctx.rubric.max_score,
        "functions": state.functions,
        "problems": dict(state.problems),
        "isolation": state.isolation,
        "notices": state.notices,
        "fingerprint": ctx.fingerprint,
        "execution_time": round(time.monotonic() - state.started, 3),
        "function_seconds": state.seconds,  # like execution_time, the machine's: never in feedback
        "plots": draw(state.plotted, failing_cases(state.verdicts)) if draw else [],  # feedback.html's (not in results.json)
    }
