"""Checks for exercise 5, backpropagation (judge side; the probes are in grader.probes)."""
import numpy as np
from hypothesis import strategies as st

from grader.toolkit import strategies as S
from grader.toolkit.finite_diff import central_differences, numeric_gradients
from grader.probes import ex05_backprop as P
from grader.specs import Check, args, form_examples, spec
from grader.specs.ex04_mlp_forward import sigmoid
from grader.toolkit.compare import first_failure
from grader.specs.judges import (GRAD_TOL, Verdict, WrongType, as_array, as_dict, as_number, fd_judge, normwise,
                                 same_array, same_parts)
from grader.specs.own_pieces import own_piece_credit, usable_pieces

M = "ex05_backprop"
PARAMS = P.PARAMS


@st.composite
def _node_case(draw, names=("x", "y", "G")):
    shape = draw(S.any_shape(max_dims=2))
    return {name: draw(S.array(shape)) for name in names}


# Base values of the graded examples of the node backwards' input forms (the docstrings list them):
# per position of the node's arguments, a matrix, an integral matrix and integral scalars.
_NODE_BASES = (
    ([[-2.5, 0.5, 3.0], [1.5, -0.25, 4.0]], [[1.5, -2.0, 0.75], [0.5, 2.5, -1.25]], [[0.5, -1.5, 2.0], [1.0, 0.25, -3.0]]),
    ([[-2.0, 1.0], [3.0, -1.0]], [[2.0, -3.0], [1.0, 4.0]], [[1.0, -2.0], [3.0, 2.0]]),
    (2.0, -3.0, 4.0),
)


def _node_forms(function, names=("x", "y", "G")):
    """The graded examples of every input form of a node backward's arguments (grad_out is "G")."""
    bases = [{name: np.array(v) for name, v in zip(names, values)} for values in _NODE_BASES]
    return form_examples(f"{M}.{function}", *bases, keys={"grad_out": "G"})


def _scalar_case():
    r = S.reals(4.0)
    return st.fixed_dictionaries({"w": r, "x": r, "y": r})


def _node_expected(wrt, forward):
    """Central differences of L = sum(G * forward(inputs)), the node's true gradient, once per case."""
    def prepare(reference, c):
        return {"numeric": numeric_gradients(lambda v: np.sum(c["G"] * forward(*[v[k] for k in wrt])), {k: c[k] for k in wrt}, wrt)}
    return prepare


def _scalar_fd_expected(reference, c):
    return {**reference, "numeric": central_differences([float(v) for _, v in reference["pieces"]], {"w": ()})}


def _own_scalar_fd(got, expected, c):
    own = usable_pieces(got.get("pieces"), 2, expected["pieces"])
    return None if own is None else central_differences([float(v) for v in own], {"w": ()})


def _dense_differences(outputs, c):
    """{X, W, b: gradient} of L = sum(G * dense_forward(X, W, b)) from the outputs around each entry."""
    return central_differences([float(np.sum(c["G"] * out)) for out in outputs], {k: np.shape(c[k]) for k in "XWb"})


def _dense_fd_expected(reference, c):
    return {**reference, "numeric": _dense_differences([np.asarray(v, dtype=float) for _, v in reference["pieces"]], c)}


def _own_dense_fd(got, expected, c):
    own = usable_pieces(got.get("pieces"), len(expected["pieces"]), expected["pieces"])
    return None if own is None else _dense_differences(own, c)


def _dense_mistakes(c):
    G = c["G"]
    return {"b": {"the bias gradient must be summed over the batch, not averaged": G.mean(axis=0),
                  "the bias gradient must be summed over the batch (rows), giving shape (n_out,)": G},
            "W": {"grad_W must have W's shape (n_in, n_out): X^T G, not its transpose": G.T @ c["X"]}}


def _sigmoid_backward_mistakes(c):
    z = np.asarray(c["z"], dtype=float)
    return {"sigma'(z) is sigma(z) * (1 - sigma(z)); this uses z * (1 - z)": c["G"] * z * (1 - z)}


