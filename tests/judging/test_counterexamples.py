"""Every counterexample the feedback shows is honest: its argument names are the function's own, and
the reference run on the shown input gives the shown expected value (for the catalogued mistakes and
the correct answers in other styles, as graded in the session's class)."""
import inspect

import numpy as np
import pytest

from helpers.class_submissions import STYLES
from helpers.shown_inputs import parse_value as literal, split_input
from grader.forms import FORMS, apply_forms, form_examples, shown as shown_args
from grader.toolkit.compare import fmt_input
from grader.judging.stages.judge import evaluate
from grader.devtools.mistakes import MISTAKES
from grader.probes import run_probe
from grader.judging.reference import plain
from grader.outputs.reports import read_student

STUDENTS = [f"mistake_{m.name}" for m in MISTAKES] + [f"style_{s}" for s in STYLES]


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


def _same_value(a, b):
    """Same type (and dtype, shape), same numbers: a shown value re-creates what the code got."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same_value(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return type(b) is list and len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return type(b) is np.ndarray and a.dtype == b.dtype and a.shape == b.shape and np.allclose(a, b, rtol=1e-5)
    return type(a) is type(b) and np.isclose(a, b, rtol=1e-5)


@pytest.mark.parametrize("value", [
    np.array(0.), np.array(-3.6876341), np.array(2.5, dtype=np.float32), np.array(3), np.array([-3, 2]),
    np.array([[0.5, -1.25]], dtype=np.float32), np.array([True, False]), np.zeros((2, 1)), 1.0, 0.5, -1, 2.0e-7,
    {"W": np.array([[1.0, 2.0]]), "bias": np.array(-0.75)}, [np.array(0.), {"b": np.array([1, 2], dtype=np.int32)}],
], ids=repr)
def test_a_shown_argument_reads_back_as_the_value_the_code_got(value):
    assert _same_value(value, literal(fmt_input(value)))


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_input_form_is_shown_as_it_was_passed(form):
    bases = [{"z": v} for v in (np.array(0.1), np.array([1.5, -2.0]), np.array([[1.0, 2.0]]), np.array(3.0), np.array([3.0, -2.0]))]
    case = form_examples({"z": [form]}, bases)[0]
    text = shown_args(case, fmt_input)["z"]
    assert _same_value(apply_forms(case)["z"], literal(text)), text
