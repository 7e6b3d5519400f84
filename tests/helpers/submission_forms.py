"""One student's work in each form a student can hand it in: loose files, wrapped in folders,
the release's notebooks with answers filled in, or a zip of any of those."""
import json
import shutil
import zipfile
from pathlib import Path

from grader import RELEASE_DIR


def reference_notebooks(dest):
    """The release's notebooks with the reference's answers in their answer cells."""
    from grader.release.notebooks import build_source_notebooks

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    answers = {}
    for name, nb in build_source_notebooks().items():
        answers[name] = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
                         if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    for released in sorted((RELEASE_DIR / "nn_basics").glob("*.ipynb")):
        nb = json.loads(released.read_text())
        for cell in nb["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if grade_id in answers[released.name]:
                cell["source"] = answers[released.name][grade_id]
        (dest / released.name).write_text(json.dumps(nb))
    return dest


def copy_modules(source, dest):
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__", "test_*", "conftest.py"))
    return Path(dest)


def zip_folder(folder, archive, inside=""):
    """`archive` holding every file of `folder`, under the path `inside` (wrapping folders)."""
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                zf.write(path, str(Path(inside, path.relative_to(folder))))
    return Path(archive)
