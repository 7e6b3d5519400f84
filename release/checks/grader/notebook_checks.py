"""The notebooks' quick checks: `check("sigmoid")` runs the visible tests of sigmoid on the notebook.

A released notebook imports this module once (`from grader.notebook_checks import check`); each
quick-check cell is one call. The tests are the visible tests of the Python track
(exercises/test_*.py, with their conftest), run on the functions the notebook defined, and the
result is a few plain lines: one per failing check with its input, expected and got, "not answered
yet" once for an answer cell still raising NotImplementedError, else that all passed. No traceback
and no hypothesis report reach the student.

Importing the module also lets `from exNN_name import ...` load the notebook exNN_name.ipynb from
the kernel's working directory (Jupyter starts a kernel in the notebook's folder; nbgrader's
autograde in the submission's folder), running only its given and answer cells.

Self-contained (standard library, grader.visible_test_cases; numpy, pytest and hypothesis through the
tests), so the student package that `nngrade release` writes (release/checks/) can ship it with
copies of the tests. The kit itself imports grader.visible_test_cases, never this module: importing
it installs the notebook importer.
"""
import ast
import importlib
import importlib.abc
import importlib.util
import inspect
import json
import os
import re
import sys
import warnings
from pathlib import Path

from grader.visible_test_cases import cases_about

_HERE = Path(__file__).resolve().parent
# The student package ships the tests in the package; a checkout of the kit has them in exercises/.
TESTS_DIRS = (_HERE / "visible_tests", _HERE.parent / "exercises")
EXERCISE_FIXTURE = re.compile(r"ex\d\d")
NOT_ANSWERED = "not answered yet"


# ---- the visible tests ----

def tests_dir():
    """The folder holding conftest.py, the test_exNN_*.py files and the exercise stubs."""
    for folder in TESTS_DIRS:
        if (folder / "conftest.py").is_file():
            return folder
    raise FileNotFoundError(f"no visible tests in {' or '.join(map(str, TESTS_DIRS))}")


def exercise_functions(stub_path):
    """The exercises of a stub module: its top-level functions and classes that raise NotImplementedError."""
    body = ast.parse(Path(stub_path).read_text(), str(stub_path)).body

    def raises_not_implemented(node):
        return any(isinstance(n, ast.Raise) and n.exc is not None and "NotImplementedError" in ast.unparse(n.exc)
                   for n in ast.walk(node))

    return [n.name for n in body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and raises_not_implemented(n)]


def exercise_table(folder=None):
    """{module: [exercise names]} of the stubs in the tests folder, in exercise order."""
    folder = Path(folder or tests_dir())
    return {p.stem: exercise_functions(p) for p in sorted(folder.glob("ex[0-9][0-9]_*.py"))}


_loaded = {}


def _load(path, name):
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _loaded:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _loaded[key] = module
    return _loaded[key]


def _fixture_values(conftest):
    """{fixture: value} of the conftest's fixtures that are one `return EXPRESSION` (e.g. `check`)."""
    values = {}
    for node in ast.parse(Path(conftest.__file__).read_text()).body:
        is_fixture = isinstance(node, ast.FunctionDef) and any("fixture" in ast.unparse(d) for d in node.decorator_list)
        if is_fixture and len(node.body) == 1 and isinstance(node.body[0], ast.Return):
            values[node.name] = eval(ast.unparse(node.body[0].value), vars(conftest))  # noqa: S307 - the kit's own file
    return values


def _quiet_profile():
    """The conftest's hypothesis profile, reporting nothing itself and stopping at the first bug."""
    from hypothesis import Verbosity, settings

    settings.register_profile("nngrade-notebook", parent=settings.get_profile("nngrade"),
                              verbosity=Verbosity.quiet, report_multiple_bugs=False)
    settings.load_profile("nngrade-notebook")


class _Exercises:
    """An exercise module's fixture (ex03, ...): the notebook's own names for its own module, the
    earlier notebook (through the importer below) for another."""

    def __init__(self, namespace, module, own):
        self._namespace, self._module, self._own = namespace, module, own

    def __getattr__(self, name):
        if self._module == self._own:
            try:
                return self._namespace[name]
            except KeyError:
                raise AttributeError(f"{name} is not defined yet: run its answer cell first") from None
        return getattr(importlib.import_module(self._module), name)


# ---- running one function's checks ----

def _flat(text):
    """A multi-line message on one line: a line starting with a letter starts a new part; array rows
    continue the one before."""
    parts = []
    for line in str(text).strip().splitlines():
        line = " ".join(line.split())
        if parts and line and not line[0].isalpha():
            parts[-1] += " " + line
        elif line:
            parts.append(line)
    return " ".join(p if p.endswith(":") else p + ";" for p in parts).rstrip(";")


def _not_implemented(error):
    """The function that raised NotImplementedError (an unanswered cell: nbgrader's stub has no
    message), or None."""
    while error is not None:
        if isinstance(error, NotImplementedError):
            frame = error.__traceback__
            while frame is not None and frame.tb_next is not None:
                frame = frame.tb_next
            return frame.tb_frame.f_code.co_qualname if frame is not None else str(error).partition(":")[0]
        error = error.__cause__ or error.__context__
    return None


