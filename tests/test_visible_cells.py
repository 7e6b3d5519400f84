"""The notebooks' quick-check cells are the visible tests (grader/release/visible_cells.py).

Every visible test case lands in exactly one function's cell; the cells report a wrong
function and skip under nbgrader's autograde; bad input names the file. That the cells pass
on the reference notebooks is checked where the notebooks run (tests/test_release.py).
"""
import shutil
import xml.etree.ElementTree as ET

import pytest

from grader import EXERCISES_DIR, SOLUTIONS_DIR, exercise_files
from grader.mistakes import MISTAKES, mutated_sources
from grader.release.anatomy import parse_module
from grader.release.quick_checks import cases_about, parametrized_cases
from grader.release.visible_cells import _load_tests, visible_cells

MODULES = exercise_files(SOLUTIONS_DIR)


def _functions(path):
    return [b.name for b in parse_module(path).exercises]


def test_every_visible_test_case_is_in_exactly_one_cell(runs):
    root, jobs = runs
    jobs["stubs"].result()
    collected = len(list(ET.parse(root / "stubs.xml").getroot().iter("testcase")))
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


def _run(cell_sources, module_source):
    namespace = {"__name__": "__main__"}
    for source in [module_source, *cell_sources]:
        exec(compile(source, "<cell>", "exec"), namespace)


def test_a_wrong_function_fails_its_cell_and_the_cell_skips_under_autograde(monkeypatch, capsys):
    mistake = next(m for m in MISTAKES if m.name == "sigmoid_derivative_from_z")
    path = SOLUTIONS_DIR / f"{mistake.module}.py"
    cells = visible_cells(mistake.module, _functions(path))
    wrong = mutated_sources(mistake)[path.name]
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    with pytest.raises(AssertionError, match=r"quick checks of sigmoid_derivative failed: .*test_derivative_matches_autograd"):
        _run([cells.helpers, cells.cells["sigmoid_derivative"]], wrong)
    assert "FAILED test_sigmoid_derivative_is_f_times_one_minus_f" in capsys.readouterr().out
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    _run([cells.helpers, cells.cells["sigmoid_derivative"]], wrong)
    assert "skipped while autograding" in capsys.readouterr().out


@pytest.fixture
def exercises_copy(tmp_path):
    for name in ("conftest.py", "test_ex01_perceptron.py"):
        shutil.copy(EXERCISES_DIR / name, tmp_path / name)
    return tmp_path


def test_a_test_helper_shadowing_a_notebook_name_is_an_error(exercises_copy):
    path = exercises_copy / "test_ex01_perceptron.py"
    path.write_text(path.read_text() + "\n\ndef add_bias(X):\n    return X\n")
    with pytest.raises(ValueError, match=r"test_ex01_perceptron.py defines \['add_bias'\]"):
        visible_cells("ex01_perceptron", ["add_bias"], {"add_bias"}, exercises_dir=exercises_copy)


def test_a_function_without_a_visible_test_is_an_error(exercises_copy):
    with pytest.raises(ValueError, match=r"test_ex01_perceptron.py: no visible test of softmax"):
        visible_cells("ex01_perceptron", ["add_bias", "softmax"], exercises_dir=exercises_copy)
    with pytest.raises(ValueError, match=r"test_ex09_missing.py: missing"):
        visible_cells("ex09_missing", ["softmax"], exercises_dir=exercises_copy)
