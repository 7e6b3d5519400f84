"""Generate the student stubs in exercises/ from the reference modules in solutions/."""
from pathlib import Path

from grader import EXERCISES_DIR, SOLUTIONS_DIR, exercise_files
from grader.regions import stub_source


def reference_modules(solutions_dir=SOLUTIONS_DIR):
    """The reference module files, in exercise order."""
    return exercise_files(solutions_dir)


def expected_stubs(solutions_dir=SOLUTIONS_DIR):
    """{file name: stub text} for every reference module."""
    return {p.name: stub_source(p.read_text(), str(p)) for p in reference_modules(solutions_dir)}


def write_stubs(solutions_dir=SOLUTIONS_DIR, exercises_dir=EXERCISES_DIR):
    """Write the stubs; returns the names of the files that changed."""
    changed = []
    for name, text in expected_stubs(solutions_dir).items():
        target = Path(exercises_dir) / name
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
            changed.append(name)
    return changed
