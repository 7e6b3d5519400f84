"""The hidden tests of the autograded notebook cells: one per rubric check.

Each check is a function of the reference modules returning Python source that
runs in the student's kernel during `nbgrader autograde`. Expected values are
computed here from the reference on fixed inputs and hard-coded (the cells are
hidden: nbgrader removes them from the release and restores them at autograde).

Fairness rules, as for the sandboxed grader:
- results are compared with tolerances that accept float32 arithmetic;
- a warning (e.g. a naive sigmoid overflowing) never fails a check, except the
  check that is about warnings (sigmoid's extreme_inputs);
- at a kink any value between the one-sided derivatives passes;
- where the contract leaves freedom (random order, initial weights, optimizer
  choice) only the promised behaviour is checked, not the reference's numbers.
"""
import numpy as np

from grader.release.literals import lit

RTOL, ATOL = 1e-4, 1e-6

PRELUDE = '''\
import contextlib
import warnings

import numpy as np


@contextlib.contextmanager
def _quiet():
    # Warnings are not errors: only the check about warnings looks at them.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def _close(actual, expected, what, rtol=1e-4, atol=1e-6):
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{what}: expected a dict, got {type(actual).__name__}"
        assert set(actual) == set(expected), f"{what}: keys {sorted(actual)}, expected {sorted(expected)}"
        for key in expected:
            _close(actual[key], expected[key], f"{what}[{key!r}]", rtol, atol)
    elif isinstance(expected, tuple):
        assert isinstance(actual, (tuple, list)), f"{what}: expected a tuple, got {type(actual).__name__}"
        assert len(actual) == len(expected), f"{what}: {len(actual)} results, expected {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            _close(a, e, f"{what}[{i}]", rtol, atol)
    else:
        if hasattr(actual, "detach"):  # a torch tensor
            actual = actual.detach().cpu().numpy()
        actual = np.asarray(actual, dtype=float)
        assert actual.shape == np.shape(expected), f"{what}: shape {actual.shape}, expected {np.shape(expected)}"
        assert np.allclose(actual, expected, rtol=rtol, atol=atol), f"{what}: got {actual}, expected {expected}"


def _numgrad(f, x, h=1e-3):
    # Central differences of the scalar function f at x (h suits float32 too).
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += h
        down[idx] -= h
        grad[idx] = (float(f(up)) - float(f(down))) / (2 * h)
    return grad
'''

# Finite-difference checks compare an analytic derivative with central
# differences of the student's *own* forward function (as the sandboxed
# grader's specs do): the check is about consistency, so a slip in the forward
# function is not charged twice. h = 1e-3 keeps float32 forwards measurable.
FD_TOL = "rtol=1e-3, atol=1e-3"

CHECKS = {}  # ("exNN_module.function", "check") -> builder(reference modules) -> source


def check(function, name):
    def register(builder):
        CHECKS[(function, name)] = builder
        return builder

    return register


def hidden_test_source(function, name, reference):
    """The hidden test code of one rubric check (prelude included)."""
    try:
        builder = CHECKS[(function, name)]
    except KeyError:
        raise KeyError(f"no hidden test for rubric check {function}.{name}: add one to {__name__}") from None
    return PRELUDE + "\n\n" + builder(reference).rstrip() + "\n"


# ---- build-time helpers --------------------------------------------------

def arr(shape, k):
    """A fixed, varied array in [-2, 2) (pure Python, so identical everywhere)."""
    n = int(np.prod(shape, dtype=int))
    values = [((i * 7919 + k * 104729 + 13) % 997) / 997 * 4 - 2 for i in range(n)]
    return np.round(np.array(values, dtype=float).reshape(shape), 3)


