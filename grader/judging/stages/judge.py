"""Judging what the child returned: one case's verdict, one check's over the class's cases, one
function's results frame (judged once per class for each distinct frame)."""
from grader.toolkit.compare import Verdict
from grader.judging.stages.state import checks_of
from grader.protocol import encode, pack


def evaluate(check, outcome, expected, case):
    """Verdict for one case from the child's outcome (plain data) and the reference's output."""
    if "contract" in outcome:
        return Verdict(False, str(outcome["contract"]))
    if "error" in outcome:
        return Verdict(False, f"raised {outcome['error']}")
    if outcome.get("mutated"):
        names = ", ".join(map(str, outcome["mutated"]))
        return Verdict(False, f"modified its input ({names}): compute new arrays instead of changing the arguments")
    if check.fail_on_warnings and outcome.get("warnings"):
        return Verdict(False, f"emitted a warning: {outcome['warnings'][0]}", "no warning", outcome["warnings"][0],
                       check.warning_hint)
    got = outcome.get("value")
    if check.probe.pieces is not None:  # what the check asked for decides the shape, not what the child sent
        got = {"value": got, "pieces": outcome.get("pieces")}
    try:
        return check.judge(got, expected, case)
    except Exception as exc:  # a judge must never crash a batch: an unreadable value fails the check
        return Verdict(False, f"the returned value could not be checked ({type(exc).__name__}: {exc})")


def judge_function(state, ctx, spec, reply):
    """[(check, verdict, failing cases)] for one function's results frame (judged once per class
    for each distinct frame, see grader.judging.judged_frames)."""
    judged, called = ctx.judged.once(spec.function, reply, lambda results: [
        judge_check(ctx, c, outcomes) for c, outcomes in zip(checks_of(ctx, spec), results)])
    state.called[spec.function] = [f for f in called if f in ctx.functions]  # selects a hint, never points
    for check, _, _, replayed in judged:
        if replayed is not None:
            state.replayed[check.id] = dict(replayed)  # the search adds to its copy
    return [(check, verdict, failures) for check, verdict, failures, _ in judged]


def judge_check(ctx, check, outcomes):
    """(check, verdict, failing cases, {case key: verdict} or None) from replaying the class's
    cases; the verdicts of every case are kept only for a failing check (its search starts there).
    A check that passes some cases only conditionally (own-piece credit) passes on the condition
    of them all, with the first such case as its failure should it not hold (see settle).
    A failure where that credit is undecided (Verdict.undecided) counts only if no case decided it."""
    failures, undecided, replayed, conditional, pieces = [], [], {}, None, set()
    for case, outcome, exp in zip(ctx.cases[check.id], outcomes, ctx.expected[check.id]):
        verdict = evaluate(check, outcome, exp, case)
        if not verdict.ok:
            (undecided if verdict.undecided else failures).append((case, verdict))
            replayed[case_key(case)] = verdict
        elif verdict.credit_if_failed:
            conditional = conditional or (case, verdict.otherwise)
            pieces.update(verdict.credit_if_failed)
    if not failures and conditional is None:  # nothing decided otherwise: the undecided failures stand
        failures = undecided
    if not failures:
        if conditional is not None:
            return check, Verdict.if_failed(sorted(pieces), conditional[1]), [conditional], None
        return check, Verdict.passed(), [], None
    for case in ctx.cases[check.id]:  # passing cases are known too
        replayed.setdefault(case_key(case), Verdict.passed())
    return check, failures[0][1], failures, replayed


def counts(verdict):
    """A failure a search may stop at: a failing verdict on a case where it is decided (a failure
    whose own-piece credit is undecided there is no counterexample to show)."""
    return not verdict.ok and not verdict.undecided


def case_key(case):
    """Exact identity of a case (its plain-data bytes)."""
    return pack(*encode(case))
