"""Which functions a function's failure may be blamed on: feedback's "fix X first" note and the
class report's roots of failures (grader.outputs.reteach) read the same fact.

A function's record lists the graded functions the student's code called ("called", as the sandbox
reported) and those its failure is known not to come from ("not_from"). The rule, decidable from the
verdicts alone (no extra run): a called function that lost points is blamed unless some failing
check of the caller was judged against the student's own pieces, that function among them, and on
the shown case the caller's value is not what those pieces imply while that function's outputs do
not enter the implication (grader.specs.own_pieces): the caller is wrong there whatever that
function's errors, so "fix that first" would not explain its failure (a per-sample loop in
gradient_descent is wrong with a right squared_error too). A check that fails only because another
check of the function failed (Check.needs) does not count. Plain data in, plain data out.
"""


def not_from(judged):
    """The functions that cannot explain all of a function's failures: judged = [(check, verdict)]."""
    failed = {check.name for check, verdict in judged if not verdict.ok}
    own = [verdict for check, verdict in judged
           if not verdict.ok and not any(name in failed for name in check.needs)]
    return sorted({function for verdict in own for function in verdict.not_from})


def blamed(function, failed):
    """The called functions, among `failed` (those that lost points), a function's failure may come from."""
    ruled_out = set(function.get("not_from") or ())
    return [d for d in function.get("called") or [] if d in failed and d not in ruled_out and d != function["function"]]


def dependency_note(broken):
    """The note of a function that calls functions which also lost points."""
    return f"this function calls {', '.join(broken)}, which also lost points: fix that first"
