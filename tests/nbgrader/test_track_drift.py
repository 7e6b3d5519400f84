"""The two tracks give the same points: the nbgrader hidden cells, run in the student's kernel, and
the sandboxed grader.

Every catalogued mistake (grader/devtools/mistakes.py), the reference and the blank stubs are graded
  - in-kernel: the source notebooks with the student's answer cells, run cell by cell in a fresh
    namespace per notebook as `nbgrader autograde` runs them (given cells, answer cells, grade
    cells; the visible check cells are left out: they grade nothing), in this process;
  - sandboxed: the session's graded class (tests/conftest.py, graded_class), graded once for the
    kit's tests anyway;
and every graded function must get the same points on both. A mistake changes one module: only its
notebook and those importing it are run; the others' points are the reference's.
"""
import ast
import re
import sys

import nbformat
import pytest

import grader.judging.reference
import grader.release.reference
from grader import RELEASE_DIR, SOLUTIONS_DIR, exercise_files
from grader.devtools.mistakes import MISTAKES
from grader.release.course import ASSIGNMENT
from grader.intake.nbimport import GIVEN_PREFIX, LOADER_GRADE_ID
from grader.release.notebooks import build_source_notebooks, notebook_text
from grader.outputs.reports import read_student
from grader.rubric import load_rubric

EXERCISE_MODULE = re.compile(r"ex\d\d_\w+")
RUBRIC = load_rubric()


@pytest.fixture(scope="module")
def source_notebooks():
    return {name: notebook_text(nb) for name, nb in build_source_notebooks().items()}


def _importers():
    """{module: the modules importing it, directly or through others}, from solutions/."""
    imports = {p.stem: {n.module for n in ast.walk(ast.parse(p.read_text())) if isinstance(n, ast.ImportFrom)}
               for p in exercise_files(SOLUTIONS_DIR)}
    found = {m: {m} for m in imports}
    for _ in imports:
        for module, deps in imports.items():
            for dep in deps & set(imports):
                found[dep] |= found[module]
    return found


IMPORTERS = _importers()


