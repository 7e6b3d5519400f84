"""Stage plot: the plot probes of the modules the student worked on, run in one request after the
grading, so nothing here can change a grade; feedback.html draws what they return."""
from grader.judging.stages.record import is_stub
from grader.judging.stages.state import limits, time_spent
from grader.probes import plot_id, plot_table

PLOT_IDS = frozenset(plot_table())


def plot(state, ctx, client):
    """state.plotted = {module: the child's outcome of its plot probe}; if the probes do not finish
    within the rubric's [limits] plots seconds, the page has no plots."""
    modules = touched_modules(state.functions)
    jobs = [job for job in (plot_jobs(m) for m in sorted(modules) if m in state.sources and m not in state.problems)
            if job is not None]
    if not jobs or not state.live or time_spent(state):
        return
    reply = client.run(jobs, state.budget.clip(ctx.rubric.plots), limits(state))
    if reply.get("status") != "done":
        why = "your code took too long on the plots' inputs" if reply.get("status") == "timeout" else "the plots could not be made"
        state.plotted = {cid.split(":")[0]: {"error": why} for cid, _ in jobs}
        return
    state.data.spend(reply["bytes"])
    state.plotted = {cid.split(":")[0]: outcomes[0] for (cid, _), outcomes in zip(jobs, reply["results"])}


def plot_jobs(module):
    """The plot job of a module: its probe module's PLOTS entry (case {}), or its spec's declared
    CurvePlot (the case names the functions and the grid); None without a plot."""
    from grader.specs import declared_plots

    declared = declared_plots().get(module)
    if declared is not None:
        return (plot_id(module), [declared.case()])
    return (plot_id(module), [{}]) if plot_id(module) in PLOT_IDS else None


def touched_modules(functions):
    """The modules the student worked on: some function in them is more than its untouched stub."""
    return {f["function"].split(".")[0] for f in functions if not is_stub(f)}


def failing_cases(verdicts):
    """{function: the input of its first failed check} (the input the feedback shows), for the plots."""
    return {function: next(case for _, verdict, case in entries if not verdict.ok and case is not None)
            for function, entries in verdicts.items() if any(not v.ok and c is not None for _, v, c in entries)}
