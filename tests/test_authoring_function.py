"""docs/authoring.md's "Add a function to a module" works in three hand-written files.

In a copy of the kit, softplus and softplus_derivative are added to ex03_activations by appending to
the solution, the visible tests and the spec (tests/authoring_example/softplus/), with a
finite-difference check of the student's own softplus and a plot beside the slides' curve, and
nothing else by hand. Then `nngrade check` is clean, the stubs follow, the reference gets full marks
with its plot drawn, and a wrong derivative loses exactly softplus_derivative's points.
"""
import csv
import shutil

import pytest

from grader import exercise_files
from test_authoring import _changed, _copy_kit, _nngrade

pytestmark = pytest.mark.slow

EXAMPLE = __import__("pathlib").Path(__file__).parent / "authoring_example" / "softplus"
MODULE = "ex03_activations"
HAND_WRITTEN = {f"solutions/{MODULE}.py", f"exercises/test_{MODULE}.py", f"grader/specs/{MODULE}.py"}
WRONG = ("    return 0.5 * (1.0 + np.tanh(0.5 * z))\n    ### END SOLUTION\n",
         "    return np.logaddexp(0.0, z)\n    ### END SOLUTION\n")


def _append(path, example):
    with open(path, "a") as handle:
        handle.write((EXAMPLE / example).read_text())


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    kit = tmp_path_factory.mktemp("kit")
    _copy_kit(kit)
    _append(kit / f"solutions/{MODULE}.py", "solution.py")
    _append(kit / f"exercises/test_{MODULE}.py", "visible_tests.py")
    _append(kit / f"grader/specs/{MODULE}.py", "spec.py")
    _nngrade(kit, "stubs")
    return kit


def test_a_function_with_a_finite_difference_check_and_a_plot_needs_three_files(kit, tmp_path):
    assert {p for p in _changed(kit) if not p.startswith(("exercises/ex", "release/"))} == HAND_WRITTEN
    checked = _nngrade(kit, "check", "--static")
    assert "the kit is complete" in checked.stdout, checked.stdout

    subs = tmp_path / "subs"
    for student in ("reference", "wrong_derivative"):
        (subs / student).mkdir(parents=True)
        for path in exercise_files(kit / "solutions"):
            shutil.copy(path, subs / student / path.name)
    wrong = subs / "wrong_derivative" / f"{MODULE}.py"
    assert wrong.read_text().endswith(WRONG[0])
    wrong.write_text(wrong.read_text().replace(*WRONG))
    _nngrade(kit, "grade", str(subs), "--out", str(tmp_path / "out"), "--jobs", "2", "--no-progress")
    with open(tmp_path / "out" / "grades.csv", newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    reference, wrong_row = rows["reference"], rows["wrong_derivative"]
    assert float(reference["score"]) == float(reference["max_score"]) == 86
    assert float(reference[f"{MODULE}.softplus"]) == 1 and float(reference[f"{MODULE}.softplus_derivative"]) == 2
    lost = {k for k in reference if k.startswith("ex") and float(wrong_row[k]) != float(reference[k])}
    assert lost == {f"{MODULE}.softplus_derivative"} and float(wrong_row[f"{MODULE}.softplus_derivative"]) == 0
    page = (tmp_path / "out" / "reference" / "feedback.html").read_text()
    assert "your softplus and softplus_derivative" in page and "not plotted" not in page


def test_an_incomplete_function_is_one_line_per_missing_file_never_a_traceback(tmp_path):
    kit = tmp_path / "kit"
    kit.mkdir()
    _copy_kit(kit)
    _append(kit / f"solutions/{MODULE}.py", "solution.py")  # the solution alone
    for command in (("check", "--static"), ("release",)):
        proc = _nngrade(kit, *command, check=False)
        assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr, proc.stderr
        lines = proc.stdout.splitlines()
        for name in ("softplus", "softplus_derivative"):
            assert any(line.startswith(f"grader/specs/{MODULE}.py: add spec") and f".{name}\"" in line for line in lines), lines
            assert any(line.startswith(f"exercises/test_{MODULE}.py:") and line.endswith(f"calling {name} first)") for line in lines)
            assert f"exercises/{MODULE}.py: has no stub of {name}: run `nngrade stubs`" in lines
    # The spec without the plot's curve: named, not a KeyError on every feedback page.
    _append(kit / f"exercises/test_{MODULE}.py", "visible_tests.py")
    spec = (EXAMPLE / "spec.py").read_text().replace(", lambda z: np.logaddexp(0.0, z), _slide_sigmoid)", ", None, None)")
    spec += "PLOT = type(PLOT)(PLOT.grid, PLOT.pairs, {k: v for k, v in PLOT.curves.items() if v is not None})\n"
    with open(kit / f"grader/specs/{MODULE}.py", "a") as handle:
        handle.write(spec)
    _nngrade(kit, "stubs")
    lines = _nngrade(kit, "check", "--static", check=False).stdout.splitlines()
    assert [line for line in lines if "PLOT" in line] == [
        f"grader/specs/{MODULE}.py: PLOT has no slide curve for {name}: add \"{name}\": lambda z: ... to its curves"
        for name in ("softplus", "softplus_derivative")], lines