def _half_squared(out, c):
    return 0.5 * float(np.sum((np.asarray(out, dtype=float) - c["y"]) ** 2))


def _implied_by_forward(outputs, c):
    """(loss, {param: gradient}) that a forward pass with these outputs implies: its loss at params
    and central differences of the loss around every parameter entry."""
    shapes = {k: np.shape(c["params"][k]) for k in PARAMS}
    return _half_squared(outputs[0], c), central_differences([_half_squared(out, c) for out in outputs[1:]], shapes)


def _mlp_expected(reference, c):
    loss, numeric = _implied_by_forward([np.asarray(v, dtype=float) for _, v in reference["pieces"]], c)
    return {**reference, "numeric": numeric}


def _read_mlp(value):
    loss = as_number(value["loss"], "the loss")
    grads = as_dict(value["grads"], PARAMS, "grads")
    return loss, {k: as_array(grads[k], f"grads[{k!r}]") for k in PARAMS}


def _exact_for(value, implied, c):
    """The student's loss and gradients are those of the forward pass behind `implied`."""
    loss, grads = _read_mlp(value)
    own_loss, own_grads = implied
    return np.isclose(loss, own_loss, rtol=1e-4, atol=1e-6) and all(normwise(grads[k], own_grads[k]) <= GRAD_TOL for k in PARAMS)


def _implied_differ(own, true, c):
    """Two forwards imply different losses or gradients (beyond what the checks allow)."""
    (own_loss, own_grads), (true_loss, true_grads) = own, true
    return not np.isclose(own_loss, true_loss, rtol=1e-4, atol=1e-6) or any(
        not normwise(own_grads[k], true_grads[k]) <= GRAD_TOL for k in PARAMS)


def _mlp_verdict(compare):
    """Read the loss and grads, then compare; a backward exact for the student's own (wrong) forward
    keeps its points (grader.specs.own_pieces)."""
    def judge(got, expected, c):
        try:
            loss, grads = _read_mlp(got["value"])
        except WrongType as exc:
            return Verdict(False, str(exc), expected["value"]["loss"], got["value"]["loss"])
        return compare(expected, c, loss, grads)
    return own_piece_credit(judge, P.mlp_pieces, _implied_by_forward, _exact_for, differs=_implied_differ)


@_mlp_verdict
def _mlp_judge(expected, c, loss, grads):
    """Shape before value: a gradient of the wrong shape first, then the loss, then the gradients' values."""
    want = expected["value"]
    parts = [(grads[k], want["grads"][k], f"grads[{k!r}]", None) for k in PARAMS]
    shapes = first_failure([part for part in parts if np.shape(part[0]) != np.shape(part[1])])
    if not shapes.ok:
        return shapes
    if not np.isclose(loss, want["loss"], rtol=1e-4, atol=1e-6):
        hint = "the loss is 1/2 * sum((out - y)^2): the 1/2 is missing" if np.isclose(loss, 2 * want["loss"], rtol=1e-4) else ""
        return Verdict(False, "the loss differs from the expected value", want["loss"], loss, hint)
    return first_failure(parts)


@_mlp_verdict
def _mlp_fd_judge(expected, c, loss, grads):
    return fd_judge("mlp_backward", list(PARAMS))(grads, expected, c)


_NODE_ARGS = args("x", "y", ("grad_out", "G"))
_SQUARE_ARGS = args("s", ("grad_out", "G"))
_DENSE_ARGS = args(("grad_out", "G"), "X", "W")
_SIGMOID_ARGS = args(("grad_out", "G"), "z")

