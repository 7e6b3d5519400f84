"""The mistake catalogue (grader/devtools/mistakes.py) says the truth.

Every mistake applies cleanly, keeps its module valid Python, and breaks exactly
the functions its `breaks` lists: each exercise function gets a behavioural
probe (compare with the reference on fixed inputs, or check the promised
behaviour for the training functions and the random order), run in-process on
the mutant folder. The same probes pass on the reference and on every correct
alternative implementation in tests/alt_impls, so they test correctness, not
sameness.
"""
import ast
import importlib
import importlib.abc
import importlib.util
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from helpers.alt_styles import completed
import torch

from grader import SOLUTIONS_DIR, exercise_files, exercise_modules
from grader.forms import FORM_KEY, apply_forms
from grader.devtools.mistakes import MISTAKES, Mistake, mutated_sources, write_mutant
from grader.rubric import load_rubric
from grader.specs import all_checks

ALT_IMPLS = Path(__file__).parent.parent / "alt_impls"
STYLES = sorted(p.name for p in ALT_IMPLS.iterdir() if p.is_dir())
EXERCISE_NAME = re.compile(r"ex\d\d_\w+")
MODULES = exercise_modules()


# --------------------------------------------------------------------------
# loading a folder of exercise modules in-process, isolated from any other folder
# --------------------------------------------------------------------------


class _FolderFinder(importlib.abc.MetaPathFinder):
    def __init__(self, folder):
        self.folder = Path(folder)

    def find_spec(self, fullname, path=None, target=None):
        if EXERCISE_NAME.fullmatch(fullname):
            return importlib.util.spec_from_file_location(fullname, self.folder / f"{fullname}.py")
        return None


def load_folder(folder, modules=None):
    """{module name: module} of `folder` (default: every exercise module it holds); cross-imports
    (ex05 -> ex04) resolve inside the folder."""
    modules = modules or [p.stem for p in exercise_files(folder)]
    saved = {n: sys.modules.pop(n) for n in list(sys.modules) if EXERCISE_NAME.fullmatch(n)}
    finder = _FolderFinder(folder)
    sys.meta_path.insert(0, finder)
    try:
        return {name: importlib.import_module(name) for name in modules}
    finally:
        sys.meta_path.remove(finder)
        for name in [n for n in sys.modules if EXERCISE_NAME.fullmatch(n)]:
            del sys.modules[name]
        sys.modules.update(saved)


def affected_modules(sources):
    """Modules whose text differs from the reference, plus every module importing one of them."""
    reference = {f"{m}.py": (SOLUTIONS_DIR / f"{m}.py").read_text() for m in MODULES}
    imports = {
        name[:-3]: {n.module for n in ast.walk(ast.parse(text)) if isinstance(n, ast.ImportFrom) and n.module}
        for name, text in sources.items()
    }
    affected = {name[:-3] for name, text in sources.items() if text != reference[name]}
    while True:
        more = {m for m, deps in imports.items() if deps & affected} - affected
        if not more:
            return affected
        affected |= more


# --------------------------------------------------------------------------
# probes: each returns None when the function behaves, else a short reason
# --------------------------------------------------------------------------


def same(got, expected, rtol=1e-4, atol=1e-6):
    """Reason why got differs from expected (recursing into tuples and dicts), or None."""
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            return f"keys {sorted(got) if isinstance(got, dict) else type(got)} != {sorted(expected)}"
        return next((r for k in expected if (r := same(got[k], expected[k], rtol, atol))), None)
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"{got!r} is not a {len(expected)}-tuple"
        return next((r for g, e in zip(got, expected) if (r := same(g, e, rtol, atol))), None)
    g, e = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if g.shape != e.shape:
        return f"shape {g.shape} != {e.shape}"
    tolerance = atol + rtol * float(np.max(np.abs(e), initial=0.0))
    if not np.all(np.abs(g - e) <= tolerance):
        return f"{g} != {e}"
    return None


