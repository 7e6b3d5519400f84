"""Checks for exercise 2, squared loss and the delta rule."""
import numpy as np
from hypothesis import strategies as st

from grader import strategies as S
from grader.finite_diff import numeric_gradients
from grader.specs import Check, ContractError, spec
from grader.specs.judges import Verdict, WrongType, as_array, gradients_match_fd, same_array, same_float

M = "ex02_gradient_descent"
SLIDES = {"w": np.array([0.0]), "X": np.array([[1.0], [2.0], [3.0]]), "y": np.array([1.0, 2.0, 3.0])}


def _m(impl):
    return getattr(impl, M)


def _grad(c):
    return -c["X"].T @ (c["y"] - c["X"] @ c["w"])


def _loss_mistakes(c):
    r = c["y"] - c["X"] @ c["w"]
    return {"the 1/2 in front of the sum is missing": float(r @ r),
            "the mean is taken instead of 1/2 * sum": float(r @ r / len(r))}


def _grad_mistakes(c):
    return {"this is the gradient of the mean loss; E sums over the samples": _grad(c) / len(c["y"])}


def _fd_probe(impl, c):
    m = _m(impl)
    analytic = {"w": m.squared_error_gradient(c["w"], c["X"], c["y"])}
    numeric = numeric_gradients(lambda v: m.squared_error(v["w"], c["X"], c["y"]), {"w": c["w"]}, ["w"])
    return {"analytic": analytic, "numeric": numeric}


def _step_probe(impl, c):
    """The step, and the step the student's own gradient implies (no double penalty for a wrong gradient)."""
    m = _m(impl)
    step = m.delta_rule_step(c["w"], c["X"], c["y"], c["lr"])
    try:
        gradient = np.asarray(m.squared_error_gradient(c["w"], c["X"], c["y"]), dtype=float)
        own = {"step": np.asarray(c["w"], dtype=float) - c["lr"] * gradient}
    except Exception:  # the gradient is graded on its own
        own = None
    return {"step": step, "own": own}


def _step_judge(got, expected, c):
    mistakes = {"the step goes uphill: the update is w - lr * dE/dw (check the sign)": c["w"] + c["lr"] * _grad(c)}
    return same_array("delta_rule_step(w, X, y, lr)", lambda _: mistakes)(got["step"], expected["step"], c)


def _descent_probe(impl, c):
    m = _m(impl)
    result = m.gradient_descent(c["w"], c["X"], c["y"], c["lr"], c["steps"])
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ContractError("gradient_descent must return a pair (w, losses)")
    return {"w": result[0], "losses": result[1], "own": _own_descent(m, c)}


def _own_descent(m, c):
    """The same loop built from the student's own squared_error and delta_rule_step."""
    try:
        w, losses = np.array(c["w"], dtype=float), []
        for _ in range(c["steps"]):
            losses.append(float(m.squared_error(w, c["X"], c["y"])))
            w = np.asarray(m.delta_rule_step(w, c["X"], c["y"], c["lr"]), dtype=float)
        return {"w": w, "losses": np.array(losses)}
    except Exception:  # the pieces are graded on their own
        return None


def _or_own(key, judge):
    """Pass a composite that is right given the student's own (wrong) pieces: no double penalty."""
    def wrapped(got, expected, c):
        verdict = judge(got, expected, c)
        own = got.get("own")
        if verdict.ok or not own:
            return verdict
        if same_array("")(got[key], own[key], c).ok and not same_array("")(own[key], expected[key], c).ok:
            return Verdict.passed()
        return verdict
    return wrapped


def _losses_judge(got, expected, c):
    try:
        losses = as_array(got["losses"], "losses")
    except WrongType as exc:
        return Verdict(False, str(exc), expected["losses"], got["losses"])
    if losses.shape != (c["steps"],):
        return Verdict(False, f"losses should hold one value per step: length {c['steps']}, got shape {losses.shape}",
                       expected["losses"], losses)
    verdict = same_array("losses")(losses, expected["losses"], c)
    after = [_loss(w, c) for w in _trajectory(c)[1:]]
    if not verdict.ok and np.allclose(losses, after, rtol=1e-4):
        return Verdict(False, "losses are shifted by one step", expected["losses"], losses,
                       "losses[k] must be E *before* step k; these are the losses after each step")
    return verdict


def _loss(w, c):
    r = c["y"] - c["X"] @ w
    return 0.5 * float(r @ r)


def _trajectory(c):
    ws = [np.asarray(c["w"], dtype=float)]
    for _ in range(c["steps"]):
        w = ws[-1]
        ws.append(w + c["lr"] * c["X"].T @ (c["y"] - c["X"] @ w))
    return ws


FUNCTIONS = [
    spec(
        f"{M}.linear_predict",
        Check(f"{M}.linear_predict", "matches_reference", lambda impl, c: _m(impl).linear_predict(c["w"], c["X"]),
              same_array("linear_predict(w, X)"), cases=S.linear_case()),
    ),
    spec(
        f"{M}.squared_error",
        Check(f"{M}.squared_error", "matches_reference", lambda impl, c: _m(impl).squared_error(c["w"], c["X"], c["y"]),
              same_float("squared_error(w, X, y)", _loss_mistakes), cases=S.linear_case(), examples=(SLIDES,)),
        depends=(f"{M}.linear_predict",),
    ),
    spec(
        f"{M}.squared_error_gradient",
        Check(f"{M}.squared_error_gradient", "matches_reference",
              lambda impl, c: _m(impl).squared_error_gradient(c["w"], c["X"], c["y"]),
              same_array("squared_error_gradient(w, X, y)", _grad_mistakes), cases=S.linear_case(), examples=(SLIDES,)),
        Check(f"{M}.squared_error_gradient", "finite_differences", _fd_probe,
              gradients_match_fd("squared_error_gradient", ["w"]), cases=S.linear_case(), max_examples=8),
    ),
    spec(
        f"{M}.delta_rule_step",
        Check(f"{M}.delta_rule_step", "matches_reference", _step_probe, _or_own("step", _step_judge),
              cases=S.linear_case(with_lr=True)),
        depends=(f"{M}.squared_error_gradient",),
    ),
    spec(
        f"{M}.gradient_descent",
        Check(f"{M}.gradient_descent", "final_weights", _descent_probe,
              _or_own("w", lambda got, exp, c: same_array("the final w")(got["w"], exp["w"], c)),
              cases=st.tuples(S.linear_case(with_lr=True), st.integers(1, 5)).map(lambda p: {**p[0], "lr": p[0]["lr"] / 10, "steps": p[1]}),
              max_examples=10),
        Check(f"{M}.gradient_descent", "loss_history", _descent_probe, _or_own("losses", _losses_judge),
              cases=st.tuples(S.linear_case(with_lr=True), st.integers(1, 5)).map(lambda p: {**p[0], "lr": p[0]["lr"] / 10, "steps": p[1]}),
              max_examples=10),
        depends=(f"{M}.squared_error", f"{M}.delta_rule_step"),
    ),
]
