"""Real learner code graded as a class (tests/real_code/: the students, their sources, and the
classification of every lost point in expected.toml).

The corpus is graded once through the sandbox and its visible tests run once (one fixture); then
  - per student and function, the grader's points follow the classification (full marks exactly
    where the function is correct per contract), and so do the visible tests' verdicts, so the
    two agree wherever the classification holds;
  - every value check's shown input names the function's own arguments and its shown expected
    value is the reference's output there (re-run on solutions/);
  - every shown input on which the student's function reportedly raised raises that exception
    again when run as shown;
  - hints and messages say what the classification's feedback entries require.
Where today's grader is wrong the case is a strict xfail naming the misgrade.
"""
import contextlib
import dataclasses
import importlib
import inspect
import shutil
import re
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from helpers import visible_runs
from helpers.shown_inputs import parse_shown, parse_value
from grader import SOLUTIONS_DIR
from grader.batch import grade_folder
from grader.judging.judged_frames import JudgedFrames
from grader.visible_test_cases import function_of
from grader.outputs.reports import read_student
from grader.rubric import load_rubric
from grader.judging.search_memo import SearchMemo

CORPUS = Path(__file__).parent / "real_code"
STUDENTS_DIR = CORPUS / "students"
CLASSIFICATION = tomllib.loads((CORPUS / "expected.toml").read_text())
STUDENTS = sorted(p.name for p in STUDENTS_DIR.iterdir() if p.is_dir())
FUNCTIONS = load_rubric().functions
# Checks whose shown expected value is (part of) the reference's output on the shown input.
VALUE_CHECKS = {"matches_reference", "finite_differences", "ties_go_to_plus_one", "no_change_when_correct", "final_weights"}
TEST_FILE = re.compile(r"test_(ex\d\d_\w+)\.py::(\S+)$")


def expectation(student, function):
    """The classification's entry of one function (a module-wide entry covers all its functions)."""
    points = CLASSIFICATION[student]["points"]
    return points.get(function) or points.get(function.split(".")[0]) or {"expect": "full"}


def _case(student, function, misgrade):
    marks = [pytest.mark.xfail(strict=True, reason=misgrade)] if misgrade else []
    return pytest.param(student, function, marks=marks, id=f"{student}-{function}")


def every_function(misgrade_key):
    """(student, function) of the whole corpus, a strict xfail where the entry names a misgrade."""
    return [_case(s, f, expectation(s, f).get(misgrade_key)) for s in STUDENTS for f in FUNCTIONS]


def losing_functions(table):
    """(student, function) of every function that loses points, a strict xfail where `table`
    of the student's classification names a misgrade of its counterexamples."""
    return [_case(s, f, CLASSIFICATION[s].get(table, {}).get(f)) for s in STUDENTS for f in FUNCTIONS
            if expectation(s, f)["expect"] == "loses"]


@pytest.fixture(scope="module")
def corpus(ctx, tmp_path_factory):
    """({student: {function: record}}, {student: {function: [failed visible tests]}}, the grader's
    output folder)."""
    root = tmp_path_factory.mktemp("real_code")
    with ThreadPoolExecutor(max_workers=1) as pool:
        specs = [str(STUDENTS_DIR / s) for s in STUDENTS]
        visible = pool.submit(visible_runs.batch, root / "visible.json", specs, True)
        fresh = dataclasses.replace(ctx, searches=SearchMemo(), judged=JudgedFrames())
        grade_folder(STUDENTS_DIR, root / "out", jobs=2, progress=False, ctx=fresh)
        runs = visible.result()
    records = {}
    for student in STUDENTS:
        record = read_student(root / "out", student)
        assert record is not None, f"no grade for {student}"
        records[student] = {f["function"]: f for f in record["functions"]}
    failures = {s: _visible_failures(runs[str(STUDENTS_DIR / s)]) for s in STUDENTS}
    return records, failures, root / "out"


def _visible_failures(result):
    assert not result["errors"], result["errors"]
    failures = {}
    for nodeid in result["failed"]:
        module, test_id = TEST_FILE.search(nodeid).groups()
        short = function_of(test_id, [f.split(".", 1)[1] for f in FUNCTIONS if f.startswith(module + ".")])
        failures.setdefault(f"{module}.{short}", []).append(test_id)
    return failures


@pytest.mark.slow  # grades six whole submissions and runs their visible tests
@pytest.mark.parametrize("student,function", every_function("misgrade"))
def test_points_follow_the_classification(corpus, student, function):
    graded = corpus[0][student][function]
    entry = expectation(student, function)
    score, top = graded["score"], graded["max_score"]
    if "points" in entry:
        assert score == entry["points"], f"{score}/{top}; expected {entry['points']}: {entry['why']}"
    elif entry["expect"] == "full":
        assert score == top, f"{score}/{top} for a function correct per contract: {_failed_checks(graded)}"
    else:
        assert score < top, f"full marks ({top}) for a contract violation: {entry['why']}"


