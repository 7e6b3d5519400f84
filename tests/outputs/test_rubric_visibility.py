"""[visibility] in the rubric: when students see a function's results, on Gradescope and PrairieLearn."""
import json

import pytest
from helpers.platform_schemas import gradescope_problems, prairielearn_problems

from grader.outputs.reports import gradescope_results
from grader.rubric import DEFAULT_RUBRIC, RubricError, load_rubric


def _rubric(tmp_path, extra):
    path = tmp_path / "rubric.toml"
    path.write_text(DEFAULT_RUBRIC.read_text().replace('[visibility]\ndefault = "visible"\n', extra))
    return path


def test_default_and_per_function_visibility(tmp_path):
    rubric = load_rubric(_rubric(tmp_path, '[visibility]\ndefault = "after_due_date"\n'
                                           '"ex01_perceptron.add_bias" = "visible"\n"ex07_torch.train_xor" = "hidden"\n'))
    assert rubric.visibility_of("ex01_perceptron.add_bias") == "visible"
    assert rubric.visibility_of("ex07_torch.train_xor") == "hidden"
    assert rubric.visibility_of("ex03_activations.sigmoid") == "after_due_date"


@pytest.mark.parametrize("table, problem", [
    ('[visibility]\ndefault = "sometimes"\n', "expected one of visible, after_due_date, after_published, hidden"),
    ('[visibility]\n"ex01_perceptron.add_biass" = "hidden"\n', "unknown function 'ex01_perceptron.add_biass'; did you mean"),
])
def test_a_bad_visibility_names_the_file_and_entry(tmp_path, table, problem):
    with pytest.raises(RubricError, match="rubric.toml: \\[visibility\\]") as error:
        load_rubric(_rubric(tmp_path, table))
    assert problem in str(error.value)


def test_each_test_carries_its_functions_visibility():
    record = {"student": "s", "score": 1.0, "max_score": 3.0, "execution_time": 0.5, "problems": {},
              "functions": [{"function": "ex01_perceptron.add_bias", "visibility": "hidden", "score": 1.0, "max_score": 1.0,
                             "checks": [{"check": "matches_reference", "passed": True, "score": 1.0, "max_score": 1.0}]},
                            {"function": "ex02_gradient_descent.squared_error", "visibility": "after_published",
                             "score": 0.0, "max_score": 2.0,
                             "checks": [{"check": "matches_reference", "passed": False, "score": 0.0, "max_score": 2.0,
                                         "message": "differs", "input": "w = [0.]", "expected": "1", "got": "2",
                                         "hint": "the 1/2 is missing"}]}]}
    results = gradescope_results(record)
    assert [t["visibility"] for t in results["tests"]] == ["hidden", "after_published"]
    assert [t["status"] for t in results["tests"]] == ["passed", "failed"]
    failed = results["tests"][1]["output"]
    assert "- smallest failing input: `w = [0.]`" in failed and "expected: 1" in failed and "- hint: the 1/2 is missing" in failed


# ---- hidden means hidden: no field every student sees names a function the rubric does not show --

HIDDEN = {"ex03_activations.sigmoid_derivative": "hidden", "ex01_perceptron.perceptron_update": "after_due_date",
          "ex02_gradient_descent.squared_error": "after_published"}


def _check(name, passed, points, secret=""):
    """A check; a failed one's texts carry `secret` (a hidden function's inputs, values and hint)."""
    if passed:
        return {"check": name, "passed": True, "score": points, "max_score": points}
    return {"check": name, "passed": False, "score": 0.0, "max_score": points, "message": f"{secret} differs",
            "input": f"z = {secret}input", "expected": f"{secret}expected", "got": "2", "hint": f"{secret}hint"}


def _function(name, visibility, *checks, **extra):
    return {"function": name, "visibility": visibility, "score": sum(c["score"] for c in checks),
            "max_score": sum(c["max_score"] for c in checks), "depends": [], "called": [], "checks": list(checks), **extra}


def hidden_record():
    """Three functions students see, three they do not (one per kind of visibility); the shown
    train_perceptron calls the hidden perceptron_update, the sigmoid plot shows the hidden derivative."""
    functions = [_function("ex03_activations.sigmoid", "visible", _check("matches_reference", True, 2.0)),
                 _function("ex03_activations.sigmoid_derivative", "hidden", _check("matches_reference", False, 3.0, "SECRET")),
                 _function("ex01_perceptron.perceptron_update", "after_due_date",
                           _check("matches_reference", False, 3.0, "SECRET")),
                 _function("ex01_perceptron.train_perceptron", "visible", _check("separates_and_or", False, 2.0),
                           called=["ex01_perceptron.perceptron_update"],
                           note="this function calls ex01_perceptron.perceptron_update, which also lost points: fix that first"),
                 _function("ex02_gradient_descent.squared_error", "after_published", _check("matches_reference", True, 4.0)),
                 _function("ex03_activations.tanh", "visible", _check("matches_reference", False, 1.0))]
    plots = [{"module": "ex03_activations", "name": "ex03_activations.sigmoid", "title": "SECRET sigmoid plot",
              "functions": ["ex03_activations.sigmoid", "ex03_activations.sigmoid_derivative"],
              "url": "data:image/png;base64,AAAA"},
             {"module": "ex03_activations", "name": "ex03_activations.tanh", "title": "tanh plot",
              "functions": ["ex03_activations.tanh", "ex03_activations.tanh_derivative"], "url": "data:image/png;base64,AAAA"}]
    return {"student": "s", "score": 6.0, "max_score": 15.0, "execution_time": 0.5, "problems": {},
            "functions": functions, "plots": plots}


