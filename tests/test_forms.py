"""The input forms a contract declares (grader/forms.py): one vocabulary for the grader and the
visible tests, read from the docstring, converted alike on both sides."""
import ast
import importlib.util
import types

import numpy as np
import pytest

from grader import EXERCISES_DIR, SOLUTIONS_DIR, exercise_files
from grader.forms import FORM_KEY, FORMS, apply_forms, declared_forms, form_examples, form_hint, parse_declarations, shown
from grader.specs import all_checks

SAMPLES = [np.array(0.5), np.array(-2.0), np.array([1.5, -2.0]), np.array([[-2.0, 1.0], [3.0, 0.25]]), np.array([[1.0, 2.0]])]


def _conftest():
    spec = importlib.util.spec_from_file_location("_exercises_conftest", EXERCISES_DIR / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _same(a, b):
    return type(a) is type(b) and np.array_equal(np.asarray(a), np.asarray(b)) and np.asarray(a).dtype == np.asarray(b).dtype


def test_visible_tests_and_grader_know_the_same_forms_and_convert_alike():
    visible = _conftest()._input_forms()
    assert list(visible) == list(FORMS)
    for name, (fits, convert) in FORMS.items():
        for sample in SAMPLES:
            assert visible[name][0](sample) == fits(sample), (name, sample)
            if fits(sample):
                assert _same(visible[name][1](sample), convert(sample)), (name, sample)


def _function_docstrings(path):
    """{function: its docstring} of a module file."""
    tree = ast.parse(path.read_text())
    return {n.name: ast.get_docstring(n) or "" for n in tree.body if isinstance(n, ast.FunctionDef)}


def test_both_sides_read_the_same_declarations_from_a_module():
    conftest = _conftest()
    for path in exercise_files(SOLUTIONS_DIR):
        declared = declared_forms(path)
        assert declared_forms(EXERCISES_DIR / path.name) == declared, f"{path.name}: the stub declares other input forms"
        functions = _function_docstrings(EXERCISES_DIR / path.name)
        for name, arguments in declared.items():
            # as a notebook defines it: in a cell of __main__, the module's text a markdown cell
            function = types.SimpleNamespace(__doc__=functions[name], __module__="__main__", __name__=name)
            for argument, forms in arguments.items():
                assert conftest._declared_forms(function, argument) == forms, f"{path.name}: {name}({argument})"


def test_a_declaration_covers_the_functions_it_names(tmp_path):
    source = ('"""Input forms of z: Python float, list.\n\nMore text."""\n'
              "def f(z, alpha=0.1):\n    pass\n"
              "def g(X):\n    pass\n"
              'def h(z, grad_out):\n    """Doc.\n\n    Input forms of z and grad_out: nested list, int array.\n    """\n')
    path = tmp_path / "ex99_sample.py"
    path.write_text(source)
    declared = declared_forms(path)
    assert declared == {"f": {"z": ["Python float", "list"]},
                        "h": {"z": ["nested list", "int array"], "grad_out": ["nested list", "int array"]}}


def _graded_forms(check):
    """{(argument, ...): {form, ...}} of a check's examples in a form, by the function's own argument names."""
    graded = {}
    for case in check.examples:
        named = check.arguments(case).get(FORM_KEY) if FORM_KEY in case else None
        if named:
            assert len(set(named.values())) == 1, (check.id, named)
            graded.setdefault(tuple(sorted(named)), set()).add(next(iter(named.values())))
    return graded


def _declared_combinations(arguments):
    """What form_examples promises: each argument alone in each of its forms, all at once in each shared one."""
    want = {(a,): set(forms) for a, forms in arguments.items()}
    if len(arguments) > 1:
        want[tuple(sorted(arguments))] = set.intersection(*(set(f) for f in arguments.values()))
    return want


def test_every_declared_form_is_a_graded_case_and_no_other():
    checks = all_checks()
    declared = {f"{path.stem}.{name}": arguments for path in exercise_files(SOLUTIONS_DIR)
                for name, arguments in declared_forms(path).items()}
    assert len(declared["ex03_activations.sigmoid"]["z"]) == len(FORMS), "ex03's contract lists every form"
    for check in checks.values():
        graded = _graded_forms(check)
        if check.name == "matches_reference" and check.function in declared:
            assert graded == _declared_combinations(declared[check.function]), check.id
        else:
            assert not graded, f"{check.id} grades input forms its function's docstring does not declare"


def _visible_form_calls(module):
    spec = importlib.util.spec_from_file_location(f"_visible_{module}", EXERCISES_DIR / f"test_{module}.py")
    test_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(test_module)
    return getattr(test_module, "FORM_CALLS", {})


def test_the_visible_tests_try_every_declared_form():
    for path in exercise_files(SOLUTIONS_DIR):
        declared = declared_forms(path)
        calls = _visible_form_calls(path.stem)
        assert set(calls) == set(declared), f"test_{path.name}: FORM_CALLS is about {sorted(calls)}, the docstrings declare {sorted(declared)}"
        params = {n.name: [a.arg for a in n.args.args] for n in ast.parse(path.read_text()).body if isinstance(n, ast.FunctionDef)}
        for name, arguments in declared.items():
            for call in calls[name]:  # passed positionally, in the contract's order
                assert list(call) == params[name][:len(call)], f"test_{path.name}: FORM_CALLS of {name}: {list(call)}"
            for together, forms in _declared_combinations(arguments).items():
                for form in forms:
                    fits = FORMS[form][0]
                    assert any(all(fits(plain_for_visible(call[a], form)) for a in together) for call in calls[name]), \
                        f"test_{path.name}: no FORM_CALLS input of {name} holds {together} as a {form}"


def plain_for_visible(value, form):
    arr = np.asarray(value, dtype=float)
    return arr.astype(np.float32).astype(float) if "float32" in form else arr


def test_an_unknown_form_is_an_error_naming_it():
    with pytest.raises(ValueError, match="tensor of floats"):
        parse_declarations("Input forms of z: Python float, tensor of floats.\n")


def test_a_case_reaches_the_student_in_its_form_and_is_shown_so():
    cases = form_examples({"z": ["Python float", "list", "numpy float32 scalar"]}, [{"z": [1.5, -2.0]}, {"z": 0.1}])
    values = [apply_forms(case)["z"] for case in cases]
    assert type(values[0]) is float and values[1] == [1.5, -2.0] and type(values[2]) is np.float32
    assert FORM_KEY not in apply_forms(cases[0])
    assert cases[2]["z"] == np.float64(np.float32(0.1)), "the plain value is the float32 one the student gets"
    assert shown(cases[0], str) == {"z": "0.1 (a Python float)"}
    assert shown(cases[1], str) == {"z": "[1.5, -2.0] (a list)"}
    assert "z is a list" in form_hint(cases[1]) and form_hint({"z": np.zeros(2)}) == ""


def test_several_arguments_take_their_forms_alone_and_together():
    bases = [{"x": np.ones(2), "G": np.full(2, 2.0), "lr": 0.5}, {"x": np.ones((2, 2)), "G": np.full((2, 2), 2.0), "lr": 0.5},
             {"x": np.array(3.0), "G": np.array(-1.0), "lr": 0.5}]
    cases = form_examples({"x": ["list", "Python int"], "grad_out": ["Python int", "nested list"]}, bases, keys={"grad_out": "G"})
    forms = [case[FORM_KEY] for case in cases]
    assert forms == [{"x": "list"}, {"x": "Python int"}, {"G": "Python int"}, {"G": "nested list"}, {"x": "Python int", "G": "Python int"}]
    assert cases[1]["x"] == 3.0 and np.array_equal(cases[1]["G"], np.array(-1.0)) and cases[1]["lr"] == 0.5
    assert np.shape(cases[0]["x"]) == (2,) and np.shape(cases[3]["G"]) == (2, 2)
    assert "x, G are each a Python int" in form_hint(cases[4])
    with pytest.raises(ValueError, match="list"):
        form_examples({"x": ["list"]}, [{"x": np.ones((2, 2))}])
