"""notebook_to_module_source: a submitted notebook back into the exNN_*.py module."""
import contextlib
import csv
import importlib
import io
import json
import os
import re
import shutil
import stat
import sys
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import nbformat
import numpy as np
import pytest

from grader import RELEASE_DIR
from grader.cli import main as nngrade
from grader.nbgrader.grading import grade_nbgrader
from grader.release.course import ASSIGNMENT, run_nbgrader
from grader.intake.notebooks import NotebookSubmissionError, notebook_to_module_source, strip_ipython
from grader.release.notebooks import build_source_notebooks, notebook_text
from grader.release.reference import load_reference
from grader.rubric import load_rubric

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
    assert all("NotebookImporter" not in t and "HIDDEN" not in t and "grade_cell(" not in t for t in texts.values())
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


@pytest.mark.parametrize("leftover, error", [
    ("print(undefined)\n", "NameError: name 'undefined' is not defined"),
    ("import matplotlib_not_installed\n", "ModuleNotFoundError: No module named 'matplotlib_not_installed'"),
])
def test_a_failing_answer_cell_costs_only_what_it_defines(sources, tmp_path, modules, leftover, error):
    """As in the notebook: the cell stops, the others run; calling what it did not define says why."""
    nb = _edited(sources["ex03_activations.ipynb"], "solution_sigmoid",
                 leftover + _solution_cell(sources["ex03_activations.ipynb"], "sigmoid")["source"])
    text = notebook_to_module_source(_write_notebook(tmp_path, "ex03_activations.ipynb", nb))
    module = modules({"ex03_activations": text})["ex03_activations"]
    with pytest.raises(RuntimeError) as failure:
        module.sigmoid(0.0)
    assert str(failure.value) == ("sigmoid is not defined: its notebook cell (ex03_activations.ipynb cell 5, "
                                  f"solution_sigmoid) failed when run at its line 1: {error}")
    with pytest.raises(RuntimeError, match="sigmoid is not defined"):  # it calls sigmoid: fails through that call
        module.sigmoid_derivative(0.0)
    assert module.relu(3.0) == 3.0 and module.tanh(0.0) == 0.0  # the other cells ran


def test_what_a_cell_defined_before_failing_stays(sources, tmp_path, modules):
    """nbgrader's kernel keeps the definitions a cell made before its error; so does the module."""
    answer = "def relu(z):\n    return np.maximum(np.asarray(z, dtype=float), 0.0)\n\nreturn_outside_a_function()\n"
    nb = _edited(sources["ex03_activations.ipynb"], "solution_relu", answer)
    text = notebook_to_module_source(_write_notebook(tmp_path, "ex03_activations.ipynb", nb))
    assert modules({"ex03_activations": text})["ex03_activations"].relu(-2.0) == 0.0


def test_a_cell_error_points_at_the_cell_not_the_rebuilt_module(sources, tmp_path, modules):
    answer = "def tanh(z):\n    x = 1\n    return np.tanh(z) + undefined_inside\n"
    nb = _edited(sources["ex03_activations.ipynb"], "solution_tanh", answer)
    text = notebook_to_module_source(_write_notebook(tmp_path, "ex03_activations.ipynb", nb))
    module = modules({"ex03_activations": text})["ex03_activations"]
    from grader.loader import describe_exception
    with pytest.raises(NameError) as failure:
        module.tanh(0.0)
    assert describe_exception(failure.value, str(tmp_path)).endswith("(ex03_activations.ipynb cell 15, line 3)")


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


# ---- malformed and hostile notebooks ------------------------------------------
# Each case breaks one submitted notebook, ex03_activations.ipynb, of a student whose other
# notebooks are the reference: (how, what the message says, the functions (or function:check) it costs).

NOTEBOOK = "ex03_activations.ipynb"
EX03 = [f for f in load_rubric().functions if f.startswith("ex03_activations.")]


def _solution_cell(nb, function):
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == f"solution_{function}")


def _edit_json(change):
    def write(path, course):
        nb = json.loads(path.read_text())
        change(nb)
        path.write_text(json.dumps(nb))
    return write


def _replace(make):
    def write(path, course):
        path.unlink()
        make(path, course)
    return write


def _source_notebook(course, path):
    return Path(course) / "source" / ASSIGNMENT / path.name


