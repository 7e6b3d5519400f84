"""Tests for exercise 3 (activation functions). Run: pytest exercises/test_ex03_activations.py

Each activation is compared with torch's version, each derivative with
finite differences of *your* activation and with torch autograd. At a kink
(z == 0 exactly) any value between the one-sided derivatives is accepted.
Every function must stay finite for huge inputs; only sigmoid must also stay
warning-free there (a numpy warning alone fails no other function).
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

# name -> (torch version, keyword arguments to test besides the default)
ACTIVATIONS = {
    "sigmoid": (lambda z: torch.sigmoid(z), {}),
    "tanh": (lambda z: torch.tanh(z), {}),
    "relu": (lambda z: torch.relu(z), {}),
    "leaky_relu": (lambda z, alpha=0.1: F.leaky_relu(z, alpha), {"alpha": 0.2}),
    "elu": (lambda z, alpha=1.0: F.elu(z, alpha), {"alpha": 2.0}),
}
# derivative -> (activation, its kink or None, the one-sided derivatives at the kink as a function of alpha)
DERIVATIVES = {
    "sigmoid_derivative": ("sigmoid", None),
    "tanh_derivative": ("tanh", None),
    "relu_derivative": ("relu", lambda: (0.0, 1.0)),
    "leaky_relu_derivative": ("leaky_relu", lambda alpha=0.1: (alpha, 1.0)),
    "elu_derivative": ("elu", lambda alpha=1.0: (alpha, 1.0)),
}
EXTREMES = np.array([-1000.0, -710.0, -100.0, -20.0, -1.0, 0.0, 1.0, 20.0, 100.0, 710.0, 1000.0])
H = 1e-3  # finite-difference step: large enough for float32 solutions, small enough to be accurate
TINY = 1e-30  # |z| below this counts as the kink: float32 rounds it to 0
z_arrays = arrays(np.float64, array_shapes(min_dims=0, max_dims=2, max_side=4), elements=st.floats(-20, 20))


def torch_value(name, z, **kwargs):
    return ACTIVATIONS[name][0](torch.tensor(z, dtype=torch.float64), **kwargs).numpy()


def torch_derivative(name, z, **kwargs):
    z_t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    ACTIVATIONS[name][0](z_t, **kwargs).sum().backward()
    return z_t.grad.numpy()


def call(check, name, function, z, **kwargs):
    """(description, function(z, **kwargs) as a float array)."""
    args = ", ".join([f"z={z!r}" if np.ndim(z) == 0 else "z"] + [f"{k}={v}" for k, v in kwargs.items()])
    what = f"{name}({args})"
    return what, check.array(function(z, **kwargs), what)


def kwargs_cases(table):
    """(name, kwargs) pairs: every function with its defaults, plus an explicit alpha where it has one."""
    cases = []
    for name in table:
        base = DERIVATIVES[name][0] if table is DERIVATIVES else name
        cases.append(pytest.param(name, {}, id=name))
        extra = ACTIVATIONS[base][1]
        if extra:
            cases.append(pytest.param(name, extra, id=f"{name}-{'-'.join(f'{k}={v}' for k, v in extra.items())}"))
    return cases


# --- every activation -------------------------------------------------------------


@pytest.mark.parametrize("name, kwargs", kwargs_cases(ACTIVATIONS))
@given(z=z_arrays)
def test_activation_matches_torch(name, kwargs, z, ex03, check):
    what, got = call(check, name, getattr(ex03, name), z, **kwargs)
    check.close(got, torch_value(name, z, **kwargs), f"{what} with z = {check.fmt(z)}", rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, kwargs", kwargs_cases(ACTIVATIONS) + kwargs_cases(DERIVATIVES))
def test_activation_is_finite_for_extreme_inputs(name, kwargs, ex03, check):
    function = getattr(ex03, name)
    with np.errstate(over="ignore", invalid="ignore"):  # the values count here, not numpy's warnings
        got = function(EXTREMES.copy(), **kwargs)
    got = check.shape(got, EXTREMES.shape, f"{name}(z) with z = {check.fmt(EXTREMES)}")
    if not np.all(np.isfinite(got)):
        raise AssertionError(f"{name}(z) must be finite for every finite z\n  z   = {check.fmt(EXTREMES)}\n  got {check.fmt(got)}")
    base = DERIVATIVES[name][0] if name in DERIVATIVES else name
    expected = torch_derivative(base, EXTREMES, **kwargs) if name in DERIVATIVES else torch_value(name, EXTREMES, **kwargs)
    at_kink = EXTREMES == 0 if name in DERIVATIVES and DERIVATIVES[name][1] else np.zeros(EXTREMES.shape, bool)
    check.close(np.where(at_kink, expected, got), expected, f"{name}(z) with z = {check.fmt(EXTREMES)}", rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", list(ACTIVATIONS) + list(DERIVATIVES))
def test_activation_keeps_the_shape_and_the_input(name, ex03, check):
    function = getattr(ex03, name)
    scalar = function(0.5)
    check.shape(scalar, (), f"{name}(0.5) (a scalar in, a 0-d array or a float out)")
    z = np.array([[-2.0, 0.5, 3.0], [1.5, -0.25, 4.0]])
    check.shape(function(z), z.shape, f"{name}(z) for z of shape (2, 3)")
    check.close(z, [[-2.0, 0.5, 3.0], [1.5, -0.25, 4.0]], f"z after {name}(z) (the input must not be modified)", rtol=0, atol=0)
    check.shape(function([1.0, -1.0]), (2,), f"{name}([1.0, -1.0]) (lists are fine as input)")


# Inputs for the input forms the module docstring lists ("Input forms of z: ..."), away from the
# kinks: each form gets the first one it can hold (a matrix, integral values, a vector, a scalar).
Z_CALLS = [{"z": z} for z in ([[-2.5, 0.5, 3.0], [1.5, -0.25, 4.0]], [[-2.0, 1.0], [3.0, -1.0]], [1.5, -2.0, 0.25], 0.5, -2.0)]
FORM_CALLS = {name: Z_CALLS for name in list(ACTIVATIONS) + list(DERIVATIVES)}


@pytest.mark.parametrize("name", list(FORM_CALLS))
def test_activation_accepts_every_input_form(name, ex03, check):
    if name in DERIVATIVES:
        expected = lambda z: torch_derivative(DERIVATIVES[name][0], z)  # noqa: E731
    else:
        expected = lambda z: torch_value(name, z)  # noqa: E731
    check.same_in_every_form(getattr(ex03, name), FORM_CALLS[name], expected)


# --- sigmoid specifics --------------------------------------------------------------


def test_sigmoid_is_quiet_for_extreme_inputs(ex03, check):
    check.quietly(f"sigmoid(z) with z = {check.fmt(EXTREMES)}", ex03.sigmoid, EXTREMES.copy())


@given(z=z_arrays)
def test_sigmoid_symmetry_and_range(z, ex03, check):
    got = check.array(ex03.sigmoid(z), "sigmoid(z)")
    mirrored = check.array(ex03.sigmoid(-z), "sigmoid(-z)")
    check.close(mirrored, 1.0 - got, f"sigmoid(-z) must equal 1 - sigmoid(z) for z = {check.fmt(z)}", rtol=1e-6, atol=1e-7)
    if np.any((got < 0) | (got > 1)):
        raise AssertionError(f"sigmoid(z) must lie in [0, 1]\n  z = {check.fmt(z)}\n  got {check.fmt(got)}")


def test_sigmoid_values(ex03, check):
    z = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    got = ex03.sigmoid(z)
    check.close(got, [0.0, 0.2689414213699951, 0.5, 0.7310585786300049, 1.0], f"sigmoid(z) for z = {check.fmt(z)}",
                rtol=1e-6, atol=1e-12)
    if not np.all(np.diff(np.asarray(ex03.sigmoid(np.linspace(-30, 30, 61)), dtype=float)) >= 0):
        raise AssertionError("sigmoid must be non-decreasing on linspace(-30, 30, 61)")


# --- every derivative ---------------------------------------------------------------


def _away_from_kink(name, z):
    """The points where central differences are valid (farther than 2 steps from the kink)."""
    return np.abs(z) > 2 * H if DERIVATIVES[name][1] else np.ones(np.shape(z), bool)


@pytest.mark.parametrize("name, kwargs", kwargs_cases(DERIVATIVES))
@given(z=z_arrays)
def test_derivative_matches_finite_differences(name, kwargs, z, ex03, check):
    what, got = call(check, name, getattr(ex03, name), z, **kwargs)
    f = getattr(ex03, DERIVATIVES[name][0])
    numeric = (np.asarray(f(z + H, **kwargs), dtype=float) - np.asarray(f(z - H, **kwargs), dtype=float)) / (2 * H)
    valid = _away_from_kink(name, z)
    got = check.shape(got, np.shape(z), what)
    # right for the true activation but not for yours: your activation's own tests report it
    true = torch_derivative(DERIVATIVES[name][0], z, **kwargs)
    check.close_either(np.where(valid, got, numeric), numeric, lambda: np.where(valid, true, numeric),
                       f"{what} vs central finite differences of your {DERIVATIVES[name][0]} (step {H}) with z = {check.fmt(z)}",
                       rtol=2e-3, atol=1e-3)


@pytest.mark.parametrize("name, kwargs", kwargs_cases(DERIVATIVES))
@given(z=z_arrays)
def test_derivative_matches_autograd(name, kwargs, z, ex03, check):
    what, got = call(check, name, getattr(ex03, name), z, **kwargs)
    expected = torch_derivative(DERIVATIVES[name][0], z, **kwargs)
    kink = DERIVATIVES[name][1]
    if kink is not None:  # at z == 0, accept any value between the one-sided derivatives
        lo, hi = sorted(kink(**kwargs))
        got = check.shape(got, np.shape(z), what)
        inside = (np.abs(z) < TINY) & (got >= lo - 1e-7) & (got <= hi + 1e-7)
        got = np.where(inside, expected, got)
    check.close(got, expected, f"{what} vs torch autograd with z = {check.fmt(z)}", rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, kwargs", [c for c in kwargs_cases(DERIVATIVES) if DERIVATIVES[c.values[0]][1]])
def test_derivative_value_at_the_kink(name, kwargs, ex03, check):
    got = check.shape(getattr(ex03, name)(np.array([0.0]), **kwargs), (1,), f"{name}(z=[0.0])")[0]
    lo, hi = sorted(DERIVATIVES[name][1](**kwargs))
    if not lo - 1e-7 <= got <= hi + 1e-7:
        raise AssertionError(f"{name}(0) with {kwargs or 'the default alpha'}: expected a value in [{lo:g}, {hi:g}] "
                             f"(between the one-sided derivatives), got {got:g}")
    check.close(getattr(ex03, name)(np.array([-0.5, 0.5]), **kwargs), torch_derivative(DERIVATIVES[name][0], np.array([-0.5, 0.5]), **kwargs),
                f"{name}(z=[-0.5, 0.5]) with {kwargs or 'the default alpha'}", rtol=1e-5, atol=1e-7)


def test_sigmoid_derivative_is_f_times_one_minus_f(ex03, check):
    got = ex03.sigmoid_derivative(np.array([0.0, 2.0, -3.0]))
    s = 1 / (1 + np.exp(-np.array([0.0, 2.0, -3.0])))
    check.close(got, s * (1 - s), "sigmoid_derivative(z=[0, 2, -3]) = f(z) (1 - f(z)) with f = sigmoid (not z (1 - z))",
                rtol=1e-5)


# --- maxout -------------------------------------------------------------------------


@given(seed=st.integers(0, 2**32 - 1), m=st.integers(1, 5), n=st.integers(1, 4), k=st.integers(1, 3))
def test_maxout_matches_definition(seed, m, n, k, ex03, check):
    rng = np.random.default_rng(seed)
    X, W1, W2 = rng.normal(size=(m, n)), rng.normal(size=(n, k)), rng.normal(size=(n, k))
    b1, b2 = rng.normal(size=k), rng.normal(size=k)
    got = ex03.maxout(X, W1, b1, W2, b2)
    t = [torch.tensor(a) for a in (X, W1, b1, W2, b2)]
    expected = torch.maximum(t[0] @ t[1] + t[2], t[0] @ t[3] + t[4]).numpy()
    check.close(got, expected, f"maxout(X, W1, b1, W2, b2) = max(X W1 + b1, X W2 + b2) elementwise with "
                f"X = {check.fmt(X)}, W1 = {check.fmt(W1)}, b1 = {check.fmt(b1)}, W2 = {check.fmt(W2)}, b2 = {check.fmt(b2)}")


def test_maxout_with_equal_pieces_is_that_piece(ex03, check):
    X = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]])
    W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]])
    b = np.array([0.5, -0.5])
    got = ex03.maxout(X, W, b, W, b)
    check.close(got, X @ W + b, "maxout(X, W, b, W, b) = X W + b (shape (m, k) = (2, 2))")
