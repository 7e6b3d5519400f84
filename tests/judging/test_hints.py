"""Hints that do not mislead: each misleading case the feedback issue found, judged as the grader
judges it (the spec's judge on the reference's expected value), and the rule that a hint must
explain every failing case seen, preferring informative ones to the degenerate minimal case."""
from types import SimpleNamespace

import numpy as np
import pytest

from grader.toolkit.compare import Verdict
from grader.judging.diagnosis import degenerate, diagnosed
from grader.judging.stages.judge import evaluate
from grader.probes import run_probe


def judged(ctx, check_id, case, got):
    check = ctx.checks[check_id]
    return evaluate(check, {"value": got}, ctx.expected_for(check, case), case)


def linear_case(m, seed=0):
    rng = np.random.default_rng(seed)
    return {"w": rng.normal(size=2), "X": rng.normal(size=(m, 2)), "y": rng.normal(size=m)}


@pytest.mark.parametrize("m", [2, 3, 7])
def test_a_cost_with_one_over_2m_is_named_as_such(ctx, m):
    case = linear_case(m)
    r = case["y"] - case["X"] @ case["w"]
    verdict = judged(ctx, "ex02_gradient_descent.squared_error:matches_reference", case, float(r @ r / (2 * m)))
    assert not verdict.ok and "1/(2m)" in verdict.hint, verdict.hint


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# Operator-precedence bugs in sigma'(z) = e^-z / (1 + e^-z)^2: near z = 0 each happens to be a
# simple multiple of the truth (sigma itself; twice the truth), which the minimal case alone would name.
PRECEDENCE_BUGS = {
    "the square lost": lambda z: np.exp(-z) / (1 + np.exp(-z)),
    "the square on e^-z alone": lambda z: np.exp(-z) / (1 + np.exp(-z) ** 2),
}


@pytest.mark.parametrize("bug", sorted(PRECEDENCE_BUGS))
@pytest.mark.parametrize("minimal_z", [-1e-5, -0.01])
def test_a_precedence_bug_in_the_derivative_gets_no_hint_from_one_lucky_case(ctx, bug, minimal_z):
    """The informative failing cases name nothing, so neither does the feedback, whatever the
    minimal case alone would say (at z = -0.01 "the square on e^-z alone" is twice the truth)."""
    check_id = "ex03_activations.sigmoid_derivative:matches_reference"
    failures = []
    for z in (minimal_z, 1.5, -2.0, 3.0):
        case = {"z": np.array(z)}
        verdict = judged(ctx, check_id, case, PRECEDENCE_BUGS[bug](z))
        assert not verdict.ok
        failures.append((case, verdict))
    minimal = failures[0][1]
    if (bug, minimal_z) == ("the square on e^-z alone", -0.01):
        assert "twice the expected value" in minimal.hint  # what the minimal case alone would say
    assert diagnosed(minimal, failures).hint == ""


def test_a_strict_threshold_is_a_tie_not_a_flipped_sign(ctx):
    case = {"w": np.array([1.0, -1.0]), "X": np.array([[1.0, 1.0], [2.0, 0.0], [0.0, 3.0]])}
    score = case["X"] @ case["w"]
    verdict = judged(ctx, "ex01_perceptron.perceptron_predict:matches_reference", case, np.where(score > 0, 1.0, -1.0))
    assert not verdict.ok and ">= 0, not > 0" in verdict.hint and "sign" not in verdict.hint


def test_an_unsummed_bias_gradient_on_a_1x1_input_is_named_on_its_own_function(ctx):
    case = {"G": np.array([[0.7]]), "X": np.array([[0.3]]), "W": np.array([[-1.2]])}
    grad_X, grad_W = case["G"] @ case["W"].T, case["X"].T @ case["G"]
    verdict = judged(ctx, "ex05_backprop.dense_backward:matches_reference", case, (grad_X, grad_W, case["G"]))
    assert not verdict.ok and "has shape (1, 1), expected (1,)" in verdict.message
    assert "summed over the batch" in verdict.hint


def test_a_transposed_weight_gradient_is_named_despite_the_shape(ctx):
    rng = np.random.default_rng(1)
    case = {"G": rng.normal(size=(4, 3)), "X": rng.normal(size=(4, 2)), "W": rng.normal(size=(2, 3))}
    grads = (case["G"] @ case["W"].T, case["G"].T @ case["X"], case["G"].sum(axis=0))
    verdict = judged(ctx, "ex05_backprop.dense_backward:matches_reference", case, grads)
    assert not verdict.ok and "transpose" in verdict.hint