def _sparse(path, course):
    with open(path, "wb") as f:
        f.truncate(500 * 2**20)  # 500 MB that take no disk


def _device(path, course):
    try:
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers
    except PermissionError:
        pytest.skip("making a device node needs root")


BROKEN = {
    "nul_byte": (_edit_json(lambda nb: _solution_cell(nb, "tanh").update(source="def tanh(z):\n    return np.tanh(z)\0\n")),
                 # tanh alone: tanh_derivative's finite differences are the reference's (the student's own
                 # tanh only changes that check's message)
                 "NUL character", ["ex03_activations.tanh"]),
    "deep_json": (lambda path, course: path.write_text("[" * 100_000 + "]" * 100_000), "nested too deeply", EX03),
    "nbgrader_text": (_edit_json(lambda nb: _solution_cell(nb, "tanh")["metadata"].update(nbgrader="x")),
                      "metadata.nbgrader must be a JSON object, got 'x'", EX03),
    "no_cell_type": (_edit_json(lambda nb: nb["cells"][1].pop("cell_type")), "cell 2: cell_type must be text", EX03),
    "source_number": (_edit_json(lambda nb: _solution_cell(nb, "relu").update(source=5)),
                      "source must be text or a list of lines, got 5", EX03),
    "invalid_json": (lambda path, course: path.write_text('{"cells": ['), "invalid JSON at line 1", EX03),
    "not_utf8": (lambda path, course: path.write_bytes(path.read_bytes().replace(b"tanh", b"t\xe2nh", 1)), "not UTF-8", EX03),
    "huge_number": (lambda path, course: path.write_text('{"cells": [], "nbformat": ' + "1" * 5000 + "}"),
                    "invalid JSON", EX03),
    "json_flood": (lambda path, course: path.write_text("[" + "[]," * 600_000 + "[]]"), "JSON objects and arrays", EX03),
    "oversized": (_replace(_sparse), "over the 10,000,000-byte limit", EX03),
    "fifo": (_replace(lambda path, course: os.mkfifo(path)), "named pipe (FIFO)", EX03),
    "device": (_replace(_device), "a character device", EX03),
    "folder": (_replace(lambda path, course: path.mkdir()), "is a folder", EX03),
    "symlink_to_source": (_replace(lambda path, course: path.symlink_to(_source_notebook(course, path))),
                          "is a symbolic link (to ", EX03),
    "hardlink_to_source": (_replace(lambda path, course: os.link(_source_notebook(course, path), path)),
                           "has 2 hard links", EX03),
}


def _break(course, student, case):
    path = Path(course) / "submitted" / student / ASSIGNMENT / NOTEBOOK
    BROKEN[case][0](path, course)


@pytest.fixture
def small_course(tmp_path, sources):
    """Just enough of a course for notebook_to_module_source: source/ and one submitted notebook."""
    for folder in (tmp_path / "source" / ASSIGNMENT, tmp_path / "submitted" / "student" / ASSIGNMENT):
        folder.mkdir(parents=True)
        (folder / NOTEBOOK).write_text(notebook_text(sources[NOTEBOOK]))
    return tmp_path


@pytest.mark.parametrize("case", sorted(set(BROKEN) - {"nul_byte"}))
def test_a_malformed_notebook_is_refused_with_its_reason(small_course, case):
    _break(small_course, "student", case)
    with pytest.raises(NotebookSubmissionError) as error:
        notebook_to_module_source(small_course / "submitted" / "student" / ASSIGNMENT / NOTEBOOK)
    assert str(error.value).startswith(f"{NOTEBOOK}: ") and BROKEN[case][1] in str(error.value)


def test_a_nul_byte_costs_only_its_answer_cell(small_course, modules):
    _break(small_course, "student", "nul_byte")
    text = notebook_to_module_source(small_course / "submitted" / "student" / ASSIGNMENT / NOTEBOOK)
    module = modules({"ex03_activations": text})["ex03_activations"]
    with pytest.raises(SyntaxError, match="answer cell for tanh is not valid Python: it contains a NUL character"):
        module.tanh(0.0)
    assert module.relu(3.0) == 3.0


