"""Checks for exercise 8, softmax and its gradient (judge side). No probe file: every check uses
the default probe, module.function(**case), so each case's keys are the parameter names."""
import numpy as np
from hypothesis import strategies as st

from grader.toolkit import strategies as S
from grader.specs import Check, spec
from grader.specs.judges import same_array

M = "ex08_softmax"
SHAPES = st.tuples(S.dims(1, 4), S.dims(1, 5))  # (rows, classes)


@st.composite
def _scores(draw, with_gradient=False):
    shape = draw(SHAPES)
    case = {"z": draw(S.array(shape, S.reals(10.0)))}
    if with_gradient:
        case["grad_out"] = draw(S.array(shape, S.reals(3.0)))
    return case


def _softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _backward_mistakes(case):
    s = _softmax(case["z"])
    return {"the sum over the classes is missing: dL/dz = s * (g - sum_j g_j s_j)": s * case["grad_out"]}


FUNCTIONS = [
    spec(f"{M}.softmax",
         Check(f"{M}.softmax", "matches_reference", same_array("softmax(z)"), cases=_scores(),
               examples=({"z": np.array([[1000.0, 0.0, -1000.0]])},))),
    spec(f"{M}.softmax_backward",
         Check(f"{M}.softmax_backward", "matches_reference", same_array("softmax_backward(z, grad_out)", _backward_mistakes),
               cases=_scores(with_gradient=True)),
         depends=(f"{M}.softmax",)),
]
