"""Which functions a function's failure may be blamed on: feedback's "fix X first" note and the
class report's roots of failures (grader.outputs.reteach) read the same fact.

A function's record lists the graded functions the student's code called ("called", as the sandbox
reported) and those its failure is known not to come from ("not_from"). The rule, decidable from the
verdicts alone (no extra run): a called function that lost points is blamed unless every failing
check of the caller was judged against the student's own pieces, that function among them, and the
caller's value on the shown case is not what those pieces, as the student wrote them, imply
(grader.specs.own_pieces): the caller is wrong even with them as they are, so fixing them first
would not help. A check that fails only because another check of the function failed (Check.needs)
does not count. Plain data in, plain data out.
"""


def not_from(judged):
    """The functions none of a function's failures come from: judged = [(check, verdict)]."""
    failed = {check.name for check, verdict in judged if not verdict.ok}
    own = [verdict for check, verdict in judged
           if not verdict.ok and not any(name in failed for name in check.needs)]
    if not own:
        return []
    return sorted(set.intersection(*(set(verdict.not_from) for verdict in own)))


def blamed(function, failed):
    """The called functions, among `failed` (those that lost points), a function's failure may come from."""
    ruled_out = set(function.get("not_from") or ())
    return [d for d in function.get("called") or [] if d in failed and d not in ruled_out and d != function["function"]]


def dependency_note(broken):
    """The note of a function that calls functions which also lost points."""
    return f"this function calls {', '.join(broken)}, which also lost points: fix that first"
