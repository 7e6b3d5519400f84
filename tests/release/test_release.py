"""release/ is up to date, leaks nothing, and its notebooks are valid nbgrader notebooks.

Rebuilding runs nbgrader's generate_assignment once for the module (~10 s).
"""
import contextlib
import io
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator
from helpers.alt_styles import completed

from grader import RELEASE_DIR, SOLUTIONS_DIR, exercise_files
from grader.release.build import build_release, differences, write_release
from grader.release.course import ASSIGNMENT
from grader.release.notebooks import build_source_notebooks, notebook_text
from grader.regions import BEGIN, END, find_regions, solution_lines
from grader.release.stubs import expected_stubs
from grader.rubric import load_rubric

REFERENCE_MODULES = exercise_files(SOLUTIONS_DIR)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


@pytest.fixture(scope="module")
def rebuilt():
    return build_release()


@pytest.fixture(scope="module")
def source_notebooks():
    return build_source_notebooks()


def released_files():
    return sorted(p for p in RELEASE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and not any(part.startswith(".") for part in p.relative_to(RELEASE_DIR).parts))


def stripped_lines(path):
    """Every stripped line a student can read in the file (cell sources and outputs for notebooks)."""
    text = path.read_text()
    if path.suffix == ".ipynb":
        nb = json.loads(text)
        text = "\n".join(json.dumps(cell.get("outputs", [])) + "\n" + "".join(cell["source"]) for cell in nb["cells"])
    return {line.strip() for line in text.splitlines() if line.strip()}


def test_release_is_up_to_date(rebuilt, tmp_path):
    write_release(rebuilt, tmp_path)
    rebuilt_files = {p.relative_to(tmp_path).as_posix(): p.read_text() for p in tmp_path.rglob("*") if p.is_file()}
    diff = differences(rebuilt_files, RELEASE_DIR)
    assert not diff, "release/ is out of date: run `nngrade release` and commit release/\n" + "\n".join(diff)


def test_source_notebooks_are_deterministic(source_notebooks):
    again = build_source_notebooks()
    assert {k: notebook_text(v) for k, v in again.items()} == {k: notebook_text(v) for k, v in source_notebooks.items()}


def _substantive(line, minimum):
    # `}`, `return {` or `out = model(x)` are not anyone's secret.
    return sum(ch.isalnum() for ch in line) >= minimum


def _public_text():
    """What the stubs show anyway: docstrings and given code (ex04 hands out a
    ready-made sigmoid that is also ex03's solution, and train_mlp's docstring
    spells out `rng = np.random.default_rng(seed)`)."""
    return "\n".join(expected_stubs().values())


# Solution lines that the exercises' visible tests (copied into the bundle and
# the notebooks' quick checks) contain on purpose, each with the reason it is no
# leak. Keep this short.
VISIBLE_TEST_ORACLES = {
    "X = np.asarray(X, dtype=float)": "a generic conversion in a test helper",
    "y_hat = 1.0 if w @ x >= 0 else -1.0": "the test's oracle restates the docstring's rule (+1 if w . x >= 0)",
}


def test_no_solution_line_in_release():
    public = _public_text()
    secret = {line for p in REFERENCE_MODULES for line in solution_lines(p.read_text())
              if _substantive(line, 12) and line not in public}
    leaks = {f"{p.relative_to(RELEASE_DIR)}: {line}" for p in released_files() for line in stripped_lines(p) & secret
             if line not in VISIBLE_TEST_ORACLES}
    assert not leaks, "solution lines in release/:\n" + "\n".join(sorted(leaks))


