"""Stage shrink: each failure replaced by the smallest failing input.

Per function, hypothesis shrinks the first failing check (the checks of one function usually fail
for one reason); its minimal case is reused for the function's other failing checks when it lies in
their domain (Check.accepts) and fails them too, else the smallest replayed failing case stands.
Each check's verdict, so its expected value, is its own on the case shown. Afterwards every entry
of state.verdicts is (check, verdict, the case shown or None).
"""
import time

from grader.forms import FORM_KEY, form_hint
from grader.toolkit.cases import SearchStopped
from grader.toolkit.compare import Verdict
from grader.judging.diagnosis import diagnosed
from grader.judging.stages.judge import case_key, counts, evaluate
from grader.judging.stages.state import derive_table, limits, open_child, time_spent
from grader.limits import SHRINK_CALLS, SHRINK_SAFETY_S, too_much_data


def shrink(state, ctx, client):
    for function, entries in state.verdicts.items():
        timeout = ctx.rubric.timeout(function)
        minimal, source = None, None
        for i, (check, verdict, failures) in enumerate(entries):
            if not failures:
                entries[i] = (check, verdict, None)
                continue
            found = None
            if (minimal is None and check.id in state.replayed and check.cases is not None and state.live
                    and len(failures) < len(ctx.cases[check.id])):
                found = minimal = _search(state, ctx, client, check, timeout)  # inputs matter only where some cases pass
                source = check
            elif minimal is not None and state.live and check.accepts(minimal[0], source):
                found = _try_case(state, ctx, client, check, minimal[0], timeout)
            case, verdict = found or min(failures, key=lambda f: _size(f[0]))
            entries[i] = (check, diagnosed(verdict, failures + state.searched.get(check.id, [])), case)


def _try_case(state, ctx, client, check, case, timeout):
    """(case, verdict) if this check fails on `case`, else None."""
    if set(case) != set(ctx.cases[check.id][0]):
        return None
    verdict = _run_case(state, ctx, client, check, case, timeout)
    return (case, verdict) if verdict is not None and counts(verdict) else None


def _search(state, ctx, client, check, timeout):
    """Hypothesis's search and shrinking against this submission: the minimal failing case.
    Cases already replayed (state.replayed) are answered from there without a call."""
    replayed = state.replayed[check.id]
    calls, started, last = [0], time.monotonic(), {}

    def fails(case):
        key = case_key(case)
        verdict = replayed.get(key)
        if verdict is None:
            verdict = _call_once(state, ctx, client, check, case, timeout, calls, started)
            if verdict is None:
                raise SearchStopped()
            replayed[key] = verdict
        if not counts(verdict):
            return False
        last["failure"] = (case, verdict)
        state.searched.setdefault(check.id, []).append((case, verdict))
        return True

    minimal = ctx.searches.minimal(check, fails, case_key)
    if minimal is None or "failure" not in last:
        return None
    return last["failure"]


def _call_once(state, ctx, client, check, case, timeout, calls, started):
    """The verdict on one new case, or None once a budget is spent or the child failed."""
    # Budgets are counts (reproducible feedback); the clock is only a guard against slow code.
    if calls[0] >= SHRINK_CALLS or time.monotonic() - started > SHRINK_SAFETY_S:
        return None
    calls[0] += 1
    return _run_case(state, ctx, client, check, case, timeout)


def _run_case(state, ctx, client, check, case, timeout):
    """The verdict of one call on a new case; None once a budget (calls, time, bytes) is spent
    or the child failed: the search stops there."""
    if state.shrink_budget <= 0 or not state.live or time_spent(state):
        return None
    state.shrink_budget -= 1
    reply = client.run([(check.id, [case])], timeout, limits(state), derive=derive_table([check]))
    status = reply.get("status")
    if status == "done":
        state.data.spend(reply["bytes"])
        return evaluate(check, reply["results"][0][0], ctx.expected_for(check, case), case)
    open_child(state, ctx, client)  # the child is gone
    if status == "too_much" and reply["per"] == "function":  # too much for this one case: its failure
        return Verdict(False, too_much_data(reply["bytes"], reply["limit"], reply["per"]))
    state.shrink_budget = 0  # a new input hung or killed the child, or the student's bytes are spent
    return None


def _size(case):
    """Order failing cases by size: fewer numbers first, then smaller magnitudes; a case in another
    input form (a Python float, a list, ...) only when no float64 case fails (its hint says so)."""
    import numpy as np

    other_form = bool(form_hint(case))
    values = [np.asarray(v, dtype=float) for v in _leaves({k: v for k, v in case.items() if k != FORM_KEY})]
    return (other_form, sum(v.size for v in values), sum(float(np.abs(v).sum()) for v in values))


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, (list, tuple)) and value and not all(isinstance(v, (int, float)) for v in value):
        for v in value:
            yield from _leaves(v)
    elif not isinstance(value, str):
        yield value
