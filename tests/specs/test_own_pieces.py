"""Own-piece credit is decided where a wrong piece is distinguishable from the right one: composites
exact for forwards (and losses, gradients) wrong only by terms that vanish at zero keep their credit
on every case, the degenerate ones (all-zero parameters) included."""
from types import SimpleNamespace

import numpy as np
import pytest

from grader import SOLUTIONS_DIR
from grader.judging.blame import blamed, not_from
from grader.judging.stages.judge import evaluate, judge_check
from grader.loader import import_sources, read_sources
from grader.probes import run_probe
from grader.judging.reference import plain, run_reference

DENSE = "    return np.asarray(X, dtype=float) @ np.asarray(W, dtype=float) + np.asarray(b, dtype=float)\n"
# The exact gradient of a network whose dense layer computes X @ (SW * W) + SB * b.
MLP_BACKWARD = '''
def mlp_backward(X, y, params):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    out, cache = mlp_forward(X, params)
    diff = out - y
    g2 = diff * out * (1 - out)
    h = cache["h"]
    g1 = (g2 @ (SW * params["W2"]).T) * h * (1 - h)
    return 0.5 * float(np.sum(diff * diff)), {"W1": SW * X.T @ g1, "b1": SB * g1.sum(axis=0),
                                              "W2": SW * h.T @ g2, "b2": SB * g2.sum(axis=0)}
'''


def _forward(scale_w, scale_b, new):
    edits = [("ex04_mlp_forward", DENSE, new)]
    return edits, MLP_BACKWARD.replace("SW", scale_w).replace("SB", scale_b)


FORWARDS = {
    "sign_of_b": _forward("1.0", "-1.0", DENSE.replace("+ np.asarray(b", "- np.asarray(b")),
    "missing_bias": _forward("1.0", "0.0", DENSE.replace(" + np.asarray(b, dtype=float)", "")),
    "scaled_W": _forward("2.0", "1.0", DENSE.replace("@ np.asarray(W, dtype=float)", "@ (2.0 * np.asarray(W, dtype=float))")),
}
GRADIENT = "    return -X.T @ residual\n"
LOSS = "    return float(0.5 * residual @ residual)\n"
W = "np.asarray(w, dtype=float)"
# ex02's pieces wrong by a term that vanishes at w = 0; the reference's composites call them.
PIECES = {
    "gradient_plus_w": [("ex02_gradient_descent", GRADIENT, f"    return -X.T @ residual + {W}\n")],
    "loss_plus_w_squared": [("ex02_gradient_descent", LOSS, f"    return float(0.5 * residual @ residual + {W} @ {W})\n")],
}
# {composite function: (student, the wrong pieces it may be credited for)}
CASES = [
    *[("ex05_backprop.mlp_backward", name, {"ex04_mlp_forward.mlp_forward"}) for name in FORWARDS],
    ("ex06_sgd.train_mlp", "sign_of_b", {"ex04_mlp_forward.mlp_forward", "ex05_backprop.mlp_backward"}),
    ("ex02_gradient_descent.delta_rule_step", "gradient_plus_w", {"ex02_gradient_descent.squared_error_gradient"}),
    ("ex02_gradient_descent.gradient_descent", "gradient_plus_w",
     {"ex02_gradient_descent.squared_error_gradient", "ex02_gradient_descent.delta_rule_step"}),
    ("ex02_gradient_descent.gradient_descent", "loss_plus_w_squared", {"ex02_gradient_descent.squared_error"}),
]


def _student(name):
    sources = read_sources(SOLUTIONS_DIR)
    edits, extra = FORWARDS[name] if name in FORWARDS else (PIECES[name], "")
    for module, old, new in edits:
        assert sources[module].count(old) == 1, (name, old)
        sources[module] = sources[module].replace(old, new)
    if extra:
        sources["ex05_backprop"] += extra
    impl, status = import_sources(sources, name)
    assert not any(status.values()), status
    return impl


def _zeroed(case, keys=None):
    """The case with every float array (under `keys`, default all) replaced by zeros."""
    def zero(value):
        if isinstance(value, dict):
            return {k: zero(v) for k, v in value.items()}
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            return np.zeros_like(value)
        return value
    return {k: zero(v) if keys is None or k in keys else v for k, v in case.items()}


def _variants(case):
    """The case, all of it zero, and each of its inputs zero in turn (where a search shrinks to)."""
    return [case, _zeroed(case)] + [_zeroed(case, {k}) for k in case]


def _verdict(check, impl, case, expected):
    """The judge's verdict on what the student's code returns for the case (as the child reports it)."""
    output = plain(run_probe(check.probe, impl, case))
    outcome = output if check.probe.pieces is not None else {"value": output}
    return evaluate(check, outcome, expected, case)


def test_every_check_under_the_rule_is_covered(ctx):
    ruled = {c.function for c in ctx.checks.values() if getattr(c.judge, "own_pieces", False)}
    assert ruled == {function for function, _, _ in CASES}


# Composites whose pieces are compared through what they imply (finite differences): every case is
# decided there; elsewhere a case may be undecided (pieces within tolerance, the chain's sum beyond it).
DECIDED_EVERYWHERE = {"ex05_backprop.mlp_backward"}


