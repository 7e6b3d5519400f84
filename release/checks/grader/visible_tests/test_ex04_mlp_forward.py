"""Tests for exercise 4 (forward propagation). Run: pytest exercises/test_ex04_mlp_forward.py

Expected values come from torch, applied to the formulas of the docstrings:
out = X W + b for a dense layer, sigmoid(sigmoid(X W1 + b1) W2 + b2) for the network.
"""
import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st

XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TRUE = np.array([False, True, True, False])


def network(X, params):
    """sigmoid(sigmoid(X W1 + b1) W2 + b2), computed with torch in float64."""
    t = {k: torch.tensor(np.asarray(v, dtype=float)) for k, v in params.items()}
    hidden = torch.sigmoid(torch.tensor(X) @ t["W1"] + t["b1"])
    return torch.sigmoid(hidden @ t["W2"] + t["b2"]).numpy()


def random_params(rng, n_in, n_hidden, n_out, scale=1.0):
    return {
        "W1": rng.normal(size=(n_in, n_hidden)) * scale,
        "b1": rng.normal(size=n_hidden),
        "W2": rng.normal(size=(n_hidden, n_out)) * scale,
        "b2": rng.normal(size=n_out),
    }


# --- dense_forward ------------------------------------------------------------


@given(seed=st.integers(0, 2**32 - 1), m=st.integers(1, 5), n_in=st.integers(1, 4), n_out=st.integers(1, 3))
def test_dense_forward_is_xw_plus_b(seed, m, n_in, n_out, ex04, check):
    rng = np.random.default_rng(seed)
    X, W, b = rng.normal(size=(m, n_in)), rng.normal(size=(n_in, n_out)), rng.normal(size=n_out)
    got = ex04.dense_forward(X, W, b)
    expected = (torch.tensor(X) @ torch.tensor(W) + torch.tensor(b)).numpy()
    check.close(got, expected, f"dense_forward(X, W, b) = X W + b with X = {check.fmt(X)}, W = {check.fmt(W)}, b = {check.fmt(b)}")


def test_dense_forward_adds_the_bias_to_every_row(ex04, check):
    X, W, b = np.zeros((3, 2)), np.ones((2, 4)), np.array([1.0, -2.0, 3.0, 0.5])
    got = ex04.dense_forward(X, W, b)
    check.close(got, np.tile(b, (3, 1)), "dense_forward(zeros((3, 2)), ones((2, 4)), b=[1, -2, 3, 0.5]): every row is b "
                "(shape (m, n_out) = (3, 4); it is X @ W, not W @ X)")
    check.close(X, np.zeros((3, 2)), "X after dense_forward(X, W, b) (the input must not be modified)", rtol=0, atol=0)


# --- mlp_forward --------------------------------------------------------------


@given(seed=st.integers(0, 2**32 - 1), m=st.integers(1, 5), n_in=st.integers(1, 3), n_hidden=st.integers(1, 4),
       n_out=st.integers(1, 2))
def test_mlp_forward_matches_the_formula(seed, m, n_in, n_hidden, n_out, ex04, check):
    rng = np.random.default_rng(seed)
    X, params = rng.normal(size=(m, n_in)), random_params(rng, n_in, n_hidden, n_out, scale=3.0)
    result = ex04.mlp_forward(X, params)
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise AssertionError(f"mlp_forward(X, params) must return a pair (out, cache), got {type(result).__name__}: {result!r}")
    check.close(result[0], network(X, params), f"out of mlp_forward(X, params) = sigmoid(sigmoid(X W1 + b1) W2 + b2) with "
                f"X = {check.fmt(X)}, params = { {k: check.fmt(v) for k, v in params.items()} }")


def test_mlp_forward_output_is_a_probability(ex04, check):
    rng = np.random.default_rng(7)
    X, params = rng.normal(size=(6, 3)), random_params(rng, 3, 4, 2, scale=5.0)
    out = check.shape(ex04.mlp_forward(X, params)[0], (6, 2), "out of mlp_forward(X (6, 3), params 3-4-2)")
    if np.any((out <= 0) | (out >= 1)):
        raise AssertionError(f"out of mlp_forward must lie in (0, 1) (the output layer applies a sigmoid too), got {check.fmt(out)}")
    before = {k: v.copy() for k, v in params.items()}
    ex04.mlp_forward(X, params)
    for key, value in before.items():
        check.close(params[key], value, f"params[{key!r}] after mlp_forward(X, params) (inputs must not be modified)",
                    rtol=0, atol=0)


# --- xor_params ---------------------------------------------------------------


def test_xor_params_compute_xor(ex04, check):
    params = ex04.xor_params()
    shapes = {"W1": (2, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)}
    if not isinstance(params, dict) or set(params) != set(shapes):
        raise AssertionError(f"xor_params() must return a dict with keys {sorted(shapes)}, got {params!r}")
    for key, shape in shapes.items():
        check.shape(params[key], shape, f"xor_params()[{key!r}]")
    out = network(XOR_INPUTS, params)[:, 0]
    if not np.array_equal(out > 0.5, XOR_TRUE):
        raise AssertionError(
            "the network with xor_params() must output > 0.5 exactly on (0, 1) and (1, 0)\n"
            f"  inputs {XOR_INPUTS.tolist()}\n  outputs {check.fmt(out)}\n"
            "  hint: with the slide's W1, b1 hidden unit 1 is roughly AND and unit 2 roughly NOR; XOR is 'neither'"
        )
