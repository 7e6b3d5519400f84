"""Probes for exercise 1, the perceptron."""
from grader.probes import Probe, module_of

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