def numgrad(f, x, h=1e-6):
    """Central finite differences of the scalar function f at x."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += h
        down[idx] -= h
        grad[idx] = (f(up) - f(down)) / (2 * h)
    return grad


def _call(name, args, kwargs=None):
    parts = [lit(a) for a in args] + [f"{k}={lit(v)}" for k, v in (kwargs or {}).items()]
    return f"{name}({', '.join(parts)})"


class Kw:
    """A case with keyword arguments: Kw(*args, **kwargs); a plain tuple has none."""

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs


def matches(module, name, cases, pick=None, rtol=RTOL, atol=ATOL):
    """Compare name(*args, **kwargs) with the reference's result on every case."""
    ref = getattr(module, name)
    lines = ["with _quiet():"]
    for i, case in enumerate(cases, 1):
        args, kwargs = (case.args, case.kwargs) if isinstance(case, Kw) else (case, {})
        expected = ref(*args, **kwargs)
        index = ""
        if pick is not None:
            expected, index = expected[pick], f"[{pick}]"
        lines.append(f"    _close({_call(name, args, kwargs)}{index}, {lit(expected)}, "
                     f"{f'{name} case {i}'!r}, rtol={rtol}, atol={atol})")
    return "\n".join(lines)


def against(name, cases, what, rtol=RTOL, atol=ATOL):
    """Compare name(*args) with precomputed expected values: cases = [(args, expected)]."""
    lines = ["with _quiet():"]
    for i, (args, expected) in enumerate(cases, 1):
        lines.append(f"    _close({_call(name, args)}, {lit(expected)}, {f'{what} case {i}'!r}, rtol={rtol}, atol={atol})")
    return "\n".join(lines)


def derivative_fd(forward, derivative, points, kwargs=None):
    """derivative(z) against central differences of the student's forward(z), elementwise."""
    kw = "".join(f", {k}={lit(v)}" for k, v in (kwargs or {}).items())
    what = f"{derivative} vs finite differences of your {forward}" + (f" ({kw[2:]})" if kw else "")
    return f"""\
z = {lit(points)}
with _quiet():
    numeric = (np.asarray({forward}(z + 1e-3{kw}), dtype=float) - np.asarray({forward}(z - 1e-3{kw}), dtype=float)) / 2e-3
    _close({derivative}(z.copy(){kw}), numeric, {what!r}, {FD_TOL})
"""


def at_kink(derivative, low, high, kwargs=None):
    """At z == 0 any value between the one-sided derivatives passes."""
    call = _call(derivative, (np.zeros(3),), kwargs)
    return f"""\
with _quiet():
    value = np.asarray({call}, dtype=float)
assert value.shape == (3,), f"{derivative} at 0: shape {{value.shape}}, expected (3,)"
assert np.all(({low} - 1e-9 <= value) & (value <= {high} + 1e-9)), \\
    f"{derivative} at 0: got {{value}}, expected a value between {low} and {high}"
"""


AND_OR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
AND_Y = np.array([-1.0, -1.0, -1.0, 1.0])
OR_Y = np.array([-1.0, 1.0, 1.0, 1.0])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


# ---- ex01_perceptron -----------------------------------------------------

@check("ex01_perceptron.add_bias", "matches_reference")
def _(R):
    return matches(R["ex01_perceptron"], "add_bias", [(AND_OR,), (arr((3, 2), 1),), (np.array([[2.5, -1.0, 3.0]]),)])


@check("ex01_perceptron.perceptron_predict", "matches_reference")
def _(R):
    return matches(R["ex01_perceptron"], "perceptron_predict",
                   [(arr(3, 2), arr((5, 3), 3)), (np.array([-1.5, 1.0, 1.0]), np.hstack([np.ones((4, 1)), AND_OR]))])


@check("ex01_perceptron.perceptron_predict", "ties_go_to_plus_one")
def _(R):
    w, X = np.array([1.0, -1.0]), np.array([[1.0, 1.0], [2.0, 2.0], [0.0, 0.0], [0.0, 1.0]])
    return against("perceptron_predict", [((w, X), np.array([1.0, 1.0, 1.0, -1.0]))], "w . x == 0 gives +1")