@pytest.mark.parametrize("function, student, pieces", CASES, ids=[f"{f.split('.')[1]}-{s}" for f, s, _ in CASES])
def test_a_composite_exact_for_its_own_pieces_is_credited_on_every_case(ctx, function, student, pieces):
    impl = _student(student)
    credited = 0
    for check in [c for c in ctx.checks.values() if c.function == function]:
        cases = ctx.cases[check.id] if check.cases is None else [v for case in ctx.cases[check.id] for v in _variants(case)]
        expected = [run_reference(check, ctx.reference, case) for case in cases]
        outcomes = []
        for case, exp in zip(cases, expected):
            output = plain(run_probe(check.probe, impl, case))
            outcomes.append(output if check.probe.pieces is not None else {"value": output})
            verdict = evaluate(check, outcomes[-1], exp, case)
            assert verdict.ok or (verdict.undecided and function not in DECIDED_EVERYWHERE), (check.id, case, verdict.message)
            assert set(verdict.credit_if_failed) <= pieces, (check.id, verdict.credit_if_failed)
            credited += bool(verdict.credit_if_failed)
        # the check as the grader judges it over all these cases: a (conditional) pass
        judged_ctx = SimpleNamespace(cases={check.id: cases}, expected={check.id: expected})
        _, verdict, _, _ = judge_check(judged_ctx, check, outcomes)
        assert verdict.ok and set(verdict.credit_if_failed) <= pieces, (check.id, verdict)
    assert credited, "the student's pieces are right: no credit was needed"
    for piece in pieces - {f for f, _, _ in CASES}:  # a composite piece is excused by its own pieces (settle)
        own = [c for c in ctx.checks.values() if c.function == piece]
        assert any(not _verdict(c, impl, case, exp).ok
                   for c in own for case, exp in zip(ctx.cases[c.id], ctx.expected[c.id])), f"{piece} loses no points"


# ---- "fix X first" only where X can explain the failure (grader.judging.blame) -------------------
_EX2 = "ex02_gradient_descent"
_DESCENT = '''    for _ in range(steps):
        losses.append(squared_error(w, X, y))
        w = delta_rule_step(w, X, y, lr)
'''
# {student: (edits of ex02, the called functions that lost points, those "fix X first" may name)}
DESCENTS = {
    # its loss lacks 1/2, which gradient_descent halves back; the steps go one sample at a time
    "per_sample_steps": ([(LOSS, "    return float(residual @ residual)\n"),
                          (_DESCENT, _DESCENT.replace("squared_error(w, X, y))", "squared_error(w, X, y) / 2)").replace(
                              "        w = delta_rule_step(w, X, y, lr)\n",
                              "        for x_i, y_i in zip(np.asarray(X, dtype=float), np.asarray(y, dtype=float)):\n"
                              "            w = w + lr * (y_i - x_i @ w) * x_i\n"))],
                         {f"{_EX2}.squared_error"}, set()),
    # its delta_rule_step is right (inline); gradient_descent steps with its doubled gradient instead
    "steps_on_its_gradient": ([(GRADIENT, "    return -2 * X.T @ residual\n"),
                               ("    return np.asarray(w, dtype=float) - lr * squared_error_gradient(w, X, y)\n",
                                "    w, X = np.asarray(w, dtype=float), np.asarray(X, dtype=float)\n"
                                "    return w + lr * X.T @ (np.asarray(y, dtype=float) - X @ w)\n"),
                               ("        w = delta_rule_step(w, X, y, lr)\n",
                                "        w = w - lr * squared_error_gradient(w, X, y)\n")],
                              {f"{_EX2}.squared_error_gradient"}, {f"{_EX2}.squared_error_gradient"}),
}


@pytest.mark.parametrize("student", sorted(DESCENTS))
def test_fix_first_names_only_called_functions_that_can_explain_the_failure(ctx, student):
    edits, lost, named = DESCENTS[student]
    sources = read_sources(SOLUTIONS_DIR)
    for old, new in edits:
        assert sources[_EX2].count(old) == 1, old
        sources[_EX2] = sources[_EX2].replace(old, new)
    impl, status = import_sources(sources, student)
    assert not any(status.values()), status
    checks = [c for c in ctx.checks.values() if c.function == f"{_EX2}.gradient_descent"]
    every = ([(check, _verdict(check, impl, case, run_reference(check, ctx.reference, case))) for check in checks]
             for case in ctx.cases[checks[0].id])
    judged = next((j for j in every if any(not verdict.ok for _, verdict in j)), None)
    assert judged, "gradient_descent passes every case"
    record = {"function": f"{_EX2}.gradient_descent", "called": sorted(lost | {f"{_EX2}.linear_predict"}),
              "not_from": not_from(judged)}
    assert set(blamed(record, lost | {record["function"]})) == named, record


def test_a_piece_is_ruled_out_by_any_failure_it_cannot_explain():
    from grader.toolkit.compare import Verdict
    check = lambda name, *needs: SimpleNamespace(name=name, needs=needs)  # noqa: E731
    own = Verdict(False, "differs", not_from=("f", "g"))
    assert not_from([(check("a"), own), (check("b", "a"), Verdict(False, "needs a"))]) == ["f", "g"]
    assert not_from([(check("a"), own), (check("b"), Verdict(False, "its own"))]) == ["f", "g"]
    assert not_from([(check("a"), Verdict(False, "x", not_from=("h",))), (check("b"), own)]) == ["f", "g", "h"]
    assert not_from([(check("a"), Verdict(False, "x")), (check("b", "a"), own)]) == []  # b fails because a did
    record = {"function": "h", "called": ["f", "g", "k"], "not_from": ["g"]}
    assert blamed(record, {"f", "g", "h"}) == ["f"]
