"""Checks for exercise 5, backpropagation."""
import numpy as np
from hypothesis import strategies as st

from grader import strategies as S
from grader.finite_diff import numeric_gradients
from grader.specs import Check, ContractError, spec
from grader.specs.ex04_mlp_forward import sigmoid
from grader.specs.judges import (GRAD_TOL, Verdict, WrongType, normwise, as_array, as_dict, as_float, as_sequence,
                                 gradients_match_fd, same_array, same_parts)

M = "ex05_backprop"
PARAMS = ("W1", "b1", "W2", "b2")


def _m(impl):
    return getattr(impl, M)


@st.composite
def _node_case(draw, names=("x", "y", "G")):
    shape = draw(S.any_shape(max_dims=2))
    return {name: draw(S.array(shape)) for name in names}


def _scalar_case():
    r = S.reals(4.0)
    return st.fixed_dictionaries({"w": r, "x": r, "y": r})


def _pair(result, name, names):
    parts = as_sequence(result, len(names), f"{name}(...)") if isinstance(result, (tuple, list)) else None
    if parts is None:
        raise ContractError(f"{name} must return a tuple {tuple(names)}, got {type(result).__name__}")
    return dict(zip(names, parts))


def _node_fd_probe(name, wrt, forward, call):
    """Backward of one node vs central differences of L = sum(G * forward(inputs))."""
    def probe(impl, c):
        result = call(impl, c)
        analytic = _pair(result, name, wrt) if len(wrt) > 1 else {wrt[0]: result}
        numeric = numeric_gradients(lambda v: np.sum(c["G"] * forward(*[v[k] for k in wrt])), {k: c[k] for k in wrt}, wrt)
        return {"analytic": analytic, "numeric": numeric}
    return probe


def _scalar_fd_probe(impl, c):
    m = _m(impl)
    loss, grad = as_sequence(m.scalar_loss_and_gradient(c["w"], c["x"], c["y"]), 2, "scalar_loss_and_gradient(...)")
    own = numeric_gradients(lambda v: as_float(as_sequence(m.scalar_loss_and_gradient(float(v["w"]), c["x"], c["y"]), 2)[0]),
                            {"w": np.array(c["w"])}, ["w"])
    return {"analytic": {"w": grad}, "numeric": own}


def _dense_fd_probe(impl, c):
    grads = _pair(_m(impl).dense_backward(c["G"], c["X"], c["W"]), "dense_backward", ("X", "W", "b"))
    own_forward = getattr(getattr(impl, "ex04_mlp_forward", None), "dense_forward", None)
    numeric = None
    if own_forward is not None:
        try:
            numeric = numeric_gradients(lambda v: np.sum(c["G"] * np.asarray(own_forward(v["X"], v["W"], v["b"]), dtype=float)),
                                        {k: c[k] for k in "XWb"}, ["X", "W", "b"])
        except Exception:  # the forward is graded on its own
            numeric = None
    return {"analytic": grads, "numeric": numeric}


def _dense_mistakes(c):
    G = c["G"]
    return {"b": {"the bias gradient must be summed over the batch, not averaged": G.mean(axis=0),
                  "the bias gradient must be summed over the batch (rows), giving shape (n_out,)": G},
            "W": {"grad_W must have W's shape (n_in, n_out): X^T G, not its transpose": G.T @ c["X"]}}


def _sigmoid_backward_mistakes(c):
    z = np.asarray(c["z"], dtype=float)
    return {"sigma'(z) is sigma(z) * (1 - sigma(z)); this uses z * (1 - z)": c["G"] * z * (1 - z)}


def _mlp_probe(impl, c):
    """The student's loss and gradients, plus the loss of their own mlp_forward and its central
    differences: a backward that is right for the student's own (wrong) forward is not penalised twice."""
    result = _m(impl).mlp_backward(c["X"], c["y"], c["params"])
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ContractError("mlp_backward must return a pair (loss, grads)")
    forward = getattr(getattr(impl, "ex04_mlp_forward", None), "mlp_forward", None)
    own_loss = own_numeric = None
    if forward is not None:
        try:
            def loss_of(params):
                out = forward(c["X"], {k: params[k] for k in PARAMS})[0]
                return 0.5 * float(np.sum((np.asarray(out, dtype=float) - c["y"]) ** 2))
            own_loss = loss_of(c["params"])
            own_numeric = numeric_gradients(loss_of, dict(c["params"]), list(PARAMS))
        except Exception:  # the forward is graded on its own
            own_loss = own_numeric = None
    return {"loss": result[0], "grads": result[1], "own_loss": own_loss, "own_numeric": own_numeric}


def _read_mlp(got, expected):
    loss = as_float(got["loss"], "the loss")
    grads = as_dict(got["grads"], PARAMS, "grads")
    return loss, {k: as_array(grads[k], f"grads[{k!r}]") for k in PARAMS}


def _consistent_with_own_forward(got, expected, loss, grads):
    own_loss, own = got.get("own_loss"), got.get("own_numeric")
    if own_loss is None or not own:
        return False
    forward_wrong = not np.isclose(own_loss, expected["loss"], rtol=1e-6, atol=1e-9)
    return forward_wrong and np.isclose(loss, own_loss, rtol=1e-4, atol=1e-6) and all(
        normwise(grads[k], own[k]) <= GRAD_TOL for k in PARAMS)


def _mlp_verdict(compare):
    """Read the loss and grads; pass a backward that is exact for the student's own forward; else compare."""
    def judge(got, expected, c):
        try:
            loss, grads = _read_mlp(got, expected)
        except WrongType as exc:
            return Verdict(False, str(exc), expected["loss"], got["loss"])
        if _consistent_with_own_forward(got, expected, loss, grads):
            return Verdict.passed()
        return compare(got, expected, c, loss, grads)
    return judge