def test_no_marker_in_release():
    for path in released_files():
        text = path.read_text()
        for marker in (BEGIN, END, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            assert marker not in text, f"{path}: contains {marker!r}"


def test_no_hidden_test_in_release(source_notebooks):
    hidden, visible = set(), set()
    for nb in source_notebooks.values():
        for cell in nb.cells:
            regions = HIDDEN.findall(cell.source)
            hidden.update(line.strip() for region in regions for line in region.splitlines() if line.strip())
            visible.update(line.strip() for line in HIDDEN.sub("", cell.source).splitlines() if line.strip())
    assert hidden
    secret = {line for line in hidden - visible if _substantive(line, 20)}
    leaks = {f"{p.relative_to(RELEASE_DIR)}: {line}" for p in released_files() for line in stripped_lines(p) & secret}
    assert not leaks, "hidden test lines in release/:\n" + "\n".join(sorted(leaks))


def test_released_grade_cells_hold_no_code():
    for path in _released_notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                code = [line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")]
                assert not code, f"{path.name}: {cell.metadata['nbgrader']['grade_id']} shows {code}"


def test_student_bundle_has_nothing_from_solutions():
    bundle = RELEASE_DIR / "student"
    names = {p.name for p in bundle.iterdir()}
    assert {p.name for p in REFERENCE_MODULES} <= names, "the bundle must hold every exercise stub"
    for path in REFERENCE_MODULES:
        assert (bundle / path.name).read_text() != path.read_text(), f"student/{path.name} is the reference solution"
        assert "raise NotImplementedError" in (bundle / path.name).read_text()
    readme = (bundle / "README.md").read_text()
    assert "pytest" in readme and all(p.stem in readme for p in REFERENCE_MODULES)


def _released_notebooks():
    return sorted((RELEASE_DIR / ASSIGNMENT).glob("*.ipynb"))


def test_one_notebook_per_reference_module():
    assert [p.stem for p in _released_notebooks()] == [p.stem for p in REFERENCE_MODULES]


def _check_nbgrader_metadata(nb, name):
    nbformat.validate(nb)
    MetadataValidator().validate_nb(nb)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        assert meta["schema_version"] == 3, name
        for key in ("grade", "solution", "locked", "grade_id"):
            assert key in meta, f"{name}: {key} missing in {meta}"
        assert re.fullmatch(r"[a-zA-Z0-9_\-]+", meta["grade_id"])
        if meta["grade"]:
            assert meta["points"] > 0 and meta["locked"] and not meta["solution"], f"{name}: {meta}"
        if meta["solution"]:
            assert not meta["locked"] and not meta["grade"], f"{name}: {meta}"


@pytest.mark.parametrize("path", _released_notebooks(), ids=lambda p: p.stem)
def test_released_notebook_is_valid(path):
    _check_nbgrader_metadata(nbformat.read(path, as_version=4), path.name)


def test_source_notebooks_are_valid_and_match_the_rubric(source_notebooks):
    rubric = load_rubric()
    points = {}
    for name, nb in source_notebooks.items():
        _check_nbgrader_metadata(nb, name)
        module = name.removesuffix(".ipynb")
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                function, check = next((f, c) for f in rubric.points if f.startswith(module + ".")
                                       for c in rubric.points[f] if meta["grade_id"] == f"grade_{f.split('.', 1)[1]}_{c}")
                assert meta["points"] == rubric.check_points(function, check)
                points[function] = points.get(function, 0) + meta["points"]
    assert points == {f: rubric.function_points(f) for f in rubric.functions}


def test_every_solution_region_is_in_a_solution_cell(source_notebooks):
    for path in REFERENCE_MODULES:
        nb = source_notebooks[path.stem + ".ipynb"]
        solution_text = "\n".join(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
        assert solution_text.count(BEGIN) == len(find_regions(path.read_text())), path.name
        others = "\n".join(c.source for c in nb.cells if not c.metadata.get("nbgrader", {}).get("solution"))
        assert BEGIN not in others


def test_release_check_fails_when_out_of_date(rebuilt, tmp_path, capsys, monkeypatch):
    from grader.release import build

    write_release(rebuilt, tmp_path)
    (tmp_path / "student" / "README.md").write_text("edited\n")
    (tmp_path / "stray.txt").write_text("x\n")
    monkeypatch.setattr(build, "build_release", lambda *args: rebuilt)

    class Args:
        check = True
        out = tmp_path

    assert build.release_command(Args()) == 1
    err = capsys.readouterr().err
    assert "nngrade release" in err and "changed:  student/README.md" in err and "extra:    stray.txt" in err


# ---- the notebooks' cells, run in this process the way a kernel runs them ----

def _run_cells(folder, name, monkeypatch, quick_checks=False):
    """Run notebook `name` in `folder` cell by cell; {grade_id: error or None} of its grade cells
    (and of its quick-check cells with quick_checks: what they print unless all passed; else they
    skip as under nbgrader's autograde)."""
    monkeypatch.chdir(folder)
    sys.modules.pop("grader.notebook_checks", None)  # a fresh kernel: its import installs the notebook importer
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate" if quick_checks else "autograde")
    namespace = {"__name__": "__main__"}
    results = {}
    nb = nbformat.read(folder / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(cell.source, f"{name}:{meta.get('grade_id')}", "exec"), namespace)
            error = None
        except Exception as exc:  # noqa: BLE001 - a failing cell is a result here
            error = f"{type(exc).__name__}: {exc}"
        if meta.get("grade_id", "").startswith("check_") and not printed.getvalue().rstrip().endswith("passed"):
            error = error or printed.getvalue()
        if meta.get("grade") or (quick_checks and meta.get("grade_id", "").startswith("check_")):
            results[meta["grade_id"]] = error
        elif meta.get("grade_id", "").startswith(("given_", "notebook_import")):
            assert error is None, f"{name}: given cell {meta['grade_id']} failed: {error}"
    return results


@pytest.fixture
def clean_imports():
    """Undo what running notebooks does to this process: the importer and the exNN modules."""
    saved_path = list(sys.meta_path)
    yield
    sys.meta_path[:] = saved_path
    for name in [n for n in sys.modules if re.fullmatch(r"ex\d\d_\w+", n)]:
        del sys.modules[name]


def _write(notebooks, folder, replace=None):
    """Write source notebooks to folder, with solution cells replaced: {grade_id: source}."""
    for name, nb in notebooks.items():
        nb = nbformat.from_dict(json.loads(notebook_text(nb)))
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if replace and grade_id in replace:
                cell.source = replace[grade_id]
        (folder / name).write_text(notebook_text(nb))


def test_reference_passes_every_hidden_test(source_notebooks, tmp_path, monkeypatch, clean_imports):
    _write(source_notebooks, tmp_path)
    for name in source_notebooks:
        results = _run_cells(tmp_path, name, monkeypatch, quick_checks=True)
        failed = {k: v for k, v in results.items() if v}
        assert not failed, f"{name}: the reference fails {failed}"
        assert any(k.startswith("check_") for k in results), f"{name}: no quick-check cell ran"


def test_blank_release_fails_every_hidden_test(source_notebooks, tmp_path, monkeypatch, clean_imports):
    # The released notebooks with the hidden tests restored, as autograde runs them.
    for path in _released_notebooks():
        released = nbformat.read(path, as_version=4)
        stubs = {c.metadata["nbgrader"]["grade_id"]: c.source for c in released.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
        _write({path.name: source_notebooks[path.name]}, tmp_path, stubs)
    for name in source_notebooks:
        passed = [k for k, v in _run_cells(tmp_path, name, monkeypatch).items() if v is None]
        assert not passed, f"{name}: an unanswered notebook passes {passed}"


def _variant(source_notebooks, tmp_path, monkeypatch, module, grade_id, old, new):
    name = f"{module}.ipynb"
    cell = next(c for c in source_notebooks[name].cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    assert old in cell.source, f"{grade_id} no longer contains {old!r}"
    _write(source_notebooks, tmp_path, {grade_id: cell.source.replace(old, new)})
    return _run_cells(tmp_path, name, monkeypatch)


def _failed(results):
    return sorted(k for k, v in results.items() if v)


def test_a_mistake_loses_exactly_its_function(source_notebooks, tmp_path, monkeypatch, clean_imports):
    results = _variant(source_notebooks, tmp_path, monkeypatch, "ex03_activations", "solution_sigmoid_derivative",
                       "s = sigmoid(z)\n    return s * (1.0 - s)", "return z * (1.0 - z)")
    assert _failed(results) == ["grade_sigmoid_derivative_finite_differences", "grade_sigmoid_derivative_matches_reference"]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the naive sigmoid's overflow, in a visible check
def test_a_naive_sigmoid_only_loses_the_warning_check(source_notebooks, tmp_path, monkeypatch, clean_imports):
    # 1 / (1 + exp(-z)) is right but overflows (and warns) for very negative z.
    results = _variant(source_notebooks, tmp_path, monkeypatch, "ex03_activations", "solution_sigmoid",
                       "    z = np.asarray(z, dtype=float)\n    e = np.exp(-np.abs(z))  # never overflows\n"
                       "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
                       "    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))")
    assert _failed(results) == ["grade_sigmoid_extreme_inputs"]


def test_float32_and_any_value_at_the_kink_pass(source_notebooks, tmp_path, monkeypatch, clean_imports):
    results = _variant(source_notebooks, tmp_path, monkeypatch, "ex03_activations", "solution_relu_derivative",
                       "return (np.asarray(z, dtype=float) > 0).astype(float)",
                       "z = np.asarray(z, dtype=np.float32)\n    return np.where(z > 0, 1.0, np.where(z < 0, 0.0, 0.5)).astype(np.float32)")
    assert _failed(results) == []


def test_another_random_order_in_minibatches_passes(source_notebooks, tmp_path, monkeypatch, clean_imports):
    results = _variant(source_notebooks, tmp_path, monkeypatch, "ex06_sgd", "solution_minibatches",
                       "order = rng.permutation(len(X))", "order = np.arange(len(X))\n    rng.shuffle(order)")
    assert _failed(results) == []
    results = _variant(source_notebooks, tmp_path, monkeypatch, "ex06_sgd", "solution_minibatches",
                       "order = rng.permutation(len(X))", "order = np.arange(len(X))")
    assert _failed(results) == ["grade_minibatches_order_from_rng"]


def test_other_initial_weights_pass(source_notebooks, tmp_path, monkeypatch, clean_imports):
    results = _variant(source_notebooks, tmp_path, monkeypatch, "ex06_sgd", "solution_train_mlp",
                       '"W1": rng.standard_normal((X.shape[1], hidden_units)),',
                       '"W1": rng.uniform(-1.0, 1.0, (X.shape[1], hidden_units)),')
    assert _failed(results) == []


ALT_IMPLS = Path(__file__).parent.parent / "alt_impls"  # correct answers in other styles (float32, loops, lists, ...)


@pytest.mark.parametrize("style", sorted(p.name for p in ALT_IMPLS.iterdir() if p.is_dir()) if ALT_IMPLS.is_dir() else [])
def test_correct_answers_in_other_styles_pass_every_hidden_test(style, source_notebooks, monkeypatch, clean_imports, tmp_path):
    # The grade cells run on each module of the style (its cross-imports resolve in the style's folder),
    # the functions it does not define being the reference's.
    folder = completed(style, tmp_path / style)
    monkeypatch.syspath_prepend(str(folder))
    failed = []
    for path in [folder / p.name for p in exercise_files(ALT_IMPLS / style)]:
        namespace = {"__name__": path.stem}
        exec(compile(path.read_text(), str(path), "exec"), namespace)
        for cell in source_notebooks[path.stem + ".ipynb"].cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                try:
                    exec(cell.source, namespace)
                except Exception as exc:  # noqa: BLE001 - collected and reported together
                    failed.append(f"{path.stem} {cell.metadata['nbgrader']['grade_id']}: {type(exc).__name__}: {exc}")
    assert not failed, "\n".join(failed)


GENERATED_CELL = re.compile(r"from grader\.in_kernel import grade_cell  # [^\n]*\n\n"
                            r"grade_cell\(globals\(\), '(\w+\.\w+)', '(\w+)', '[A-Za-z0-9+/=]+'\)\n")


def test_hidden_tests_are_generated_calls_of_the_shared_checks(source_notebooks):
    """Every hidden test is the one generated call (data, no code of its own) for its cell's check."""
    rubric = load_rubric()
    seen = set()
    for name, nb in source_notebooks.items():
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                regions = HIDDEN.findall(cell.source)
                assert len(regions) == 1, f"{name}: {meta['grade_id']}"
                match = GENERATED_CELL.fullmatch(regions[0])
                assert match, f"{name}: {meta['grade_id']} holds more than the generated call"
                function, check = match.groups()
                assert meta["grade_id"] == f"grade_{function.split('.', 1)[1]}_{check}"
                seen.add((function, check))
    assert seen == {(f, c) for f in rubric.functions for c in rubric.points[f]}
