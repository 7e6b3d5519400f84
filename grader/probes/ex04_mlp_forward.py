"""Probes for exercise 4, forward propagation."""
import numpy as np

from grader.probes import ContractError, Probe, attempt, module_of, plot_id

M = "ex04_mlp_forward"


def first_of_pair(result, name):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ContractError(f"{name} must return a pair (out, cache), got {type(result).__name__}")
    return result[0]


PROBES = {
    f"{M}.dense_forward:matches_reference": Probe(lambda impl, c: module_of(impl, M).dense_forward(c["X"], c["W"], c["b"])),
    f"{M}.mlp_forward:matches_reference":
        Probe(lambda impl, c: first_of_pair(module_of(impl, M).mlp_forward(c["X"], c["params"]), "mlp_forward")),
    f"{M}.xor_params:computes_xor": Probe(lambda impl, c: module_of(impl, M).xor_params()),
}


# Plot: the output surface of the student's XOR network (xor_params through mlp_forward) on [0, 1]^2.
PLOT_SIDE = 41
PLOT_GRID = np.stack(np.meshgrid(np.linspace(0, 1, PLOT_SIDE), np.linspace(0, 1, PLOT_SIDE)), axis=-1).reshape(-1, 2)


def _plot(impl, c):
    m = module_of(impl, M)
    return {"surface": attempt(lambda: first_of_pair(m.mlp_forward(PLOT_GRID.copy(), m.xor_params()), "mlp_forward"))}


PLOTS = {plot_id(M): Probe(_plot)}