FUNCTIONS = [
    spec(f"{M}.multiply_backward",
         Check(f"{M}.multiply_backward", "matches_reference",
               same_parts("multiply_backward(x, y, grad_out)", ("grad_x", "grad_y"), lambda c: {
                   "grad_x": {"the local gradient of x * y with respect to x is y, not x": c["G"] * c["x"]}}),
               cases=_node_case(), examples=_node_forms("multiply_backward"), shown=_NODE_ARGS),
         Check(f"{M}.multiply_backward", "finite_differences", fd_judge("multiply_backward", ["x", "y"]), cases=_node_case(),
               max_examples=6, prepare=_node_expected(("x", "y"), lambda x, y: x * y), shown=_NODE_ARGS)),
    spec(f"{M}.add_backward",
         Check(f"{M}.add_backward", "matches_reference", same_parts("add_backward(x, y, grad_out)", ("grad_x", "grad_y")),
               cases=_node_case(), examples=_node_forms("add_backward"), shown=_NODE_ARGS),
         Check(f"{M}.add_backward", "finite_differences", fd_judge("add_backward", ["x", "y"]), cases=_node_case(),
               max_examples=6, prepare=_node_expected(("x", "y"), lambda x, y: x + y), shown=_NODE_ARGS)),
    spec(f"{M}.square_backward",
         Check(f"{M}.square_backward", "matches_reference", same_array("square_backward(s, grad_out)"),
               cases=_node_case(("s", "G")), examples=_node_forms("square_backward", ("s", "G")), shown=_SQUARE_ARGS),
         Check(f"{M}.square_backward", "finite_differences", fd_judge("square_backward", ["s"]), cases=_node_case(("s", "G")),
               max_examples=6, prepare=_node_expected(("s",), lambda s: s * s), shown=_SQUARE_ARGS)),
    spec(f"{M}.scalar_loss_and_gradient",
         Check(f"{M}.scalar_loss_and_gradient", "matches_reference",
               same_parts("scalar_loss_and_gradient(w, x, y)", ("loss", "dloss/dw")),
               cases=_scalar_case(), examples=({"w": 1.0, "x": 1.0, "y": 2.0},) + form_examples(
                   f"{M}.scalar_loss_and_gradient", {"w": 0.5, "x": 1.5, "y": -2.0}, {"w": 2.0, "x": -1.0, "y": 3.0})),
         Check(f"{M}.scalar_loss_and_gradient", "finite_differences", fd_judge("dloss/dw", ["w"], own=_own_scalar_fd),
               cases=_scalar_case(), max_examples=8, prepare=_scalar_fd_expected),
         depends=(f"{M}.multiply_backward", f"{M}.square_backward")),
    spec(f"{M}.dense_backward",
         Check(f"{M}.dense_backward", "matches_reference",
               same_parts("dense_backward(grad_out, X, W)", ("grad_X", "grad_W", "grad_b"),
                          lambda c: {"grad_b": _dense_mistakes(c)["b"], "grad_W": _dense_mistakes(c)["W"]}),
               cases=S.dense_case(), shown=_DENSE_ARGS),
         Check(f"{M}.dense_backward", "finite_differences", fd_judge("dense_backward", ["X", "W", "b"], own=_own_dense_fd),
               cases=S.dense_case(), max_examples=6, prepare=_dense_fd_expected, shown=_DENSE_ARGS)),
    spec(f"{M}.sigmoid_backward",
         Check(f"{M}.sigmoid_backward", "matches_reference", same_array("sigmoid_backward(grad_out, z)", _sigmoid_backward_mistakes),
               cases=_node_case(("G", "z")), examples=_node_forms("sigmoid_backward", ("G", "z")), shown=_SIGMOID_ARGS),
         Check(f"{M}.sigmoid_backward", "finite_differences", fd_judge("sigmoid_backward", ["z"]), cases=_node_case(("G", "z")),
               max_examples=6, prepare=_node_expected(("z",), sigmoid), shown=_SIGMOID_ARGS)),
    spec(f"{M}.mlp_backward",
         Check(f"{M}.mlp_backward", "matches_reference", _mlp_judge, cases=S.mlp_case()),
         Check(f"{M}.mlp_backward", "finite_differences", _mlp_fd_judge, cases=S.mlp_case(), max_examples=6, prepare=_mlp_expected),
         depends=("ex04_mlp_forward.mlp_forward", f"{M}.dense_backward", f"{M}.sigmoid_backward")),
]