def _answers(text, replace):
    """A notebook's text with its answer cells changed by replace(grade_id, source) -> source."""
    nb = nbformat.reads(text, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = replace(meta["grade_id"], cell.source)
    return notebook_text(nb)


def _grade_ids():
    return {f"grade_{f.split('.', 1)[1]}_{c}": (f, c) for f in RUBRIC.functions for c in RUBRIC.points[f]}


def _runs(meta):
    """The cells autograde runs that matter to the grade: given, answer and grade cells."""
    grade_id = meta.get("grade_id", "")
    return meta.get("solution") or meta.get("grade") or grade_id.startswith(GIVEN_PREFIX) or grade_id == LOADER_GRADE_ID


def _forbidden(*args, **kwargs):
    raise AssertionError("the in-kernel track loaded the reference (solutions/)")


def in_kernel_points(notebooks, run, folder):
    """{function: points} of the notebooks named in `run`, each run in a fresh namespace with
    every notebook of the submission in `folder` (the working directory, as in autograde)."""
    for name, text in notebooks.items():
        (folder / name).write_text(text)
    grade_ids, points = _grade_ids(), {}
    saved_path, saved_modules = list(sys.meta_path), set(sys.modules)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setattr(grader.judging.reference, "import_reference", _forbidden)
        patch.setattr(grader.release.reference, "load_reference", _forbidden)
        try:
            for name in sorted(run):
                for module in [m for m in sys.modules if EXERCISE_MODULE.fullmatch(m)]:
                    del sys.modules[module]
                sys.modules.pop("grader.notebook_checks", None)  # a fresh kernel: its import installs the importer
                namespace = {"__name__": "__main__"}
                for cell in nbformat.reads(notebooks[name], as_version=4).cells:
                    meta = cell.metadata.get("nbgrader", {})
                    if cell.cell_type != "code" or not _runs(meta):
                        continue
                    try:
                        exec(compile(cell.source, f"{name}:{meta['grade_id']}", "exec"), namespace)
                        passed = True
                    except Exception:  # noqa: BLE001 - a failing cell is a result, as in autograde
                        passed = False
                    if meta.get("grade"):
                        function, check = grade_ids[meta["grade_id"]]
                        points[function] = points.get(function, 0) + (meta["points"] if passed else 0)
        finally:
            sys.meta_path[:] = saved_path
            for module in set(sys.modules) - saved_modules:
                if EXERCISE_MODULE.fullmatch(module):
                    del sys.modules[module]
    loaded = [m for m, mod in sys.modules.items() if str(getattr(mod, "__file__", "")).startswith(str(SOLUTIONS_DIR))]
    assert not loaded, f"reference modules loaded: {loaded}"
    return points


@pytest.fixture(scope="module")
def reference_in_kernel(source_notebooks, tmp_path_factory):
    return in_kernel_points(source_notebooks, source_notebooks, tmp_path_factory.mktemp("reference"))


def _sandboxed(graded_class, student):
    record = read_student(graded_class[0] / "out", student)
    assert record is not None, f"the sandbox has no results for {student}"
    return {f["function"]: f["score"] for f in record["functions"]}


def _assert_same(in_kernel, sandboxed):
    differ = {f: (in_kernel.get(f), sandboxed[f]) for f in sandboxed if in_kernel.get(f) != sandboxed[f]}
    assert not differ, "in-kernel vs sandboxed points differ: " + ", ".join(f"{f} {a} vs {b}" for f, (a, b) in differ.items())


def test_reference_gets_full_points_on_both_tracks(reference_in_kernel, graded_class):
    assert sum(reference_in_kernel.values()) == RUBRIC.max_score
    _assert_same(reference_in_kernel, _sandboxed(graded_class, "reference"))


def test_blank_stubs_get_no_points_on_both_tracks(source_notebooks, graded_class, tmp_path):
    stubs = {}
    for path in sorted((RELEASE_DIR / ASSIGNMENT).glob("*.ipynb")):
        released = nbformat.read(path, as_version=4)
        stubs.update({c.metadata["nbgrader"]["grade_id"]: c.source for c in released.cells
                      if c.metadata.get("nbgrader", {}).get("solution")})
    notebooks = {name: _answers(text, lambda grade_id, _: stubs[grade_id]) for name, text in source_notebooks.items()}
    points = in_kernel_points(notebooks, notebooks, tmp_path)
    assert sum(points.values()) == 0
    _assert_same(points, _sandboxed(graded_class, "blank_stubs"))


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_a_mistake_gets_the_same_points_on_both_tracks(mistake, source_notebooks, reference_in_kernel, graded_class, tmp_path):
    changed = []

    def mutate(grade_id, source):
        if mistake.old in source:
            changed.append(grade_id)
            return source.replace(mistake.old, mistake.new)
        return source

    name = f"{mistake.module}.ipynb"
    notebooks = {**source_notebooks, name: _answers(source_notebooks[name], mutate)}
    assert len(changed) == 1, f"{mistake.name}: its snippet is in the answer cells {changed}, not in exactly one"
    run = {f"{m}.ipynb" for m in IMPORTERS[mistake.module]}
    points = {**reference_in_kernel, **in_kernel_points(notebooks, run, tmp_path)}
    _assert_same(points, _sandboxed(graded_class, f"mistake_{mistake.name}"))


def test_a_grade_cell_fails_with_the_feedback_text_and_follows_a_redefinition(source_notebooks):
    """A grade cell asserts its check with the sandboxed feedback's text; a function redefined in a
    later cell is graded again, not answered from the kernel's memo of the earlier grading."""
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source
             for c in nbformat.reads(source_notebooks["ex03_activations.ipynb"], as_version=4).cells}
    namespace = {"__name__": "__main__"}
    for grade_id in ("given_imports", "solution_tanh", "grade_tanh_matches_reference"):
        exec(cells[grade_id], namespace)  # the reference passes
    exec("def tanh(z):\n    return np.asarray(z, dtype=float) * 0.5\n", namespace)
    with pytest.raises(AssertionError) as failed:
        exec(cells["grade_tanh_matches_reference"], namespace)
    text = str(failed.value)
    assert text.startswith("tanh / matches_reference: ") and "smallest failing input: z = " in text
    assert "expected: " in text and "got: " in text
