"""The notebooks' quick-check cells: one call each of the kit's `check` (grader/notebook_checks.py).

The checks themselves are the visible tests (exercises/test_*.py), run by the kit in the student's
kernel; a notebook holds only `check("sigmoid")` per exercise and, once at the top, the import line.
Built here: that every exercise has a visible test case about it (notebook_checks.cases_about, the
rule the kit's tests hold the test names to), so no check cell would run nothing.
"""
import importlib.util
from pathlib import Path

from grader import EXERCISES_DIR
from grader.visible_test_cases import cases_about

IMPORT_LINE = "from grader.notebook_checks import check  # the quick checks (and imports of earlier notebooks)"


def _load_tests(path):
    spec = importlib.util.spec_from_file_location(f"_visible_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_cell(function):
    """The quick-check cell of one exercise."""
    # The notebook names no file the notebook student never sees (feedback pages show cells too).
    return f'# Quick check (not graded): run it after your answer.\ncheck("{function}")\n'


def visible_cells(module, functions, exercises_dir=EXERCISES_DIR):
    """{exercise name: its quick-check cell} of notebook `module`; an exercise without a visible test
    case about it is an error naming the test file."""
    path = Path(exercises_dir) / f"test_{module}.py"
    if not path.is_file():
        raise ValueError(f"{path}: missing; every exercise module needs its visible tests")
    tests = [t for name, t in vars(_load_tests(path)).items() if name.startswith("test_") and callable(t)]
    cells = {}
    for function in functions:
        if not any(cases_about(function, test, functions) for test in tests):
            raise ValueError(f"{path}: no visible test of {function}; name one after it (test_{function}_...)")
        cells[function] = check_cell(function)
    return cells
