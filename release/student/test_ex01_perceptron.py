"""Tests for exercise 1 (the perceptron). Run: pytest exercises/test_ex01_perceptron.py

Small integer inputs keep every score w . x exact, so the +1/-1 outputs can be
compared exactly (they are exact by contract).
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

# The four inputs of the slides' truth tables and their labels as +1 / -1.
BOOL_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
LABELS = {
    "AND": np.array([-1.0, -1.0, -1.0, 1.0]),
    "OR": np.array([-1.0, 1.0, 1.0, 1.0]),
    "XOR": np.array([-1.0, 1.0, 1.0, -1.0]),
}


def with_bias(X):
    """The tests' own bias column (so a train_perceptron test never depends on your add_bias)."""
    X = np.asarray(X, dtype=float)
    return np.hstack([np.ones((len(X), 1)), X])


def thresholded(w, X):
    return np.where(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) >= 0, 1.0, -1.0)


@st.composite
def int_matrix_and_weights(draw):
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 4))
    ints = st.integers(-5, 5)
    X = np.array(draw(st.lists(st.lists(ints, min_size=n, max_size=n), min_size=m, max_size=m)), dtype=float)
    w = np.array(draw(st.lists(ints, min_size=n, max_size=n)), dtype=float)
    return X, w


# --- add_bias ---------------------------------------------------------------


@given(data=int_matrix_and_weights())
def test_add_bias_prepends_a_column_of_ones(data, ex01, check):
    X, _ = data
    got = check.shape(ex01.add_bias(X), (X.shape[0], X.shape[1] + 1), f"add_bias(X) for X of shape {X.shape}")
    if not np.all(got[:, 0] == 1.0):
        raise AssertionError(
            f"add_bias(X): column 0 must be all ones (x0 = 1 carries the bias w0), got column 0 = {check.fmt(got[:, 0])}"
            f"\n  X = {check.fmt(X)}\n  result = {check.fmt(got)} (is the ones column at the end instead of the front?)"
        )
    check.close(got[:, 1:], X, f"add_bias(X)[:, 1:] must be X itself for X = {check.fmt(X)}", rtol=0, atol=0)


def test_add_bias_accepts_lists_and_leaves_input_alone(ex01, check):
    got = ex01.add_bias([[1, 2], [3, 4], [5, 6]])
    check.close(got, [[1, 1, 2], [1, 3, 4], [1, 5, 6]], "add_bias([[1, 2], [3, 4], [5, 6]])", rtol=0, atol=0)
    X = np.array([[1.5, -2.0]])
    ex01.add_bias(X)
    check.close(X, [[1.5, -2.0]], "X after add_bias(X) (the input must not be modified)", rtol=0, atol=0)


# Inputs for the input forms the docstrings list ("Input forms of X: ..."): each form gets the first
# one it can hold, and must give the same result as the float64 array of the same values.
FORM_CALLS = {"add_bias": [{"X": [[2.0, -3.0, 1.0], [0.0, 1.0, 4.0]]}]}


@pytest.mark.parametrize("name", sorted(FORM_CALLS))
def test_accepts_every_input_form(name, ex01, check):
    check.same_in_every_form(getattr(ex01, name), FORM_CALLS[name])


# --- perceptron_predict -----------------------------------------------------


@given(data=int_matrix_and_weights())
def test_perceptron_predict_thresholds_the_score(data, ex01, check):
    X, w = data
    got = ex01.perceptron_predict(w, X)
    check.close(got, thresholded(w, X), f"perceptron_predict(w, X) with w = {check.fmt(w)}, X = {check.fmt(X)}", rtol=0, atol=0)


def test_perceptron_predict_ties_go_to_plus_one(ex01, check):
    w = np.array([1.0, -1.0])
    X = np.array([[2.0, 2.0], [0.0, 0.0], [-3.0, -3.0], [1.0, 5.0]])
    got = ex01.perceptron_predict(w, X)
    check.close(
        got, [1.0, 1.0, 1.0, -1.0],
        f"perceptron_predict(w, X) with w = {check.fmt(w)}, X = {check.fmt(X)}: "
        "a tie w . x == 0 counts as +1 (the slide says 'if w^T x >= 0')",
        rtol=0, atol=0,
    )
    check.close(ex01.perceptron_predict(np.zeros(3), np.ones((2, 3))), [1.0, 1.0],
                "perceptron_predict(zeros(3), ones((2, 3))) (every score is a tie)", rtol=0, atol=0)


# --- perceptron_update ------------------------------------------------------


@pytest.mark.parametrize("w, x, y", [([0.5, 2.0, -1.0], [1.0, 1.0, 1.0], 1.0), ([-0.5, 0.25, 1.0], [1.0, -2.0, -1.0], -1.0)])
def test_perceptron_update_keeps_w_when_correct(w, x, y, ex01, check):
    got = ex01.perceptron_update(np.array(w), np.array(x), y, 0.7)
    check.close(
        got, w,
        f"perceptron_update(w={w}, x={x}, y={y}, lr=0.7): the sample is already classified correctly "
        f"(w . x = {np.dot(w, x):g}), so w must not change (use the thresholded y_hat, not the raw score w . x)",
        rtol=0, atol=1e-12,
    )