def test_the_hint_all_informative_failures_agree_on_wins():
    fail = lambda hint: Verdict(False, "differs", 1.0, 2.0, hint)  # noqa: E731
    big = {"X": np.ones((5, 2))}
    small = {"X": np.ones((2, 2))}
    assert degenerate(small) and not degenerate(big) and degenerate({"z": np.array(0.01)})
    assert diagnosed(fail("half"), [(small, fail("half")), (big, fail("mean")), (big, fail("mean"))]).hint == "mean"
    assert diagnosed(fail("a"), [(big, fail("a")), (big, fail("b"))]).hint == ""
    assert diagnosed(fail("a"), [(small, fail("a")), (small, fail("a"))]).hint == "a"  # nothing better seen


def test_a_gradient_check_failure_reads_in_words(ctx):
    """Not "b 6.7e-01 (tolerance 0.0001)": how far off, as a share of the gradient's size."""
    case = {"G": np.array([[1.0], [2.0]]), "X": np.array([[0.5], [1.5]]), "W": np.array([[2.0]]), "b": np.array([0.1])}
    grads = (case["G"] @ case["W"].T, case["X"].T @ case["G"], case["G"].mean(axis=0))
    impl = SimpleNamespace(ex05_backprop=SimpleNamespace(dense_backward=lambda G, X, W: grads),
                           ex04_mlp_forward=SimpleNamespace(dense_forward=lambda X, W, b: X @ W + b))
    check = ctx.checks["ex05_backprop.dense_backward:finite_differences"]
    outcome = run_probe(check.probe, impl, case)  # what a child reports, value and piece calls
    outcome = outcome if isinstance(outcome, dict) and "pieces" in outcome else {"value": outcome}
    verdict = evaluate(check, outcome, ctx.expected_for(check, case), case)
    assert not verdict.ok
    assert "your gradient differs from the numerical gradient" in verdict.message
    assert "b by 50% of its size (allowed: 0.01%)" in verdict.message and "e-0" not in verdict.message


# ---- train_mlp: failures that look alike (outputs stuck) get the hint their params show ----------------

def _trained(ctx, edits):
    """train_mlp's learns_xor verdicts for the reference with `edits` (old, new) in ex06."""
    from grader import SOLUTIONS_DIR
    from grader.loader import import_sources, read_sources
    from grader.judging.reference import plain
    sources = read_sources(SOLUTIONS_DIR)
    for old, new in edits:
        assert sources["ex06_sgd"].count(old) == 1
        sources["ex06_sgd"] = sources["ex06_sgd"].replace(old, new)
    impl, _ = import_sources(sources, "student")
    check = ctx.checks["ex06_sgd.train_mlp:learns_xor"]
    return [evaluate(check, plain(run_probe(check.probe, impl, case)), exp, case)
            for case, exp in zip(ctx.cases[check.id], ctx.expected[check.id])]


W1 = '"W1": rng.standard_normal((X.shape[1], hidden_units)),'
W2 = '"W2": rng.standard_normal((hidden_units, y.shape[1])),'
STARTS = {
    "zeros": ([(W1, '"W1": np.zeros((X.shape[1], hidden_units)),'), (W2, '"W2": np.zeros((hidden_units, y.shape[1])),')],
              "hidden units stay identical"),
    "W1 zeros": ([(W1, '"W1": np.zeros((X.shape[1], hidden_units)),')], "W1 stayed near zero"),
    "too small": ([(W1, '"W1": 0.01 * rng.standard_normal((X.shape[1], hidden_units)),'),
                   (W2, '"W2": 0.01 * rng.standard_normal((hidden_units, y.shape[1])),')], "start too small"),
    "gradient ascent": ([("np.asarray(p, dtype=float) - lr *", "np.asarray(p, dtype=float) + lr *")], ""),
}


@pytest.mark.parametrize("start", sorted(STARTS))
def test_train_mlp_hints_tell_equal_from_small_starts_and_say_nothing_of_ascent(ctx, start):
    edits, words = STARTS[start]
    verdicts = _trained(ctx, edits)
    assert verdicts and all(not v.ok for v in verdicts)
    for verdict in verdicts:
        assert (words in verdict.hint) if words else verdict.hint == "", verdict.hint
        others = [w for _, w in STARTS.values() if w and w != words]
        assert not any(w in verdict.hint for w in others)


