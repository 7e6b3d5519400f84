"""Checks for exercise 3, activation functions and their derivatives (judge side; probes: grader.probes)."""
import numpy as np
from hypothesis import strategies as st

from grader.toolkit import strategies as S
from grader.probes import FD_STEP
from grader.specs import Check, CurvePlot, form_examples, spec
from grader.specs.judges import Verdict, WrongType, as_array, fd_judge, same_array
from grader.specs.own_pieces import usable_pieces

M = "ex03_activations"
EXTREMES = np.array([-1000.0, -745.0, -710.0, -50.0, 0.0, 50.0, 710.0, 745.0, 1000.0])
ALPHAS = st.sampled_from([0.1, 0.2, 0.5])
# The base values of the graded examples of every input form the contract's docstring allows for z
# (a Python float, a list, a float32 array, ...), away from the kinks: an activation that works on
# float64 arrays only loses its matches_reference points, as it fails the visible tests.
FORM_BASES = tuple({"z": np.array(v)} for v in ([[-2.5, 0.5, 3.0], [1.5, -0.25, 4.0]], [[-2.0, 1.0], [3.0, -1.0]],
                                               [1.5, -2.0, 0.25], 0.5, -2.0))


def _sig(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def _with_alpha(strategy):
    """Cases with and without an explicit alpha (the default must be right too)."""
    return st.tuples(strategy, st.one_of(st.none(), ALPHAS)).map(
        lambda p: p[0] if p[1] is None else {**p[0], "alpha": p[1]})


def _elementwise_differences(pieces):
    """(f(z + step) - f(z - step)) / (2 step) elementwise, from the two piece outputs."""
    plus, minus = (np.asarray(value, dtype=float) for _, value in pieces)
    return (plus - minus) / (2 * FD_STEP)


def _fd_expected(reference, c):
    return {**reference, "numeric": {"z": _elementwise_differences(reference["pieces"])}}


def _own_fd(got, expected, c):
    own = usable_pieces(got.get("pieces"), 2, expected["pieces"])
    return None if own is None else {"z": _elementwise_differences([["ok", v] for v in own])}


def _kink_judge(name, low, high):
    def judge(got, expected, c):
        alpha = c.get("alpha", 0.1 if name.startswith("leaky") else 1.0)
        lo, hi = sorted((low(alpha), high(alpha)))
        try:
            arr = as_array(got, f"{name}(0)")
        except WrongType as exc:
            return Verdict(False, str(exc), None, got)
        if arr.shape != np.shape(c["z"]):
            return Verdict(False, f"{name}(z) has shape {arr.shape}, expected {np.shape(c['z'])}", np.shape(c["z"]), arr.shape)
        if np.all((arr >= lo - 1e-6) & (arr <= hi + 1e-6)):
            return Verdict.passed()
        return Verdict(False, f"at z == 0 any value between the one-sided derivatives {lo:g} and {hi:g} is accepted", f"values in [{lo:g}, {hi:g}]", arr)
    return judge


def _finite_and_right(got, expected, c):
    try:
        arr = as_array(got, "sigmoid(z)")
    except WrongType as exc:
        return Verdict(False, str(exc), expected, got)
    if not np.all(np.isfinite(arr)):
        return Verdict(False, "sigmoid(z) is not finite for large |z|: rewrite it for negative z as e^z / (1 + e^z)", expected, arr)
    return same_array("sigmoid(z)")(arr, expected, c)


def _reference_check(function, what, mistakes=None, extreme=True, alpha=False, elements=None):
    cases = S.elementwise_case(elements)
    examples = ({"z": EXTREMES},) if extreme else ()
    examples += ({"z": np.array(0.5)},) + form_examples(f"{M}.{function}", *FORM_BASES)
    if alpha:
        cases = _with_alpha(cases)
    return Check(f"{M}.{function}", "matches_reference", same_array(what, mistakes), cases=cases, examples=examples)


def _derivative_spec(forward, derivative, mistakes=None, kink=None, alpha=False, depends=()):
    away = S.elementwise_case(S.away_from_zero(8.0))
    if alpha:
        away = _with_alpha(away)
    # The contract asks for finite derivatives at every finite z: the extremes are one more
    # example of matching the reference (off the kink, where any value in between is right).
    extremes = ({"z": EXTREMES[EXTREMES != 0]},) + form_examples(f"{M}.{derivative}", *FORM_BASES)
    checks = [
        Check(f"{M}.{derivative}", "matches_reference", same_array(f"{derivative}(z)", mistakes), cases=away,
              examples=extremes),
        Check(f"{M}.{derivative}", "finite_differences",
              fd_judge(derivative, ["z"], analytic=lambda value: {"z": value}, own=_own_fd), cases=away, max_examples=8,
              prepare=_fd_expected, forward=forward),
    ]
    if kink:
        zeros = S.any_shape().map(lambda shape: {"z": np.zeros(shape)})
        checks.append(Check(f"{M}.{derivative}", "value_at_kink", _kink_judge(derivative, *kink),
              describe="the derivative at the kink may be any value between the one-sided derivatives",
                            cases=_with_alpha(zeros) if alpha else zeros, max_examples=6, uses_expected=False,
                            needs=("matches_reference",), domain=lambda c: not np.any(c["z"])))
    return spec(f"{M}.{derivative}", *checks, depends=depends)


def _sigmoid_derivative_mistakes(c):
    z = np.asarray(c["z"], dtype=float)
    return {"sigma'(z) is sigma(z) * (1 - sigma(z)); this computes z * (1 - z)": z * (1 - z),
            "this is sigma(z) itself, not its derivative": _sig(z)}


@st.composite
def _maxout_case(draw):
    m, n, k = draw(S.dims(1, 4)), draw(S.dims(1, 4)), draw(S.dims(1, 3))
    return {"X": draw(S.array((m, n))), "W1": draw(S.array((n, k))), "b1": draw(S.array((k,))),
            "W2": draw(S.array((n, k))), "b2": draw(S.array((k,)))}


def _maxout_mistakes(c):
    a, b = c["X"] @ c["W1"] + c["b1"], c["X"] @ c["W2"] + c["b2"]
    return {"this takes the minimum of the two linear pieces instead of the maximum": np.minimum(a, b)}


FUNCTIONS = [
    spec(f"{M}.sigmoid",
         _reference_check("sigmoid", "sigmoid(z)", extreme=False),
         Check(f"{M}.sigmoid", "extreme_inputs", _finite_and_right,
              describe="very large and very small inputs must give finite values without warnings",
               cases=S.elementwise_case(st.floats(-1000, 1000)), examples=({"z": EXTREMES},), max_examples=8,
               fail_on_warnings=True,
               warning_hint="for large negative z, exp(-z) overflows: use e^z / (1 + e^z) there (or np.exp(-np.abs(z)))")),
    _derivative_spec("sigmoid", "sigmoid_derivative", _sigmoid_derivative_mistakes, depends=(f"{M}.sigmoid",)),
    spec(f"{M}.tanh", _reference_check("tanh", "tanh(z)")),
    _derivative_spec("tanh", "tanh_derivative",
                     mistakes=lambda c: {"tanh'(z) is 1 - tanh(z)**2: the square is missing": 1.0 - np.tanh(c["z"])}),
    spec(f"{M}.relu", _reference_check("relu", "relu(z)")),
    _derivative_spec("relu", "relu_derivative", kink=(lambda a: 0.0, lambda a: 1.0),
                     mistakes=lambda c: {"the two regions are swapped: relu'(z) is 1 for z > 0 and 0 for z < 0":
                                         (np.asarray(c["z"]) < 0).astype(float)}),
    spec(f"{M}.leaky_relu", _reference_check(
        "leaky_relu", "leaky_relu(z)", alpha=True,
        mistakes=lambda c: {"for z < 0 the slope is the argument alpha (default 0.1), not a fixed 0.01":
                            np.where(np.asarray(c["z"]) >= 0, c["z"], 0.01 * np.asarray(c["z"]))})),
    _derivative_spec("leaky_relu", "leaky_relu_derivative", kink=(lambda a: a, lambda a: 1.0), alpha=True),
    spec(f"{M}.elu", _reference_check("elu", "elu(z)", alpha=True,
                                      mistakes=lambda c: {"for z < 0, elu is alpha * (e^z - 1): the -1 is missing":
                                                          np.where(np.asarray(c["z"]) >= 0, c["z"], c.get("alpha", 1.0) * np.exp(np.minimum(c["z"], 0)))})),
    _derivative_spec("elu", "elu_derivative", kink=(lambda a: a, lambda a: 1.0), alpha=True,
                     mistakes=lambda c: {"for z < 0 the derivative is alpha * e^z: the factor alpha is missing":
                                         np.where(np.asarray(c["z"]) > 0, 1.0, np.exp(np.minimum(c["z"], 0.0)))}),
    spec(f"{M}.maxout",
         Check(f"{M}.maxout", "matches_reference", same_array("maxout(X, W1, b1, W2, b2)", _maxout_mistakes), cases=_maxout_case())),
]


def _slide_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# The feedback page's plot: each activation and its derivative on a grid, beside the slides' curves.
PLOT = CurvePlot(
    grid=np.linspace(-5.0, 5.0, 201),
    pairs=(("sigmoid", "sigmoid_derivative"), ("tanh", "tanh_derivative"), ("relu", "relu_derivative"),
           ("leaky_relu", "leaky_relu_derivative"), ("elu", "elu_derivative")),
    curves={
        "sigmoid": _slide_sigmoid,
        "sigmoid_derivative": lambda z: _slide_sigmoid(z) * (1.0 - _slide_sigmoid(z)),
        "tanh": np.tanh,
        "tanh_derivative": lambda z: 1.0 - np.tanh(z) ** 2,
        "relu": lambda z: np.maximum(z, 0.0),
        "relu_derivative": lambda z: (z > 0).astype(float),
        "leaky_relu": lambda z: np.where(z > 0, z, 0.1 * z),
        "leaky_relu_derivative": lambda z: np.where(z > 0, 1.0, 0.1),
        "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
        "elu_derivative": lambda z: np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0))),
    })
