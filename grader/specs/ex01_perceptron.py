"""Checks for exercise 1, the perceptron (judge side; the probes are in grader.probes)."""
import dataclasses

import numpy as np
from hypothesis import strategies as st

from grader.toolkit import strategies as S
from grader.specs import Check, args, form_examples, spec
from grader.specs.judges import Verdict, WrongType, as_array, finite_array, same_array

M = "ex01_perceptron"
AND_OR = (
    {"X": np.array([[1.0, 0, 0], [1, 0, 1], [1, 1, 0], [1, 1, 1]]), "y": np.array([-1.0, -1, -1, 1]), "name": "AND"},
    {"X": np.array([[1.0, 0, 0], [1, 0, 1], [1, 1, 0], [1, 1, 1]]), "y": np.array([-1.0, 1, 1, 1]), "name": "OR"},
)


@st.composite
def _predict_case(draw):
    m, n = draw(S.dims(1, 6)), draw(S.dims(1, 4))
    return {"w": draw(S.array((n,), S.small_ints())), "X": draw(S.array((m, n), S.small_ints()))}


@st.composite
def _tie_case(draw):
    # w . x == 0 exactly for every row: rows orthogonal to w (or w == 0).
    m, n = draw(S.dims(1, 5)), draw(S.dims(2, 4))
    w = draw(S.array((n,), S.small_ints()))
    X = draw(S.array((m, n), S.small_ints()))
    if np.any(w):
        k = int(np.flatnonzero(w)[0])
        X[:, k] = 0.0
        X[:, k] = -(X @ w) / w[k]
    return {"w": w, "X": X}


@st.composite
def _update_case(draw):
    n = draw(S.dims(1, 4))
    return {
        "w": draw(S.array((n,), S.small_ints())),
        "x": draw(S.array((n,), S.small_ints())),
        "y": draw(st.sampled_from([-1.0, 1.0])),
        "lr": draw(st.sampled_from([0.5, 1.0, 0.25])),
    }


def _correct_case(case):
    score = case["w"] @ case["x"]
    return {**case, "y": 1.0 if score >= 0 else -1.0}


def _classified_correctly(case):
    """no_change_when_correct's domain: y is what the perceptron predicts (a tie goes to +1)."""
    return case["y"] == (1.0 if np.asarray(case["w"]) @ np.asarray(case["x"]) >= 0 else -1.0)


def _all_ties(case):
    """ties_go_to_plus_one's domain: w . x == 0 exactly for every row."""
    return bool(np.all(np.asarray(case["X"], dtype=float) @ np.asarray(case["w"], dtype=float) == 0))


_LABELS = st.sampled_from([-1.0, 1.0])


@st.composite
def _train_case(draw):
    m, n = draw(S.dims(1, 6)), draw(S.dims(1, 3))
    X = np.hstack([np.ones((m, 1)), draw(S.array((m, n), S.small_ints(2)))])
    return {
        "X": X,
        "y": draw(S.array((m,), _LABELS)),
        "lr": draw(st.sampled_from([0.5, 1.0])),
        "epochs": draw(st.integers(1, 8)),
    }


def _predict_mistakes(c):
    """Wrong only where w . x == 0: a strict threshold, not a flipped sign."""
    score = np.asarray(c["X"], dtype=float) @ np.asarray(c["w"], dtype=float)
    return {"where w . x == 0 exactly the prediction must be +1: use >= 0, not > 0": np.where(score > 0, 1.0, -1.0)}


def _update_mistakes(c):
    """{hint: the update that mistake gives}, narrowest first: at a tie the raw score and np.sign
    both give y_hat = 0, and the diagnosis names the first mistake every failing case fits."""
    w, x, y, lr = (np.asarray(c[k], dtype=float) for k in ("w", "x", "y", "lr"))
    score = float(w @ x)
    with_y_hat = lambda y_hat: w + lr * (y - y_hat) * x  # noqa: E731
    return {"where w . x == 0 exactly y_hat must be +1: use >= 0, not > 0": with_y_hat(1.0 if score > 0 else -1.0),
            "at a tie (w . x == 0) np.sign gives 0, but y_hat must be +1 there: threshold with >= 0 instead of np.sign":
                with_y_hat(np.sign(score)),
            "y_hat must be +1 or -1: a step function that predicts 1/0 gives 0 where it must give -1":
                with_y_hat(1.0 if score >= 0 else 0.0),
            "the update uses the raw score w . x instead of the thresholded prediction y_hat = +/-1": with_y_hat(score)}