@check("ex01_perceptron.perceptron_update", "matches_reference")
def _(R):
    return matches(R["ex01_perceptron"], "perceptron_update", [
        (np.zeros(3), np.array([1.0, 0.0, 1.0]), -1.0, 1.0),
        (np.array([0.5, -1.0, 0.2]), np.array([1.0, 1.0, 0.0]), 1.0, 0.5),
        (arr(4, 4), arr(4, 5), -1.0 if arr(4, 4) @ arr(4, 5) >= 0 else 1.0, 0.1),
    ])


@check("ex01_perceptron.perceptron_update", "no_change_when_correct")
def _(R):
    cases = [
        ((np.array([0.5, 1.0, -1.0]), np.array([1.0, 2.0, 0.0]), 1.0, 1.0), np.array([0.5, 1.0, -1.0])),
        ((np.array([0.5, -1.0, 0.0]), np.array([1.0, 2.0, 3.0]), -1.0, 0.3), np.array([0.5, -1.0, 0.0])),
        ((np.zeros(2), np.array([1.0, -4.0]), 1.0, 2.0), np.zeros(2)),  # tie counts as +1: correct
    ]
    return against("perceptron_update", cases, "correctly classified sample")


@check("ex01_perceptron.train_perceptron", "matches_reference")
def _(R):
    Xb = np.hstack([np.ones((4, 1)), AND_OR])
    return matches(R["ex01_perceptron"], "train_perceptron",
                   [(Xb, AND_Y), (Xb, OR_Y), Kw(Xb, AND_Y, lr=0.5, epochs=3)])


@check("ex01_perceptron.train_perceptron", "separates_and_or")
def _(R):
    Xb = np.hstack([np.ones((4, 1)), AND_OR])
    return f"""\
X = {lit(Xb)}
for labels, gate in (({lit(AND_Y)}, "AND"), ({lit(OR_Y)}, "OR")):
    with _quiet():
        w = np.asarray(train_perceptron(X.copy(), labels.copy()), dtype=float)
    predicted = np.where(X @ w >= 0, 1.0, -1.0)
    assert np.array_equal(predicted, labels), f"{{gate}}: the trained weights {{w}} misclassify some inputs"
"""


# ---- ex02_gradient_descent -----------------------------------------------

SLIDE_X, SLIDE_Y = np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 3.0])


@check("ex02_gradient_descent.linear_predict", "matches_reference")
def _(R):
    return matches(R["ex02_gradient_descent"], "linear_predict", [(np.array([2.0]), SLIDE_X), (arr(3, 6), arr((4, 3), 7))])


@check("ex02_gradient_descent.squared_error", "matches_reference")
def _(R):
    cases = [(np.array([w]), SLIDE_X, SLIDE_Y) for w in (0.0, 1.0, 2.0)] + [(arr(3, 8), arr((5, 3), 9), arr(5, 10))]
    return matches(R["ex02_gradient_descent"], "squared_error", cases)


@check("ex02_gradient_descent.squared_error_gradient", "matches_reference")
def _(R):
    return matches(R["ex02_gradient_descent"], "squared_error_gradient",
                   [(np.array([0.0]), SLIDE_X, SLIDE_Y), (arr(3, 11), arr((5, 3), 12), arr(5, 13))])


@check("ex02_gradient_descent.squared_error_gradient", "finite_differences")
def _(R):
    lines = []
    for k in (14, 17):
        w, X, y = arr(3, k), arr((6, 3), k + 1), arr(6, k + 2)
        lines.append(f"""\
w, X, y = {lit(w)}, {lit(X)}, {lit(y)}
with _quiet():
    numeric = _numgrad(lambda v: squared_error(v, X, y), w)
    _close(squared_error_gradient(w.copy(), X.copy(), y.copy()), numeric, "gradient vs finite differences of your squared_error", {FD_TOL})
""")
    return "".join(lines)


@check("ex02_gradient_descent.delta_rule_step", "matches_reference")
def _(R):
    return matches(R["ex02_gradient_descent"], "delta_rule_step",
                   [(np.array([0.0]), SLIDE_X, SLIDE_Y, 0.1), (arr(3, 20), arr((5, 3), 21), arr(5, 22), 0.05)])