@given(data=int_matrix_and_weights(), y=st.sampled_from([-1.0, 1.0]), lr=st.sampled_from([0.5, 1.0, 2.0]))
def test_perceptron_update_follows_rosenblatts_rule(data, y, lr, ex01, check):
    X, w = data
    x = X[0]
    got = ex01.perceptron_update(w, x, y, lr)
    y_hat = 1.0 if w @ x >= 0 else -1.0
    check.close(
        got, w + lr * (y - y_hat) * x,
        f"perceptron_update(w={check.fmt(w)}, x={check.fmt(x)}, y={y:g}, lr={lr:g}) "
        f"(w . x = {w @ x:g}, so y_hat = {y_hat:+g}; new w = w + lr * (y - y_hat) * x)",
        rtol=0, atol=1e-12,
    )


def test_perceptron_update_tie_counts_as_plus_one(ex01, check):
    w, x = np.array([1.0, -1.0]), np.array([2.0, 2.0])  # w . x == 0
    got = ex01.perceptron_update(w, x, -1.0, 1.0)
    check.close(got, [-3.0, -5.0], "perceptron_update(w=[1, -1], x=[2, 2], y=-1, lr=1): w . x == 0 means y_hat = +1, "
                "a mistake, so w + 1 * (-1 - 1) * x", rtol=0, atol=1e-12)
    check.close(ex01.perceptron_update(w, x, 1.0, 1.0), w,
                "perceptron_update(w=[1, -1], x=[2, 2], y=+1, lr=1): tie means y_hat = +1 = y, no change", rtol=0, atol=1e-12)


def test_perceptron_update_leaves_inputs_alone(ex01, check):
    w, x = np.array([0.0, -1.0, 2.0]), np.array([1.0, 3.0, 1.0])  # w . x = -1 -> a mistake for y = +1
    ex01.perceptron_update(w, x, 1.0, 0.5)
    check.close(w, [0.0, -1.0, 2.0], "w after perceptron_update(w, x, 1, 0.5) (return a new array, do not change w)", rtol=0, atol=0)
    check.close(x, [1.0, 3.0, 1.0], "x after perceptron_update(w, x, 1, 0.5)", rtol=0, atol=0)


# --- train_perceptron -------------------------------------------------------


@pytest.mark.parametrize("problem", ["AND", "OR"])
def test_train_perceptron_separates(problem, ex01, check):
    X, y = with_bias(BOOL_INPUTS), LABELS[problem]
    w = check.shape(ex01.train_perceptron(X, y), (3,), f"train_perceptron on {problem} (X with bias column)")
    got = thresholded(w, X)
    if not np.array_equal(got, y):
        raise AssertionError(
            f"train_perceptron on {problem}: {problem} is linearly separable, so training must reach zero errors"
            f"\n  X = {check.fmt(X)}\n  labels      {check.fmt(y)}\n  predictions {check.fmt(got)} with w = {check.fmt(w)}"
        )


def test_train_perceptron_starts_from_zeros(ex01, check):
    X, y = with_bias(BOOL_INPUTS), np.ones(4)
    w = ex01.train_perceptron(X, y)
    check.close(w, np.zeros(3), "train_perceptron(X, all labels +1): from w = zeros every score is a tie (+1), "
                "so no sample is a mistake and w must stay zeros", rtol=0, atol=1e-12)


@pytest.mark.parametrize("lr", [1.0, 0.5])
def test_train_perceptron_one_epoch_by_hand(lr, ex01, check):
    # Row 0: w = 0, tie -> y_hat = +1 but y = -1: w = 0 + lr * (-2) * [1, 2] = lr * [-2, -4].
    # Row 1: w . [1, 1] = -6 lr < 0 -> y_hat = -1 but y = +1: w += lr * 2 * [1, 1] -> lr * [0, -2].
    X, y = np.array([[1.0, 2.0], [1.0, 1.0]]), np.array([-1.0, 1.0])
    w = ex01.train_perceptron(X, y, lr=lr, epochs=1)
    check.close(w, [0.0, -2.0 * lr], f"train_perceptron(X={X.tolist()}, y={y.tolist()}, lr={lr}, epochs=1): "
                "start at zeros and visit row 0 then row 1 once", rtol=0, atol=1e-12)


def test_train_perceptron_leaves_inputs_alone(ex01, check):
    X, y = with_bias(BOOL_INPUTS), LABELS["XOR"].copy()
    ex01.train_perceptron(X, y, epochs=3)
    check.close(X, with_bias(BOOL_INPUTS), "X after train_perceptron(X, y)", rtol=0, atol=0)
    check.close(y, LABELS["XOR"], "y after train_perceptron(X, y)", rtol=0, atol=0)
