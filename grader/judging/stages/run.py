"""Stage run: every graded function in one pipelined request to the child, each results frame
judged as it arrives; after a timeout or crash, a fresh child takes the functions that are left."""
import time

from grader.toolkit.compare import Verdict
from grader.judging.stages.judge import judge_function
from grader.judging.stages.state import checks_of, derive_table, limits, open_child, time_spent
from grader.limits import too_much_data


def run(state, ctx, client):
    """state.verdicts = {function: [(check, verdict, failing cases)]}, in the order they were decided
    (the functions that cannot run first, then as the child answers: the searches go in this order)."""
    verdicts, specs = {}, list(ctx.functions.values())
    while specs:
        if time_spent(state):
            state.live = False  # nothing more is asked of the child: the functions left score 0
        runnable = []
        for spec in specs:
            reason = _not_runnable(state, spec)
            if reason:
                verdicts[spec.function] = all_failed(ctx, spec, reason)
            else:
                runnable.append(spec)
        request = [([(c.id, None) for c in checks_of(ctx, spec)], ctx.rubric.timeout(spec.function)) for spec in runnable]
        specs = []
        known = ctx.judged.known_among([spec.function for spec in runnable])
        derive = derive_table(c for spec in runnable for c in checks_of(ctx, spec))
        replies = client.run_functions(request, known, limits(state), derive=derive) if runnable else ()
        mark = time.monotonic()
        for index, reply in enumerate(replies):
            spec = runnable[index]
            # One frame per function, in order: the time since the previous one is this function's
            # run (give or take the judge's few ms on the previous frame, which overlap the run).
            now = time.monotonic()
            state.seconds[spec.function], mark = round(now - mark, 3), now
            if reply.get("status") == "done":
                state.data.spend(reply["bytes"])
                verdicts[spec.function] = judge_function(state, ctx, spec, reply)
                continue
            verdicts[spec.function] = all_failed(ctx, spec, _why_stopped(state, ctx, spec.function, reply))
            if reply.get("per") == "student":
                state.data.spend(state.data.left)  # what is left is not asked for
            open_child(state, ctx, client)
            specs = runnable[index + 1:]
            break
    state.verdicts = verdicts


def all_failed(ctx, spec, reason):
    return [(c, Verdict(False, reason), []) for c in checks_of(ctx, spec)]


def _not_runnable(state, spec):
    """Why a function cannot run now (None if it can)."""
    module = spec.function.split(".")[0]
    if module in state.problems:
        return state.problems[module]
    if state.data.spent():
        return state.data.message
    if state.live:
        return None if module in state.sources else f"{module}.py is missing"
    if state.out_of_time:
        return state.budget.message
    return state.problems.get("(sandbox)") or f"{module}.py is missing"


def _why_stopped(state, ctx, function, reply):
    """Why a function's run ended without results (the child is gone)."""
    if reply.get("status") == "too_much":
        return too_much_data(reply["bytes"], reply["limit"], reply["per"])
    if reply.get("status") == "timeout" and (reply.get("budget") or time_spent(state)):
        state.out_of_time = True
        return state.budget.message
    if reply.get("status") == "timeout":
        return f"timed out after {ctx.rubric.timeout(function):g} s"
    return f"the process running your code ended during {function} ({reply.get('detail', 'no detail')})"