@pytest.mark.slow  # grades six whole submissions and runs their visible tests
@pytest.mark.parametrize("student,function", every_function("visible_misgrade"))
def test_visible_tests_follow_the_classification(corpus, student, function):
    failed = corpus[1][student].get(function, [])
    entry = expectation(student, function)
    if entry["expect"] == "full":
        assert not failed, f"visible tests fail a function correct per contract: {failed}"
    else:
        assert failed, f"every visible test passes a contract violation: {entry['why']}"


def _failed_checks(graded):
    return [{k: c.get(k) for k in ("check", "message", "input", "expected", "got")} for c in graded["checks"] if not c["passed"]]


# --- the shown counterexamples -------------------------------------------------------------------

@contextlib.contextmanager
def exercise_modules(folder):
    """Import the exercise modules from `folder` (each submission's own ex0N files import each other)."""
    def forget():
        for name in [n for n in sys.modules if re.match(r"ex\d\d_", n)]:
            del sys.modules[name]
    forget()
    sys.path.insert(0, str(folder))
    try:
        yield lambda function: getattr(importlib.import_module(function.split(".")[0]), function.split(".")[1])
    finally:
        sys.path.remove(str(folder))
        forget()


def _leaves(value):
    """The output and its parts (tuple items, dict values, one level down again)."""
    yield value
    parts = value.values() if isinstance(value, dict) else value if isinstance(value, (tuple, list)) else []
    for part in parts:
        yield from _leaves(part)


def _matches_a_leaf(expected, output):
    for leaf in _leaves(output):
        try:
            leaf = np.asarray(leaf, dtype=float)
        except (TypeError, ValueError):
            continue
        if leaf.shape == np.shape(expected) and np.allclose(leaf, expected, rtol=1e-3, atol=1e-5):
            return True
    return False


def _value_checks(graded):
    checks = [c for c in graded["checks"] if not c["passed"] and c.get("input") and c["check"] in VALUE_CHECKS]
    if graded["function"] == "ex02_gradient_descent.gradient_descent":
        checks += [c for c in graded["checks"] if not c["passed"] and c["check"] == "loss_history"]
    return checks


def shown_input_problems(graded, correct):
    """What is dishonest in a function's failing value checks, re-run on the correct function: a
    shown name that is not an argument, or a shown expected value the function does not return."""
    names = set(inspect.signature(correct).parameters)
    problems = []
    for check in _value_checks(graded):
        args = parse_shown(check["input"])
        if args is None:
            continue
        where = f"{check['check']}: {graded['function']}({check['input']})"
        if not set(args) <= names:
            problems.append(f"{where} names {sorted(set(args) - names)}, not among its arguments {sorted(names)}")
            continue
        expected = parse_value(check.get("expected", "None"))
        if expected is None or isinstance(expected, str):
            continue
        output = correct(**args)
        if not _matches_a_leaf(expected, output):
            problems.append(f"{where}: shown expected {check['expected']}, the reference gives {output!r}")
    return problems


def unreproduced_raises(graded, function):
    """The failing checks that report "raised E" on a shown input on which `function`, run as
    shown, does not raise E."""
    problems = []
    for check in graded["checks"]:
        args = parse_shown(check.get("input"))
        if check["passed"] or not check.get("message", "").startswith("raised ") or args is None:
            continue
        error = check["message"].split()[1].rstrip(":")
        try:
            function(*args.values())
        except Exception as exc:  # noqa: BLE001 - whatever the code under test raises
            if type(exc).__name__ != error:
                problems.append(f"{check['check']}: shown {check['message']!r}, run as shown it raises {exc!r}")
        else:
            problems.append(f"{check['check']}: shown {check['message']!r} on {check['input']}, run as shown it raises nothing")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("student,function", losing_functions("shown_inputs"))
def test_shown_inputs_rerun_on_the_reference_to_the_shown_expected(corpus, student, function):
    with exercise_modules(SOLUTIONS_DIR) as reference:
        correct = reference(function)
        if not inspect.isclass(correct):
            assert not shown_input_problems(corpus[0][student][function], correct)


@pytest.mark.slow
@pytest.mark.parametrize("student,function", losing_functions("raised_reproduce"))
def test_raised_counterexamples_reproduce_as_shown(corpus, student, function):
    with exercise_modules(STUDENTS_DIR / student) as theirs:
        mine = theirs(function)
        if not inspect.isclass(mine):
            assert not unreproduced_raises(corpus[0][student][function], mine)


def _record(function, **check):
    return {"function": function, "checks": [{"check": "matches_reference", "passed": False, **check}]}


