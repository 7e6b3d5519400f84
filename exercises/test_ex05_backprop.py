"""Tests for exercise 5 (backpropagation). Run: pytest exercises/test_ex05_backprop.py

Gradients are checked against torch autograd applied to the same formulas,
and against central finite differences of your own forward computations.
"""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

seeds = st.integers(0, 2**32 - 1)


def autograd(function, *arrays):
    """Gradients of function(*tensors) (a scalar) with respect to each array, by torch in float64."""
    tensors = [torch.tensor(np.asarray(a, dtype=float), requires_grad=True) for a in arrays]
    function(*tensors).backward()
    return [t.grad.numpy() for t in tensors]


def random_network(rng, m, n_in, n_hidden, n_out):
    X, y = rng.normal(size=(m, n_in)), rng.uniform(size=(m, n_out))
    params = {
        "W1": rng.normal(size=(n_in, n_hidden)),
        "b1": rng.normal(size=n_hidden),
        "W2": rng.normal(size=(n_hidden, n_out)),
        "b2": rng.normal(size=n_out),
    }
    return X, y, params


def network_loss(X, y, W1, b1, W2, b2):
    """1/2 * sum((sigmoid(sigmoid(X W1 + b1) W2 + b2) - y)^2) on torch tensors."""
    out = torch.sigmoid(torch.sigmoid(X @ W1 + b1) @ W2 + b2)
    return 0.5 * ((out - y) ** 2).sum()


def pair(result, what):
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise AssertionError(f"{what} must return a pair (grad_x, grad_y), got {result!r}")
    return result


# --- the three nodes ----------------------------------------------------------


def test_multiply_backward_slide_example(ex05, check):
    grad_x, grad_y = pair(ex05.multiply_backward(2.0, 3.0, 5.0), "multiply_backward(2, 3, 5)")
    check.close(grad_x, 15.0, "grad_x of multiply_backward(x=2, y=3, grad_out=5) = grad_out * y")
    check.close(grad_y, 10.0, "grad_y of multiply_backward(x=2, y=3, grad_out=5) = grad_out * x")


@pytest.mark.parametrize("node", ["multiply_backward", "add_backward"])
@given(seed=seeds, shape=st.sampled_from([(), (3,), (2, 3)]))
def test_binary_node_matches_autograd(node, seed, shape, ex05, check):
    rng = np.random.default_rng(seed)
    x, y, g = rng.normal(size=shape), rng.normal(size=shape), rng.normal(size=shape)
    result = pair(getattr(ex05, node)(x, y, g), f"{node}(x, y, grad_out)")
    op = (lambda a, b: a * b) if node == "multiply_backward" else (lambda a, b: a + b)
    expected = autograd(lambda a, b: (op(a, b) * torch.tensor(g)).sum(), x, y)
    for name, got, want in zip(("grad_x", "grad_y"), result, expected):
        check.close(got, want, f"{name} of {node}(x, y, grad_out) vs torch autograd with x = {check.fmt(x)}, "
                    f"y = {check.fmt(y)}, grad_out = {check.fmt(g)}")


@given(seed=seeds, shape=st.sampled_from([(), (3,), (2, 3)]))
def test_square_backward_matches_autograd(seed, shape, ex05, check):
    rng = np.random.default_rng(seed)
    s, g = rng.normal(size=shape), rng.normal(size=shape)
    got = ex05.square_backward(s, g)
    (expected,) = autograd(lambda a: (a**2 * torch.tensor(g)).sum(), s)
    check.close(got, expected, f"square_backward(s, grad_out) = grad_out * 2 s with s = {check.fmt(s)}, grad_out = {check.fmt(g)}")


# Inputs for the input forms the docstrings list ("Input forms of x, y and grad_out: ..."): each form
# gets the first one it can hold (a matrix, integral values, integral scalars), and must
# give the same result as the float64 arrays of the same values.
NODE_VALUES = (
    ([[-2.5, 0.5, 3.0], [1.5, -0.25, 4.0]], [[1.5, -2.0, 0.75], [0.5, 2.5, -1.25]], [[0.5, -1.5, 2.0], [1.0, 0.25, -3.0]]),
    ([[-2.0, 1.0], [3.0, -1.0]], [[2.0, -3.0], [1.0, 4.0]], [[1.0, -2.0], [3.0, 2.0]]),
    (2.0, -3.0, 4.0),
)


