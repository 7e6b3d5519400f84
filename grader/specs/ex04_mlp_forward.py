"""Checks for exercise 4, forward propagation (judge side; the probes are in grader.probes)."""
import numpy as np

from grader.toolkit import strategies as S
from grader.specs import Check, args, spec
from grader.specs.judges import Verdict, WrongType, as_dict, finite_array, same_array

M = "ex04_mlp_forward"
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TRUE = np.array([False, True, True, False])
PARAM_SHAPES = {"W1": (2, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)}


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def forward(X, params):
    """The grader's own forward pass, used to judge weights the student chose."""
    h = sigmoid(X @ params["W1"] + params["b1"])
    return sigmoid(h @ params["W2"] + params["b2"])


def _mlp_mistakes(c):
    p = c["params"]
    h = sigmoid(c["X"] @ p["W1"] + p["b1"])
    return {"the output layer's sigmoid is missing": h @ p["W2"] + p["b2"],
            "the hidden layer's sigmoid is missing": sigmoid((c["X"] @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"])}


def _computes_xor(got, expected, c):
    try:
        params = as_dict(got, PARAM_SHAPES, "xor_params()")
        params = {k: finite_array(v, f"params[{k!r}]") for k, v in params.items()}
    except WrongType as exc:
        return Verdict(False, str(exc), PARAM_SHAPES, got)
    for key, shape in PARAM_SHAPES.items():
        if params[key].shape != shape:
            return Verdict(False, f"params[{key!r}] has shape {params[key].shape}, expected {shape}", shape, params[key].shape)
    out = forward(XOR_X, params).ravel()
    if np.array_equal(out > 0.5, XOR_TRUE):
        return Verdict.passed()
    return Verdict(False, "the network's output must be > 0.5 exactly on (0, 1) and (1, 0); "
                          "outputs on (0,0), (0,1), (1,0), (1,1)", XOR_TRUE.astype(float), out)


FUNCTIONS = [
    spec(f"{M}.dense_forward",
         Check(f"{M}.dense_forward", "matches_reference", same_array("dense_forward(X, W, b)", lambda c: {"the bias b is not added": c["X"] @ c["W"]}),
               cases=S.dense_case(), shown=args("X", "W", "b"))),
    spec(f"{M}.mlp_forward",
         Check(f"{M}.mlp_forward", "matches_reference", same_array("out of mlp_forward(X, params)", _mlp_mistakes), cases=S.mlp_case(),
               shown=args("X", "params")),
         depends=(f"{M}.dense_forward",)),
    spec(f"{M}.xor_params",
         Check(f"{M}.xor_params", "computes_xor", _computes_xor,
               describe="your XOR network's outputs on the four XOR inputs",
               examples=({},), max_examples=0, uses_expected=False)),
]
