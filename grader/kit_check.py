"""`nngrade check`: is every graded function complete? One line per problem, naming the file and
what to add, never a traceback.

Static (also run by `nngrade release`): every public function of solutions/exNN_name.py has a spec,
every check a probe it can run (an explicit one, one derived from a declared forward that exists,
or the default call), points (from the rubric or the spec), a visible test and a stub; a declared
plot names functions that exist and have a slide curve. With `reference=True` (`nngrade check`), the
reference is also graded in the sandbox and must get full marks.
"""
import ast
import re
import tempfile
from pathlib import Path

from grader import EXERCISES_DIR, PROJECT_ROOT, SOLUTIONS_DIR, exercise_modules
from grader.regions import BEGIN


def static_problems():
    """[one-line problem, ...] of the kit as written (empty when complete)."""
    problems = []
    try:
        from grader.probes import probe_table
        from grader.rubric import RubricError, check_names, load_rubric
        from grader.specs import all_functions, declared_plots

        specs = all_functions()
        plots = declared_plots()
        table = probe_table()
    except Exception as exc:  # noqa: BLE001 - an author's broken spec is one line, not a traceback
        return [f"grader/specs: cannot be loaded: {type(exc).__name__}: {exc}"]
    by_function = {spec.function: spec for spec in specs}
    for module in exercise_modules():
        defined = _public_functions(SOLUTIONS_DIR / f"{module}.py", graded_only=True)
        spec_file = f"grader/specs/{module}.py"
        for name in defined:
            if f"{module}.{name}" not in by_function:
                problems.append(f"{spec_file}: add spec(f\"{{M}}.{name}\", Check(...)) to FUNCTIONS "
                                f"(solutions/{module}.py defines {name})")
        for function in (f for f in by_function if f.split(".")[0] == module):
            name = function.split(".", 1)[1]
            if name not in defined:
                problems.append(f"{spec_file}: checks {name}, which solutions/{module}.py does not define")
                continue
            problems += _check_problems(by_function[function], defined, table, spec_file)
        problems += _visible_and_stub_problems(module, defined)
        if module in plots:
            problems += _plot_problems(module, plots[module], defined, spec_file)
    try:
        rubric = load_rubric()
        check_names(rubric, {s.function: [c.name for c in s.checks] for s in specs})
    except RubricError as exc:
        return problems + [str(exc).replace(f"{PROJECT_ROOT}/", "")]
    for spec in specs:
        missing = [c.name for c in spec.checks if c.name not in rubric.points.get(spec.function, {})]
        if missing:
            module, name = spec.function.split(".", 1)
            problems.append(f"grader/rubric.toml: add [{spec.function}] with {' = N, '.join(missing)} = N "
                            f"(or points=N on those checks in grader/specs/{module}.py)")
    return problems


def _check_problems(spec, defined, table, spec_file):
    problems = []
    for check in spec.checks:
        if check.id in table:
            continue
        if check.forward is not None and check.forward not in defined:
            problems.append(f"{spec_file}: {check.id} declares forward={check.forward!r}, which solutions/ does not define")
        if check.name == "finite_differences" and check.forward is None and check.prepare is not None:
            problems.append(f"{spec_file}: {check.id} needs the student's forward: declare forward=\"...\" "
                            "on the check (or write a probe in grader/probes/)")
    return problems


def _visible_and_stub_problems(module, defined):
    problems = []
    tests = EXERCISES_DIR / f"test_{module}.py"
    text = tests.read_text() if tests.is_file() else ""
    stub = EXERCISES_DIR / f"{module}.py"
    stubbed = _public_functions(stub) if stub.is_file() else set()
    for name in sorted(defined):
        if not re.search(rf"\b{re.escape(name)}\b", text):
            problems.append(f"exercises/test_{module}.py: add a visible test of {name} (test_{name}_..., calling {name} first)")
        if name not in stubbed:
            problems.append(f"exercises/{module}.py: has no stub of {name}: run `nngrade stubs`")
    return problems


def _plot_problems(module, plot, defined, spec_file):
    problems = []
    for name in plot.functions:
        if name not in defined:
            problems.append(f"{spec_file}: PLOT names {name}, which solutions/{module}.py does not define")
        elif name not in plot.curves:
            problems.append(f"{spec_file}: PLOT has no slide curve for {name}: add \"{name}\": lambda z: ... to its curves")
    return problems


def _public_functions(path, graded_only=False):
    """The public top-level functions and classes of a file; graded_only: those holding a solution
    region (the others are given code, like ex04's sigmoid)."""
    try:
        text = Path(path).read_text()
        tree = ast.parse(text)
    except (OSError, SyntaxError):
        return set()
    begins = [i + 1 for i, line in enumerate(text.splitlines()) if line.strip() == BEGIN]
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")
            and (not graded_only or any(node.lineno <= b <= node.end_lineno for b in begins))}


def reference_problems():
    """[problem] unless the reference, graded in the sandbox, gets full marks."""
    import shutil

    from grader import exercise_files
    from grader.batch import grade_folder

    with tempfile.TemporaryDirectory() as tmp:
        student = Path(tmp, "submissions", "reference")
        student.mkdir(parents=True)
        for path in exercise_files(SOLUTIONS_DIR):
            shutil.copy(path, student / path.name)
        summary = grade_folder(Path(tmp, "submissions"), Path(tmp, "out"), progress=False)
        result = Path(tmp, "out", "grades.csv").read_text().splitlines()
    import csv

    row = next(csv.DictReader(result))
    lost = [k for k in row if k.startswith("ex") and _lost(row, k, summary)]
    if float(row["score"]) == float(row["max_score"]):
        return []
    return [f"solutions/: the reference gets {row['score']} / {row['max_score']}; it loses points on "
            f"{', '.join(lost) or 'some function'} (grade solutions/ to read its feedback)"]


def _lost(row, column, summary):
    from grader.rubric import load_rubric

    return float(row[column]) < load_rubric().function_points(column)


def check_command(args):
    problems = static_problems()
    if not problems and not getattr(args, "static", False):
        problems = reference_problems()
    print(f"kit: {PROJECT_ROOT}")
    for problem in problems:
        print(problem)
    print("nngrade check: the kit is complete" if not problems else f"nngrade check: {len(problems)} problem(s)")
    return 1 if problems else 0