def _inputs():
    rng = np.random.default_rng(2024)
    ints = lambda *shape: rng.integers(-3, 4, size=shape).astype(float)  # noqa: E731
    bool_x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    with_bias = np.hstack([np.ones((4, 1)), bool_x])
    z = np.concatenate([[-1000.0, -710.0, -30.0], rng.normal(size=12) * 4, [30.0, 710.0, 1000.0]])
    z = z[z != 0]
    return {
        "X": rng.normal(size=(4, 3)),
        "int_cases": [(ints(3), ints(6, 3)) for _ in range(5)] + [(np.array([1.0, -1.0]), np.array([[2.0, 2.0], [0.0, 0.0]]))],
        "updates": [(np.array([1.0, -1.0]), np.array([2.0, 2.0]), y, lr) for y in (-1.0, 1.0) for lr in (1.0, 0.5)]
        + [(np.array([0.5, 2.0, -1.0]), np.ones(3), 1.0, 0.7), (ints(3), ints(3), -1.0, 1.0), (ints(3), ints(3), 1.0, 2.0)],
        "perceptron": [(with_bias, y, lr) for y in ([-1.0, -1.0, -1.0, 1.0], [-1.0, 1.0, 1.0, 1.0], [-1.0, 1.0, 1.0, -1.0],
                                                    [1.0, 1.0, 1.0, 1.0]) for lr in (1.0, 0.5)]
        + [(np.array([[1.0, 2.0], [1.0, 1.0]]), [-1.0, 1.0], 1.0)],
        "linear": [(rng.normal(size=3), rng.normal(size=(5, 3)), rng.normal(size=5)) for _ in range(3)]
        + [(np.array([0.0]), np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 3.0]))],
        "z": z,
        "maxout": tuple(rng.normal(size=s) for s in [(5, 3), (3, 2), (2,), (3, 2), (2,)]),
        "dense": (rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)),
        "G": rng.normal(size=(5, 2)),
        "node": (rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))),
        "scalar": [(1.0, 1.0, 2.0), (0.5, 2.0, -1.0), (-1.5, 3.0, 4.0)],
        "network": (rng.normal(size=(5, 3)), rng.uniform(size=(5, 2)),
                    {"W1": rng.normal(size=(3, 4)), "b1": rng.normal(size=4), "W2": rng.normal(size=(4, 2)), "b2": rng.normal(size=2)}),
        "bool_x": bool_x,
        "xor_y": np.array([[0.0], [1.0], [1.0], [0.0]]),
    }


INPUTS = _inputs()
KINKS = {"relu_derivative": lambda **_: (0.0, 1.0), "leaky_relu_derivative": lambda alpha=0.1: (alpha, 1.0),
         "elu_derivative": lambda alpha=1.0: (alpha, 1.0)}
ALPHAS = {"leaky_relu": [{}, {"alpha": 0.2}], "elu": [{}, {"alpha": 2.0}]}


def _calls(name):
    """The argument lists every deterministic function is compared on."""
    i = INPUTS
    module, function = name.split(".")
    base = function.replace("_derivative", "")
    table = {
        "add_bias": [(i["X"],)],
        "perceptron_predict": i["int_cases"],
        "perceptron_update": i["updates"],
        "train_perceptron": i["perceptron"] + [(i["perceptron"][-1][0], [-1.0, 1.0], 1.0, 1)],  # the last: epochs=1
        "linear_predict": [(w, X) for w, X, _ in i["linear"]],
        "squared_error": i["linear"],
        "squared_error_gradient": i["linear"],
        "delta_rule_step": [(*c, 0.05) for c in i["linear"]],
        "gradient_descent": [(*c, 0.05, 6) for c in i["linear"]],
        "maxout": [i["maxout"]],
        "dense_forward": [i["dense"]],
        "multiply_backward": [i["node"], (2.0, 3.0, 5.0)],
        "add_backward": [i["node"]],
        "square_backward": [i["node"][:2]],
        "scalar_loss_and_gradient": i["scalar"],
        "dense_backward": [(i["G"], i["dense"][0], i["dense"][1])],
        "sigmoid_backward": [(i["node"][0], i["node"][1] * 4)],
        "mlp_backward": [i["network"]],
        "sgd_step": [(i["network"][2], {k: v * 0.5 + 1 for k, v in i["network"][2].items()}, 0.3)],
        "autograd_gradient": i["scalar"],
    }
    check = all_checks().get(f"{name}:matches_reference")
    # the graded examples of the input forms the docstring declares (a Python float, a list, ...)
    in_forms = [apply_forms(check.arguments(case)) for case in check.examples if FORM_KEY in case] if check else []
    if module == "ex03_activations" and function != "maxout":
        return [((), {**z, **kw}) for z in [{"z": i["z"]}, *in_forms] for kw in ALPHAS.get(base, [{}])]
    return [(args, {}) for args in table[function]] + [((), kwargs) for kwargs in in_forms]


