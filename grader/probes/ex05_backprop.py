"""Probes for exercise 5, backpropagation."""
import numpy as np

from grader.probes import FD_STEP, Call, ContractError, Probe, attempt, module_of, plot_id, perturbed, run_pieces

M = "ex05_backprop"
PARAMS = ("W1", "b1", "W2", "b2")


def _m(impl):
    return module_of(impl, M)


def _named(result, name, names):
    """The parts of a returned tuple by name: {"x": grad_x, ...} (one name: the value itself)."""
    if len(names) == 1:
        return {names[0]: result}
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        raise ContractError(f"{name} must return a tuple {tuple(names)}, got {type(result).__name__}")
    return dict(zip(names, result))


def _multiply(impl, c):
    return _m(impl).multiply_backward(c["x"], c["y"], c["G"])


def _add(impl, c):
    return _m(impl).add_backward(c["x"], c["y"], c["G"])


def _square(impl, c):
    return _m(impl).square_backward(c["s"], c["G"])


def _sigmoid_backward(impl, c):
    return _m(impl).sigmoid_backward(c["G"], c["z"])


def _scalar(impl, c):
    return _m(impl).scalar_loss_and_gradient(c["w"], c["x"], c["y"])


def _dense(impl, c):
    return _m(impl).dense_backward(c["G"], c["X"], c["W"])


def _analytic(call, name, names):
    return lambda impl, c: _named(call(impl, c), name, names)


def _scalar_analytic(impl, c):
    return {"w": _named(_scalar(impl, c), "scalar_loss_and_gradient", ("loss", "dloss/dw"))["dloss/dw"]}


def _own_scalar_loss(c):
    """The student's own loss at w + step and w - step."""
    return [Call(f"{M}.scalar_loss_and_gradient", (c["w"] + s, c["x"], c["y"]), take=0) for s in (FD_STEP, -FD_STEP)]


def _own_dense_forward(c):
    """The student's own dense_forward (exercise 4) around X, W and b."""
    return [Call("ex04_mlp_forward.dense_forward", (v["X"], v["W"], v["b"]))
            for v in perturbed({k: c[k] for k in "XWb"}, ["X", "W", "b"])]


def _mlp(impl, c):
    result = _m(impl).mlp_backward(c["X"], c["y"], c["params"])
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ContractError("mlp_backward must return a pair (loss, grads)")
    return {"loss": result[0], "grads": result[1]}


def mlp_pieces(c):
    """The student's own mlp_forward at params, then around every parameter entry."""
    variants = [dict(c["params"])] + perturbed(dict(c["params"]), PARAMS)
    return [Call("ex04_mlp_forward.mlp_forward", (c["X"], v), take=0) for v in variants]


PROBES = {
    f"{M}.multiply_backward:matches_reference": Probe(_multiply),
    f"{M}.multiply_backward:finite_differences": Probe(_analytic(_multiply, "multiply_backward", ("x", "y"))),
    f"{M}.add_backward:matches_reference": Probe(_add),
    f"{M}.add_backward:finite_differences": Probe(_analytic(_add, "add_backward", ("x", "y"))),
    f"{M}.square_backward:matches_reference": Probe(_square),
    f"{M}.square_backward:finite_differences": Probe(_analytic(_square, "square_backward", ("s",))),
    f"{M}.scalar_loss_and_gradient:matches_reference": Probe(_scalar),
    f"{M}.scalar_loss_and_gradient:finite_differences": Probe(_scalar_analytic, _own_scalar_loss),
    f"{M}.dense_backward:matches_reference": Probe(_dense),
    f"{M}.dense_backward:finite_differences": Probe(_analytic(_dense, "dense_backward", ("X", "W", "b")), _own_dense_forward),
    f"{M}.sigmoid_backward:matches_reference": Probe(_sigmoid_backward),
    f"{M}.sigmoid_backward:finite_differences": Probe(_analytic(_sigmoid_backward, "sigmoid_backward", ("z",))),
    f"{M}.mlp_backward:matches_reference": Probe(_mlp, mlp_pieces),
    f"{M}.mlp_backward:finite_differences": Probe(_mlp, mlp_pieces),
}


# Plot: per tensor, the student's gradient against central differences of their own forward
# (the judge computes the differences from these outputs), on fixed public inputs.
PLOT_DENSE = {"G": np.array([[1.0, -2.0], [0.5, 1.5], [-1.0, 0.25]]), "X": np.array([[0.5, -1.0], [2.0, 0.0], [-0.5, 1.0]]),
              "W": np.array([[1.0, -0.5], [0.25, 2.0]]), "b": np.array([0.1, -0.2])}
PLOT_MLP = {"X": np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), "y": np.array([[0.0], [1.0], [1.0], [0.0]]),
            "params": {"W1": np.array([[0.5, -1.0], [1.5, 0.5]]), "b1": np.array([0.1, -0.3]),
                       "W2": np.array([[1.0], [-2.0]]), "b2": np.array([0.2])}}


def _plot(impl, c):
    def dense():
        grads = _analytic(_dense, "dense_backward", ("X", "W", "b"))(impl, PLOT_DENSE)
        return {"grads": grads, "pieces": run_pieces(impl, _own_dense_forward(PLOT_DENSE))}

    def mlp():
        grads = _mlp(impl, PLOT_MLP)["grads"]
        return {"grads": grads, "pieces": run_pieces(impl, mlp_pieces(PLOT_MLP))}
    return {"dense_backward": attempt(dense), "mlp_backward": attempt(mlp)}


PLOTS = {plot_id(M): Probe(_plot)}
