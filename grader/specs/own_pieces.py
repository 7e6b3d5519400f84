"""One rule for "right given your own wrong pieces", decided in the judge.

A composite (delta_rule_step on the student's gradient, gradient_descent on their squared_error and
delta_rule_step, mlp_backward on their mlp_forward, train_mlp through their mlp_forward and
mlp_backward) that fails against the reference keeps its points when it is exactly what the
student's own pieces imply, so one wrong piece is not penalised twice. The child only reports plain
outputs of direct calls of the pieces (Probe.pieces); all arithmetic happens here. No credit when:
  - what came back is not what was asked for (number of outputs, shapes: those of the reference's
    outputs on the same calls) or holds nan/inf;
  - a piece is degenerate: zero on all its calls where the true values are not, or the same output
    on calls where the true outputs differ (a constant cannot make a composite "consistent");
  - no piece output differs from the true function's on the same inputs (the composite is then
    simply wrong), or the true pieces give nan there;
  - a piece whose outputs differ did not lose points on its own checks (right in its own checks,
    wrong only as a piece): the credit is a conditional pass naming every differing piece
    (Verdict.if_failed), settled by grader.grading.settle once the whole submission is judged.
"""
import numpy as np

from grader.compare import Verdict, WrongType, as_array, close

SPREAD = 1e-6  # true outputs that differ by less (relative) may round to equal ones in float32


def own_piece_credit(judge, declared, implied, agree, true_pieces=None):
    """A judge: judge(got, expected, case) first; if it fails, a conditional pass when the value
    agrees with what the student's own pieces imply.
      declared(case) -> the Calls the probe made (grader.probes), to check what came back;
      implied(piece arrays, case) -> what those piece outputs imply (judge-only arithmetic);
      agree(value, implied, case) -> bool: the value is what the pieces imply;
      true_pieces(piece arrays, got, case) -> the true outputs on the inputs of the student's calls,
        where those depend on the student's outputs (a chain of steps, the returned params);
        by default the reference's outputs on the same calls."""
    def wrapped(got, expected, case):
        verdict = judge(got, expected, case)
        if verdict.ok:
            return verdict
        calls = declared(case)
        own = usable_pieces(got.get("pieces"), len(calls), expected["pieces"])
        reference = [np.asarray(value, dtype=float) for _, value in expected["pieces"]]
        if own is None or degenerate(own, reference, [call.function for call in calls]):
            return verdict
        try:
            truth = [np.asarray(t, dtype=float) for t in true_pieces(own, got, case)] if true_pieces else reference
            if len(truth) != len(own) or not all(np.all(np.isfinite(t)) for t in truth):
                return verdict
            wrong = sorted({call.function for call, mine, true in zip(calls, own, truth) if not close(mine, true)})
            if wrong and _agrees(agree, got["value"], implied(own, case), case):
                return Verdict.if_failed(wrong, verdict)
        except (ArithmeticError, ValueError, WrongType, KeyError, TypeError):
            pass
        return verdict
    return wrapped


def usable_pieces(pieces, count, reference):
    """The piece outputs as float arrays, or None unless there are `count` of them, each a value of
    the reference's shape, finite."""
    if not isinstance(pieces, list) or len(pieces) != count or len(reference) != count:
        return None
    arrays = []
    for piece, (_, true_value) in zip(pieces, reference):
        if not (isinstance(piece, list) and len(piece) == 2 and piece[0] == "ok"):
            return None
        try:
            value = as_array(piece[1])
        except WrongType:
            return None
        if value.shape != np.shape(true_value) or not np.all(np.isfinite(value)):
            return None
        arrays.append(value)
    return arrays


def degenerate(own, truth, functions):
    """A piece function whose outputs are all zero where the true ones are not (on every call: a
    wrong forward may well be 0 at one input, e.g. z = 0 without its sigmoid), or one output for
    calls whose true outputs differ."""
    for function in set(functions):
        calls = [i for i, f in enumerate(functions) if f == function]
        if not any(np.any(own[i]) for i in calls) and any(np.any(truth[i]) for i in calls):
            return True
    same = {}
    for index, (function, mine) in enumerate(zip(functions, own)):
        same.setdefault((function, mine.shape, mine.tobytes()), []).append(index)
    for group in same.values():
        first = truth[group[0]]
        scale = SPREAD * max(1.0, float(np.max(np.abs(first), initial=0.0)))
        if any(float(np.max(np.abs(truth[i] - first), initial=0.0)) > scale for i in group[1:]):
            return True
    return False


def _agrees(agree, value, implied, case):
    try:
        return bool(agree(value, implied, case))
    except (WrongType, TypeError, KeyError, ValueError, ArithmeticError):
        return False
