"""Stage record: each function's record (plain data: its checks' points, messages, the input shown),
scored by the rubric, with "fix X first" where the student's code called a function that also lost
points and that function may explain the failure (grader.judging.blame)."""
import re

from grader.forms import form_hint, shown
from grader.judging.blame import blamed, dependency_note, not_from
from grader.toolkit.compare import fmt, fmt_input


def record(state, ctx, client=None):
    state.functions = [function_record(ctx, state, spec, state.verdicts[spec.function]) for spec in ctx.functions.values()]
    note_dependencies(state.functions)


def function_record(ctx, state, spec, verdicts):
    record = _checks_record(ctx, state, spec, verdicts)
    if is_stub(record):  # nothing of the student's ran: no input, expected or got to show
        for check in record["checks"]:
            for key in ("input", "expected", "got"):
                check.pop(key, None)
    return record


def _checks_record(ctx, state, spec, verdicts):
    rubric = ctx.rubric
    checks = []
    for check, verdict, case in verdicts:
        max_points = rubric.check_points(spec.function, check.name)
        record = {"check": check.name, "passed": verdict.ok, "score": max_points if verdict.ok else 0.0,
                  "max_score": max_points}
        if not verdict.ok:
            record.update(message=verdict.message, hint=verdict.hint or (form_hint(case) if case else ""))
            if case is not None:
                record.update(input=_fmt_case(check.arguments(case)), expected=fmt(verdict.expected), got=fmt(verdict.got))
        checks.append(record)
    return {"function": spec.function, "visibility": rubric.visibility_of(spec.function),
            "score": sum(c["score"] for c in checks),
            "max_score": rubric.function_points(spec.function), "depends": list(spec.depends),
            "called": state.called.get(spec.function, []),
            "not_from": not_from([(check, verdict) for check, verdict, _ in verdicts]), "checks": checks}


NOT_IMPLEMENTED = "NotImplementedError"


def is_stub(function):
    """The function is still its untouched stub: every check raised NotImplementedError, at least
    one from this function's own stub (the others may come from a stub it calls first)."""
    name = function["function"].split(".", 1)[1]
    own = re.compile(rf"{NOT_IMPLEMENTED}: {re.escape(name)}[.:]")
    messages = [c.get("message", "") for c in function["checks"]]
    return (all(not c["passed"] for c in function["checks"]) and all(NOT_IMPLEMENTED in m for m in messages)
            and any(own.search(m) for m in messages))


def note_dependencies(functions):
    """"Fix X first" only where the student's code called X (as its child reported), X lost points,
    and the failure may come from X (grader.judging.blame)."""
    failed = {f["function"] for f in functions if f["score"] < f["max_score"]}
    for f in functions:
        broken = blamed(f, failed)
        if f["function"] in failed and broken:
            f["note"] = dependency_note(broken)


def _fmt_case(case):
    return ", ".join(f"{k} = {text}" for k, text in shown(case, fmt_input).items()) if case else "(no arguments)"