def _gd_cases():
    return [(np.array([0.0]), SLIDE_X, SLIDE_Y, 0.05, 10), (arr(3, 23), arr((6, 3), 24), arr(6, 25), 0.02, 25)]


@check("ex02_gradient_descent.gradient_descent", "final_weights")
def _(R):
    return matches(R["ex02_gradient_descent"], "gradient_descent", _gd_cases(), pick=0)


@check("ex02_gradient_descent.gradient_descent", "loss_history")
def _(R):
    return matches(R["ex02_gradient_descent"], "gradient_descent", _gd_cases(), pick=1)


# ---- ex03_activations ----------------------------------------------------

Z = np.array([-7.5, -2.0, -0.3, 0.0, 0.4, 1.7, 6.0])
Z_SMOOTH = np.array([-5.2, -1.3, -0.45, 0.35, 1.1, 3.9])  # away from kinks, for finite differences


def _act(R, name, kwargs_list=({},)):
    return matches(R["ex03_activations"], name, [Kw(Z, **kw) for kw in kwargs_list] + [(arr((2, 3), 30),)])


@check("ex03_activations.sigmoid", "matches_reference")
def _(R):
    return _act(R, "sigmoid")


@check("ex03_activations.sigmoid", "extreme_inputs")
def _(R):
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    expected = R["ex03_activations"].sigmoid(z)
    return f"""\
with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
    warnings.simplefilter("always")
    value = np.asarray(sigmoid({lit(z)}), dtype=float)
assert np.all(np.isfinite(value)), f"sigmoid of large |z| must be finite, got {{value}}"
_close(value, {lit(expected)}, "sigmoid at extreme inputs", rtol=1e-6, atol=1e-12)
warned = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
assert not warned, f"sigmoid must not warn for finite inputs, but warned: {{warned}}"
"""


@check("ex03_activations.sigmoid_derivative", "matches_reference")
def _(R):
    return _act(R, "sigmoid_derivative")


@check("ex03_activations.sigmoid_derivative", "finite_differences")
def _(R):
    return derivative_fd("sigmoid", "sigmoid_derivative", Z_SMOOTH)


@check("ex03_activations.tanh", "matches_reference")
def _(R):
    return _act(R, "tanh")


@check("ex03_activations.tanh_derivative", "matches_reference")
def _(R):
    return _act(R, "tanh_derivative")


@check("ex03_activations.tanh_derivative", "finite_differences")
def _(R):
    return derivative_fd("tanh", "tanh_derivative", Z_SMOOTH)


@check("ex03_activations.relu", "matches_reference")
def _(R):
    return _act(R, "relu")


def _derivative_matches(R, name, kwargs_list=({},)):
    # Z without its 0: the value at the kink is its own check.
    z = Z[Z != 0]
    return matches(R["ex03_activations"], name, [Kw(z, **kw) for kw in kwargs_list] + [(arr((2, 3), 31),)])


@check("ex03_activations.relu_derivative", "matches_reference")
def _(R):
    return _derivative_matches(R, "relu_derivative")


@check("ex03_activations.relu_derivative", "finite_differences")
def _(R):
    return derivative_fd("relu", "relu_derivative", Z_SMOOTH)


@check("ex03_activations.relu_derivative", "value_at_kink")
def _(R):
    return at_kink("relu_derivative", 0.0, 1.0)


@check("ex03_activations.leaky_relu", "matches_reference")
def _(R):
    return _act(R, "leaky_relu", ({}, {"alpha": 0.2}))


@check("ex03_activations.leaky_relu_derivative", "matches_reference")
def _(R):
    return _derivative_matches(R, "leaky_relu_derivative", ({}, {"alpha": 0.2}))


@check("ex03_activations.leaky_relu_derivative", "finite_differences")
def _(R):
    return (derivative_fd("leaky_relu", "leaky_relu_derivative", Z_SMOOTH)
            + derivative_fd("leaky_relu", "leaky_relu_derivative", Z_SMOOTH, {"alpha": 0.3}))


