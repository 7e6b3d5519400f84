"""Running the visible tests in a notebook: the quick-check cells call run_quick_checks.

This module's source is pasted into each notebook's locked helper cell (built by
grader.release.visible_cells), so it imports only the standard library and
pytest, and reads the notebook's own functions from the cell's globals(). The
release build imports it too, to decide which tests are about which function:
one rule on both sides.
"""
import importlib
import inspect
import os
import re


def function_of(test_id, functions):
    """The exercise function a test is about: the leftmost function name in the test's id
    (its name and parameters, "test_activation_matches_torch[sigmoid]"), the longest one at a tie."""
    hits = [(test_id.find(f), -len(f), f) for f in functions if f in test_id]
    return min(hits)[2] if hits else None


def _case_id(names, values, explicit):
    if explicit is not None:
        return explicit
    plain = (str, int, float, bool)
    return "-".join(str(v) if isinstance(v, plain) else f"{n}{i}" for i, (n, v) in enumerate(zip(names, values)))


def parametrized_cases(test):
    """[(id, {argument: value})] of a test function's pytest.mark.parametrize marks ([("", {})] without)."""
    cases = [("", {})]
    for mark in getattr(test, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names = [n.strip() for n in mark.args[0].split(",")] if isinstance(mark.args[0], str) else list(mark.args[0])
        ids = mark.kwargs.get("ids")
        expanded = []
        for i, param in enumerate(mark.args[1]):
            if hasattr(param, "values"):  # pytest.param(...)
                values, explicit = tuple(param.values), param.id
            else:
                values, explicit = (tuple(param) if len(names) > 1 else (param,)), None
            if explicit is None and isinstance(ids, (list, tuple)):
                explicit = ids[i]
            expanded.append((_case_id(names, values, explicit), dict(zip(names, values))))
        cases = [("-".join(filter(None, (new_id, old_id))), {**old, **new})
                 for new_id, new in expanded for old_id, old in cases]
    return cases


def cases_about(function, test, functions):
    """The cases of `test` that are about `function`."""
    return [(case_id, params) for case_id, params in parametrized_cases(test)
            if function_of(f"{test.__name__}[{case_id}]" if case_id else test.__name__, functions) == function]


class _Exercises:
    """An exercise module's fixture in a notebook: the notebook's own globals for its own module,
    the module itself (through the notebook importer) for an earlier exercise."""

    def __init__(self, namespace, module, own_module):
        self._namespace, self._module, self._own = namespace, module, own_module

    def __getattr__(self, name):
        if self._module == self._own:
            try:
                return self._namespace[name]
            except KeyError:
                raise AttributeError(f"{name} is not defined yet: run its cell first") from None
        return getattr(importlib.import_module(self._module), name)


def _arguments(test, params, fixtures, namespace, modules, own_module):
    arguments = {}
    for name in inspect.signature(test).parameters:
        if name in params:
            arguments[name] = params[name]
        elif name in fixtures:
            arguments[name] = fixtures[name]
        elif re.fullmatch(r"ex\d\d", name):
            arguments[name] = _Exercises(namespace, modules[name], own_module)
    return arguments


def _first_line(error):
    text = str(error).strip() or type(error).__name__
    return text if isinstance(error, AssertionError) else f"{type(error).__name__}: {text}"


def run_quick_checks(function, tests, *, functions, fixtures, namespace, modules, own_module):
    """Run the cases of `tests` about `function`, print one line per case, raise if any failed.
    Skipped while nbgrader autogrades: these checks carry no points."""
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        print(f"quick checks of {function}: skipped while autograding (they carry no points)")
        return
    failures, count = [], 0
    for test in tests:
        for case_id, params in cases_about(function, test, functions):
            count += 1
            label = f"{test.__name__}[{case_id}]" if case_id else test.__name__
            try:
                test(**_arguments(test, params, fixtures, namespace, modules, own_module))
            except Exception as error:  # noqa: BLE001 - every failing check is reported, then the cell fails
                failures.append(label)
                print(f"FAILED {label}\n    " + _first_line(error).replace("\n", "\n    "))
            else:
                print(f"passed {label}")
    if failures:
        raise AssertionError(f"{len(failures)} of {count} quick checks of {function} failed: {', '.join(failures)}")
    print(f"all {count} quick checks of {function} passed")