def test_an_oversized_notebook_is_refused_without_being_read(small_course):
    _break(small_course, "student", "oversized")
    tracemalloc.start()
    try:
        with pytest.raises(NotebookSubmissionError, match="524,288,000 bytes, over the"):
            notebook_to_module_source(small_course / "submitted" / "student" / ASSIGNMENT / NOTEBOOK)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_a_fifo_is_refused_without_blocking(small_course):
    """Opening a FIFO for reading waits for a writer: the check comes before any open."""
    _break(small_course, "student", "fifo")
    with pytest.raises(NotebookSubmissionError, match="named pipe"):
        notebook_to_module_source(small_course / "submitted" / "student" / ASSIGNMENT / NOTEBOOK)


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """A course graded with `--nbgrader`: an honest student, one student per BROKEN case (the
    reference with that notebook broken), and two whose folders are links: one to the honest
    student's folder, one whose assignment folder is the course's source/ (the solutions)."""
    from helpers.nbgrader_course import reference, submit

    course = tmp_path_factory.mktemp("course")
    assert nngrade(["course", str(course)]) == 0
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    submit(course, "honest", reference)
    cases = {}
    for case in BROKEN:
        submit(course, case, reference)
        try:
            _break(course, case, case)
            cases[case] = BROKEN[case]
        except pytest.skip.Exception:
            shutil.rmtree(course / "submitted" / case)
    (course / "submitted" / "linked_folder").symlink_to(course / "submitted" / "honest")
    (course / "submitted" / "linked_assignment").mkdir()
    (course / "submitted" / "linked_assignment" / ASSIGNMENT).symlink_to(course / "source" / ASSIGNMENT)
    out = tmp_path_factory.mktemp("out")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        summary, written = grade_nbgrader(course, ASSIGNMENT, out, jobs=2, progress=False)
    with open(out / "grades.csv", newline="") as f:
        csv_scores = {row["student"]: float(row["score"]) for row in csv.DictReader(f)}
    return SimpleNamespace(course=course, out=out, cases=cases, summary=summary, written=written,
                           csv=csv_scores, log=stderr.getvalue())


def test_malformed_notebooks_cost_their_student_only_what_could_not_be_read(graded_class):
    rubric = load_rubric()
    assert graded_class.csv["honest"] == rubric.max_score
    for case, (_, message, lost) in graded_class.cases.items():
        expected = rubric.max_score - sum(_points(rubric, item) for item in lost)
        assert graded_class.csv[case] == expected, case
        feedback = (graded_class.out / case / "feedback.md").read_text()
        assert f"submitted/{case}/{ASSIGNMENT}/{NOTEBOOK}" in feedback or case == "nul_byte", case
        assert message in feedback, case
        if case != "nul_byte":  # (an answer cell that is not Python is the function's own failure)
            assert f"note: submitted/{case}/{ASSIGNMENT}/{NOTEBOOK}: " in graded_class.log, case


def test_the_autograded_notebooks_carry_the_failures_in_the_notebooks_terms(graded_class):
    """What `nbgrader generate_feedback` renders (grader/nbgrader/autograded.py): each grade cell's
    output is nngrade's verdict on its check; a notebook that could not be read says why in its
    cells, naming the submitted notebook, never the exNN_*.py module it would have been rebuilt into."""
    def outputs(student):
        path = graded_class.course / "autograded" / student / ASSIGNMENT / NOTEBOOK
        cells = json.loads(path.read_text())["cells"]
        return {c["metadata"]["nbgrader"]["grade_id"]: c["outputs"] for c in cells
                if c["metadata"].get("nbgrader", {}).get("grade") and c["cell_type"] == "code"}

    assert all(out[0]["output_type"] == "stream" for out in outputs("honest").values())
    for case, (_, message, _) in graded_class.cases.items():
        errors = [o for out in outputs(case).values() for o in out if o["output_type"] == "error"]
        assert errors, case
        text = "\n".join(line for o in errors for line in o["traceback"])
        assert message in text, case
        assert not re.search(r"ex\d\d_\w+\.py\b", text), (case, text)


def _points(rubric, item):
    function, _, check = item.partition(":")
    return rubric.check_points(function, check) if check else rubric.function_points(function)