@check("ex03_activations.leaky_relu_derivative", "value_at_kink")
def _(R):
    return at_kink("leaky_relu_derivative", 0.1, 1.0) + at_kink("leaky_relu_derivative", 0.3, 1.0, {"alpha": 0.3})


@check("ex03_activations.elu", "matches_reference")
def _(R):
    return _act(R, "elu", ({}, {"alpha": 0.5}))


@check("ex03_activations.elu_derivative", "matches_reference")
def _(R):
    return _derivative_matches(R, "elu_derivative", ({}, {"alpha": 0.5}))


@check("ex03_activations.elu_derivative", "finite_differences")
def _(R):
    return (derivative_fd("elu", "elu_derivative", Z_SMOOTH)
            + derivative_fd("elu", "elu_derivative", Z_SMOOTH, {"alpha": 0.5}))


@check("ex03_activations.elu_derivative", "value_at_kink")
def _(R):
    return at_kink("elu_derivative", 1.0, 1.0) + at_kink("elu_derivative", 0.5, 1.0, {"alpha": 0.5})


@check("ex03_activations.maxout", "matches_reference")
def _(R):
    return matches(R["ex03_activations"], "maxout", [
        (arr((4, 3), 32), arr((3, 2), 33), arr(2, 34), arr((3, 2), 35), arr(2, 36)),
        (arr((1, 2), 37), arr((2, 3), 38), arr(3, 39), arr((2, 3), 40), arr(3, 41)),
    ])


# ---- ex04_mlp_forward ----------------------------------------------------

def _params(n_in, n_hidden, n_out, k):
    return {"W1": arr((n_in, n_hidden), k), "b1": arr(n_hidden, k + 1),
            "W2": arr((n_hidden, n_out), k + 2), "b2": arr(n_out, k + 3)}


@check("ex04_mlp_forward.dense_forward", "matches_reference")
def _(R):
    return matches(R["ex04_mlp_forward"], "dense_forward",
                   [(arr((3, 4), 50), arr((4, 2), 51), arr(2, 52)), (arr((1, 2), 53), arr((2, 3), 54), arr(3, 55))])


@check("ex04_mlp_forward.mlp_forward", "matches_reference")
def _(R):
    # Only `out` is graded: the cache is the student's own business.
    return matches(R["ex04_mlp_forward"], "mlp_forward",
                   [(AND_OR, _params(2, 3, 1, 56)), (arr((5, 3), 60), _params(3, 4, 2, 61))], pick=0)


@check("ex04_mlp_forward.xor_params", "computes_xor")
def _(R):
    # The network is evaluated here, not with the student's mlp_forward,
    # so a slip in mlp_forward does not cost these points too.
    return f"""\
with _quiet():
    params = xor_params()
    X = {lit(AND_OR)}
    hidden = 1 / (1 + np.exp(-(X @ np.asarray(params["W1"], float) + np.asarray(params["b1"], float))))
    out = 1 / (1 + np.exp(-(hidden @ np.asarray(params["W2"], float) + np.asarray(params["b2"], float))))
assert out.shape == (4, 1), f"the network's output has shape {{out.shape}}, expected (4, 1)"
assert np.array_equal(out[:, 0] > 0.5, [False, True, True, False]), f"outputs {{out[:, 0]}} do not compute XOR"
"""


# ---- ex05_backprop -------------------------------------------------------

def _fd_pair(op, x, y, g):
    """Finite-difference gradients of L = sum(g * op(x, y)) with respect to x and y."""
    return (numgrad(lambda v: np.sum(g * op(v, y)), x), numgrad(lambda v: np.sum(g * op(x, v)), y))


@check("ex05_backprop.multiply_backward", "matches_reference")
def _(R):
    return matches(R["ex05_backprop"], "multiply_backward", [(arr((2, 3), 70), arr((2, 3), 71), arr((2, 3), 72)), (3.0, -2.0, 5.0)])


