"""One rule for "right given your own wrong pieces", decided in the judge.

A composite (delta_rule_step on the student's gradient, gradient_descent on their squared_error and
delta_rule_step, mlp_backward on their mlp_forward, train_mlp through their mlp_forward and
mlp_backward) that fails against the reference keeps its points when it is exactly what the
student's own pieces imply, so one wrong piece is not penalised twice. The child only reports plain
outputs of direct calls of the pieces (Probe.pieces); all arithmetic happens here.

A piece is wrong on a case when it is distinguishable there from the true function: its outputs
differ from the true ones (within the comparison's tolerance), or what they imply for the composite
differs from what the true outputs imply (`differs`: finite differences divide by 2 * FD_STEP, so a
forward wrong by a term that vanishes at the case, -b at b = 0, W scaled at W = 0, a missing bias,
differs from the true one by ~1e-6 around it, inside the tolerance, while its gradient is off by
100%). Then the functions whose outputs differ at all (beyond rounding) are the wrong pieces.

No credit when:
  - what came back is not what was asked for (number of outputs, shapes: those of the reference's
    outputs on the same calls) or holds nan/inf;
  - a piece is degenerate: zero on all its calls where the true values are not, or one and the same
    output on all its calls where the true outputs differ (a constant cannot make a composite
    "consistent"; a piece that ignores one argument, as a forward without its bias, is not constant);
  - no piece is wrong on the case (the composite is then simply wrong), or the true pieces give nan;
  - a piece whose outputs differ did not lose points on its own checks (right in its own checks,
    wrong only as a piece): the credit is a conditional pass naming every differing piece
    (Verdict.if_failed), settled by grader.judging.stages.settle once the whole submission is judged.

A composite that is not what its (usable, non-degenerate) own pieces imply fails on its own as far
as a piece whose outputs do not enter that implication goes (the implication is the same with that
piece's true outputs: gradient_descent's final weights and its squared_error): its verdict names
such pieces as Verdict.not_from, and "fix X first" does not name them (grader.judging.blame). A
piece whose errors change the implied value (a forward without its output sigmoid, which the
student's backward assumes) may well be the cause: the note stays.

Where the decision cannot be taken (no piece is distinguishable from the true one on the case, yet
the composite both fails the reference and agrees with its own pieces: tolerances stacking up), the
failure is marked undecided (Verdict.undecided): grader.judging.stages.judge judges the check on the cases where
the decision stands and never shrinks a failure onto such a case.
"""
import dataclasses

import numpy as np

from grader.toolkit.compare import Verdict, WrongType, as_array, close

SPREAD = 1e-6  # true outputs that differ by less (relative) may round to equal ones in float32
ROUNDING = 1e-9  # outputs closer than this (relative) are the same number computed another way


def own_piece_credit(judge, declared, implied, agree, true_pieces=None, differs=None):
    """A judge: judge(got, expected, case) first; if it fails, a conditional pass when the value
    agrees with what the student's own pieces imply.
      declared(case) -> the Calls the probe made (grader.probes), to check what came back;
      implied(piece arrays, case) -> what those piece outputs imply (judge-only arithmetic);
      agree(value, implied, case) -> bool: the value is what the pieces imply;
      true_pieces(piece arrays, got, case) -> the true outputs on the inputs of the student's calls,
        where those depend on the student's outputs (a chain of steps, the returned params);
        by default the reference's outputs on the same calls;
      differs(implied by own, implied by true, case) -> bool: the two imply different composites
        (for an implication that magnifies small differences, such as finite differences)."""
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
            mine = implied(own, case)
            wrong = wrong_pieces(calls, own, truth, lambda: bool(differs(mine, implied(truth, case), case)) if differs else False)
            if _agrees(agree, got["value"], mine, case):
                return Verdict.if_failed(wrong, verdict) if wrong else dataclasses.replace(verdict, undecided=True)
            # Not what its own pieces imply: a piece whose outputs do not enter that implication (the
            # same with its true outputs) cannot explain the failure.
            unused = [f for f in sorted({call.function for call in calls})
                      if _same_implication(mine, implied(_with_true(f, calls, own, truth), case), case, differs)]
            return dataclasses.replace(verdict, not_from=tuple(unused)) if unused else verdict
        except (ArithmeticError, ValueError, WrongType, KeyError, TypeError):
            pass
        return verdict
    wrapped.own_pieces = True  # marks the judges under this rule (the kit's tests cover each)
    return wrapped


def wrong_pieces(calls, own, truth, implications_differ):
    """The functions distinguishable from the true ones on this case (sorted): those with an output
    outside the tolerance; failing that, when what the outputs imply differs, those with an output
    that differs beyond rounding."""
    wrong = {call.function for call, mine, true in zip(calls, own, truth) if not close(mine, true)}
    if not wrong and implications_differ():
        wrong = {call.function for call, mine, true in zip(calls, own, truth) if not close(mine, true, ROUNDING, ROUNDING)}
    return sorted(wrong)


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
    wrong forward may well be 0 at one input, e.g. z = 0 without its sigmoid), or one and the same
    output on all its calls where the true outputs differ (a constant)."""
    for function in set(functions):
        calls = [i for i, f in enumerate(functions) if f == function]
        if not any(np.any(own[i]) for i in calls) and any(np.any(truth[i]) for i in calls):
            return True
        first = own[calls[0]]
        if len(calls) > 1 and all(own[i].shape == first.shape and np.array_equal(own[i], first) for i in calls[1:]):
            base = truth[calls[0]]
            scale = SPREAD * max(1.0, float(np.max(np.abs(base), initial=0.0)))
            if any(float(np.max(np.abs(truth[i] - base), initial=0.0)) > scale for i in calls[1:]):
                return True
    return False


def _with_true(function, calls, own, truth):
    """The student's piece outputs, those of `function` replaced by the true ones."""
    return [t if call.function == function else o for call, o, t in zip(calls, own, truth)]


def _same_implication(mine, truth, case, differs):
    """What the student's pieces imply for the composite is what the true pieces imply."""
    if differs is not None:
        return not differs(mine, truth, case)
    if isinstance(mine, dict):
        return isinstance(truth, dict) and mine.keys() == truth.keys() and all(
            _same_implication(mine[k], truth[k], case, None) for k in mine)
    mine, truth = np.asarray(mine, dtype=float), np.asarray(truth, dtype=float)
    return mine.shape == truth.shape and close(mine, truth)


def _agrees(agree, value, implied, case):
    try:
        return bool(agree(value, implied, case))
    except (WrongType, TypeError, KeyError, ValueError, ArithmeticError):
        return False