@_mlp_verdict
def _mlp_judge(got, expected, c, loss, grads):
    if not np.isclose(loss, expected["loss"], rtol=1e-4, atol=1e-6):
        hint = "the loss is 1/2 * sum((out - y)^2): the 1/2 is missing" if np.isclose(loss, 2 * expected["loss"], rtol=1e-4) else ""
        return Verdict(False, "the loss differs from the expected value", expected["loss"], loss, hint)
    for key in PARAMS:
        verdict = same_array(f"grads[{key!r}]")(grads[key], expected["grads"][key], c)
        if not verdict.ok:
            return verdict
    return Verdict.passed()


@_mlp_verdict
def _mlp_fd_judge(got, expected, c, loss, grads):
    return gradients_match_fd("mlp_backward", list(PARAMS))(
        {"analytic": grads, "numeric": got.get("own_numeric")}, {"numeric": expected["own_numeric"]}, c)


def _multiply(impl, c):
    return _m(impl).multiply_backward(c["x"], c["y"], c["G"])


def _add(impl, c):
    return _m(impl).add_backward(c["x"], c["y"], c["G"])


def _square(impl, c):
    return _m(impl).square_backward(c["s"], c["G"])


def _sigmoid_backward(impl, c):
    return _m(impl).sigmoid_backward(c["G"], c["z"])


FUNCTIONS = [
    spec(f"{M}.multiply_backward",
         Check(f"{M}.multiply_backward", "matches_reference", _multiply,
               same_parts("multiply_backward(x, y, grad_out)", ("grad_x", "grad_y"), lambda c: {
                   "grad_x": {"the local gradient of x * y with respect to x is y, not x": c["G"] * c["x"]}}),
               cases=_node_case()),
         Check(f"{M}.multiply_backward", "finite_differences", _node_fd_probe("multiply_backward", ("x", "y"), lambda x, y: x * y, _multiply),
               gradients_match_fd("multiply_backward", ["x", "y"]), cases=_node_case(), max_examples=6)),
    spec(f"{M}.add_backward",
         Check(f"{M}.add_backward", "matches_reference", _add,
               same_parts("add_backward(x, y, grad_out)", ("grad_x", "grad_y")), cases=_node_case()),
         Check(f"{M}.add_backward", "finite_differences", _node_fd_probe("add_backward", ("x", "y"), lambda x, y: x + y, _add),
               gradients_match_fd("add_backward", ["x", "y"]), cases=_node_case(), max_examples=6)),
    spec(f"{M}.square_backward",
         Check(f"{M}.square_backward", "matches_reference", _square,
               same_array("square_backward(s, grad_out)"), cases=_node_case(("s", "G"))),
         Check(f"{M}.square_backward", "finite_differences", _node_fd_probe("square_backward", ("s",), lambda s: s * s, _square),
               gradients_match_fd("square_backward", ["s"]), cases=_node_case(("s", "G")), max_examples=6)),
    spec(f"{M}.scalar_loss_and_gradient",
         Check(f"{M}.scalar_loss_and_gradient", "matches_reference",
               lambda impl, c: _m(impl).scalar_loss_and_gradient(c["w"], c["x"], c["y"]),
               same_parts("scalar_loss_and_gradient(w, x, y)", ("loss", "dloss/dw")),
               cases=_scalar_case(), examples=({"w": 1.0, "x": 1.0, "y": 2.0},)),
         Check(f"{M}.scalar_loss_and_gradient", "finite_differences", _scalar_fd_probe,
               gradients_match_fd("dloss/dw", ["w"]), cases=_scalar_case(), max_examples=8),
         depends=(f"{M}.multiply_backward", f"{M}.square_backward")),
    spec(f"{M}.dense_backward",
         Check(f"{M}.dense_backward", "matches_reference", lambda impl, c: _m(impl).dense_backward(c["G"], c["X"], c["W"]),
               same_parts("dense_backward(grad_out, X, W)", ("grad_X", "grad_W", "grad_b"),
                          lambda c: {"grad_b": _dense_mistakes(c)["b"], "grad_W": _dense_mistakes(c)["W"]}),
               cases=S.dense_case()),
         Check(f"{M}.dense_backward", "finite_differences", _dense_fd_probe,
               gradients_match_fd("dense_backward", ["X", "W", "b"]), cases=S.dense_case(), max_examples=6)),
    spec(f"{M}.sigmoid_backward",
         Check(f"{M}.sigmoid_backward", "matches_reference", _sigmoid_backward,
               same_array("sigmoid_backward(grad_out, z)", _sigmoid_backward_mistakes), cases=_node_case(("G", "z"))),
         Check(f"{M}.sigmoid_backward", "finite_differences", _node_fd_probe("sigmoid_backward", ("z",), sigmoid, _sigmoid_backward),
               gradients_match_fd("sigmoid_backward", ["z"]), cases=_node_case(("G", "z")), max_examples=6)),
    spec(f"{M}.mlp_backward",
         Check(f"{M}.mlp_backward", "matches_reference", _mlp_probe, _mlp_judge, cases=S.mlp_case()),
         Check(f"{M}.mlp_backward", "finite_differences", _mlp_probe, _mlp_fd_judge, cases=S.mlp_case(), max_examples=6),
         depends=("ex04_mlp_forward.mlp_forward", f"{M}.dense_backward", f"{M}.sigmoid_backward")),
]
