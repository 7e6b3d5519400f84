"""The input forms a contract declares (grader/forms.py): one vocabulary for the grader and the
visible tests, read from the docstring, converted alike on both sides."""
import ast
import importlib.util
import types

import numpy as np
import pytest

from grader import EXERCISES_DIR, SOLUTIONS_DIR, exercise_files
from grader.forms import FORM_KEY, FORMS, apply_forms, declared_in_file, form_cases, form_hint, parse_declarations, shown
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


def test_both_sides_read_the_same_declaration_from_a_module():
    conftest = _conftest()
    for path in exercise_files(SOLUTIONS_DIR):
        declared = declared_in_file(path)
        stub = declared_in_file(EXERCISES_DIR / path.name)
        assert declared == stub, f"{path.name}: the stub declares other input forms than the reference"
        for argument, forms in declared.items():
            docstring = ast.get_docstring(ast.parse((EXERCISES_DIR / path.name).read_text()))
            function = types.SimpleNamespace(__doc__=docstring, __module__="")  # the module's text, as a notebook shows it
            assert conftest._declared_forms(function, argument) == forms


def test_every_declared_form_is_a_graded_case_of_every_function_taking_that_argument():
    declared = declared_in_file(SOLUTIONS_DIR / "ex03_activations.py")
    assert len(declared["z"]) == len(FORMS), "ex03's contract lists every form"
    for check in all_checks().values():
        if check.module == "ex03_activations" and check.name == "matches_reference" and not check.function.endswith("maxout"):
            graded = {case[FORM_KEY]["z"] for case in check.examples if FORM_KEY in case}
            assert graded == set(declared["z"]), check.id


def test_an_unknown_form_is_an_error_naming_it():
    with pytest.raises(ValueError, match="tensor of floats"):
        parse_declarations("Input forms of z: Python float, tensor of floats.\n")


def test_a_case_reaches_the_student_in_its_form_and_is_shown_so():
    cases = form_cases("z", ["Python float", "list", "numpy float32 scalar"], [[1.5, -2.0], 0.1])
    values = [apply_forms(case)["z"] for case in cases]
    assert type(values[0]) is float and values[1] == [1.5, -2.0] and type(values[2]) is np.float32
    assert FORM_KEY not in apply_forms(cases[0])
    assert cases[2]["z"] == np.float64(np.float32(0.1)), "the plain value is the float32 one the student gets"
    assert shown(cases[0], str) == {"z": "0.1 (a Python float)"}
    assert shown(cases[1], str) == {"z": "[1.5, -2.0] (a list)"}
    assert "z is a list" in form_hint(cases[1]) and form_hint({"z": np.zeros(2)}) == ""
