"""Probes for exercise 3, activation functions and their derivatives (the finite-difference
checks' probes and the plot's are derived from what grader/specs/ex03_activations.py declares)."""
from grader.probes import Probe, module_of

M = "ex03_activations"
DERIVATIVES = ("sigmoid_derivative", "tanh_derivative", "relu_derivative", "leaky_relu_derivative", "elu_derivative")


def _call(name):
    def call(impl, c):
        f = getattr(module_of(impl, M), name)
        return f(c["z"], alpha=c["alpha"]) if "alpha" in c else f(c["z"])
    return call


PROBES = {
    **{f"{M}.{f}:matches_reference": Probe(_call(f)) for f in ("sigmoid", "tanh", "relu", "leaky_relu", "elu", *DERIVATIVES)},
    f"{M}.sigmoid:extreme_inputs": Probe(_call("sigmoid"), watch_warnings=True),
    **{f"{M}.{d}:value_at_kink": Probe(_call(d)) for d in ("relu_derivative", "leaky_relu_derivative", "elu_derivative")},
    f"{M}.maxout:matches_reference":
        Probe(lambda impl, c: module_of(impl, M).maxout(c["X"], c["W1"], c["b1"], c["W2"], c["b2"])),
}