# ---- perceptron_update: y_hat computed in ways that fail on the same cases -------------------------
_STEP = {
    "np.sign (0 at a tie)": np.sign,
    "1/0 step, >= 0": lambda s: 1.0 if s >= 0 else 0.0,
    "1/0 step, > 0": lambda s: 1.0 if s > 0 else 0.0,
    "> 0 (a tie to -1)": lambda s: 1.0 if s > 0 else -1.0,
    "the raw score": lambda s: s,
    "np.heaviside(s, 0.5)": lambda s: np.heaviside(s, 0.5),
}
# What the hint may say: words it names, or "" (silence, where no catalogued mistake explains
# every failing case). A 1/0 step with > 0 is also a tie mistake: either true hint, or none.
_NAMED = {"np.sign (0 at a tie)": ("np.sign gives 0",), "1/0 step, >= 0": ("predicts 1/0",),
          "1/0 step, > 0": ("predicts 1/0", ""), "> 0 (a tie to -1)": (">= 0, not > 0",),
          "the raw score": ("raw score w . x",), "np.heaviside(s, 0.5)": ("",)}


@pytest.mark.parametrize("check", ["matches_reference", "no_change_when_correct"])
@pytest.mark.parametrize("y_hat", sorted(_STEP))
def test_a_perceptron_update_hint_names_how_y_hat_was_computed_or_nothing(ctx, y_hat, check):
    """Every case the class replays, judged as the grader judges it: the hint is the one mistake
    that explains all the failing cases (at a tie the raw score and np.sign give the same update,
    so failures only at ties are np.sign's), and silence where none does."""
    check_id = f"ex01_perceptron.perceptron_update:{check}"
    step = _STEP[y_hat]
    failures = []
    ties = [{"w": np.array([1.0, -1.0]), "x": np.array([2.0, 2.0]), "y": y, "lr": 0.5} for y in (1.0, -1.0)]
    ties += [{"w": np.array([2.0, 1.0, 0.0]), "x": np.array([1.0, -2.0, 3.0]), "y": 1.0, "lr": 1.0}]
    domain = ctx.checks[check_id].domain or (lambda case: True)
    for case in [*ctx.cases[check_id], *filter(domain, ties)]:
        w, x = np.asarray(case["w"], dtype=float), np.asarray(case["x"], dtype=float)
        got = w + case["lr"] * (case["y"] - step(float(w @ x))) * x
        verdict = judged(ctx, check_id, case, got)
        if not verdict.ok:
            failures.append((case, verdict))
    assert failures, f"{y_hat} passes {check}"
    hint = diagnosed(failures[0][1], failures).hint
    assert any((words in hint) if words else hint == "" for words in _NAMED[y_hat]), hint
    if y_hat != "the raw score":
        assert "raw score" not in hint, hint


def test_a_case_two_mistakes_explain_names_the_one_all_failures_agree_on():
    fail = lambda hint, *alike: Verdict(False, "differs", 1.0, 2.0, hint, alike=alike)  # noqa: E731
    big = {"X": np.ones((5, 2))}
    tie, off_tie = fail("narrow", "broad"), fail("broad")
    assert diagnosed(tie, [(big, tie), (big, tie)]).hint == "narrow"
    assert diagnosed(tie, [(big, tie), (big, off_tie)]).hint == "broad"
    assert diagnosed(tie, [(big, tie), (big, fail("other"))]).hint == ""


def test_failures_that_all_share_a_hint_give_it_without_the_cases_being_read():
    fail = lambda hint: Verdict(False, "differs", 1.0, 2.0, hint)  # noqa: E731
    class Unreadable(dict):
        def __getattribute__(self, name):
            raise AssertionError(f"the case was read ({name})")

    unreadable = Unreadable()  # looking for degenerate inputs in it would fail
    assert diagnosed(fail(""), [(unreadable, fail("a"))] * 500).hint == "a"
    assert diagnosed(fail("a"), [(unreadable, fail(""))] * 3).hint == ""
    assert diagnosed(fail("a"), [(unreadable, fail("a"))]) == fail("a")