def test_a_dishonest_counterexample_is_reported():
    """The checks themselves can fail: a sample that breaks the shown check's precondition with the
    wrong expected value, a name that is not an argument, and a crash that does not reproduce."""
    with exercise_modules(SOLUTIONS_DIR) as reference:
        update = reference("ex01_perceptron.perceptron_update")
        honest = _record("ex01_perceptron.perceptron_update", input="w = [0.], x = [1.], y = -1, lr = 0.5", expected="[-1.]")
        assert not shown_input_problems(honest, update)
        wrong = _record("ex01_perceptron.perceptron_update", input="w = [0.], x = [1.], y = -1, lr = 0.5", expected="[0.]")
        assert "the reference gives" in shown_input_problems(wrong, update)[0]
        renamed = _record("ex05_backprop.sigmoid_backward", input="G = [1.], z = [0.]", expected="[0.25]")
        assert "['G']" in shown_input_problems(renamed, reference("ex05_backprop.sigmoid_backward"))[0]
    crash = _record("f", input="z = 0.", message="raised TypeError: iteration over a 0-d array", expected="None")
    walks_iterables = lambda z: [v for v in z] if hasattr(z, "__iter__") else z  # noqa: E731 - fine on a float
    assert "raises nothing" in unreproduced_raises(crash, walks_iterables)[0]
    assert not unreproduced_raises(crash, lambda z: [v for v in z])  # a float raises TypeError too
    zero_d = _record("f", input="z = np.array(0.)", message="raised TypeError: iteration over a 0-d array", expected="None")
    assert not unreproduced_raises(zero_d, walks_iterables)  # shown as the 0-d array it was, it reproduces


def test_a_shown_input_reads_back_as_the_grader_prints_it():
    args = parse_shown("X = [[1., 0.], [0.5, -2.]], y = -1, params = {'W1': [[0.]], 'b1': [0.]}, lr = 0.5")
    assert args["X"].dtype == float and args["X"].shape == (2, 2) and args["y"] == -1 and args["lr"] == 0.5
    assert args["params"]["W1"].shape == (1, 1)
    assert parse_shown("X = [[1., 0.], … (9 items)]") is None and parse_shown("(no arguments)") is None
    typed = parse_shown("z = np.array(0.), params = {'W': [1., 2.], 'bias': np.array(-3.5)}, lr = 1.0")
    assert typed["z"].shape == () and typed["params"]["bias"].shape == () and type(typed["lr"]) is float
    forms = parse_shown("a = np.array([-3, 2], dtype=np.int64), b = np.float32(0.5), c = [1.5, -2.0] (a list), d = 2 (a Python int)")
    assert forms["a"].dtype == np.int64 and type(forms["b"]) is np.float32 and forms["c"] == [1.5, -2.0] and type(forms["d"]) is int


# Code drawing from unseeded generators: Python's random (lists_mlm), numpy's global one
# (numpyml_layers); raschka_pml draws only from seeded ones.
UNSEEDED = {"lists_mlm", "numpyml_layers"}
REGRADED = sorted(UNSEEDED | {"raschka_pml"})


@pytest.fixture(scope="module")
def regraded(ctx, tmp_path_factory):
    """The grader's output folder of a second, independent grading of REGRADED."""
    root = tmp_path_factory.mktemp("real_code_again")
    for student in REGRADED:
        shutil.copytree(STUDENTS_DIR / student, root / "subs" / student)
    fresh = dataclasses.replace(ctx, searches=SearchMemo(), judged=JudgedFrames())
    grade_folder(root / "subs", root / "out", jobs=2, progress=False, ctx=fresh)
    return root / "out"


@pytest.mark.slow
@pytest.mark.parametrize("student", REGRADED)
def test_a_regrade_gives_byte_identical_feedback(corpus, regraded, student):
    first, second = (Path(out) / student / "feedback.md" for out in (corpus[2], regraded))
    assert first.read_bytes() == second.read_bytes()


def _feedback_cases():
    cases = []
    for student in STUDENTS:
        for entry in CLASSIFICATION[student].get("feedback", []):
            marks = [pytest.mark.xfail(strict=True, reason=entry["misgrade"])] if "misgrade" in entry else []
            what = entry.get("contains") or entry.get("absent")
            cases.append(pytest.param(student, entry, marks=marks, id=f"{student}-{entry['function']}-{entry['field']}-{what}"))
    return cases


@pytest.mark.slow  # grades six whole submissions and runs their visible tests
@pytest.mark.parametrize("student,entry", _feedback_cases())
def test_feedback_names_the_actual_mistake(corpus, student, entry):
    graded = corpus[0][student][entry["function"]]
    if entry["check"] == "":
        texts = [graded.get(entry["field"], "")]
    else:
        texts = [c.get(entry["field"], "") for c in graded["checks"]
                 if not c["passed"] and entry["check"] in ("*", c["check"])]
    if "contains" in entry:
        assert any(entry["contains"] in t for t in texts), f"{entry['field']} lacks {entry['contains']!r}: {texts}"
    if "absent" in entry:
        assert not any(entry["absent"] in t for t in texts), f"{entry['field']} says {entry['absent']!r}: {texts}"