def _leaks(text):
    return [w for w in ("sigmoid_derivative", "perceptron_update", "squared_error", "SECRET") if w in text]


def test_gradescope_output_names_no_hidden_function_and_the_score_counts_them():
    results = gradescope_results(hidden_record())
    assert not gradescope_problems(results)
    assert not _leaks(results["output"]), results["output"]  # the top-level output is always shown
    assert results["score"] == 6.0  # Gradescope's total counts hidden tests' points, as it does
    assert "Score on the checks shown here: 2 / 5" in results["output"]  # sigmoid 2/2, train_perceptron 0/2, tanh 0/1
    by_function = {t["name"].split(":")[0]: t["visibility"] for t in results["tests"]}
    assert {f: by_function[f] for f in HIDDEN} == HIDDEN  # each hidden test carries its own visibility
    assert all(not _leaks(t["output"]) for t in results["tests"] if t["visibility"] == "visible")


def test_everything_shown_names_the_hidden_functions_when_none_is_hidden():
    record = hidden_record()
    for function in record["functions"]:
        function["visibility"] = "visible"
    output = gradescope_results(record)["output"]
    assert "**Score: 6 / 15**" in output and "perceptron_update" in output


def test_prairielearn_results_show_no_hidden_function_anywhere():
    from grader.platforms.entry import Outcome
    from grader.platforms.prairielearn import results_json, staff_details

    outcome = Outcome(hidden_record(), "graded", "", "details")
    results = results_json(outcome)
    assert not prairielearn_problems(results)
    assert not _leaks(json.dumps({k: v for k, v in results.items() if k != "score"}))  # PrairieLearn shows it all
    assert {t["name"].split(":")[0] for t in results["tests"]} == {
        "ex03_activations.sigmoid", "ex01_perceptron.train_perceptron", "ex03_activations.tanh"}
    assert results["images"] == [{"label": "tanh plot", "url": "data:image/png;base64,AAAA"}]
    assert results["score"] == 0.4 and results["message"].startswith("2 / 5 points")  # 6 of 15 counted, 2 of 5 shown
    staff = staff_details(outcome)  # the job log, staff only
    assert all(f"{f} 0/3" in staff or f"{f} 4/4" in staff for f in HIDDEN), staff


def test_the_spec_declares_defaults_and_the_rubric_overrides(tmp_path, monkeypatch):
    import dataclasses

    import grader.specs as specs
    from grader.specs import all_functions

    functions = all_functions()
    declared = {"ex01_perceptron.add_bias": ("hidden", 5.0), "ex07_torch.train_xor": ("after_due_date", None)}
    changed = [dataclasses.replace(f, visibility=declared[f.function][0],
                                   checks=tuple(dataclasses.replace(c, points=declared[f.function][1]) for c in f.checks))
               if f.function in declared else f for f in functions]
    monkeypatch.setattr(specs, "all_functions", lambda: changed)
    rubric = load_rubric(_rubric(tmp_path, '[visibility]\n"ex07_torch.train_xor" = "visible"\n'))
    assert rubric.visibility_of("ex01_perceptron.add_bias") == "hidden"  # the spec's
    assert rubric.visibility_of("ex07_torch.train_xor") == "visible"  # the rubric overrides the spec
    assert rubric.check_points("ex01_perceptron.add_bias", "matches_reference") == 2  # the rubric's points win
    without = tmp_path / "without.toml"
    without.write_text(DEFAULT_RUBRIC.read_text().replace("[ex01_perceptron.add_bias]\nmatches_reference = 2\n", ""))
    assert load_rubric(without).check_points("ex01_perceptron.add_bias", "matches_reference") == 5  # the spec's
    monkeypatch.setattr(specs, "all_functions", lambda: [dataclasses.replace(f, visibility="sometimes")
                                                         if f.function == "ex01_perceptron.add_bias" else f for f in changed])
    with pytest.raises(RubricError, match=r"grader/specs/ex01_perceptron.py: ex01_perceptron.add_bias declares visibility 'sometimes'"):
        load_rubric(_rubric(tmp_path, ""))
