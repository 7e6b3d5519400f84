"""[visibility] in the rubric: when students see a function's results on Gradescope."""
import pytest

from grader.reports import gradescope_results
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
