"""Every counterexample the feedback shows is honest: its argument names are the function's own, and
the reference run on the shown input gives the shown expected value (for the catalogued mistakes and
the correct answers in other styles, as graded in the session's class)."""
import ast
import inspect
import re

import numpy as np
import pytest

from helpers.class_submissions import STYLES
from grader.judging.stages.judge import evaluate
from grader.devtools.mistakes import MISTAKES
from grader.probes import run_probe
from grader.judging.reference import plain
from grader.outputs.reports import read_student

STUDENTS = [f"mistake_{m.name}" for m in MISTAKES] + [f"style_{s}" for s in STYLES]
NAME = re.compile(r"([A-Za-z_]\w*) = ")


def split_input(text):
    """"w = [0.], x = [1.], y = -1" -> [("w", "[0.]"), ("x", "[1.]"), ("y", "-1")]: names at nesting depth 0."""
    parts, depth, start, name = [], 0, 0, None
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and (i == 0 or text[i - 2:i] == ", "):
            match = NAME.match(text, i)
            if match:
                if name is not None:
                    parts.append((name, text[start:i - 2]))
                name, start = match.group(1), match.end()
                i = match.end()
                continue
        i += 1
    if name is not None:
        parts.append((name, text[start:]))
    return parts


def literal(text):
    """The value a shown number, array or dict of arrays stands for, or None if it is not one."""
    if "…" in text or "..." in text:
        return None
    try:
        value = ast.literal_eval(re.sub(r"(?<=\d)\.(?=[\s,\]\)}]|$)", ".0", text))
    except (ValueError, SyntaxError):
        return None
    return _arrays(value)


def _arrays(value):
    if isinstance(value, dict):
        return {k: _arrays(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return np.asarray(value, dtype=float)
    return value


def _numeric(value):
    try:
        return value is not None and not isinstance(value, (dict, str)) and np.asarray(value, dtype=float) is not None
    except (TypeError, ValueError):
        return False


def leaves(value):
    """Every array a returned value holds: itself, and each part of a tuple, list or dict."""
    if isinstance(value, dict):
        for v in value.values():
            yield from leaves(v)
        return
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from leaves(v)
    try:
        yield np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return


def _parameters(obj):
    """A function's parameter names; for a class (a torch module), its forward's and its parameters'."""
    if inspect.isclass(obj):
        return set(inspect.signature(obj.forward).parameters) | {name for name, _ in obj().named_parameters()}
    return set(inspect.signature(obj).parameters)


def _shown(root):
    """[(student, function, check record)] of every failed check that shows an input."""
    found = []
    for student in STUDENTS:
        record = read_student(root / "out", student)
        assert record is not None, student
        for f in record["functions"]:
            found += [(student, f["function"], c) for c in f["checks"] if not c["passed"] and c.get("input")]
    return found


@pytest.fixture(scope="module")
def shown(graded_class):
    root, _ = graded_class
    return _shown(root)


def _function(ctx, name):
    module, function = name.split(".")
    return getattr(getattr(ctx.reference, module), function)


def test_shown_argument_names_are_the_functions_own(ctx, shown):
    assert shown
    wrong = []
    for student, function, check in shown:
        names = [n for n, _ in split_input(check["input"])] if check["input"] != "(no arguments)" else []
        extra = set(names) - _parameters(_function(ctx, function))
        if extra:
            wrong.append((student, function, check["check"], check["input"], sorted(extra)))
    assert not wrong, "\n".join(map(str, wrong))


def test_the_reference_gives_the_shown_expected_value_on_the_shown_input(ctx, shown):
    """The shown expected value is a value the reference returns on the shown input (a part of it,
    e.g. one gradient of mlp_backward), wherever a drawn input (a search's, possibly another check's)
    and the expected value are plain numbers; for a behaviour check (no reference value), the reference
    itself passes the check there (the input lies in the check's domain)."""
    checked, wrong = 0, []
    for student, function, record in shown:
        check = ctx.checks[f"{function}:{record['check']}"]
        reference = _function(ctx, function)
        args = {name: literal(text) for name, text in split_input(record["input"])}
        if inspect.isclass(reference) or check.cases is None or any(v is None for v in args.values()):
            continue  # a check on fixed examples only shows its own example
        checked += 1
        if not check.uses_expected:
            if check.shown is None:  # a drawn case, shown as it is
                output = plain(run_probe(check.probe, ctx.reference, args))
                outcome = output if check.probe.pieces is not None else {"value": output}
                if not evaluate(check, outcome, None, args).ok:
                    wrong.append((student, function, record["check"], record["input"], "the reference fails it"))
            continue
        expected = literal(record.get("expected") or "")
        if not _numeric(expected):
            continue
        expected = np.asarray(expected, dtype=float)
        if not any(c.shape == expected.shape and np.allclose(c, expected, rtol=1e-3, atol=1e-4) for c in leaves(reference(**args))):
            wrong.append((student, function, record["check"], record["input"], record["expected"]))
    assert checked > 20
    assert not wrong, "\n".join(map(str, wrong))
