"""Probes for exercise 3, activation functions and their derivatives."""
import numpy as np

from grader.probes import FD_STEP, Call, Probe, attempt, module_of, plot_id

M = "ex03_activations"
FORWARDS = {"sigmoid_derivative": "sigmoid", "tanh_derivative": "tanh", "relu_derivative": "relu",
            "leaky_relu_derivative": "leaky_relu", "elu_derivative": "elu"}


def _call(name):
    def call(impl, c):
        f = getattr(module_of(impl, M), name)
        return f(c["z"], alpha=c["alpha"]) if "alpha" in c else f(c["z"])
    return call


def _forward_around(forward):
    """The student's own forward at z + step and z - step (elementwise central differences)."""
    def pieces(c):
        z = np.asarray(c["z"], dtype=float)
        kwargs = {"alpha": c["alpha"]} if "alpha" in c else {}
        return [Call(f"{M}.{forward}", (z + FD_STEP,), kwargs), Call(f"{M}.{forward}", (z - FD_STEP,), kwargs)]
    return pieces


PROBES = {
    **{f"{M}.{f}:matches_reference": Probe(_call(f)) for f in ("sigmoid", "tanh", "relu", "leaky_relu", "elu", *FORWARDS)},
    f"{M}.sigmoid:extreme_inputs": Probe(_call("sigmoid"), watch_warnings=True),
    **{f"{M}.{d}:finite_differences": Probe(_call(d), _forward_around(f)) for d, f in FORWARDS.items()},
    **{f"{M}.{d}:value_at_kink": Probe(_call(d)) for d in ("relu_derivative", "leaky_relu_derivative", "elu_derivative")},
    f"{M}.maxout:matches_reference":
        Probe(lambda impl, c: module_of(impl, M).maxout(c["X"], c["W1"], c["b1"], c["W2"], c["b2"])),
}


# Plot: each activation and its derivative on a grid (the judge draws the slides' curves beside them).
PLOT_Z = np.linspace(-5.0, 5.0, 201)


def _plot(impl, c):
    return {name: attempt(lambda name=name: getattr(module_of(impl, M), name)(PLOT_Z.copy()))
            for pair in FORWARDS.items() for name in pair[::-1]}


PLOTS = {plot_id(M): Probe(_plot)}
