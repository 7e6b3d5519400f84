"""The judge trusts nothing the child says: nan, infinities and empty arrays fail every value and
gradient check; own-piece credit needs real, failing pieces and is settled across functions."""
import numpy as np
import pytest

from grader.toolkit.compare import Verdict, close, compare_arrays, compare_dict, compare_float, compare_parts, relative_error
from grader.judging.stages.judge import evaluate
from grader.judging.stages.settle import settle_verdicts
from grader.probes import Call, run_probe
from grader.judging.reference import plain
from grader.specs import Check
from grader.specs.judges import fd_judge, gradients_match_fd, normwise, same_array, same_dict, same_float, same_parts
from grader.specs.own_pieces import degenerate, own_piece_credit, usable_pieces

NONFINITE = {"nan": np.nan, "+inf": np.inf, "-inf": -np.inf}
EXPECTED = np.array([[1.0, -2.0], [0.5, 3.0]])


def poisoned(value, fill):
    """value with every float (array) replaced by `fill` ("empty": empty arrays); ints and structure kept."""
    if isinstance(value, dict):
        return {k: poisoned(v, fill) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if len(value) == 2 and isinstance(value[0], str) and value[0] in ("ok", "error"):
            return [value[0], poisoned(value[1], fill)]
        return type(value)(poisoned(v, fill) for v in value)
    if isinstance(value, float) or (isinstance(value, np.ndarray) and value.dtype.kind == "f"):
        if fill == "empty":
            return np.empty((0,))
        return np.full(np.shape(value), fill) if isinstance(value, np.ndarray) else fill
    return value


# ---- the comparison helpers and judge builders, one by one ---------------------------------------

@pytest.mark.parametrize("fill", [*NONFINITE.values(), "empty"], ids=[*NONFINITE, "empty"])
def test_comparisons_fail_on_nonfinite_and_empty_values(fill):
    got = poisoned(EXPECTED, fill)
    assert not close(got, EXPECTED)
    assert not compare_arrays(got, EXPECTED).ok
    assert not same_array("x")(got, EXPECTED, {}).ok
    assert not compare_parts((got, got), (EXPECTED, EXPECTED), ("a", "b")).ok
    assert not same_parts("x", ("a", "b"))((EXPECTED, got), (EXPECTED, EXPECTED), {}).ok
    assert not compare_dict({"a": got}, {"a": EXPECTED}).ok
    assert not same_dict("x")({"a": got}, {"a": EXPECTED}, {}).ok
    scalar = poisoned(2.0, fill)
    assert not compare_float(scalar, 2.0).ok and not same_float("x")(scalar, 2.0, {}).ok
    assert not normwise(got, EXPECTED) <= 1e-4
    assert not relative_error(got, EXPECTED) <= 1e-4
    fd = gradients_match_fd("g", ["a"])
    assert not fd({"analytic": {"a": got}, "numeric": None}, {"numeric": {"a": EXPECTED}}, {}).ok
    assert not fd_judge("g", ["a"])({"a": got}, {"numeric": {"a": EXPECTED}}, {}).ok


def test_infinities_match_only_the_same_infinities():
    expected = np.array([np.inf, -np.inf, 1.0])
    assert close(expected.copy(), expected)
    assert not close(np.array([5.0, -np.inf, 1.0]), expected)  # inf - 5 <= inf must not pass
    assert not close(np.array([-np.inf, -np.inf, 1.0]), expected)
    assert not close(np.array([np.inf, -np.inf, np.nan]), expected)
    assert not close(np.array([np.nan]), np.array([np.nan]))


def test_finite_values_still_pass_and_fail_as_before():
    assert compare_arrays(EXPECTED + 1e-7, EXPECTED).ok
    assert not compare_arrays(EXPECTED + 1e-2, EXPECTED).ok
    assert gradients_match_fd("g", ["a"])({"analytic": {"a": EXPECTED}, "numeric": None}, {"numeric": {"a": EXPECTED}}, {}).ok
    assert compare_arrays(np.empty((0, 2)), np.empty((0, 2))).ok  # an empty answer where empty is expected


# ---- every check of every spec, fed nan / inf / empty versions of the reference's own output ----

def _checks(ctx):
    return sorted(ctx.checks.values(), key=lambda c: c.id)


@pytest.fixture(scope="module")
def reference_outputs(ctx):
    """{check id: [(case, expected, the reference's plain output)]} on the first two class cases."""
    return {c.id: [(case, exp, plain(run_probe(c.probe, ctx.reference, case)))
                   for case, exp in list(zip(ctx.cases[c.id], ctx.expected[c.id]))[:2]] for c in _checks(ctx)}


@pytest.mark.parametrize("fill", [*NONFINITE.values(), "empty"], ids=[*NONFINITE, "empty"])
def test_every_check_fails_nonfinite_or_empty_versions_of_the_right_answer(ctx, reference_outputs, fill):
    passed = []
    for check in _checks(ctx):
        for case, expected, output in reference_outputs[check.id]:
            assert evaluate(check, _outcome(check, output), expected, case).ok, f"{check.id}: the reference itself fails"
            for bad in _poisonings(check, output, fill):
                verdict = evaluate(check, bad, expected, case)
                if verdict.ok:
                    passed.append((check.id, verdict.credit_if_failed))
    assert not passed, f"passed with {fill}: {passed}"


def _outcome(check, output):
    if check.probe.pieces is None:
        return {"value": output}
    return {"value": output["value"], "pieces": output["pieces"]}


def _poisonings(check, output, fill):
    """The poisoned value; for checks with piece calls also with poisoned pieces, and with honest
    pieces (a nan value must not ride on the student's own pieces)."""
    if check.probe.pieces is None:
        return [{"value": poisoned(output, fill)}]
    value, pieces = poisoned(output["value"], fill), output["pieces"]
    return [{"value": value, "pieces": poisoned(pieces, fill)}, {"value": value, "pieces": pieces}]


# ---- own-piece credit: one rule, in the judge ------------------------------------------------------

def _rule():
    """delta_rule_step's rule in miniature: the value should be w - g(w), g the piece."""
    def judge(got, expected, case):
        return same_array("step")(got["value"], expected["value"], case)
    return own_piece_credit(judge, lambda c: [Call("m.gradient", (c["w"],)), Call("m.gradient", (c["w"] + 1,))],
                            implied=lambda own, c: c["w"] - own[0],
                            agree=lambda value, implied, c: close(np.asarray(value, dtype=float), implied))


CASE = {"w": np.array([1.0, 2.0])}
TRUE_GRADIENT = lambda w: 2 * w  # noqa: E731
EXPECTED_STEP = {"value": CASE["w"] - TRUE_GRADIENT(CASE["w"]),
                 "pieces": [["ok", TRUE_GRADIENT(CASE["w"])], ["ok", TRUE_GRADIENT(CASE["w"] + 1)]]}


def _own(gradient, step=None):
    pieces = [["ok", gradient(CASE["w"])], ["ok", gradient(CASE["w"] + 1)]]
    return {"value": CASE["w"] - gradient(CASE["w"]) if step is None else step, "pieces": pieces}


def test_a_composite_right_for_its_own_wrong_piece_passes_only_if_that_piece_failed():
    verdict = _rule()(_own(lambda w: 3 * w), EXPECTED_STEP, CASE)
    assert verdict.ok and verdict.credit_if_failed == ("m.gradient",) and not verdict.otherwise.ok


@pytest.mark.parametrize("gradient, why", [
    (lambda w: np.zeros_like(w), "all zero where the true value is not"),
    (lambda w: np.ones_like(w), "constant in w"),
    (lambda w: np.full_like(w, np.nan), "nan"),
])
def test_no_credit_for_degenerate_pieces(gradient, why):
    assert not _rule()(_own(gradient), EXPECTED_STEP, CASE).ok, why


def test_no_credit_when_what_came_back_is_not_what_was_asked():
    for pieces in (None, [], [["ok", np.ones(2)]], [["ok", np.ones(3)], ["ok", np.ones(3)]], [["error", "x"], ["ok", np.ones(2)]],
                   {"0": 1}, [["ok", "text"], ["ok", np.ones(2)]]):
        got = {"value": CASE["w"] - 3 * CASE["w"], "pieces": pieces}
        assert not _rule()(got, EXPECTED_STEP, CASE).ok, pieces


def test_no_credit_when_the_value_does_not_follow_from_the_pieces():
    assert not _rule()(_own(lambda w: 3 * w, step=np.array([9.0, 9.0])), EXPECTED_STEP, CASE).ok


def test_usable_pieces_and_degenerate_are_strict():
    reference = [["ok", np.array([1.0, 2.0])], ["ok", np.array([3.0, 4.0])]]
    assert usable_pieces([["ok", [1.0, 2.0]], ["ok", [5.0, 6.0]]], 2, reference) is not None
    assert usable_pieces([["ok", [1.0, 2.0]], ["ok", [5.0, np.inf]]], 2, reference) is None
    truth = [np.array([1.0, 2.0]), np.array([3.0, 4.0])]
    assert degenerate([np.array([7.0, 7.0]), np.array([7.0, 7.0])], truth, ["f", "f"])
    assert not degenerate([np.array([7.0, 7.0]), np.array([7.0, 7.0])], truth, ["f", "g"])  # different functions
    assert not degenerate([np.array([7.0, 7.0]), np.array([8.0, 7.0])], truth, ["f", "f"])
    assert degenerate([np.zeros(2), np.zeros(2)], truth, ["f", "f"])
    assert not degenerate([np.zeros(2), np.array([8.0, 7.0])], truth, ["f", "f"])  # zero at one input may be honest
    # a forward that ignores one argument (no bias: the same output where only b moved) is no constant
    three = truth + [np.array([5.0, 6.0])]
    assert not degenerate([np.array([7.0, 7.0]), np.array([7.0, 7.0]), np.array([8.0, 9.0])], three, ["f", "f", "f"])
    assert degenerate([np.array([7.0, 7.0])] * 3, three, ["f", "f", "f"])


# ---- settling across functions ---------------------------------------------------------------------

def _check(function, name, needs=()):
    return Check(function, name, judge=None, needs=needs)


FAIL = Verdict(False, "wrong")


def test_settle_keeps_own_piece_credit_only_when_a_piece_lost_points():
    conditional = Verdict.if_failed(("m.piece",), FAIL)
    for piece_ok, credited in ((False, True), (True, False)):
        verdicts = {"m.piece": [(_check("m.piece", "matches_reference"), Verdict.passed() if piece_ok else FAIL, [])],
                    "m.composite": [(_check("m.composite", "matches_reference"), conditional, [({"w": 1}, FAIL)])]}
        settle_verdicts(verdicts, {"m.composite": ("m.piece",)})
        assert verdicts["m.composite"][0][1].ok is credited
        assert verdicts["m.composite"][0][2] == ([] if credited else [({"w": 1}, FAIL)])


def test_settle_needs_every_wrong_piece_to_have_lost_points():
    """gradient_descent built on a wrong delta_rule_step and a squared_error that is right on its own
    checks but not as a piece (it looks at the stack): no credit."""
    for loss_ok, credited in ((True, False), (False, True)):
        verdicts = {"m.loss": [(_check("m.loss", "matches_reference"), Verdict.passed() if loss_ok else FAIL, [])],
                    "m.step": [(_check("m.step", "matches_reference"), FAIL, [])],
                    "m.descent": [(_check("m.descent", "final"), Verdict.if_failed(("m.loss", "m.step"), FAIL), [({}, FAIL)])]}
        settle_verdicts(verdicts, {"m.descent": ("m.loss", "m.step")})
        assert verdicts["m.descent"][0][1].ok is credited


def test_settle_resolves_chains_pieces_first():
    """gradient_descent's credit rests on delta_rule_step, itself credited only if the gradient failed."""
    for gradient_ok in (True, False):
        verdicts = {
            "m.descent": [(_check("m.descent", "final"), Verdict.if_failed(("m.step",), FAIL), [({}, FAIL)])],
            "m.step": [(_check("m.step", "matches_reference"), Verdict.if_failed(("m.gradient",), FAIL), [({}, FAIL)])],
            "m.gradient": [(_check("m.gradient", "matches_reference"), Verdict.passed() if gradient_ok else FAIL, [])],
        }
        settle_verdicts(verdicts, {"m.descent": ("m.step",), "m.step": ("m.gradient",)})
        assert verdicts["m.step"][0][1].ok is (not gradient_ok)
        # the step is wrong either way: it lost points, or it is excused by the gradient's own loss
        assert verdicts["m.descent"][0][1].ok


def test_settle_gates_behaviour_on_the_value_check():
    for value_ok in (True, False):
        verdicts = {"m.f": [(_check("m.f", "matches_reference"), Verdict.passed() if value_ok else FAIL, []),
                            (_check("m.f", "ties", needs=("matches_reference",)), Verdict.passed(), [])]}
        settle_verdicts(verdicts, {})
        behaviour = verdicts["m.f"][1][1]
        assert behaviour.ok is value_ok
        if not value_ok:
            assert "matches_reference" in behaviour.message


def test_settle_does_not_touch_cached_entries():
    conditional = Verdict.if_failed(("m.piece",), FAIL)
    cached = [(_check("m.composite", "matches_reference"), conditional, [({}, FAIL)], None)]
    fresh = {"m.composite": [(c, v, f) for c, v, f, _ in cached], "m.piece": []}
    settle_verdicts(fresh, {"m.composite": ("m.piece",)})
    assert cached[0][1] is conditional and not fresh["m.composite"][0][1].ok



def test_settle_takes_pieces_before_composites_whatever_the_order_given():
    """One pass in dependency order: a composite listed before the piece it depends on still waits
    for the piece's own credit to be settled."""
    for order in (("m.descent", "m.step", "m.gradient"), ("m.gradient", "m.step", "m.descent")):
        entries = {"m.descent": [(_check("m.descent", "final"), Verdict.if_failed(("m.step",), FAIL), [({}, FAIL)])],
                   "m.step": [(_check("m.step", "matches_reference"), Verdict.if_failed(("m.gradient",), FAIL), [({}, FAIL)])],
                   "m.gradient": [(_check("m.gradient", "matches_reference"), FAIL, [])]}
        verdicts = {function: entries[function] for function in order}
        settle_verdicts(verdicts, {"m.descent": ("m.step",), "m.step": ("m.gradient",)})
        assert verdicts["m.step"][0][1].ok and verdicts["m.descent"][0][1].ok, order


def test_settle_gives_no_credit_for_a_piece_it_was_not_told_comes_first():
    """A piece outside the composite's dependencies is not settled when the composite is: no credit."""
    verdicts = {"m.descent": [(_check("m.descent", "final"), Verdict.if_failed(("m.step",), FAIL), [({}, FAIL)])],
                "m.step": [(_check("m.step", "matches_reference"), Verdict.if_failed(("m.gradient",), FAIL), [({}, FAIL)])],
                "m.gradient": [(_check("m.gradient", "matches_reference"), FAIL, [])]}
    settle_verdicts(verdicts, {"m.step": ("m.gradient",)})
    assert verdicts["m.step"][0][1].ok and not verdicts["m.descent"][0][1].ok


def test_every_piece_a_check_calls_is_among_its_functions_dependencies(ctx):
    """What makes one pass of settle enough: the pieces whose credit a composite's verdict can name
    (grader.specs.own_pieces) are the functions it depends on (FunctionSpec.depends, followed), or itself."""
    depends = {spec.function: spec.depends for spec in ctx.functions.values()}

    def reachable(function):
        seen, todo = set(), list(depends.get(function, ()))
        while todo:
            f = todo.pop()
            if f not in seen:
                seen.add(f)
                todo.extend(depends.get(f, ()))
        return seen

    checked = 0
    for check in ctx.checks.values():
        if not getattr(check.judge, "own_pieces", False):  # only own_piece_credit names pieces in a verdict
            continue
        for case in ctx.cases[check.id][:3]:
            called = {call.function for call in check.probe.pieces(case)} - {check.function}
            assert called <= reachable(check.function), (check.id, sorted(called - reachable(check.function)))
            checked += 1
    assert checked

# ---- messages name the first cause: shape, then nan/inf, then the value ------------------------------

def test_a_right_valued_gradient_of_the_wrong_shape_is_told_its_shape():
    numeric = {"W": np.array([[1.0, 2.0]]), "b": np.array([0.5, -1.0])}
    judge = fd_judge("dense_backward", ["W", "b"])
    verdict = judge({"W": numeric["W"] * 3, "b": numeric["b"].reshape(1, 2)}, {"numeric": numeric}, {})
    assert not verdict.ok and "shape (1, 2), expected (2,)" in verdict.message and "nan" not in verdict.message
    assert "extra axis of size 1" in verdict.hint
    verdict = judge({"W": numeric["W"], "b": np.array([np.nan, 1.0])}, {"numeric": numeric}, {})
    assert "nan or inf" in verdict.message and "%" not in verdict.message
    verdict = judge({"W": numeric["W"], "b": 2 * numeric["b"]}, {"numeric": numeric}, {})
    assert "100%" in verdict.message and "nan" not in verdict.message


def test_parts_report_a_wrong_shape_before_a_wrong_value():
    expected = (np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    verdict = compare_parts((np.array([9.0, 9.0]), expected[1].reshape(2, 1)), expected, ("grad_W", "grad_b"))
    assert "grad_b has shape (2, 1)" in verdict.message
    verdict = compare_dict({"a": np.array([9.0, 9.0]), "b": np.array([np.inf, 4.0])}, {"a": expected[0], "b": expected[1]})
    assert "['b'] contains nan or inf" in verdict.message


def test_undecided_failures_count_only_where_no_case_decided():
    """A failure marked undecided (own-piece credit cannot be decided on its case) gives way to a case
    that decided the credit; alone, it stands."""
    from types import SimpleNamespace

    from grader.judging.stages.judge import counts, judge_check
    check = Check("ex99_demo.f", "matches_reference", judge=lambda got, expected, case: got)
    undecided = Verdict(False, "off", undecided=True)
    credit = Verdict.if_failed(("ex99_demo.piece",), FAIL)
    for outcomes, ok in (([undecided, credit], True), ([undecided, undecided], False), ([undecided, FAIL], False)):
        cases = [{"i": i} for i in range(len(outcomes))]
        ctx = SimpleNamespace(cases={check.id: cases}, expected={check.id: [None] * len(cases)})
        _, verdict, failures, _ = judge_check(ctx, check, [{"value": v} for v in outcomes])
        assert verdict.ok is ok, outcomes
    assert not counts(undecided) and counts(FAIL) and not counts(credit)


def test_a_float_result_is_one_number_of_shape_empty():
    """A contract returning a float accepts a Python float, a numpy scalar, a 0-d array; not shape (1,)."""
    for good in (2.0, np.float32(2.0), np.array(2.0)):
        assert compare_float(good, 2.0).ok, good
    for bad in (np.array([2.0]), [2.0], np.array([[2.0]])):
        verdict = compare_float(bad, 2.0)
        assert not verdict.ok and "single number" in verdict.message, bad
