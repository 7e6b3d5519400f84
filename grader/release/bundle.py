"""The Python-track student bundle: release/student/.

It holds the exercise stubs (exercises/exNN_*.py), the visible tests that go
with them (exercises/conftest.py and exercises/test_*.py, whatever exists at
build time) and a README. Nothing is taken from solutions/ except, through the
stubs, what the stubs already show.
"""
from pathlib import Path

from grader import EXERCISES_DIR, SOLUTIONS_DIR, exercise_files
from grader.release.anatomy import parse_module
from grader.release.stubs import expected_stubs
from grader.rubric import load_rubric

BUNDLE = "student"
TEST_GLOBS = ("conftest.py", "test_*.py")

# Makes the bundle its own pytest root, so it runs the same inside this repo
# and when a student copies the folder anywhere.
PYTEST_INI = """\
[pytest]
addopts = -ra
"""

README_HEAD = """\
# Neural-network exercises (Python track)

Each `exNN_*.py` file is one exercise: read its docstring (the top of the
file), then replace every `raise NotImplementedError(...)` line with your code.
The docstring of each function says what it takes and returns.

## Setup

    python -m pip install __INSTALL__

(the versions the grader is tested with)

## Checking your work

Run the visible tests from this folder:

    pytest                              # everything
    pytest test_ex03_activations.py     # one exercise
    pytest -k sigmoid                   # tests whose name mentions sigmoid

A test of a function you have not written yet fails with NotImplementedError;
that is expected. Passing the visible tests is a good sign, not a guarantee:
grading runs more checks on the same functions (the points below).

Keep the file names and the function names and signatures as they are: the
grader imports your files by name (ex05 imports your ex04, ex06 your ex05).

## The exercises
"""


class StaleStubsError(RuntimeError):
    """exercises/ does not match what solutions/ generates."""


def _check_stubs_fresh(exercises_dir, solutions_dir):
    stale = [name for name, text in expected_stubs(solutions_dir).items()
             if not (Path(exercises_dir) / name).is_file() or (Path(exercises_dir) / name).read_text() != text]
    if stale:
        raise StaleStubsError(f"exercises/ is out of date with solutions/ ({', '.join(stale)}): run `nngrade stubs` first")


def _exercise_section(path, rubric):
    anatomy = parse_module(path)
    title = anatomy.docstring.partition("\n")[0].strip()
    lines = [f"### `{path.stem}.py`: {title.split(' - ', 1)[-1]}", ""]
    for block in anatomy.exercises:
        qualified = f"{anatomy.name}.{block.name}"
        points = rubric.function_points(qualified) if qualified in rubric.points else 0
        summary = block.docstring.partition("\n")[0].strip()
        lines.append(f"- `{block.name}` ({points:g} points): {summary}")
    return "\n".join(lines) + "\n"


def readme(solutions_dir=SOLUTIONS_DIR, rubric=None):
    rubric = rubric or load_rubric()
    paths = exercise_files(solutions_dir)
    sections = [_exercise_section(p, rubric) for p in paths]
    total = f"\nIn all: {rubric.max_score:g} points.\n"
    return README_HEAD.replace("__INSTALL__", student_install()) + "\n" + "\n".join(sections) + total


# What the visible tests import, at the versions of the kit's constraints.txt.
STUDENT_LIBRARIES = ("numpy", "torch", "pytest", "hypothesis")


def student_install():
    from grader.platforms.pins import pin, read_pins

    pins = read_pins()
    return " ".join(pin(name, pins) for name in STUDENT_LIBRARIES)


def bundle_files(exercises_dir=EXERCISES_DIR, solutions_dir=SOLUTIONS_DIR, rubric=None):
    """{path inside release/: text} of the student bundle."""
    _check_stubs_fresh(exercises_dir, solutions_dir)
    exercises_dir = Path(exercises_dir)
    sources = exercise_files(exercises_dir)
    for pattern in TEST_GLOBS:
        sources += sorted(exercises_dir.glob(pattern))
    files = {f"{BUNDLE}/{p.name}": p.read_text() for p in sources}
    files[f"{BUNDLE}/README.md"] = readme(solutions_dir, rubric)
    files[f"{BUNDLE}/pytest.ini"] = PYTEST_INI
    return files
