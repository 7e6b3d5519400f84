"""The notebooks' quick-check cells, generated from the visible tests (exercises/test_*.py).

Per notebook one locked helper cell: the conftest helpers the tests use (what the `check`
fixture returns and everything it needs, the hypothesis profile), the test module's own
helpers (imports, tables, helper functions) and the runner (grader/release/quick_checks.py).
Per exercise one locked cell: the source of every visible test with a case about that
function (quick_checks.function_of, the rule the kit's tests hold the test names to), then
one call running those cases. Nothing is written twice: a new test shows up in its cell.
"""
import ast
import importlib.util
import inspect
import re
from dataclasses import dataclass
from pathlib import Path

from grader import EXERCISES_DIR
from grader.release import quick_checks

CONFTEST = "conftest.py"
EXERCISE_FIXTURE = re.compile(r"ex\d\d")


@dataclass(frozen=True)
class VisibleCells:
    helpers: str  # the notebook's helper cell
    cells: dict  # {exercise name: its quick-check cell}


def _lines(text, node):
    """The source of a top-level statement, decorators included."""
    first = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
    return "\n".join(text.splitlines()[first - 1 : node.end_lineno])


def _load_tests(path):
    spec = importlib.util.spec_from_file_location(f"_visible_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bound_names(node):
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def _used_names(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _is_fixture(node):
    return isinstance(node, ast.FunctionDef) and any("fixture" in ast.unparse(d) for d in node.decorator_list)


def _conftest_helpers(path, fixtures):
    """(source, {fixture: value expression}) of the conftest helpers `fixtures` need."""
    text = path.read_text()
    body = ast.parse(text, str(path)).body
    values = {}
    for node in body:
        if _is_fixture(node) and node.name in fixtures:
            returned = node.body[-1]
            if not isinstance(returned, ast.Return) or len(node.body) != 1:
                raise ValueError(f"{path}: fixture {node.name} must be one `return EXPRESSION` to be used in notebooks")
            values[node.name] = ast.unparse(returned.value)
    missing = set(fixtures) - set(values)
    if missing:
        raise ValueError(f"{path}: no fixture {sorted(missing)} (used by the visible tests)")
    definitions = {n.name: n for n in body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not _is_fixture(n)}
    wanted, todo = set(), set().union(*(_used_names(ast.parse(v)) for v in values.values()))
    while todo:
        name = todo.pop()
        if name in definitions and name not in wanted:
            wanted.add(name)
            todo |= _used_names(definitions[name])
    profile = [n for n in body if isinstance(n, ast.Expr) and ast.unparse(n).startswith("settings.")]
    chosen = [n for n in body if n in profile or (isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name in wanted)]
    used = set().union(*(_used_names(n) for n in chosen))
    imports = [n for n in body if isinstance(n, (ast.Import, ast.ImportFrom)) and _bound_names(n) & used]
    return "\n".join(_lines(text, n) for n in imports) + "\n\n" + "\n\n\n".join(_lines(text, n) for n in chosen), values


def _test_helpers(path):
    """The test module's statements other than its docstring and its tests."""
    text = path.read_text()
    body = ast.parse(text, str(path)).body
    keep = [n for n in body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))
            and not (isinstance(n, ast.FunctionDef) and n.name.startswith("test_"))]
    return keep, text


def _runner_source(module, functions, fixtures, modules):
    source = Path(quick_checks.__file__).read_text()
    code = "\n\n\n".join(_lines(source, n) for n in ast.parse(source).body
                         if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)))
    fixture_values = ", ".join(f"{name!r}: {value}" for name, value in sorted(fixtures.items()))
    return f'''{code}


EXERCISES = {tuple(functions)!r}


def quick_checks(function, *tests):
    """Run the visible tests of `function` on this notebook's code."""
    run_quick_checks(function, tests, functions=EXERCISES, fixtures={{{fixture_values}}}, namespace=globals(),
                     modules={modules!r}, own_module={module!r})'''


def _check_no_clash(module, reference_names, helper_nodes, tests):
    defined = set().union(*(_bound_names(n) for n in helper_nodes if not isinstance(n, (ast.Import, ast.ImportFrom))))
    clash = (defined | set(tests)) & reference_names
    if clash:
        raise ValueError(f"exercises/test_{module}.py defines {sorted(clash)}, which the notebook {module} defines too: "
                         "rename them in the test file (the notebook's quick checks share its namespace)")


def visible_cells(module, functions, reference_names=(), exercises_dir=EXERCISES_DIR, modules=None):
    """The helper cell and the quick-check cells of notebook `module` (exercise names `functions`).
    reference_names: the names the notebook itself defines, which no test helper may shadow;
    modules: {"exNN": module name} for the fixtures naming another exercise."""
    exercises_dir = Path(exercises_dir)
    path = exercises_dir / f"test_{module}.py"
    if not path.is_file():
        raise ValueError(f"{path}: missing; every exercise module needs its visible tests")
    loaded = _load_tests(path)
    helper_nodes, text = _test_helpers(path)
    nodes = {n.name: n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}
    tests = {name: getattr(loaded, name) for name in nodes}
    _check_no_clash(module, set(reference_names), helper_nodes, tests)
    cells, fixtures = {}, set()
    for function in functions:
        about = [name for name, test in tests.items() if quick_checks.cases_about(function, test, functions)]
        if not about:
            raise ValueError(f"{path}: no visible test of {function}; name one after it (test_{function}_...)")
        fixtures |= set().union(*(_fixtures(tests[name]) for name in about))
        # The notebook names no file the notebook student never sees (feedback pages show cells too).
        header = (f"# Quick checks (not graded): the visible tests of `{function}`.\n"
                  "# Run this cell after your answer; it prints one line per check.\n")
        sources = "\n\n\n".join(_lines(text, nodes[name]) for name in about)
        cells[function] = f"{header}{sources}\n\n\n{_call(function, about)}\n"
    fixtures = {f for f in fixtures if not EXERCISE_FIXTURE.fullmatch(f)}
    conftest, values = _conftest_helpers(exercises_dir / CONFTEST, fixtures)
    own = "\n\n\n".join(_lines(text, n) for n in helper_nodes)
    modules = modules or {module[:4]: module}
    helpers = ("# Helpers of the quick checks below: run this cell once.\n"
               f"{conftest}\n\n\n{own}\n\n\n{_runner_source(module, functions, values, modules)}\n")
    return VisibleCells(helpers, cells)


def _call(function, tests):
    one_line = f"quick_checks({function!r}, {', '.join(tests)})"
    if len(one_line) <= 100:
        return one_line
    return f"quick_checks(\n    {function!r},\n" + "".join(f"    {name},\n" for name in tests) + ")"


def _fixtures(test):
    """The arguments of a test that neither hypothesis (@given) nor a parametrize mark supplies."""
    parametrized = set().union(*(params.keys() for _, params in quick_checks.parametrized_cases(test)))
    return set(inspect.signature(test).parameters) - parametrized
