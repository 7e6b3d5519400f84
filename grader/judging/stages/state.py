"""One submission's grading state, and its child: what every stage reads and writes.

The stages (grader.judging.grading.STAGES) pass one SubmissionState along; the class context
(grader.judging.reference.ClassContext) and the sandbox client are shared by every submission.
"""
import time
from dataclasses import dataclass, field

from grader.limits import IMPORT_TIMEOUT, SHRINK_BUDGET, DataBudget, TimeBudget


@dataclass
class SubmissionState:
    student: str
    sources: dict  # {module: source} of the modules that import (a module that fails is dropped)
    problems: dict  # {module or "(sandbox)"/"(time budget)": why it was not graded}
    budget: TimeBudget  # everything the student costs, searches and restarts included
    data: DataBudget = field(default_factory=DataBudget)  # bytes accepted from this student's children
    started: float = field(default_factory=time.monotonic)
    live: bool = False  # a child is open on the sources
    out_of_time: bool = False  # set once the budget cut something short
    isolation: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    shrink_budget: int = SHRINK_BUDGET  # calls left for the searches of smaller failing inputs
    replayed: dict = field(default_factory=dict)  # {check id: {case key: verdict}} for checks that failed
    searched: dict = field(default_factory=dict)  # {check id: [(case, verdict)]}: the failing cases a search saw
    seconds: dict = field(default_factory=dict)  # {function: wall seconds of its run} (class report, never feedback)
    called: dict = field(default_factory=dict)  # {function: graded functions the child says it called}
    verdicts: dict = field(default_factory=dict)  # {function: [(check, verdict, failing cases, then the case shown)]}
    functions: list = field(default_factory=list)  # the functions' records (grader.judging.stages.record)
    plotted: dict = field(default_factory=dict)  # {module: the child's outcome of its plot probe}

    @classmethod
    def begin(cls, ctx, submission):
        return cls(submission.student, dict(submission.sources), dict(submission.problems),
                   TimeBudget(ctx.rubric.per_student))


def time_spent(state):
    """True once the student's time budget is spent (noted: the feedback says what it cut)."""
    if state.budget.spent():
        state.out_of_time = True
    return state.out_of_time


def limits(state):
    """The caps a run request carries: bytes per function and left for the student, time left."""
    return {**state.data.request(), "budget": state.budget.left()}


def checks_of(ctx, spec):
    """The checks of a function that the rubric grades."""
    return [c for c in spec.checks if c.id in ctx.checks]


def derive_table(checks):
    return {c.id: c.derive for c in checks if c.derive}


def open_child(state, ctx, client, first=False):
    """(Re)start a child on the modules that import; import failures are recorded on the first open."""
    for _ in range(len(state.sources) + 1):
        if time_spent(state):
            state.live = False
            return
        reply = client.open(state.sources, timeout=state.budget.clip(IMPORT_TIMEOUT), cpu_s=_cpu_budget(ctx))
        state.isolation, state.notices = reply.get("isolation", []), reply.get("notices", [])
        status = reply.get("status")
        if status == "ready":
            for module, error in (reply.get("modules") or {}).items():
                if error and first and module in state.sources:  # the child may say more: only its modules count
                    state.problems[module] = f"importing {module}.py failed: {error}"
            state.live = True
            return
        module = reply.get("last_module")
        if module not in state.sources:
            break
        if status == "timeout" and time_spent(state):
            why = state.budget.message
        elif status == "timeout":
            why = (f"importing {module}.py did not finish within {IMPORT_TIMEOUT:g} s: code at module level runs "
                   "at import; move it into a function")
        else:
            why = f"the process ended while importing {module}.py ({reply.get('detail', 'no detail')})"
        state.problems[module] = why
        state.sources.pop(module)
    state.live = False
    state.problems.setdefault("(sandbox)", f"the sandbox could not start: {reply.get('detail', reply.get('status'))}")


def _cpu_budget(ctx):
    return sum(ctx.rubric.timeout(f) for f in ctx.functions) + IMPORT_TIMEOUT
