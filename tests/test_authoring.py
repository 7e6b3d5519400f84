"""docs/authoring.md works: a new module in four hand-written files, everything else follows.

In a copy of the kit (its tracked files, committed into a scratch git repository), the worked
example of tests/authoring_example/ adds ex08_softmax (softmax and softmax_backward) by writing
the solution, the visible tests and the spec and appending to the rubric, exactly as the guide
says. Then, in the copy: `nngrade stubs` and `nngrade release` regenerate the stub, the notebooks
and the student bundle; git sees no other hand-written file changed; the bundle's visible tests
run on the reference (pass) and on the stub (not implemented yet); grading gives the reference
full marks and takes exactly softmax_backward's points from a wrong gradient.
"""
import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import PROJECT_ROOT, exercise_files

EXAMPLE = Path(__file__).parent / "authoring_example"
MODULE = "ex08_softmax"
HAND_WRITTEN = {f"solutions/{MODULE}.py", f"exercises/test_{MODULE}.py", f"grader/specs/{MODULE}.py", "grader/rubric.toml"}
GENERATED = (f"exercises/{MODULE}.py", "release/")  # what `nngrade stubs` and `nngrade release` write
WRONG_GRADIENT = ("    return s * (grad_out - np.sum(grad_out * s, axis=-1, keepdims=True))\n",
                  "    return s * grad_out\n")

pytestmark = pytest.mark.slow


def _run(kit, *argv, cwd=None, check=True):
    env = {**os.environ, "PYTHONPATH": str(kit), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([*argv], cwd=cwd or kit, env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert proc.returncode == 0, f"{argv} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _nngrade(kit, *args, **kwargs):
    return _run(kit, sys.executable, "-m", "grader.cli", *args, **kwargs)


def _copy_kit(dest):
    """The kit's tracked files (as they are in the work tree), committed in a fresh repository."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    git = ["git", "-c", "user.name=kit", "-c", "user.email=kit@example.invalid"]
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "the kit"]):
        subprocess.run([*git, *argv], cwd=dest, check=True, capture_output=True)


def _add_module(kit):
    """The guide's "Add a module": four files, nothing else."""
    shutil.copy(EXAMPLE / "solution.py", kit / f"solutions/{MODULE}.py")
    shutil.copy(EXAMPLE / "visible_tests.py", kit / f"exercises/test_{MODULE}.py")
    shutil.copy(EXAMPLE / "spec.py", kit / f"grader/specs/{MODULE}.py")
    with open(kit / "grader/rubric.toml", "a") as rubric:
        rubric.write((EXAMPLE / "rubric.toml").read_text())


def _changed(kit):
    """Paths git sees changed or added in the copy (untracked folders listed file by file)."""
    out = subprocess.run(["git", "status", "--porcelain", "-uall"], cwd=kit, capture_output=True, text=True, check=True).stdout
    return {line[3:] for line in out.splitlines()}


def _class(kit, root):
    """Two students: the reference, and the reference with softmax_backward's sum left out."""
    for student in ("reference", "wrong_gradient"):
        (root / student).mkdir(parents=True)
        for path in exercise_files(kit / "solutions"):
            shutil.copy(path, root / student / path.name)
    wrong = root / "wrong_gradient" / f"{MODULE}.py"
    assert wrong.read_text().count(WRONG_GRADIENT[0]) == 1
    wrong.write_text(wrong.read_text().replace(*WRONG_GRADIENT))
    return root


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """The copy with ex08_softmax added by hand, then its stub generated (`nngrade stubs`)."""
    kit = tmp_path_factory.mktemp("kit")
    _copy_kit(kit)
    _add_module(kit)
    _nngrade(kit, "stubs")
    return kit


def _hand_written_changes(kit):
    return {p for p in _changed(kit) if not p.startswith(GENERATED)}


def test_the_stub_is_generated_and_grading_follows_the_spec(kit, tmp_path):
    stub = (kit / f"exercises/{MODULE}.py").read_text()
    assert stub.count("raise NotImplementedError") == 2 and "np.max(z" not in stub
    assert _hand_written_changes(kit) == HAND_WRITTEN
    checked = _nngrade(kit, "check", "--static")
    assert checked.stdout.rstrip().endswith("the kit is complete"), checked.stdout

    # The reference gets every point, the wrong gradient loses exactly softmax_backward's.
    subs = _class(kit, tmp_path / "subs")
    _nngrade(kit, "grade", str(subs), "--out", str(tmp_path / "out"), "--jobs", "2", "--no-progress")
    with open(tmp_path / "out" / "grades.csv", newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    reference, wrong = rows["reference"], rows["wrong_gradient"]
    assert float(reference["score"]) == float(reference["max_score"])
    assert float(reference[f"{MODULE}.softmax"]) == 2 and float(reference[f"{MODULE}.softmax_backward"]) == 3
    lost = {k for k in reference if k.startswith("ex") and float(wrong[k]) != float(reference[k])}
    assert lost == {f"{MODULE}.softmax_backward"} and float(wrong[f"{MODULE}.softmax_backward"]) == 0
    assert float(wrong["score"]) == float(reference["score"]) - 3


def test_the_release_and_the_student_bundle_are_generated(kit):
    _nngrade(kit, "release")  # the notebooks' quick checks and grade cells come from the visible tests and the spec
    student = kit / "release" / "student"
    assert {f"{MODULE}.py", f"test_{MODULE}.py"} <= {p.name for p in student.iterdir()}
    assert (kit / "release" / "nn_basics" / f"{MODULE}.ipynb").is_file()
    assert _hand_written_changes(kit) == HAND_WRITTEN

    # The student bundle runs its own visible tests: the reference passes, the stub is "not implemented yet".
    tests = str(student / f"test_{MODULE}.py")
    passed = _run(kit, sys.executable, "-m", "pytest", tests, "-q", "-p", "no:cacheprovider", "--impl", str(kit / "solutions"),
                  cwd=student)
    assert "4 passed" in passed.stdout, passed.stdout[-2000:]
    stubbed = _run(kit, sys.executable, "-m", "pytest", tests, "-q", "-p", "no:cacheprovider", cwd=student, check=False)
    assert "not implemented yet: 4 tests" in stubbed.stdout, stubbed.stdout[-2000:]
