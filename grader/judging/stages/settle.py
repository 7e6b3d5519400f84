"""Stage settle: what one check's verdict owes to other checks, once the whole submission is judged.

Two steps, in place, on the submission's own entries (a judged frame's cached verdicts stay a pure
function of its bytes):
  - settle_credit: own-piece credit (Verdict.credit_if_failed) holds only if every piece it names
    lost points on its own checks, or is itself excused by its own wrong pieces (a piece that passes
    its own checks cannot excuse a composite). One pass in dependency order (FunctionSpec.depends):
    a function's pieces are among what it depends on, so they are settled before it; a piece not
    settled yet when its composite is reached (not declared in depends) excuses nothing.
  - require_needs: a behaviour check (Check.needs) earns its points only when the checks it needs
    (its function's value check) passed.
"""
from grader.toolkit.compare import Verdict


def settle(state, ctx, client=None):
    settle_verdicts(state.verdicts, {spec.function: spec.depends for spec in ctx.functions.values()})


def settle_verdicts(verdicts, depends):
    """Both steps on {function: [(check, verdict, failing cases)]}; depends = {function: the
    functions it calls}."""
    settle_credit(verdicts, dependency_order(verdicts, depends))
    require_needs(verdicts)


def dependency_order(functions, depends):
    """The functions, each after everything it depends on (otherwise in their own order)."""
    order, seen = [], set()

    def visit(function):
        if function in seen:
            return
        seen.add(function)
        for dependency in depends.get(function, ()):
            visit(dependency)
        order.append(function)

    for function in functions:
        visit(function)
    return order


def settle_credit(verdicts, order):
    credited = set()

    def excused(function):
        return function in credited or any(not v.ok for _, v, _ in verdicts.get(function, ()))

    def unsettled(function):
        return any(v.credit_if_failed for _, v, _ in verdicts.get(function, ()))

    for function in order:
        entries = verdicts.get(function, [])
        for i, (check, verdict, failures) in enumerate(entries):
            if not verdict.credit_if_failed:
                continue
            pieces = [p for p in verdict.credit_if_failed if p != function]
            credit = not any(unsettled(p) for p in pieces) and all(excused(p) for p in pieces)
            entries[i] = (check, Verdict.passed(), []) if credit else (check, verdict.otherwise, failures)
            if credit:
                credited.add(function)


def require_needs(verdicts):
    for entries in verdicts.values():
        passed = {check.name for check, verdict, _ in entries if verdict.ok}
        for i, (check, verdict, _) in enumerate(entries):
            missing = [name for name in check.needs if name not in passed]
            if verdict.ok and missing:
                entries[i] = (check, Verdict(False, f"this behaviour earns its points only together with {', '.join(missing)}, "
                                                    "which must pass first"), [])
