"""Probes for exercise 4, forward propagation."""
from grader.probes import ContractError, Probe, module_of

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
