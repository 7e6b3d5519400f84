"""Tests for exercise 2 (squared loss and the delta rule). Run: pytest exercises/test_ex02_gradient_descent.py

The expected values come from the slides' worked example, from finite
differences of *your* squared_error, and from torch autograd applied to the
loss formula E(w) = 1/2 * sum_d (y_d - w . x_d)^2. A function that is right
given your own (wrong) pieces passes: the pieces' own tests report them.
"""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

# The slides' data: x = y = [1, 2, 3], one weight (no bias column).
SLIDE_X = np.array([[1.0], [2.0], [3.0]])
SLIDE_Y = np.array([1.0, 2.0, 3.0])


@st.composite
def problems(draw):
    """(w, X, y) with m samples of n features, moderate values."""
    m, n = draw(st.integers(1, 6)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return rng.normal(size=n), rng.normal(size=(m, n)) * 2, rng.normal(size=m) * 2


def autograd_gradient(w, X, y):
    """dE/dw of E = 1/2 * sum (y - X w)^2, by torch autograd (float64)."""
    w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    residual = torch.tensor(y, dtype=torch.float64) - torch.tensor(X, dtype=torch.float64) @ w_t
    (0.5 * (residual**2).sum()).backward()
    return w_t.grad.numpy()


def loss(w, X, y):
    residual = y - X @ w
    return 0.5 * float(residual @ residual)


# --- linear_predict -----------------------------------------------------------


@given(problem=problems())
def test_linear_predict_is_x_dot_w(problem, ex02, check):
    w, X, _ = problem
    got = ex02.linear_predict(w, X)
    check.close(got, X @ w, f"linear_predict(w, X) with w = {check.fmt(w)}, X = {check.fmt(X)}")


# --- squared_error ------------------------------------------------------------


@pytest.mark.parametrize("w, expected", [(1.0, 0.0), (0.0, 7.0), (2.0, 7.0)])
def test_squared_error_slide_values(w, expected, ex02, check):
    got = ex02.squared_error(np.array([w]), SLIDE_X, SLIDE_Y)
    note = " (the slides print 4.5, a misprint: 1/2 * (1 + 4 + 9) = 7)" if expected else ""
    check.close(got, expected, f"squared_error(w=[{w:g}], x=[1, 2, 3], y=[1, 2, 3]){note}", rtol=1e-6)


@given(problem=problems())
def test_squared_error_is_half_the_sum_of_squares(problem, ex02, check):
    w, X, y = problem
    got = ex02.squared_error(w, X, y)
    check.close(got, loss(w, X, y), f"squared_error(w, X, y) = 1/2 * sum (y - X w)^2 with w = {check.fmt(w)}, "
                f"X = {check.fmt(X)}, y = {check.fmt(y)} (not the mean, and keep the 1/2)")


# --- squared_error_gradient ---------------------------------------------------


@pytest.mark.parametrize("w, expected", [(1.0, 0.0), (0.0, -14.0), (2.0, 14.0)])
def test_squared_error_gradient_slide_values(w, expected, ex02, check):
    got = ex02.squared_error_gradient(np.array([w]), SLIDE_X, SLIDE_Y)
    check.close(got, [expected], f"squared_error_gradient(w=[{w:g}], x=[1, 2, 3], y=[1, 2, 3]) = -X^T (y - X w)")


@given(problem=problems())
def test_squared_error_gradient_matches_finite_differences(problem, ex02, check):
    w, X, y = problem
    got = ex02.squared_error_gradient(w, X, y)
    # E is quadratic in w, so central differences are exact up to rounding, for any step;
    # a float32 E rounds to ~1e-7 * E, which the step turns into ~1e-6 * E.
    numeric = check.numeric_gradient(lambda v: ex02.squared_error(v, X, y), w, h=0.1)
    # the true gradient of a wrong squared_error passes here: squared_error's own tests report it
    check.close_either(got, numeric, lambda: autograd_gradient(w, X, y),
                       f"squared_error_gradient(w, X, y) vs central finite differences of your squared_error "
                       f"with w = {check.fmt(w)}, X = {check.fmt(X)}, y = {check.fmt(y)}", rtol=1e-3, atol=1e-4 + 1e-5 * loss(w, X, y))


@given(problem=problems())
def test_squared_error_gradient_matches_autograd(problem, ex02, check):
    w, X, y = problem
    got = ex02.squared_error_gradient(w, X, y)
    check.close(got, autograd_gradient(w, X, y), f"squared_error_gradient(w, X, y) vs torch autograd "
                f"with w = {check.fmt(w)}, X = {check.fmt(X)}, y = {check.fmt(y)}")


# --- delta_rule_step ----------------------------------------------------------


def test_delta_rule_step_slide_example(ex02, check):
    got = ex02.delta_rule_step(np.array([0.0]), SLIDE_X, SLIDE_Y, 0.1)
    own = lambda: -0.1 * np.asarray(ex02.squared_error_gradient(np.array([0.0]), SLIDE_X, SLIDE_Y), dtype=float)  # noqa: E731
    check.close_either(got, [1.4], own, "delta_rule_step(w=[0], x=[1, 2, 3], y=[1, 2, 3], lr=0.1): dE/dw = -14 and the "
                       "step goes *against* the gradient, w - 0.1 * (-14) (one slide prints the sign the wrong way round)")


@given(problem=problems(), lr=st.sampled_from([0.01, 0.1, 0.5]))
def test_delta_rule_step_matches_autograd(problem, lr, ex02, check):
    w, X, y = problem
    got = ex02.delta_rule_step(w, X, y, lr)
    own = lambda: w - lr * np.asarray(ex02.squared_error_gradient(w, X, y), dtype=float)  # noqa: E731
    check.close_either(got, w - lr * autograd_gradient(w, X, y), own, f"delta_rule_step(w, X, y, lr={lr}) = w - lr * dE/dw "
                       f"with w = {check.fmt(w)}, X = {check.fmt(X)}, y = {check.fmt(y)}")


# --- gradient_descent ---------------------------------------------------------

LINE_X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])  # bias column + x
LINE_Y = np.array([1.2, 2.9, 5.1, 7.0])