@check("ex05_backprop.multiply_backward", "finite_differences")
def _(R):
    x, y, g = arr((2, 3), 73), arr((2, 3), 74), arr((2, 3), 75)
    return against("multiply_backward", [((x, y, g), _fd_pair(np.multiply, x, y, g))], "gradients vs finite differences")


@check("ex05_backprop.add_backward", "matches_reference")
def _(R):
    return matches(R["ex05_backprop"], "add_backward", [(arr((2, 3), 76), arr((2, 3), 77), arr((2, 3), 78)), (1.5, -0.5, 2.0)])


@check("ex05_backprop.add_backward", "finite_differences")
def _(R):
    x, y, g = arr((3, 2), 79), arr((3, 2), 80), arr((3, 2), 81)
    return against("add_backward", [((x, y, g), _fd_pair(np.add, x, y, g))], "gradients vs finite differences")


@check("ex05_backprop.square_backward", "matches_reference")
def _(R):
    return matches(R["ex05_backprop"], "square_backward", [(arr((2, 3), 82), arr((2, 3), 83)), (-1.0, 1.0)])


@check("ex05_backprop.square_backward", "finite_differences")
def _(R):
    s, g = arr((2, 3), 84), arr((2, 3), 85)
    return against("square_backward", [((s, g), numgrad(lambda v: np.sum(g * v * v), s))], "gradient vs finite differences")


@check("ex05_backprop.scalar_loss_and_gradient", "matches_reference")
def _(R):
    return matches(R["ex05_backprop"], "scalar_loss_and_gradient", [(1.0, 1.0, 2.0), (0.5, 2.0, -1.0), (-1.5, 3.0, 0.25)])


@check("ex05_backprop.scalar_loss_and_gradient", "finite_differences")
def _(R):
    lines = ["with _quiet():"]
    for w, x, y in [(1.0, 1.0, 2.0), (0.7, -1.5, 0.4), (-2.0, 0.5, 3.0)]:
        lines.append(f"    numeric = _numgrad(lambda v: scalar_loss_and_gradient(float(v), {x!r}, {y!r})[0], {w!r})")
        lines.append(f"    _close(scalar_loss_and_gradient({w!r}, {x!r}, {y!r})[1], numeric, "
                     f"'dloss/dw vs finite differences of your loss at w={w}', {FD_TOL})")
    return "\n".join(lines)


@check("ex05_backprop.dense_backward", "matches_reference")
def _(R):
    return matches(R["ex05_backprop"], "dense_backward",
                   [(arr((3, 2), 86), arr((3, 4), 87), arr((4, 2), 88)), (arr((1, 3), 89), arr((1, 2), 90), arr((2, 3), 91))])


@check("ex05_backprop.dense_backward", "finite_differences")
def _(R):
    G, X, W, b = arr((3, 2), 92), arr((3, 4), 93), arr((4, 2), 94), arr(2, 95)
    loss = lambda X_, W_, b_: np.sum(G * (X_ @ W_ + b_))  # noqa: E731
    expected = (numgrad(lambda v: loss(v, W, b), X), numgrad(lambda v: loss(X, v, b), W), numgrad(lambda v: loss(X, W, v), b))
    return against("dense_backward", [((G, X, W), expected)], "gradients vs finite differences", atol=1e-5)


@check("ex05_backprop.sigmoid_backward", "matches_reference")
def _(R):
    return matches(R["ex05_backprop"], "sigmoid_backward", [(arr((2, 3), 96), 2 * arr((2, 3), 97))])


@check("ex05_backprop.sigmoid_backward", "finite_differences")
def _(R):
    sigmoid = R["ex05_backprop"].sigmoid
    g, z = arr((2, 3), 98), 2 * arr((2, 3), 99)
    return against("sigmoid_backward", [((g, z), numgrad(lambda v: np.sum(g * sigmoid(v)), z))], "gradient vs finite differences")


