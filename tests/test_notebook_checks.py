"""The notebooks' quick checks (grader/notebook_checks.py): light cells, plain lines on the screen.

A released notebook's code besides its answer and given cells is one import line and one
`check("name")` per exercise; a check prints "not answered yet" once for a blank answer, one line
per failing check with its input, expected and got for a wrong one, with nothing of pytest or
hypothesis; the student package runs the same checks. That the reference notebooks pass every
check is tests/release/test_release.py, where the notebooks run.
"""
import contextlib
import io
import os
import subprocess
import sys

import nbformat
import pytest

from grader import EXERCISES_DIR, RELEASE_DIR, SOLUTIONS_DIR, exercise_files
from grader.devtools.mistakes import MISTAKES, mutated_sources
from grader.release.anatomy import parse_module
from grader.release.bundle import checks_package_files
from grader.release.course import ASSIGNMENT

MAX_MACHINERY_LINES = 2  # lines of code in a notebook cell that is neither an answer nor given code
SCREEN_NOISE = ("Traceback", "Falsifying", "hypothesis", "pytest", "File \"", "NotImplementedError")


def _code_lines(source):
    return [line for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]


@pytest.mark.parametrize("path", sorted((RELEASE_DIR / ASSIGNMENT).glob("*.ipynb")), ids=lambda p: p.stem)
def test_released_notebook_code_is_answers_given_code_and_one_line_checks(path):
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("solution") or meta.get("grade_id", "").startswith("given_"):
            continue
        code = _code_lines(cell.source)
        assert len(code) <= MAX_MACHINERY_LINES, f"{path.name} {meta.get('grade_id')}: {len(code)} lines of code"
        if meta.get("grade_id", "").startswith("check_"):
            assert code == [f'check("{meta["grade_id"].removeprefix("check_")}")'], f"{path.name}: {code}"


def test_the_stubs_exercises_are_the_reference_exercises():
    from grader.notebook_checks import exercise_table

    table = exercise_table(EXERCISES_DIR)
    assert table == {p.stem: [b.name for b in parse_module(p).exercises] for p in exercise_files(SOLUTIONS_DIR)}
    names = [n for names in table.values() for n in names]
    assert len(names) == len(set(names)), "check(name) needs exercise names unique across the notebooks"


def _printed(module_source, function, monkeypatch):
    from grader.notebook_checks import run_checks

    monkeypatch.syspath_prepend(str(SOLUTIONS_DIR))  # earlier exercises, as the notebook importer would load them
    namespace = {"__name__": "__main__"}
    exec(compile(module_source, "<answer cells>", "exec"), namespace)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        run_checks(function, namespace)
    return out.getvalue().splitlines()


def _released_answers(module):
    """The given and answer cells of the released notebook, as the kernel runs them."""
    cells = nbformat.read(RELEASE_DIR / ASSIGNMENT / f"{module}.ipynb", as_version=4).cells
    return "\n\n".join(c.source for c in cells if c.metadata.get("nbgrader", {}).get("solution")
                        or c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("given_"))


@pytest.mark.parametrize("module, function", [("ex03_activations", "sigmoid"), ("ex07_torch", "LinearModel"),
                                              ("ex05_backprop", "dense_backward")])
def test_a_blank_answer_says_not_answered_yet_once(module, function, monkeypatch):
    assert _printed(_released_answers(module), function, monkeypatch) == [f"{function}: not answered yet"]
    # the Python track's stubs, whose NotImplementedError names the function, read the same
    assert _printed((EXERCISES_DIR / f"{module}.py").read_text(), function, monkeypatch) == [
        f"{function}: not answered yet"]


@pytest.mark.parametrize("mistake", ["sigmoid_derivative_from_z", "dense_backward_transposed_grad_w",
                                     "minibatches_drop_last"])
def test_a_wrong_answer_prints_one_line_per_failing_check(mistake, monkeypatch):
    m = next(m for m in MISTAKES if m.name == mistake)
    function = m.breaks[0].split(".", 1)[1]
    lines = _printed(mutated_sources(m)[f"{m.module}.py"], function, monkeypatch)
    *failures, summary = lines
    assert failures and all(line.startswith("FAILED ") for line in failures), lines
    assert summary.startswith(f"{function}: {len(failures)} of ") and summary.endswith("failed"), summary
    assert all("expected" in line and "got" in line for line in failures), failures
    assert not [line for line in lines for noise in SCREEN_NOISE if noise in line], lines


def test_a_notebook_answer_is_tried_in_every_input_form_its_module_declares(monkeypatch):
    """The module's text is a markdown cell there: its "Input forms of z" line still applies."""
    m = next(m for m in MISTAKES if m.name == "relu_derivative_arrays_only")
    lines = _printed(mutated_sources(m)[f"{m.module}.py"], "relu_derivative", monkeypatch)
    assert any(line.startswith("FAILED activation_accepts_every_input_form[relu_derivative]") and "listed in the docstring" in line
               for line in lines), lines


def test_the_student_package_runs_the_checks_without_the_kit(tmp_path):
    for name, text in checks_package_files().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    script = (f"import grader.notebook_checks as n, sys\nassert n.__file__.startswith({str(tmp_path)!r}), n.__file__\n"
              f"ns = {{}}\nexec(open({str(EXERCISES_DIR / 'ex01_perceptron.py')!r}).read(), ns)\n"
              "n.run_checks('add_bias', ns)\nns['add_bias'] = lambda X: X\nn.run_checks('add_bias', ns)\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "checks")}
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "add_bias: not answered yet" and lines[-1].startswith("add_bias: ") and lines[-1].endswith("failed")
