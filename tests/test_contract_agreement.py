"""One contract for the visible tests and the grader.

Per function: whenever the grader gives it full marks, its visible tests pass; whenever one of
its visible tests fails, the grader takes points from it. Checked on the catalogued mistakes
(grader/devtools/mistakes.py), the correct alternative styles (tests/alt_impls) and the contract's hard
cases (tests/helpers/contract_variants.py: an ELU with np.where, a one-element LinearModel weight, an
XorNet of nn.LazyLinear layers, a tanh_derivative that is nan at extreme z, a multiply_backward right
on every declared input form but not on lists, an add_bias that fails on a nested list). That both
sides try exactly the declared input forms of every function is tests/test_forms.py.

The visible runs are the session's `runs` (tests/conftest.py), shared with test_visible_tests.
The grader's verdicts: the contract folders are graded here; for the mistakes and the styles
they are the catalogue's `loses_points` and full marks, which tests/judging/test_grading.py checks by
grading every one of them (grading them again here would double the suite's biggest batch).
"""
import dataclasses
import re

import pytest

from helpers import contract_variants
from grader.batch import grade_folder
from grader.judging.judged_frames import JudgedFrames
from grader.devtools.mistakes import MISTAKES
from grader.visible_test_cases import function_of
from grader.outputs.reports import read_student
from grader.rubric import load_rubric
from grader.judging.search_memo import SearchMemo
from helpers.visible_runs import STYLES, contract_result, mutant_result, style_result

FUNCTIONS = load_rubric().functions  # "module.function" of every graded function
TEST_FILE = re.compile(r"test_(ex\d\d_\w+)\.py::(\S+)$")


def _function(nodeid):
    """The graded function a visible test case (a pytest node id) is about."""
    module, test_id = TEST_FILE.search(nodeid).groups()
    short = function_of(test_id, [f.split(".", 1)[1] for f in FUNCTIONS if f.startswith(module + ".")])
    assert short, f"{nodeid} is about no graded function of {module}"
    return f"{module}.{short}"


def visible_failures(result):
    """{function: [failed test cases]} of one visible run."""
    assert not result["errors"], result["errors"]
    failures = {}
    for nodeid in result["failed"]:
        failures.setdefault(_function(nodeid), []).append(nodeid.rsplit("::", 1)[-1])
    return failures


def assert_agree(visible, graded_losses, what):
    stricter = {f: tests for f, tests in visible.items() if f not in graded_losses}
    assert not stricter, (f"{what}: the grader gives full marks to {sorted(stricter)}, whose visible tests fail: "
                          f"{stricter} (make the visible test follow the contract, or grade the point)")


@pytest.fixture(scope="module")
def graded_contract(ctx, tmp_path_factory):
    """{folder: {function: lost points}} of the contract folders, graded by the sandboxed grader."""
    root = tmp_path_factory.mktemp("contract")
    for folder in contract_variants.FOLDERS:
        contract_variants.write_folder(folder, root / "subs" / folder)
    fresh = dataclasses.replace(ctx, searches=SearchMemo(), judged=JudgedFrames())
    grade_folder(root / "subs", root / "out", jobs=2, progress=False, ctx=fresh)
    losses = {}
    for folder in contract_variants.FOLDERS:
        record = read_student(root / "out", folder)
        assert record is not None, f"no grade for {folder}"
        losses[folder] = {f["function"]: f["max_score"] - f["score"] for f in record["functions"] if f["score"] < f["max_score"]}
    return losses


@pytest.mark.parametrize("folder", sorted(contract_variants.FOLDERS))
def test_contract_cases_agree(folder, runs, graded_contract):
    """The grader takes points exactly where the contract says, and the visible tests fail exactly there."""
    root, jobs = runs
    expected = contract_variants.losses(folder)
    assert set(graded_contract[folder]) == expected, f"{folder}: the grader takes points from {graded_contract[folder]}"
    visible = visible_failures(contract_result(root, jobs, folder))
    assert set(visible) == expected, f"{folder}: visible tests fail {visible}, the contract says {sorted(expected)}"


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_mistake_visible_failures_lose_points(mistake, runs):
    root, jobs = runs
    assert_agree(visible_failures(mutant_result(root, jobs, mistake)), set(mistake.loses_points), mistake.name)


@pytest.mark.parametrize("style", STYLES)
def test_correct_style_passes_what_gets_full_marks(style, runs):
    _, jobs = runs
    assert_agree(visible_failures(style_result(jobs, style)), set(), f"style {style}")


def test_a_visible_failure_the_grader_ignores_is_reported():
    """The check itself can fail: a visible failure of a function the grader gives full marks."""
    result = {"failed": ["exercises/test_ex03_activations.py::test_derivative_matches_autograd[tanh_derivative]"], "errors": []}
    with pytest.raises(AssertionError, match="ex03_activations.tanh_derivative"):
        assert_agree(visible_failures(result), set(), "a made-up run")
    assert_agree(visible_failures(result), {"ex03_activations.tanh_derivative"}, "a made-up run")