def _mlp_cases():
    return [(AND_OR, XOR_Y, _params(2, 3, 1, 100)), (arr((5, 3), 104), arr((5, 2), 105) / 4 + 0.5, _params(3, 4, 2, 106))]


@check("ex05_backprop.mlp_backward", "matches_reference")
def _(R):
    return matches(R["ex05_backprop"], "mlp_backward", _mlp_cases())


@check("ex05_backprop.mlp_backward", "finite_differences")
def _(R):
    lines = []
    for i, (X, y, params) in enumerate(_mlp_cases(), 1):
        lines.append(f"""\
X, y, params = {lit(X)}, {lit(y)}, {lit(params)}
with _quiet():
    numeric = {{key: _numgrad(lambda v, key=key: mlp_backward(X, y, {{**params, key: v}})[0], params[key]) for key in params}}
    _close(mlp_backward(X.copy(), y.copy(), dict(params))[1], numeric, "gradients vs finite differences of your loss, case {i}", {FD_TOL})
""")
    return "".join(lines)


# ---- ex06_sgd ------------------------------------------------------------

@check("ex06_sgd.sgd_step", "matches_reference")
def _(R):
    params, grads = _params(2, 3, 1, 110), _params(2, 3, 1, 114)
    return matches(R["ex06_sgd"], "sgd_step", [(params, grads, 0.5), ({"w": arr(3, 118)}, {"w": arr(3, 119)}, 0.01)])


@check("ex06_sgd.minibatches", "covers_every_sample_once")
def _(R):
    return """\
X = np.arange(14, dtype=float).reshape(7, 2)  # row i is [2i, 2i + 1]
y = 100.0 + np.arange(7, dtype=float).reshape(7, 1)  # row i is [100 + i]
for batch_size in (3, 7, 10):
    with _quiet():
        batches = list(minibatches(X.copy(), y.copy(), batch_size, np.random.default_rng(0)))
    sizes = [len(np.asarray(xb)) for xb, _ in batches]
    expected_sizes = [batch_size] * (7 // batch_size) + ([7 % batch_size] if 7 % batch_size else [])
    assert sizes == expected_sizes, f"batch_size={batch_size}: batch sizes {sizes}, expected {expected_sizes}"
    rows = np.concatenate([np.asarray(xb, dtype=float) for xb, _ in batches])
    targets = np.concatenate([np.asarray(yb, dtype=float).reshape(-1) for _, yb in batches])
    ids = rows[:, 0] / 2
    assert sorted(ids.tolist()) == list(range(7)), f"batch_size={batch_size}: samples {ids.tolist()} are not each sample once"
    assert np.array_equal(targets, 100.0 + ids), f"batch_size={batch_size}: rows of X and y are no longer paired"
"""


@check("ex06_sgd.minibatches", "order_from_rng")
def _(R):
    # Any permutation drawn from the given Generator is fine: the order must be
    # reproducible from the seed and actually random, not the reference's.
    return """\
X = np.arange(20, dtype=float).reshape(10, 2)
y = np.arange(10, dtype=float).reshape(10, 1)


def order(seed):
    with _quiet():
        batches = list(minibatches(X.copy(), y.copy(), 4, np.random.default_rng(seed)))
    return tuple(np.concatenate([np.asarray(yb, dtype=float).reshape(-1) for _, yb in batches]).tolist())


orders = [order(seed) for seed in range(5)]
assert order(0) == orders[0], "the same seed must give the same order (draw it from rng, not np.random)"
assert len(set(orders)) > 1, "different seeds gave the same order: shuffle with rng"
assert any(o != tuple(range(10)) for o in orders), "the samples come out in their original order: shuffle with rng"
"""


