"""No answers in the child: nothing a sandboxed child holds computes a graded function.

The runner (and so every fork server and child) imports only the child-side modules (checked in
tests/specs/test_specs.py). Here every callable those modules define, and everything reachable from the
probe objects (closures, defaults, the probe table), is tried as each graded function on the class's
inputs and judged like a student's answer: none may pass a check. It runs in a subprocess, as some
of those callables change interpreter state when called with nonsense (the source loader)."""
import json
import subprocess
import sys
import types
from pathlib import Path

CASES_PER_CHECK = 3


def child_modules():
    code = ("import sys, json; import grader.sandbox.runner, grader.sandbox.child;"
            "from grader.sandbox.warm import warm_up; warm_up(); print(json.dumps(sorted(sys.modules)))")
    return json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def candidates(module_names):
    """{name: callable} defined by the grader's child-side modules or reachable from their objects;
    the sandbox's own process plumbing (forks, isolation, exits) is left out."""
    import importlib

    found, seen = {}, set()

    def visit(key, obj, depth=0):
        if id(obj) in seen or depth > 5:
            return
        seen.add(id(obj))
        if callable(obj) and str(getattr(obj, "__module__", "") or "").startswith("grader"):
            found[key] = obj
        for i, cell in enumerate(getattr(obj, "__closure__", None) or ()):
            try:
                visit(f"{key}.<cell {i}>", cell.cell_contents, depth + 1)
            except ValueError:
                pass
        for i, default in enumerate(getattr(obj, "__defaults__", None) or ()):
            visit(f"{key}.<default {i}>", default, depth + 1)
        if isinstance(obj, (dict, list, tuple)):
            for k, v in (obj.items() if isinstance(obj, dict) else enumerate(obj)):
                visit(f"{key}[{k!r}]", v, depth + 1)
        if hasattr(type(obj), "__dataclass_fields__"):
            for field in type(obj).__dataclass_fields__:
                visit(f"{key}.{field}", getattr(obj, field, None), depth + 1)

    for name in module_names:
        if name.startswith("grader") and not name.startswith("grader.sandbox"):
            module = importlib.import_module(name)
            for attr, value in sorted(vars(module).items()):
                visit(f"{name}.{attr}", value)
    return found


def solved(ctx, found):
    """[(candidate, check id)] for every candidate that passes a check on its first cases, and the
    checks it needs first (a behaviour check earns nothing alone: identity passes value_at_kink at 0)."""
    import warnings

    from grader.judging.stages.judge import evaluate
    from grader.probes import run_probe

    passed = set()
    warnings.simplefilter("ignore")
    for check in ctx.checks.values():
        module, function = check.function.split(".")
        cases = list(zip(ctx.cases[check.id], ctx.expected[check.id]))[:CASES_PER_CHECK]
        for key, candidate in found.items():
            impl = types.SimpleNamespace(**{module: types.SimpleNamespace(**{function: candidate})})
            if all(_passes(check, impl, case, expected, evaluate, run_probe) for case, expected in cases):
                passed.add((key, check.id))
    return [[key, cid] for key, cid in sorted(passed)
            if all((key, f"{ctx.checks[cid].function}:{need}") in passed for need in ctx.checks[cid].needs)]


def _passes(check, impl, case, expected, evaluate, run_probe):
    import copy

    try:
        output = run_probe(check.probe, impl, copy.deepcopy(case))
    except BaseException:  # noqa: BLE001 - a candidate that cannot be called this way solves nothing
        return False
    from grader.judging.reference import plain

    try:
        output = plain(output)
    except BaseException:  # noqa: BLE001
        return False
    outcome = {"value": output["value"], "pieces": output["pieces"]} if check.probe.pieces is not None else {"value": output}
    return evaluate(check, outcome, expected, case).ok


def main():
    from grader.judging.reference import build_context

    ctx = build_context()
    found = candidates(json.loads(sys.argv[1]))
    print(json.dumps({"candidates": len(found), "solved": solved(ctx, found)}))


def test_no_callable_in_the_child_solves_a_graded_function():
    modules = [m for m in child_modules() if m.startswith("grader")]
    script = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import test_no_answers_in_child as t; t.main()"
    run = subprocess.run([sys.executable, "-c", script, json.dumps(modules)], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["candidates"] > 50, result  # the search did reach the probes and their closures
    assert result["solved"] == [], result["solved"]
