"""The notebooks' quick-check cells run the visible tests (grader/release/visible_cells.py).

Every visible test case belongs to exactly one function's check; a function without a visible
test is an error naming the file. What the checks print is tests/test_notebook_checks.py; that
they pass on the reference notebooks is checked where the notebooks run (tests/release/test_release.py).
"""
import shutil

import pytest

from grader import EXERCISES_DIR, SOLUTIONS_DIR, exercise_files
from grader.release.anatomy import parse_module
from grader.release.visible_cells import _load_tests, visible_cells
from grader.visible_test_cases import cases_about, parametrized_cases
from helpers.visible_runs import run_pytest

MODULES = exercise_files(SOLUTIONS_DIR)


def _functions(path):
    return [b.name for b in parse_module(path).exercises]


def test_every_visible_test_case_is_in_exactly_one_cell():
    listed = run_pytest("exercises", "--collect-only")  # one line per test case pytest collects
    assert listed.returncode == 0, listed.stdout[-2000:] + listed.stderr[-2000:]
    collected = sum(1 for line in listed.stdout.splitlines() if line.startswith("exercises/") and "::" in line)
    assert collected > 100, listed.stdout[-2000:]
    in_cells, unowned = 0, []
    for path in MODULES:
        functions = _functions(path)
        for name, test in vars(_load_tests(EXERCISES_DIR / f"test_{path.stem}.py")).items():
            if not name.startswith("test_") or not callable(test):
                continue
            owned = sum(len(cases_about(f, test, functions)) for f in functions)
            in_cells += owned
            if owned != len(parametrized_cases(test)):
                unowned.append(name)
    assert not unowned, f"tests with cases about no function: {unowned}"
    assert in_cells == collected, f"{in_cells} cases in the quick-check cells, pytest collects {collected}"


@pytest.fixture
def exercises_copy(tmp_path):
    for name in ("conftest.py", "test_ex01_perceptron.py"):
        shutil.copy(EXERCISES_DIR / name, tmp_path / name)
    return tmp_path


def test_a_function_without_a_visible_test_is_an_error(exercises_copy):
    assert visible_cells("ex01_perceptron", ["add_bias"], exercises_dir=exercises_copy) == {
        "add_bias": '# Quick check (not graded): run it after your answer.\ncheck("add_bias")\n'}
    with pytest.raises(ValueError, match=r"test_ex01_perceptron.py: no visible test of softmax"):
        visible_cells("ex01_perceptron", ["add_bias", "softmax"], exercises_dir=exercises_copy)
    with pytest.raises(ValueError, match=r"test_ex09_missing.py: missing"):
        visible_cells("ex09_missing", ["softmax"], exercises_dir=exercises_copy)