def pieces_are_wrong(ex02, w, lr):
    """Your squared_error or delta_rule_step is wrong at w (or fails): their own tests say so."""
    try:
        return not (np.allclose(ex02.delta_rule_step(w, LINE_X, LINE_Y, lr), w - lr * autograd_gradient(w, LINE_X, LINE_Y))
                    and np.isclose(float(ex02.squared_error(w, LINE_X, LINE_Y)), loss(w, LINE_X, LINE_Y)))
    except Exception:  # noqa: BLE001
        return True


def test_gradient_descent_converges_to_least_squares(ex02, check):
    w, losses = ex02.gradient_descent(np.zeros(2), LINE_X, LINE_Y, 0.05, 500)
    if pieces_are_wrong(ex02, np.zeros(2), 0.05):
        return  # built on wrong pieces it cannot converge; the next test checks it uses them right
    best = np.linalg.lstsq(LINE_X, LINE_Y, rcond=None)[0]
    check.close(w, best, f"gradient_descent(zeros, X, y, lr=0.05, steps=500) must reach the least-squares fit "
                f"for X = {check.fmt(LINE_X)}, y = {check.fmt(LINE_Y)}", rtol=1e-3, atol=1e-4)
    losses = check.shape(losses, (500,), "losses of gradient_descent(..., steps=500) (one per step)")
    if np.any(np.diff(losses) > 1e-6 * losses[0]):
        raise AssertionError(f"gradient_descent losses must not increase with this small lr, got {check.fmt(losses[:10])} ...")


def test_gradient_descent_records_the_loss_before_each_step(ex02, check):
    w0 = np.array([0.5, -1.0])
    w3, losses3 = ex02.gradient_descent(w0, LINE_X, LINE_Y, 0.05, 3)
    losses3 = check.shape(losses3, (3,), "losses of gradient_descent(w0, X, y, 0.05, steps=3)")
    # each expected value, or what your own squared_error and delta_rule_step give (their tests judge them)
    check.close_either(losses3[0], loss(w0, LINE_X, LINE_Y), lambda: ex02.squared_error(w0, LINE_X, LINE_Y),
                       f"losses[0] of gradient_descent(w0={w0.tolist()}, ...) must be E(w0), the loss *before* the first step",
                       rtol=1e-5)
    w4, losses4 = ex02.gradient_descent(w0, LINE_X, LINE_Y, 0.05, 4)
    w3 = np.asarray(w3, dtype=float)
    check.close_either(losses4, np.append(losses3, loss(w3, LINE_X, LINE_Y)),
                       lambda: np.append(losses3, ex02.squared_error(w3, LINE_X, LINE_Y)),
                       "losses of 4 steps = losses of 3 steps followed by E(w after 3 steps)", rtol=1e-5)
    w_next, _ = ex02.gradient_descent(w3, LINE_X, LINE_Y, 0.05, 1)
    check.close(w4, w_next, "4 steps from w0 == 3 steps from w0, then 1 more step", rtol=1e-5)
    w_step = ex02.gradient_descent(w0, LINE_X, LINE_Y, 0.05, 1)[0]
    check.close_either(w_step, w0 - 0.05 * autograd_gradient(w0, LINE_X, LINE_Y),
                       lambda: ex02.delta_rule_step(w0, LINE_X, LINE_Y, 0.05),
                       f"gradient_descent(w0={w0.tolist()}, X, y, lr=0.05, steps=1) = w0 - lr * dE/dw (torch autograd)")


def test_gradient_descent_zero_steps_and_inputs_alone(ex02, check):
    w0 = np.array([0.5, -1.0])
    w, losses = ex02.gradient_descent(w0, LINE_X, LINE_Y, 0.05, 0)
    check.close(w, w0, "w of gradient_descent(w0, X, y, lr, steps=0)", rtol=0, atol=0)
    check.shape(losses, (0,), "losses of gradient_descent(w0, X, y, lr, steps=0)")
    ex02.gradient_descent(w0, LINE_X, LINE_Y, 0.05, 5)
    check.close(w0, [0.5, -1.0], "w0 after gradient_descent(w0, ...) (start from a copy, never update w0 in place)",
                rtol=0, atol=0)
