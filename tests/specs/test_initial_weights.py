"""train_mlp's initial weights come from rng = np.random.default_rng(seed) and from no other
generator (the contract): the grader's sgd_procedure check varies that rng's stream and the global
generators one at a time, so code that seeds random, np.random or torch with the seed (reproducible,
yet not from rng) fails, and every way of drawing from rng passes."""
import numpy as np
import pytest

from grader import SOLUTIONS_DIR
from grader.judging.stages.judge import evaluate
from grader.judging.reference import plain
from grader.loader import import_sources, read_sources
from grader.probes import run_probe

M = "ex06_sgd"
RNG = "    rng = np.random.default_rng(seed)\n"
W1 = '"W1": rng.standard_normal((X.shape[1], hidden_units)),'
W2 = '"W2": rng.standard_normal((hidden_units, y.shape[1])),'
# {student: [(old, new) edits of the reference's ex06], ...}
OTHER_GENERATORS = {
    "python_random_seeded": [(RNG, RNG + "    random.seed(seed)\n"),
                             (W1, '"W1": np.array([[random.gauss(0, 1) for _ in range(hidden_units)] for _ in range(X.shape[1])]),')],
    "python_random_constant": [(RNG, RNG + "    random.seed(42)\n"),
                               (W2, '"W2": np.array([[random.uniform(-1, 1) for _ in range(y.shape[1])] for _ in range(hidden_units)]),'),
                               (W1, '"W1": np.array([[random.uniform(-1, 1) for _ in range(hidden_units)] for _ in range(X.shape[1])]),')],
    "numpy_global_seeded": [(RNG, RNG + "    np.random.seed(seed)\n"),
                            (W1, '"W1": np.random.randn(X.shape[1], hidden_units),'),
                            (W2, '"W2": np.random.randn(hidden_units, y.shape[1]),')],
    "torch_seeded": [(RNG, RNG + "    torch.manual_seed(seed)\n"),
                     (W1, '"W1": torch.randn(X.shape[1], hidden_units, dtype=torch.float64).numpy(),'),
                     (W2, '"W2": torch.randn(hidden_units, y.shape[1], dtype=torch.float64).numpy(),')],
    "own_generator_from_the_seed": [(W1, '"W1": np.random.Generator(np.random.PCG64(seed + 1)).standard_normal((X.shape[1], hidden_units)),'),
                                    (W2, '"W2": np.random.Generator(np.random.PCG64(seed + 2)).standard_normal((hidden_units, y.shape[1])),')],
}
FROM_RNG = {
    "imported_default_rng": [(RNG, "    rng = default_rng(seed)\n")],
    "keyword_seed": [(RNG, "    rng = np.random.default_rng(seed=seed)\n")],
    "uniform_and_biases_from_rng": [(W1, '"W1": rng.uniform(-1, 1, (X.shape[1], hidden_units)),'),
                                    ('"b1": np.zeros(hidden_units),', '"b1": rng.normal(size=hidden_units),')],
}


def _student(name, edits):
    sources = read_sources(SOLUTIONS_DIR)
    source = "import random\nimport torch\nfrom numpy.random import default_rng\n" + sources[M]
    for old, new in edits:
        assert source.count(old) == 1, (name, old)
        source = source.replace(old, new)
    impl, status = import_sources({**sources, M: source}, name)
    assert not any(status.values()), status
    return impl


def _procedure_verdicts(ctx, impl):
    check = ctx.checks[f"{M}.train_mlp:sgd_procedure"]
    return [evaluate(check, {"value": plain(run_probe(check.probe, impl, case))}, None, case) for case in ctx.cases[check.id]]


@pytest.mark.parametrize("student", sorted(OTHER_GENERATORS))
def test_initial_weights_from_another_generator_fail_the_procedure(ctx, student):
    verdicts = _procedure_verdicts(ctx, _student(student, OTHER_GENERATORS[student]))
    assert all(not v.ok and "rng" in v.message for v in verdicts), [v.message for v in verdicts]


@pytest.mark.parametrize("student", sorted(FROM_RNG))
def test_initial_weights_from_rng_in_any_style_pass(ctx, student):
    verdicts = _procedure_verdicts(ctx, _student(student, FROM_RNG[student]))
    assert all(v.ok for v in verdicts), [v.message for v in verdicts]


def test_the_rng_stand_in_is_put_back(ctx):
    real = np.random.default_rng
    _procedure_verdicts(ctx, _student("imported_default_rng", FROM_RNG["imported_default_rng"]))
    assert np.random.default_rng is real