def test_linked_student_folders_are_refused(graded_class):
    assert graded_class.csv["linked_folder"] == 0
    assert graded_class.csv["linked_assignment"] == 0  # links to the solutions: followed, 83/83
    assert "submitted/linked_folder: refused: it is a symbolic link (to " in (
        graded_class.out / "linked_folder" / "feedback.md").read_text()
    assert f"submitted/linked_assignment/{ASSIGNMENT}: refused: it is a symbolic link" in (
        graded_class.out / "linked_assignment" / "feedback.md").read_text()


def test_the_gradebook_gets_the_same_scores(graded_class):
    """0 in nbgrader's gradebook for what could not be read, the rest as graded."""
    assert set(graded_class.written) == set(graded_class.csv)
    for student, score in graded_class.csv.items():
        assert graded_class.written[student] == pytest.approx(score), student
    exported = _export(graded_class.course)
    assert {student: exported[student] for student in graded_class.csv} == pytest.approx(graded_class.csv)


def _export(course):
    run_nbgrader(course, "export", "--to", str(course / "export.csv"))
    with open(course / "export.csv", newline="") as f:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(f)}


def test_regrading_one_student_keeps_the_class(graded_class):
    """Last in this file: it changes the graded class. The nul_byte student fixes the cell and is
    regraded alone (--student); grades.csv still lists everyone, only that row changed, and only
    that student's scores are written to the gradebook."""
    path = graded_class.course / "submitted" / "nul_byte" / ASSIGNMENT / NOTEBOOK
    nb = json.loads(path.read_text())
    _solution_cell(nb, "tanh")["source"] = "def tanh(z):\n    return np.tanh(np.asarray(z, dtype=float))\n"
    path.write_text(json.dumps(nb))
    with contextlib.redirect_stderr(io.StringIO()):
        summary, written = grade_nbgrader(graded_class.course, ASSIGNMENT, graded_class.out, jobs=1, progress=False,
                                          only=["nul_byte"])
    assert (summary["graded"], summary["resumed"]) == (1, 0)
    assert written == {"nul_byte": load_rubric().max_score}
    with open(graded_class.out / "grades.csv", newline="") as f:
        after = {row["student"]: float(row["score"]) for row in csv.DictReader(f)}
    assert after == {**graded_class.csv, "nul_byte": load_rubric().max_score}


def test_an_untouched_answer_cell_says_not_answered_yet():
    """autograded.py on the released ex03 notebook: sigmoid's cell left as released is "not answered
    yet"; relu's cell is untouched too, but relu is written in tanh's cell and passes: answered."""
    from grader.nbgrader.autograded import answer_status, autograded_notebook, function_comment

    released = json.loads((RELEASED / NOTEBOOK).read_text())
    answers = {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in released["cells"]
               if c["metadata"].get("nbgrader", {}).get("solution")}
    answers["solution_tanh"] = "def tanh(z):\n    return np.tanh(z)\n\n\ndef relu(z):\n    return np.maximum(z, 0.0)\n"
    failed = {"passed": False, "score": 0.0, "max_score": 1.0, "message": "raised NotImplementedError: sigmoid"}
    functions = [
        {"function": "ex03_activations.sigmoid", "score": 0.0, "max_score": 2.0,
         "checks": [{"check": "matches_reference", **failed}, {"check": "extreme_inputs", **failed}]},
        {"function": "ex03_activations.relu", "score": 1.0, "max_score": 1.0,
         "checks": [{"check": "matches_reference", "passed": True, "score": 1.0, "max_score": 1.0}]},
    ]
    status = answer_status(released, answers)
    assert status["sigmoid"] is False and status["tanh"] is True and status["relu"] is False
    status["relu"] = True  # (what grade_nbgrader does for a function with a passing check)
    notebook = autograded_notebook(released, answers, functions, status)
    outputs = {c["metadata"]["nbgrader"]["grade_id"]: c["outputs"] for c in notebook["cells"]
               if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("grade")}
    sigmoid = outputs["grade_sigmoid_matches_reference"][0]
    assert sigmoid["output_type"] == "error" and "sigmoid is not answered yet" in sigmoid["evalue"]
    assert outputs["grade_relu_matches_reference"][0]["text"].startswith("passed: relu / matches_reference")
    assert outputs["grade_tanh_matches_reference"] == []  # not graded here: no verdict, no output
    assert "not answered yet" in function_comment(functions[0], status["sigmoid"])
    tanh_cell = next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "solution_tanh")
    assert tanh_cell["source"] == answers["solution_tanh"]
