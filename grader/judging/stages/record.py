"""Stage record: each function's record (plain data: its checks' points, messages, the input shown),
scored by the rubric, with "fix X first" where the student's code called a function that also lost points."""
from grader.forms import form_hint, shown
from grader.judging.compare import fmt


def record(state, ctx, client=None):
    state.functions = [function_record(ctx, state, spec, state.verdicts[spec.function]) for spec in ctx.functions.values()]
    note_dependencies(state.functions)


def function_record(ctx, state, spec, verdicts):
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
            "called": state.called.get(spec.function, []), "checks": checks}


def note_dependencies(functions):
    """"Fix X first" only where the student's code called X (as its child reported) and X lost points."""
    failed = {f["function"] for f in functions if f["score"] < f["max_score"]}
    for f in functions:
        broken = [d for d in f.get("called", []) if d in failed]
        if f["function"] in failed and broken:
            f["note"] = dependency_note(broken)


def dependency_note(broken):
    """The note of a function that calls functions which also lost points."""
    return f"this function calls {', '.join(broken)}, which also lost points: fix that first"


def _fmt_case(case):
    return ", ".join(f"{k} = {text}" for k, text in shown(case, fmt).items()) if case else "(no arguments)"
