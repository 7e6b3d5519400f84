"""Probes for exercise 1, the perceptron."""
import numpy as np

from grader.probes import Probe, attempt, module_of, plot_id

M = "ex01_perceptron"


def _m(impl):
    return module_of(impl, M)


def _predict(impl, c):
    return _m(impl).perceptron_predict(c["w"], c["X"])


def _update(impl, c):
    return _m(impl).perceptron_update(c["w"], c["x"], c["y"], c["lr"])


PROBES = {
    f"{M}.add_bias:matches_reference": Probe(lambda impl, c: _m(impl).add_bias(c["X"])),
    f"{M}.perceptron_predict:matches_reference": Probe(_predict),
    f"{M}.perceptron_predict:ties_go_to_plus_one": Probe(_predict),
    f"{M}.perceptron_update:matches_reference": Probe(_update),
    f"{M}.perceptron_update:no_change_when_correct": Probe(_update),
    f"{M}.train_perceptron:matches_reference":
        Probe(lambda impl, c: _m(impl).train_perceptron(c["X"], c["y"], lr=c["lr"], epochs=c["epochs"])),
    f"{M}.train_perceptron:separates_and_or": Probe(lambda impl, c: _m(impl).train_perceptron(c["X"], c["y"])),
}


# Plot: the decision line of the student's trained perceptron on AND and OR (bias column first).
PLOT_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
PLOT_Y = {"AND": np.array([-1.0, -1.0, -1.0, 1.0]), "OR": np.array([-1.0, 1.0, 1.0, 1.0])}


def _plot(impl, c):
    X = np.hstack([np.ones((4, 1)), PLOT_X])  # not the student's add_bias: one broken function spoils one plot
    return {name: attempt(lambda y=y: _m(impl).train_perceptron(X.copy(), y.copy())) for name, y in PLOT_Y.items()}


PLOTS = {plot_id(M): Probe(_plot)}