def _quiet(function, *args, **kwargs):
    """function(*args, **kwargs), where a warning is wrong only for sigmoid (the contract's one warning-free demand)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error" if function.__name__ == "sigmoid" else "ignore")
        return function(*args, **kwargs)


def _compare_probe(name):
    module, function = name.split(".")

    def probe(mods, ref):
        for args, kwargs in _calls(name):
            got = _quiet(getattr(mods[module], function), *args, **kwargs)
            expected = getattr(ref[module], function)(*args, **kwargs)
            reason = same(got, expected)
            if reason:
                return f"{function}{tuple(kwargs.items()) or ''}: {reason}"
        if function in KINKS:
            for kwargs in ALPHAS.get(function.replace("_derivative", ""), [{}]):
                lo, hi = sorted(KINKS[function](**kwargs))
                value = float(np.asarray(getattr(mods[module], function)(np.array([0.0]), **kwargs), dtype=float)[0])
                if not lo - 1e-7 <= value <= hi + 1e-7:
                    return f"{function}(0) = {value} outside [{lo}, {hi}]"
        return None

    return probe


def _network(X, params):
    p = {k: torch.tensor(np.asarray(v, dtype=float)) for k, v in params.items()}
    return torch.sigmoid(torch.sigmoid(torch.tensor(X) @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]).numpy()


def _computes_xor(out):
    return np.array_equal(np.asarray(out, dtype=float).ravel() > 0.5, [False, True, True, False])


def probe_mlp_forward(mods, ref):
    X, _, params = INPUTS["network"]
    return same(_quiet(mods["ex04_mlp_forward"].mlp_forward, X, params)[0], _network(X, params))


def probe_xor_params(mods, ref):
    return None if _computes_xor(_network(INPUTS["bool_x"], mods["ex04_mlp_forward"].xor_params())) else "not XOR"


def probe_minibatches(mods, ref):
    X = np.column_stack([np.arange(11.0), 100 + np.arange(11.0)])
    y = -np.arange(11.0)[:, None]

    def order(seed, batch_size=4):
        batches = [(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
                   for a, b in mods["ex06_sgd"].minibatches(X, y, batch_size, np.random.default_rng(seed))]
        if [len(a) for a, _ in batches] != [4, 4, 3]:
            raise AssertionError(f"batch sizes {[len(a) for a, _ in batches]}")
        rows = np.concatenate([a for a, _ in batches])
        if not (np.array_equal(rows[:, 1], 100 + rows[:, 0]) and np.array_equal(np.concatenate([b for _, b in batches])[:, 0], -rows[:, 0])):
            raise AssertionError("rows not paired")
        return rows[:, 0].tolist()

    try:
        orders = [order(seed) for seed in range(5)]
    except AssertionError as exc:
        return str(exc)
    if sorted(orders[0]) != list(range(11)):
        return f"not a permutation: {orders[0]}"
    if order(0) != orders[0] or all(o == orders[0] for o in orders) or all(o == sorted(o) for o in orders):
        return "order not drawn from the rng"
    return None


def probe_train_mlp(mods, ref):
    with np.errstate(all="ignore"):  # a broken gradient may blow up; the verdict below is what counts
        return _train_mlp_reason(mods["ex06_sgd"].train_mlp) or _sgd_procedure_reason(mods, ref)


def _sgd_procedure_reason(mods, ref):
    """One epoch from train_mlp's own initial weights (its lr = 0 run) must be one plain step per
    mini-batch, of the reference's pieces or of the folder's own (minibatches, mlp_backward,
    sgd_step: a wrong piece is that piece's fault); identical rows, so only the batches' sizes matter."""
    X, y = np.tile([[0.5, -1.0]], (5, 1)), np.full((5, 1), 0.9)
    train = mods["ex06_sgd"].train_mlp
    start = {k: np.asarray(v, dtype=float) for k, v in train(X, y, hidden_units=3, lr=0.0, epochs=1, batch_size=2, seed=4)[0].items()}
    trained, _ = train(X, y, hidden_units=3, lr=0.5, epochs=1, batch_size=2, seed=4)
    reasons = []
    for pieces in (ref, mods):
        params = start
        for X_b, y_b in pieces["ex06_sgd"].minibatches(X, y, 2, np.random.default_rng(4)):
            params = pieces["ex06_sgd"].sgd_step(params, pieces["ex05_backprop"].mlp_backward(X_b, y_b, params)[1], 0.5)
        reasons.append(same(trained, params, rtol=1e-3))
    return None if None in reasons else reasons[0]


def _train_mlp_reason(train):
    params, losses = train(INPUTS["bool_x"], INPUTS["xor_y"])
    if not _computes_xor(_network(INPUTS["bool_x"], params)) or len(losses) != 2000:
        return "does not learn XOR"
    X, y, _ = INPUTS["network"]
    for batch_size in (1, 2, 5):
        params, losses = train(X, y, hidden_units=4, lr=0.0, epochs=2, batch_size=batch_size, seed=1)
        total = 0.5 * float(np.sum((_network(X, params) - y) ** 2))
        if same(np.asarray(losses, dtype=float), np.array([total, total])):
            return f"loss history {losses} != [{total}, {total}] (batch_size={batch_size})"
    again, _ = train(X, y, epochs=3, seed=5)
    other, _ = train(X, y, epochs=3, seed=5)
    return same(again, other, rtol=0, atol=0)


def probe_LinearModel(mods, ref):
    model = mods["ex07_torch"].LinearModel()
    parameters = list(model.parameters())
    if sum(p.numel() for p in parameters) != 1:
        return f"{len(parameters)} parameters"
    x = torch.tensor([[1.0, -2.0], [3.0, 0.5]])
    return same(model(x).detach().numpy(), x.numpy() * parameters[0].item())


def probe_train_linear(mods, ref):
    model = mods["ex07_torch"].train_linear([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
    prediction = float(model(torch.tensor([4.0])).detach()[0])
    return None if abs(prediction - 8.0) < 0.05 else f"predicts {prediction} at x = 4"


def probe_XorNet(mods, ref):
    gaps = []
    for hidden in (4, 3):
        torch.manual_seed(hidden)
        model = mods["ex07_torch"].XorNet(hidden_units=hidden)
        out = model(torch.tensor(INPUTS["bool_x"], dtype=torch.float32)).detach().double().numpy()
        if sum(p.numel() for p in model.parameters()) != 4 * hidden + 1:  # after a forward pass: lazy layers
            return "wrong number of parameters"
        if out.shape != (4, 1) or np.any((out <= 0) | (out >= 1)):
            return f"output {out}"
        logit = np.log(out[:, 0]) - np.log1p(-out[:, 0])
        gaps.append(abs(logit[0] + logit[3] - logit[1] - logit[2]))
    return None if max(gaps) > 1e-3 else "linear in x"


def probe_train_xor(mods, ref):
    model = mods["ex07_torch"].train_xor()
    return None if _computes_xor(model(torch.tensor(INPUTS["bool_x"], dtype=torch.float32)).detach().numpy()) else "not XOR"


SPECIAL = {
    "ex04_mlp_forward.mlp_forward": probe_mlp_forward,
    "ex04_mlp_forward.xor_params": probe_xor_params,
    "ex06_sgd.minibatches": probe_minibatches,
    "ex06_sgd.train_mlp": probe_train_mlp,
    "ex07_torch.LinearModel": probe_LinearModel,
    "ex07_torch.train_linear": probe_train_linear,
    "ex07_torch.XorNet": probe_XorNet,
    "ex07_torch.train_xor": probe_train_xor,
}
# Every graded function of the modules the catalogue covers (mistakes are optional for a new module).
CATALOGUED = {m.module for m in MISTAKES}
FUNCTIONS = [f for f in load_rubric().functions if f.split(".")[0] in CATALOGUED]
PROBES = {name: SPECIAL.get(name) or _compare_probe(name) for name in FUNCTIONS}


@pytest.fixture(scope="module")
def reference():
    return load_folder(SOLUTIONS_DIR)


def broken_functions(folder, reference, only_modules=None):
    """{function: reason} of every function whose probe fails in `folder` (among the modules it
    holds: an alternative style need not cover every module)."""
    mods = load_folder(folder)
    broken = {}
    for name, probe in PROBES.items():
        if name.split(".")[0] not in (mods if only_modules is None else only_modules):
            continue
        try:
            reason = probe(mods, reference)
        except Exception as exc:  # noqa: BLE001 - raising (or warning) is a way of being wrong
            reason = f"raised {type(exc).__name__}: {exc}"
        if reason:
            broken[name] = reason
    return broken


# --------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------


def test_every_graded_function_has_a_probe():
    for name in FUNCTIONS:
        assert name in SPECIAL or _calls(name), name


def test_reference_passes_every_probe(reference):
    assert broken_functions(SOLUTIONS_DIR, reference) == {}


@pytest.mark.parametrize("style", STYLES)
def test_alternative_implementations_pass_every_probe(style, reference, tmp_path):
    assert broken_functions(completed(style, tmp_path / style), reference) == {}


def test_catalogue_is_well_formed():
    names = [m.name for m in MISTAKES]
    assert len(names) == len(set(names)), "mistake names must be unique"
    assert len(MISTAKES) >= 16
    assert CATALOGUED <= set(MODULES), CATALOGUED - set(MODULES)
    for mistake in MISTAKES:
        assert re.fullmatch(r"[a-z0-9_]+", mistake.name), mistake.name
        assert mistake.description.strip().endswith("."), mistake.name
        assert mistake.breaks and all(b in PROBES for b in mistake.breaks), (mistake.name, mistake.breaks)
        assert all(b.startswith(mistake.module) or b.split(".")[0] > mistake.module for b in mistake.breaks), mistake.name
        sources = mutated_sources(mistake)
        ast.parse(sources[f"{mistake.module}.py"], f"{mistake.name}: {mistake.module}.py")


def test_mutated_sources_rejects_a_snippet_not_found_once():
    missing = Mistake("nope", "ex03_activations", "this text is not in the module", "x", "Nothing.", ("ex03_activations.relu",))
    with pytest.raises(ValueError, match="ex03_activations"):
        mutated_sources(missing)
    twice = Mistake("twice", "ex03_activations", "np.asarray(z, dtype=float)", "z", "Twice.", ("ex03_activations.relu",))
    with pytest.raises(ValueError, match="ex03_activations"):
        mutated_sources(twice)


def test_write_mutant_writes_every_module(tmp_path):
    mistake = MISTAKES[0]
    dest = write_mutant(mistake, tmp_path / "new" / "folder")
    assert sorted(p.name for p in dest.iterdir()) == [f"{m}.py" for m in MODULES]
    assert mistake.new in (dest / f"{mistake.module}.py").read_text()


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_mistake_breaks_exactly_what_it_lists(mistake, reference, tmp_path):
    folder = write_mutant(mistake, tmp_path)
    # Modules identical to the reference (and importing nothing changed) behave like it.
    broken = broken_functions(folder, reference, only_modules=affected_modules(mutated_sources(mistake)))
    assert set(broken) == set(mistake.breaks), f"{mistake.name}: probes report {broken}"