def _train_mistakes(c):
    """The reference's training loop, from another start: the start is what differs."""
    w = np.ones(c["X"].shape[1])
    for _ in range(c["epochs"]):
        for x, y in zip(c["X"], c["y"]):
            w = w + c["lr"] * (y - (1.0 if w @ x >= 0 else -1.0)) * x
    return {"training must start from w = zeros, not ones": w}


def _all_plus_one(got, expected, case):
    try:
        arr = as_array(got, "perceptron_predict(w, X)")
    except WrongType as exc:
        return Verdict(False, str(exc), None, got)
    want = np.ones(len(case["X"]))
    if arr.shape == want.shape and np.all(arr == 1.0):
        return Verdict.passed()
    return Verdict(False, "where w . x == 0 exactly the prediction must be +1 (ties go to +1: w . x >= 0)", want, arr,
                   "ties go to -1: use >= 0, not > 0" if arr.shape == want.shape and np.all(arr == -1.0) else "")


def _unchanged(got, expected, case):
    """The update must be w itself; a hint only where a catalogued mistake gives what the code gave."""
    verdict = same_array("perceptron_update(w, x, y, lr)", _update_mistakes)(got, case["w"], case)
    if verdict.ok:
        return verdict
    return dataclasses.replace(verdict, message="a correctly classified sample must leave w unchanged (y - y_hat == 0)")


def _separates(got, expected, case):
    try:
        w = finite_array(got, "train_perceptron(X, y)")
    except WrongType as exc:
        return Verdict(False, str(exc), None, got)
    if w.shape != (3,):
        return Verdict(False, f"train_perceptron returned shape {w.shape}, expected (3,)", (3,), w.shape)
    predicted = np.where(case["X"] @ w >= 0, 1.0, -1.0)
    if np.array_equal(predicted, case["y"]):
        return Verdict.passed()
    return Verdict(False, f"the trained weights misclassify {case['name']}: predictions {predicted}, labels {case['y']}", case["y"], predicted)


FUNCTIONS = [
    spec(
        f"{M}.add_bias",
        Check(f"{M}.add_bias", "matches_reference",
              same_array("add_bias(X)", lambda c: {"the column of ones is appended at the end; it must come first":
                                                    np.hstack([c["X"], np.ones((len(c["X"]), 1))])}),
              cases=st.tuples(S.dims(1, 6), S.dims(1, 4)).flatmap(lambda s: S.array(s)).map(lambda X: {"X": X}),
              examples=({"X": np.array([[2.0, 3.0]])},) + form_examples(f"{M}.add_bias", {"X": np.array([[2.0, -3.0, 1.0], [0.0, 1.0, 4.0]])})),
    ),
    spec(
        f"{M}.perceptron_predict",
        Check(f"{M}.perceptron_predict", "matches_reference", same_array("perceptron_predict(w, X)", _predict_mistakes),
              cases=_predict_case(),
              max_examples=20),
        Check(f"{M}.perceptron_predict", "ties_go_to_plus_one", _all_plus_one,
              describe="a score of exactly 0 must predict +1", cases=_tie_case(),
              examples=({"w": np.zeros(2), "X": np.array([[1.0, 2.0]])},), max_examples=8, uses_expected=False,
              needs=("matches_reference",), domain=_all_ties),
    ),
    spec(
        f"{M}.perceptron_update",
        Check(f"{M}.perceptron_update", "matches_reference",
              same_array("perceptron_update(w, x, y, lr)", _update_mistakes),
              cases=_update_case(), max_examples=20),
        Check(f"{M}.perceptron_update", "no_change_when_correct", _unchanged,
              describe="a correctly classified sample must leave the weights unchanged", cases=_update_case().map(_correct_case),
              max_examples=10, uses_expected=False, needs=("matches_reference",), domain=_classified_correctly),
    ),
    spec(
        f"{M}.train_perceptron",
        Check(f"{M}.train_perceptron", "matches_reference", same_array("train_perceptron(X, y, lr, epochs)", _train_mistakes),
              cases=_train_case(), max_examples=12),
        Check(f"{M}.train_perceptron", "separates_and_or", _separates,
              describe="the trained perceptron must classify AND and OR correctly", examples=AND_OR, max_examples=0,
              uses_expected=False, needs=("matches_reference",), shown=args("X", "y")),
        depends=(f"{M}.perceptron_update",),
    ),
]
