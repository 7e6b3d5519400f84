"""One intake for every route: what a student handed in, as a Submission the grader reads.

`nngrade grade`, Gradescope and PrairieLearn all take the same forms per student: a folder of
exNN_*.py files, the same inside wrapping folders, the release's notebooks, or one .zip of either
(grader/intake/uploads.py finds the gradable folder). Anything else becomes that student's
problem message, never an exception.
"""
import shutil
import tempfile
from pathlib import Path

from grader import RELEASE_DIR
from grader.intake.uploads import find_upload
from grader.submission import Submission, read_submission

NOTEBOOKS = RELEASE_DIR / "nn_basics"  # the release's notebooks: their given cells are restored
ZIP = ".zip"


def student_name(entry):
    """The gradebook name of a class entry: a folder's name, a zip's name without .zip."""
    entry = Path(entry)
    return entry.name[: -len(ZIP)] if is_zip_entry(entry) else entry.name


def is_zip_entry(entry):
    entry = Path(entry)
    return entry.name.lower().endswith(ZIP) and entry.is_file() and not entry.is_symlink()


def read_entry(entry, modules, release_dir=NOTEBOOKS):
    """The Submission of one class entry (a student folder or a student's .zip)."""
    entry = Path(entry)
    name = student_name(entry)
    if entry.is_symlink():
        return _not_gradable(name, entry, "the student folder is a symbolic link; submit real files")
    with tempfile.TemporaryDirectory(prefix="nngrade-intake-") as work:
        upload_dir = entry
        if is_zip_entry(entry):
            upload_dir = Path(work, "upload")
            upload_dir.mkdir()
            shutil.copyfile(entry, upload_dir / entry.name, follow_symlinks=False)
        upload = find_upload(upload_dir, modules, Path(work, "found"), release_dir)
        if upload.folder is None:
            empty = entry.is_dir() and not any(entry.iterdir())
            return _not_gradable(name, entry, "the submission folder is empty" if empty else upload.problem)
        submission = read_submission(upload.folder, modules)  # sources are read here: the temporary files may go
    submission.student, submission.folder = name, entry
    return submission


def _not_gradable(name, entry, problem):
    return Submission(name, entry, problems={"(folder)": problem})
