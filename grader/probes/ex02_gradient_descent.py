"""Probes for exercise 2, squared loss and the delta rule."""
import numpy as np

from grader.probes import Call, ContractError, Output, Probe, attempt, module_of, plot_id, perturbed

M = "ex02_gradient_descent"


def _m(impl):
    return module_of(impl, M)


def _gradient(impl, c):
    return _m(impl).squared_error_gradient(c["w"], c["X"], c["y"])


def _own_loss_differences(c):
    """The student's squared_error around w: central differences of their own loss (for feedback)."""
    return [Call(f"{M}.squared_error", (v["w"], c["X"], c["y"])) for v in perturbed({"w": c["w"]}, ["w"])]


def step_pieces(c):
    """The student's own gradient at w (and at w + 1: a gradient that ignores w is degenerate)."""
    w = np.asarray(c["w"], dtype=float)
    return [Call(f"{M}.squared_error_gradient", (w, c["X"], c["y"])),
            Call(f"{M}.squared_error_gradient", (w + 1.0, c["X"], c["y"]))]


def _descent(impl, c):
    result = _m(impl).gradient_descent(c["w"], c["X"], c["y"], c["lr"], c["steps"])
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ContractError("gradient_descent must return a pair (w, losses)")
    return {"w": result[0], "losses": result[1]}


def descent_pieces(c):
    """The same loop from the student's own pieces: squared_error(w_k), then w_k+1 = delta_rule_step(w_k)."""
    calls, w = [], np.asarray(c["w"], dtype=float)
    for k in range(c["steps"]):
        calls.append(Call(f"{M}.squared_error", (w, c["X"], c["y"])))
        calls.append(Call(f"{M}.delta_rule_step", (w, c["X"], c["y"], c["lr"])))
        w = Output(2 * k + 1)
    return calls


PROBES = {
    f"{M}.linear_predict:matches_reference": Probe(lambda impl, c: _m(impl).linear_predict(c["w"], c["X"])),
    f"{M}.squared_error:matches_reference": Probe(lambda impl, c: _m(impl).squared_error(c["w"], c["X"], c["y"])),
    f"{M}.squared_error_gradient:matches_reference": Probe(_gradient),
    f"{M}.squared_error_gradient:finite_differences": Probe(_gradient, _own_loss_differences),
    f"{M}.delta_rule_step:matches_reference":
        Probe(lambda impl, c: _m(impl).delta_rule_step(c["w"], c["X"], c["y"], c["lr"]), step_pieces),
    f"{M}.gradient_descent:final_weights": Probe(_descent, descent_pieces),
    f"{M}.gradient_descent:loss_history": Probe(_descent, descent_pieces),
}


# Plot: the student's loss history of gradient descent on one line fit, for a few learning rates.
PLOT_X = np.stack([np.ones(8), np.linspace(0.0, 1.0, 8)], axis=1)
PLOT_Y = 1.0 + 2.0 * PLOT_X[:, 1]
PLOT_STEPS = 40
PLOT_RATES = (0.01, 0.05, 0.15)


def _plot(impl, c):
    def history(lr):
        return _m(impl).gradient_descent(np.zeros(2), PLOT_X.copy(), PLOT_Y.copy(), lr, PLOT_STEPS)[1]
    return {str(lr): attempt(lambda lr=lr: history(lr)) for lr in PLOT_RATES}


PLOTS = {plot_id(M): Probe(_plot)}
