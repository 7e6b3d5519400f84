"""notebook_to_module_source: a submitted notebook back into the exNN_*.py module."""
import importlib
import json
import sys

import nbformat
import numpy as np
import pytest

from grader import RELEASE_DIR
from grader.release.course import ASSIGNMENT
from grader.release.nbgrader_submissions import NotebookSubmissionError, notebook_to_module_source, strip_ipython
from grader.release.notebooks import build_source_notebooks, notebook_text
from grader.release.reference import load_reference

RELEASED = RELEASE_DIR / ASSIGNMENT


@pytest.fixture(scope="module")
def sources():
    return build_source_notebooks()


@pytest.fixture(scope="module")
def reference():
    return load_reference()


@pytest.fixture
def modules(tmp_path, monkeypatch):
    """Write module sources to tmp_path and import them by name, like the grader's sandbox does."""
    monkeypatch.syspath_prepend(str(tmp_path))

    def load(texts):
        for name, text in texts.items():
            (tmp_path / f"{name}.py").write_text(text)
        importlib.invalidate_caches()
        return {name: importlib.import_module(name) for name in texts}

    yield load
    for name in [n for n in sys.modules if n.startswith("ex0")]:
        del sys.modules[name]


def _write_notebook(folder, name, nb):
    path = folder / name
    path.write_text(notebook_text(nb))
    return path


def _edited(nb, grade_id, source):
    nb = nbformat.from_dict(json.loads(notebook_text(nb)))
    next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id).source = source
    return nb


def test_reference_notebooks_become_working_modules(sources, reference, tmp_path, modules):
    texts = {}
    for name, nb in sources.items():
        texts[name.removesuffix(".ipynb")] = notebook_to_module_source(_write_notebook(tmp_path, name, nb))
    assert "from ex04_mlp_forward import mlp_forward, sigmoid" in texts["ex05_backprop"].splitlines()
    assert "from ex05_backprop import mlp_backward" in texts["ex06_sgd"].splitlines()
    assert all("NotebookImporter" not in t and "HIDDEN" not in t and "_close(" not in t for t in texts.values())
    loaded = modules(texts)
    z = np.linspace(-5, 5, 11)
    assert np.allclose(loaded["ex03_activations"].sigmoid_derivative(z), reference["ex03_activations"].sigmoid_derivative(z))
    X, y = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0], [0.0]])
    params = reference["ex04_mlp_forward"].xor_params()
    got, want = loaded["ex05_backprop"].mlp_backward(X, y, params), reference["ex05_backprop"].mlp_backward(X, y, params)
    assert np.isclose(got[0], want[0]) and all(np.allclose(got[1][k], want[1][k]) for k in params)
    assert loaded["ex07_torch"].train_xor is not None and loaded["ex07_torch"].LinearModel().forward is not None


def test_released_notebooks_become_stubs(tmp_path, modules):
    texts = {p.stem: notebook_to_module_source(p) for p in sorted(RELEASED.glob("*.ipynb"))}
    loaded = modules(texts)
    with pytest.raises(NotImplementedError):
        loaded["ex03_activations"].sigmoid(0.0)
    with pytest.raises(NotImplementedError):
        loaded["ex06_sgd"].sgd_step({}, {}, 0.1)
    with pytest.raises(NotImplementedError):
        loaded["ex07_torch"].LinearModel()
    assert loaded["ex04_mlp_forward"].sigmoid(0.0) == 0.5  # given code stays


def test_ipython_lines_are_removed(sources, tmp_path, modules):
    answer = ("%matplotlib inline\n!pip install nothing\n"
              "def relu(z):\n    %time 1 + 1\n    return np.maximum(np.asarray(z, dtype=float), 0.0)\n")
    nb = _edited(sources["ex03_activations.ipynb"], "solution_relu", answer)
    text = notebook_to_module_source(_write_notebook(tmp_path, "ex03_activations.ipynb", nb))
    assert "(removed IPython line) !pip install nothing" in text
    assert np.allclose(modules({"ex03_activations": text})["ex03_activations"].relu([-1.0, 2.0]), [0.0, 2.0])


def test_cell_magics():
    assert strip_ipython("%%time\nx = 1\n") == "# (removed IPython cell magic) %%time\nx = 1"
    assert all(line.startswith("#") for line in strip_ipython("%%bash\nls -l\n").splitlines())


def test_a_broken_answer_cell_costs_only_its_function(sources, tmp_path, modules):
    nb = _edited(sources["ex03_activations.ipynb"], "solution_tanh", "def tanh(z):\n    return np.tanh(z\n")
    text = notebook_to_module_source(_write_notebook(tmp_path, "ex03_activations.ipynb", nb))
    module = modules({"ex03_activations": text})["ex03_activations"]
    with pytest.raises(SyntaxError, match="answer cell for tanh is not valid Python"):
        module.tanh(0.0)
    assert module.relu(3.0) == 3.0


def test_student_cells_without_metadata_are_left_out(sources, tmp_path):
    nb = nbformat.from_dict(json.loads(notebook_text(sources["ex03_activations.ipynb"])))
    nb.cells.append(nbformat.v4.new_code_cell("print('scratch work')"))
    assert "scratch work" not in notebook_to_module_source(_write_notebook(tmp_path, "ex03_activations.ipynb", nb))


def test_given_cells_can_come_from_the_release(sources, tmp_path):
    nb = _edited(sources["ex04_mlp_forward.ipynb"], "given_sigmoid", "def sigmoid(z):\n    return 'student-edited given code'\n")
    path = _write_notebook(tmp_path, "ex04_mlp_forward.ipynb", nb)
    assert "student-edited given code" in notebook_to_module_source(path)
    assert "student-edited given code" not in notebook_to_module_source(path, release_notebook=RELEASED / "ex04_mlp_forward.ipynb")


def test_unreadable_notebooks_give_a_clear_error(tmp_path):
    bad = tmp_path / "ex03_activations.ipynb"
    bad.write_text('{"cells": [')
    with pytest.raises(NotebookSubmissionError, match="ex03_activations.ipynb: not a notebook"):
        notebook_to_module_source(bad)
    bad.write_text('{"cells": 3}')
    with pytest.raises(NotebookSubmissionError, match="not a valid Jupyter notebook"):
        notebook_to_module_source(bad)
    with pytest.raises(NotebookSubmissionError, match="cannot read"):
        notebook_to_module_source(tmp_path / "missing.ipynb")
