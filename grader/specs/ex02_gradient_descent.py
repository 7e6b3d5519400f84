"""Checks for exercise 2, squared loss and the delta rule (judge side; the probes are in grader.probes)."""
import numpy as np
from hypothesis import strategies as st

from grader.toolkit import strategies as S
from grader.toolkit.compare import close
from grader.toolkit.finite_diff import central_differences
from grader.probes import ex02_gradient_descent as P
from grader.specs import Check, args, spec
from grader.specs.judges import Verdict, WrongType, as_array, fd_judge, same_array, same_float
from grader.specs.own_pieces import own_piece_credit, usable_pieces

M = "ex02_gradient_descent"
SLIDES = {"w": np.array([0.0]), "X": np.array([[1.0], [2.0], [3.0]]), "y": np.array([1.0, 2.0, 3.0])}


def _grad(c):
    return -c["X"].T @ (c["y"] - c["X"] @ c["w"])


def _loss_mistakes(c):
    r = c["y"] - c["X"] @ c["w"]
    return {"the 1/2 in front of the sum is missing": float(r @ r),
            "the mean is taken instead of 1/2 * sum": float(r @ r / len(r)),
            "this is the mean with a 1/2, 1/(2m) * sum (the cost in some textbooks); E here is 1/2 * sum, "
            "without dividing by the number of samples m": float(r @ r / (2 * len(r)))}


def _grad_mistakes(c):
    return {"this is the gradient of the mean loss; E sums over the samples": _grad(c) / len(c["y"])}


def _fd_expected(reference, c):
    """Central differences of the reference's squared_error (from its piece calls), once per case."""
    return {**reference, "numeric": central_differences([v for _, v in reference["pieces"]], {"w": np.shape(c["w"])})}


def _own_fd(got, expected, c):
    own = usable_pieces(got.get("pieces"), len(expected["pieces"]), expected["pieces"])
    return None if own is None else central_differences([float(v) for v in own], {"w": np.shape(c["w"])})


def _step_judge(got, expected, c):
    mistakes = {"the step goes uphill: the update is w - lr * dE/dw (check the sign)": c["w"] + c["lr"] * _grad(c)}
    return same_array("delta_rule_step(w, X, y, lr)", lambda _: mistakes)(got["value"], expected["value"], c)


def _close(value, implied, c):
    return close(as_array(value), implied)


_own_step = own_piece_credit(_step_judge, P.step_pieces,
                             implied=lambda own, c: np.asarray(c["w"], dtype=float) - c["lr"] * own[0], agree=_close)


def _final_w(got, expected, c):
    return same_array("the final w")(got["value"]["w"], expected["value"]["w"], c)


def _true_descent_pieces(own, got, c):
    """The true squared_error and delta-rule step at each w of the student's own chain."""
    truth = []
    for k in range(c["steps"]):
        w = np.asarray(c["w"], dtype=float) if k == 0 else own[2 * k - 1]
        truth += [_loss(w, c), w - c["lr"] * _grad({**c, "w": w})]
    return truth


_own_descent_w = own_piece_credit(_final_w, P.descent_pieces, implied=lambda own, c: own[-1],
                                  agree=lambda value, implied, c: _close(value["w"], implied, c), true_pieces=_true_descent_pieces)


def _history(got, expected, c):
    return _losses_judge(got["value"], expected["value"], c)


_own_descent_losses = own_piece_credit(_history, P.descent_pieces, implied=lambda own, c: np.array([float(v) for v in own[0::2]]),
                                       agree=lambda value, implied, c: _close(value["losses"], implied, c),
                                       true_pieces=_true_descent_pieces)


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


_DESCENT_CASES = st.tuples(S.linear_case(with_lr=True), st.integers(1, 5)).map(
    lambda p: {**p[0], "lr": p[0]["lr"] / 10, "steps": p[1]})

_DESCENT_ARGS = args(("w0", "w"), "X", "y", "lr", "steps")

FUNCTIONS = [
    spec(
        f"{M}.linear_predict",
        Check(f"{M}.linear_predict", "matches_reference", same_array("linear_predict(w, X)"), cases=S.linear_case(),
              shown=args("w", "X")),
    ),
    spec(
        f"{M}.squared_error",
        Check(f"{M}.squared_error", "matches_reference", same_float("squared_error(w, X, y)", _loss_mistakes),
              cases=S.linear_case(), examples=(SLIDES,)),
        depends=(f"{M}.linear_predict",),
    ),
    spec(
        f"{M}.squared_error_gradient",
        Check(f"{M}.squared_error_gradient", "matches_reference",
              same_array("squared_error_gradient(w, X, y)", _grad_mistakes), cases=S.linear_case(), examples=(SLIDES,)),
        Check(f"{M}.squared_error_gradient", "finite_differences",
              fd_judge("squared_error_gradient", ["w"], analytic=lambda value: {"w": value}, own=_own_fd),
              cases=S.linear_case(), max_examples=8, prepare=_fd_expected),
    ),
    spec(
        f"{M}.delta_rule_step",
        Check(f"{M}.delta_rule_step", "matches_reference", _own_step, cases=S.linear_case(with_lr=True)),
        depends=(f"{M}.squared_error_gradient",),
    ),
    spec(
        f"{M}.gradient_descent",
        Check(f"{M}.gradient_descent", "final_weights", _own_descent_w,
              describe="the weights after the last step of gradient descent", cases=_DESCENT_CASES, max_examples=10,
              shown=_DESCENT_ARGS),
        Check(f"{M}.gradient_descent", "loss_history", _own_descent_losses,
              describe="the loss recorded before each step", cases=_DESCENT_CASES, max_examples=10,
              shown=_DESCENT_ARGS),
        depends=(f"{M}.squared_error", f"{M}.delta_rule_step"),
    ),
]