@check("ex06_sgd.train_mlp", "learns_xor")
def _(R):
    # The initial weights are the student's choice; an unlucky init may need
    # another seed, so any of three seeds learning XOR passes.
    return f"""\
X = {lit(AND_OR)}
y = {lit(XOR_Y)}
results = []
for seed in (0, 1, 2):
    with _quiet():
        params, losses = train_mlp(X.copy(), y.copy(), seed=seed)
        hidden = 1 / (1 + np.exp(-(X @ np.asarray(params["W1"], float) + np.asarray(params["b1"], float))))
        out = 1 / (1 + np.exp(-(hidden @ np.asarray(params["W2"], float) + np.asarray(params["b2"], float))))
    results.append(out.reshape(-1))
    if out.shape == (4, 1) and np.array_equal(out[:, 0] > 0.5, [False, True, True, False]):
        break
else:
    raise AssertionError(f"after training, outputs {{results}} do not compute XOR (seeds 0, 1, 2)")
"""


@check("ex06_sgd.train_mlp", "loss_history")
def _(R):
    return f"""\
X = {lit(AND_OR)}
y = {lit(XOR_Y)}
with _quiet():
    params, losses = train_mlp(X.copy(), y.copy(), epochs=300, seed=0)
losses = np.asarray(losses, dtype=float).reshape(-1)
assert losses.shape == (300,), f"expected one loss per epoch (300), got {{losses.shape[0]}}"
assert np.all(np.isfinite(losses)) and np.all(losses >= 0), "losses must be finite and non-negative"
assert losses[-1] < losses[0], f"the loss did not go down: first {{losses[0]}}, last {{losses[-1]}}"
"""


# ---- ex07_torch ----------------------------------------------------------

@check("ex07_torch.autograd_gradient", "matches_reference")
def _(R):
    return matches(R["ex07_torch"], "autograd_gradient", [(1.0, 1.0, 2.0), (0.5, 2.0, -1.0), (-1.5, 3.0, 0.25)])


@check("ex07_torch.LinearModel", "one_weight_forward")
def _(R):
    return """\
import torch

model = LinearModel()
weights = list(model.parameters())
assert len(weights) == 1 and weights[0].numel() == 1, "LinearModel must have exactly one learnable weight (no bias)"
w = float(weights[0].detach().reshape(-1)[0])
for x in (torch.tensor([1.0, 2.0, -3.0]), torch.tensor([[0.5, 2.0], [1.0, -1.0]])):
    with torch.no_grad():
        out = model(x)
    _close(out, (x * w).numpy(), f"LinearModel()(x) for x of shape {tuple(x.shape)}")
"""


@check("ex07_torch.train_linear", "predicts_eight")
def _(R):
    return """\
import torch

with _quiet():
    model = train_linear([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
    with torch.no_grad():
        prediction = float(model(torch.tensor([4.0])).reshape(-1)[0])
assert abs(prediction - 8.0) < 0.1, f"the trained model predicts {prediction} for x = 4, expected about 8"
"""


@check("ex07_torch.XorNet", "network_shape")
def _(R):
    return """\
import torch

for hidden_units in (4, 3):
    net = XorNet() if hidden_units == 4 else XorNet(hidden_units=hidden_units)
    size = sum(p.numel() for p in net.parameters())
    assert size == 4 * hidden_units + 1, (
        f"XorNet({hidden_units}) has {size} parameters, expected 2->{hidden_units}->1 layers with biases "
        f"({4 * hidden_units + 1})")
    with torch.no_grad():
        out = net(torch.rand(5, 2))
    assert tuple(out.shape) == (5, 1), f"output shape {tuple(out.shape)}, expected (5, 1)"
    assert bool(((out > 0) & (out < 1)).all()), "outputs must be probabilities (after a sigmoid)"
"""


@check("ex07_torch.train_xor", "classifies_xor")
def _(R):
    return """\
import torch

X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
outputs = []
for seed in (0, 1, 2):  # the optimiser is the student's choice: any seed that learns passes
    with _quiet():
        model = train_xor(seed=seed)
        with torch.no_grad():
            out = model(X).reshape(-1)
    outputs.append(out.tolist())
    if (out > 0.5).tolist() == [False, True, True, False]:
        break
else:
    raise AssertionError(f"outputs {outputs} do not classify XOR (seeds 0, 1, 2)")
"""