def _run_case(test, arguments):
    """None, or (error, the hypothesis-drawn input of the smallest failing example)."""
    handle = getattr(test, "hypothesis", None)
    drawn, inner = {}, getattr(handle, "inner_test", None)
    if inner is not None:
        def recording(*args, **kwargs):
            drawn.clear()
            drawn.update({k: v for k, v in kwargs.items() if k not in arguments})
            return inner(*args, **kwargs)
        handle.inner_test = recording
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a check that is about warnings turns them into failures itself
            test(**arguments)
        return None
    except Exception as error:  # noqa: BLE001 - every failure is one line for the student
        return error, dict(drawn)
    finally:
        if inner is not None:
            handle.inner_test = inner


def _failure_line(label, error, drawn, fmt):
    message = _flat(error) if isinstance(error, AssertionError) else f"{type(error).__name__}: {_flat(error)}"
    inputs = [_flat(f"{k} = {fmt(v)}") for k, v in drawn.items()]
    shown = "" if all(i in message for i in inputs) else "; ".join(inputs)  # most messages name their input
    return f"FAILED {label}: " + (f"input {shown}: " if shown else "") + message


def run_checks(function, namespace, out=print):
    """Run the visible test cases about `function` on the notebook's `namespace`; report through `out`.
    Returns (failed, total); total 0 with failed None when the function is not answered yet."""
    folder = tests_dir()
    table = exercise_table(folder)
    module = next((m for m, names in table.items() if function in names), None)
    if module is None:
        names = ", ".join(n for names in table.values() for n in names)
        out(f"check: no exercise named {function!r} (the exercises are {names})")
        return None, 0
    if function not in namespace:
        out(f"{function}: not defined yet: run its answer cell first")
        return None, 0
    conftest = _load(folder / "conftest.py", "_nngrade_visible_conftest")
    _quiet_profile()
    tests = _load(folder / f"test_{module}.py", f"_nngrade_visible_{module}")
    fixtures = _fixture_values(conftest)
    failed = total = 0
    for name, test in vars(tests).items():
        if not (name.startswith("test_") and callable(test)):
            continue
        for case_id, params in cases_about(function, test, table[module]):
            total += 1
            arguments = _arguments(test, params, fixtures, namespace, module)
            outcome = _run_case(test, arguments)
            if outcome is None:
                continue
            missing = _not_implemented(outcome[0])
            if missing is not None:
                out(f"{function}: {NOT_ANSWERED}" if missing.split(".")[0] == function
                    else f"{function}: it calls {missing}, which is {NOT_ANSWERED}")
                return None, 0
            failed += 1
            label = name.removeprefix("test_") + (f"[{case_id}]" if case_id else "")
            out(_failure_line(label, outcome[0], outcome[1], conftest.fmt))
    checks = f"{total} check{'s' if total != 1 else ''}"
    out(f"{function}: all {checks} passed" if not failed else f"{function}: {failed} of {checks} failed")
    return failed, total


def _arguments(test, params, fixtures, namespace, module):
    arguments = {}
    for name in inspect.signature(test).parameters:
        if name in params:
            arguments[name] = params[name]
        elif name in fixtures:
            arguments[name] = fixtures[name]
        elif EXERCISE_FIXTURE.fullmatch(name):
            other = next(m for m in exercise_table() if m.startswith(name))
            arguments[name] = _Exercises(namespace, other, module)
    return arguments


def check(function):
    """Run the quick checks of `function` on this notebook's code and print what failed.
    Skipped while nbgrader autogrades: they carry no points (the hidden grade cells do)."""
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        print(f"quick checks of {function}: skipped while autograding (they carry no points)")
        return
    run_checks(function, sys._getframe(1).f_globals)


# ---- `from exNN_name import ...` in a notebook loads the notebook exNN_name.ipynb ----

class NotebookImporter(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports a sibling exNN_*.ipynb, running only its given cells and answer cells (not its checks)."""

    def find_spec(self, name, path=None, target=None):
        notebook = Path(name + ".ipynb").resolve()
        if path is None and re.fullmatch(r"ex\d\d_\w+", name) and notebook.is_file():
            return importlib.util.spec_from_file_location(name, notebook, loader=self)
        return None

    def create_module(self, spec):
        return None  # the default module object

    def exec_module(self, module):
        try:  # turn IPython syntax (%magic, !shell) into Python, as the kernel does
            from IPython.core.inputtransformer2 import TransformerManager
            to_python = TransformerManager().transform_cell
        except ImportError:
            to_python = str
        for cell in json.loads(Path(module.__file__).read_text(encoding="utf-8"))["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            grade_id = meta.get("grade_id", "")
            if cell["cell_type"] == "code" and (meta.get("solution") or grade_id.startswith("given_")):
                source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                exec(compile(to_python(source), f"{module.__file__}:{grade_id}", "exec"), module.__dict__)


if not any(type(finder).__name__ == "NotebookImporter" for finder in sys.meta_path):
    sys.meta_path.insert(0, NotebookImporter())
