"""`nngrade release`: build release/ and write it, or check that it is up to date.

release/ holds
  nn_basics/      the student notebooks, made by nbgrader's generate_assignment
                  from the source notebooks (grader/release/notebooks.py);
  student/        the Python-track bundle (grader/release/bundle.py);
  README.md       what this folder is and how it is made.
Everything in it is generated; `nngrade release --check` fails when a rebuild
would change anything.
"""
import sys
import tempfile
from pathlib import Path

from grader import RELEASE_DIR
from grader.release.bundle import StaleStubsError, bundle_files, checks_package_files
from grader.release.course import ASSIGNMENT, NbgraderError, run_nbgrader, write_course
from grader.rubric import RubricError, load_rubric

README = f"""\
# release/ (generated: do not edit)

Made by `nngrade release` from solutions/, exercises/ and {{rubric}};
`nngrade release --check` (and the kit's tests) fail when it is out of date.

- `{ASSIGNMENT}/`: the notebook track, one notebook per exercise, as nbgrader's
  `generate_assignment` releases them (solutions and hidden tests removed).
  Hand this folder out as is: notebooks that build on earlier ones import them
  from the same folder.
- `student/`: the Python track: exercise stubs, visible tests, a README.
- `checks/`: the notebooks' quick checks (`check("sigmoid")` in a notebook), a
  small package for the students' Python environment:
  `python -m pip install ./checks` (on JupyterHub: in the single-user image).
  Where nngrade itself is installed (to run nbgrader's autograde), it provides
  the same checks: install one of the two, not both.

To grade the notebooks with nbgrader, make a course with the source notebooks
(solutions and hidden tests included; never hand those out):

    nngrade course COURSE_DIR{{option}}
    cd COURSE_DIR && nbgrader generate_assignment {ASSIGNMENT}

Collect the submissions into COURSE_DIR/submitted/ as usual, then grade them
in the sandbox with `nngrade grade --nbgrader COURSE_DIR {ASSIGNMENT}{{option}}`: the scores go
into the gradebook, so `nbgrader export` and formgrader show them. Do not run
nbgrader's own `autograde` in that folder: it runs the student's code
unsandboxed, with write access to the gradebook and the submitted notebooks.
"""


def notebook_files(rubric=None):
    """{path inside release/: text} of the released notebooks, made by nbgrader."""
    with tempfile.TemporaryDirectory(prefix="nngrade-course-") as tmp:
        root = write_course(tmp, rubric=rubric)
        run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
        released = Path(root) / "release" / ASSIGNMENT
        return {f"{ASSIGNMENT}/{p.name}": p.read_text() for p in sorted(released.glob("*.ipynb"))}


def readme(rubric_path=None):
    """release/README.md; with a --rubric, the commands it shows take the same rubric."""
    if rubric_path is None:
        return README.format(rubric="grader/rubric.toml", option="")
    return README.format(rubric=f"the rubric {rubric_path}", option=f" --rubric {rubric_path}")


def build_release(rubric=None, rubric_path=None):
    """{path inside release/: text} of everything release/ should hold (rubric_path: the
    --rubric it is built with, None for the bundled one)."""
    rubric = rubric or (load_rubric(rubric_path) if rubric_path else load_rubric())
    files = {"README.md": readme(rubric_path)}
    files.update(notebook_files(rubric))
    files.update(bundle_files(rubric=rubric))
    files.update(checks_package_files())
    return files


def _is_ignored(relative):
    # Caches that running the bundle's tests or Jupyter leave behind.
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


def _present(release_dir):
    if not release_dir.is_dir():
        return set()
    found = (p.relative_to(release_dir) for p in release_dir.rglob("*") if p.is_file())
    return {p.as_posix() for p in found if not _is_ignored(p)}


def differences(files, release_dir=RELEASE_DIR):
    """Human-readable lines for every file that differs from release_dir."""
    release_dir = Path(release_dir)
    present = _present(release_dir)
    lines = [f"missing:  {name}" for name in sorted(set(files) - present)]
    lines += [f"changed:  {name}" for name in sorted(set(files) & present)
              if (release_dir / name).read_text() != files[name]]
    lines += [f"extra:    {name}" for name in sorted(present - set(files))]
    return lines


def write_release(files, release_dir=RELEASE_DIR):
    """Make release_dir hold exactly `files`; returns the names written or removed."""
    release_dir = Path(release_dir)
    changed = differences(files, release_dir)
    for name, text in files.items():
        target = release_dir / name
        if not target.is_file() or target.read_text() != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    for line in changed:
        if line.startswith("extra:"):
            (release_dir / line.split(None, 1)[1]).unlink()
    for folder in sorted((p for p in release_dir.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()  # left empty by a removed file
    return changed


def release_command(args):
    from grader.rubric import load_checked_rubric

    rubric_path = getattr(args, "rubric", None)
    release_dir = Path(getattr(args, "out", None) or RELEASE_DIR)
    try:
        files = build_release(load_checked_rubric(rubric_path), rubric_path)
    except (StaleStubsError, NbgraderError, RubricError, ValueError) as exc:
        print(f"nngrade release: {exc}", file=sys.stderr)
        return 2
    if getattr(args, "check", False):
        diff = differences(files, release_dir)
        if diff:
            print("release/ is out of date; run `nngrade release` and commit the result:", file=sys.stderr)
            print("\n".join("  " + line for line in diff), file=sys.stderr)
            return 1
        print("release/ is up to date")
        return 0
    changed = write_release(files, release_dir)
    print("release/ up to date" if not changed else "release/: " + ", ".join(line.split(None, 1)[1] for line in changed))
    return 0