def node_calls(*names):
    return [dict(zip(names, values)) for values in NODE_VALUES]


FORM_CALLS = {
    "multiply_backward": node_calls("x", "y", "grad_out"),
    "add_backward": node_calls("x", "y", "grad_out"),
    "square_backward": node_calls("s", "grad_out"),
    "sigmoid_backward": node_calls("grad_out", "z"),
    "scalar_loss_and_gradient": [{"w": 0.5, "x": 1.5, "y": -2.0}, {"w": 2.0, "x": -1.0, "y": 3.0}],
}


@pytest.mark.parametrize("name", sorted(FORM_CALLS))
def test_accepts_every_input_form(name, ex05, check):
    check.same_in_every_form(getattr(ex05, name), FORM_CALLS[name])


# --- the slides' scalar example -----------------------------------------------------


def test_scalar_loss_and_gradient_slide_example(ex05, check):
    result = ex05.scalar_loss_and_gradient(1.0, 1.0, 2.0)
    loss, grad = pair(result, "scalar_loss_and_gradient(w=1, x=1, y=2)")
    check.close(loss, 1.0, "loss of scalar_loss_and_gradient(w=1, x=1, y=2) = (1 * 1 - 2)^2")
    check.close(grad, -2.0, "dloss/dw of scalar_loss_and_gradient(w=1, x=1, y=2) = 2 (x w - y) x (the slides: -2)")


@given(w=st.floats(-5, 5), x=st.floats(-5, 5), y=st.floats(-5, 5))
def test_scalar_loss_and_gradient_matches_finite_differences(w, x, y, ex05, check):
    loss, grad = pair(ex05.scalar_loss_and_gradient(w, x, y), f"scalar_loss_and_gradient({w}, {x}, {y})")
    check.close(loss, (x * w - y) ** 2, f"loss of scalar_loss_and_gradient(w={w}, x={x}, y={y}) = (x w - y)^2")
    h = 1e-3
    numeric = (float(ex05.scalar_loss_and_gradient(w + h, x, y)[0]) - float(ex05.scalar_loss_and_gradient(w - h, x, y)[0])) / (2 * h)
    # float32 losses round to ~1e-7 * loss, which the step h turns into ~1e-4 * loss
    check.close(grad, numeric, f"dloss/dw of scalar_loss_and_gradient(w={w}, x={x}, y={y}) vs central finite differences "
                "of its loss", rtol=1e-3, atol=1e-4 * (1 + (x * w - y) ** 2))


# --- dense layer ----------------------------------------------------------------


def dense_case(seed, m, n_in, n_out):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, n_out)), rng.normal(size=(m, n_in)), rng.normal(size=(n_in, n_out)), rng.normal(size=n_out)


def triple(result, what):
    if not (isinstance(result, (tuple, list)) and len(result) == 3):
        raise AssertionError(f"{what} must return (grad_X, grad_W, grad_b), got {result!r}")
    return result


@given(seed=seeds, m=st.integers(1, 5), n_in=st.integers(1, 4), n_out=st.integers(1, 3))
def test_dense_backward_matches_autograd(seed, m, n_in, n_out, ex05, check):
    G, X, W, b = dense_case(seed, m, n_in, n_out)
    result = triple(ex05.dense_backward(G, X, W), "dense_backward(grad_out, X, W)")
    expected = autograd(lambda X_, W_, b_: ((X_ @ W_ + b_) * torch.tensor(G)).sum(), X, W, b)
    inputs = f"grad_out = {check.fmt(G)}, X = {check.fmt(X)}, W = {check.fmt(W)}"
    hints = ("G W^T, shape (m, n_in)", "X^T G, shape (n_in, n_out) like W", "G summed over the rows, shape (n_out,)")
    for name, got, want, hint in zip(("grad_X", "grad_W", "grad_b"), result, expected, hints):
        check.close(got, want, f"{name} of dense_backward(grad_out, X, W) = {hint}, vs torch autograd, with {inputs}")


def test_dense_backward_matches_finite_differences_of_dense_forward(ex05, ex04, check):
    G, X, W, b = dense_case(3, 4, 3, 2)
    result = triple(ex05.dense_backward(G, X, W), "dense_backward(grad_out, X, W)")
    # L = sum(G * dense_forward(X, W, b)) has dL/dout = G; dense_forward is your exercise-4 function.
    for name, got, index in zip(("grad_X", "grad_W", "grad_b"), result, range(3)):
        def L(value, index=index):
            args = [X, W, b]
            args[index] = value
            return np.sum(G * np.asarray(ex04.dense_forward(*args), dtype=float))

        numeric = check.numeric_gradient(L, [X, W, b][index], h=0.5)  # L is linear: any step is exact
        check.close(got, numeric, f"{name} of dense_backward vs finite differences of sum(grad_out * dense_forward(X, W, b)) "
                    f"using your ex04 dense_forward, with grad_out = {check.fmt(G)}, X = {check.fmt(X)}, W = {check.fmt(W)}",
                    rtol=1e-3, atol=1e-4)


# --- sigmoid node ---------------------------------------------------------------


@given(seed=seeds, shape=st.sampled_from([(), (4,), (3, 2)]))
def test_sigmoid_backward_matches_autograd(seed, shape, ex05, check):
    rng = np.random.default_rng(seed)
    g, z = rng.normal(size=shape), rng.normal(size=shape) * 4
    got = ex05.sigmoid_backward(g, z)
    (expected,) = autograd(lambda z_: (torch.sigmoid(z_) * torch.tensor(g)).sum(), z)
    check.close(got, expected, f"sigmoid_backward(grad_out, z) = grad_out * sigmoid(z) (1 - sigmoid(z)) with "
                f"grad_out = {check.fmt(g)}, z = {check.fmt(z)} (sigmoid'(z) is not z (1 - z))")


# --- the whole network ----------------------------------------------------------------

NETWORK_SHAPES = st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 4), st.integers(1, 2))


def loss_and_grads(result, params, what):
    if not (isinstance(result, (tuple, list)) and len(result) == 2 and isinstance(result[1], dict)):
        raise AssertionError(f"{what} must return (loss, grads) with grads a dict, got {result!r}")
    loss, grads = result
    if set(grads) != set(params):
        raise AssertionError(f"{what}: grads must have the keys {sorted(params)}, got {sorted(grads)}")
    return loss, grads


@given(seed=seeds, shapes=NETWORK_SHAPES)
def test_mlp_backward_matches_autograd(seed, shapes, ex05, check):
    X, y, params = random_network(np.random.default_rng(seed), *shapes)
    what = "mlp_backward(X, y, params)"
    loss, grads = loss_and_grads(ex05.mlp_backward(X, y, params), params, what)
    keys = ("W1", "b1", "W2", "b2")
    t = {k: torch.tensor(params[k], requires_grad=True) for k in keys}
    expected_loss = network_loss(torch.tensor(X), torch.tensor(y), *(t[k] for k in keys))
    expected_loss.backward()
    inputs = f"X = {check.fmt(X)}, y = {check.fmt(y)}, params = { {k: check.fmt(v) for k, v in params.items()} }"
    check.close(loss, expected_loss.item(), f"loss of {what} = 1/2 * sum((out - y)^2), with {inputs}")
    for key in keys:
        check.close(grads[key], t[key].grad.numpy(), f"grads[{key!r}] of {what} vs torch autograd, with {inputs}")


@given(seed=seeds, shapes=NETWORK_SHAPES)
def test_mlp_backward_matches_finite_differences_of_its_loss(seed, shapes, ex05, check):
    X, y, params = random_network(np.random.default_rng(seed), *shapes)
    what = "mlp_backward(X, y, params)"
    _, grads = loss_and_grads(ex05.mlp_backward(X, y, params), params, what)
    for key, value in params.items():
        def L(v, key=key):
            return float(ex05.mlp_backward(X, y, {**params, key: v})[0])

        numeric = check.numeric_gradient(L, value, h=1e-3)
        check.close(grads[key], numeric, f"grads[{key!r}] of {what} vs central finite differences of its own loss, with "
                    f"X = {check.fmt(X)}, y = {check.fmt(y)}, params = { {k: check.fmt(v) for k, v in params.items()} }",
                    rtol=2e-3, atol=5e-4)


def test_mlp_backward_leaves_params_alone(ex05, check):
    X, y, params = random_network(np.random.default_rng(5), 4, 3, 4, 2)
    before = {k: v.copy() for k, v in params.items()}
    ex05.mlp_backward(X, y, params)
    for key, value in before.items():
        check.close(params[key], value, f"params[{key!r}] after mlp_backward(X, y, params) (inputs must not be modified)",
                    rtol=0, atol=0)
