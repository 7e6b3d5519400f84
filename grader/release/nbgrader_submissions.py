"""Turn a submitted notebook back into the exNN_*.py module the sandboxed grader runs.

The module is the notebook's given code cells (grade_id "given_*": the import
lines, given functions) and the student's solution cells (nbgrader metadata
`solution: true`), in notebook order. Test cells, markdown and the notebook
importer (which only exists so notebooks can import each other) are left out;
the import lines therefore read exactly as in the reference modules
(`from ex04_mlp_forward import ...`) and resolve to the sibling .py modules.

Cells the student added without nbgrader metadata are not part of the module,
as in the notebook track, where the importer runs the same cells.
"""
import ast
import json
import re
from pathlib import Path

import nbformat

from grader.release.nbimport import GIVEN_PREFIX, LOADER_GRADE_ID, SOLUTION_PREFIX

# Cell magics whose body is plain Python: keep the body, drop the magic line.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
IPYTHON_LINE = re.compile(r"^(\s*)([%!].*)$")


class NotebookSubmissionError(ValueError):
    """The file is not a readable notebook; the message names the file and why."""


def read_notebook(path):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NotebookSubmissionError(f"{path.name}: cannot read the notebook: {exc}") from exc
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookSubmissionError(f"{path.name}: not a notebook (invalid JSON at line {exc.lineno}: {exc.msg})") from exc
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several types for malformed notebooks
        raise NotebookSubmissionError(f"{path.name}: not a valid Jupyter notebook: {exc}") from exc


def _nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def strip_ipython(source):
    """Plain Python from a cell's source: IPython-only lines (%magic, !shell)
    become `pass` (they mean nothing in a module, and `pass` keeps an indented
    block valid); a Python cell magic (%%time) is dropped, any other cell magic
    (%%bash, ...) comments the whole cell out."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)[0] if lines[0].strip() != "%%" else ""
        if magic not in PYTHON_CELL_MAGICS:
            return "\n".join(f"# (cell magic, not Python) {line}" for line in lines)
        lines = [f"# (removed IPython cell magic) {lines[0].strip()}"] + lines[1:]
    out = []
    for line in lines:
        match = IPYTHON_LINE.match(line)
        out.append(f"{match.group(1)}pass  # (removed IPython line) {match.group(2)}" if match else line)
    return "\n".join(out)


def _placeholder(name, error):
    """Stands in for a solution cell that is not valid Python: calling it fails
    with the reason, and the notebook's other functions still get graded."""
    message = f"your answer cell for {name} is not valid Python: {error}"
    return f"def {name}(*args, **kwargs):\n    raise SyntaxError({message!r})"


def _parses(source):
    try:
        ast.parse(source)
        return None
    except SyntaxError as exc:
        return exc


def _solution_source(cell, notebook_name):
    # Only a cell that is not Python as written gets its IPython lines removed:
    # a line starting with % may be a continued expression (`x = (a\n% b)`).
    source = cell.source
    if _parses(source) is None:
        return source
    source = strip_ipython(source)
    exc = _parses(source)
    if exc is not None:
        grade_id = _nbgrader(cell).get("grade_id", "")
        name = grade_id[len(SOLUTION_PREFIX):] if grade_id.startswith(SOLUTION_PREFIX) else ""
        if not name.isidentifier():
            raise NotebookSubmissionError(f"{notebook_name}: a solution cell is not valid Python: {exc}")
        return _placeholder(name, f"line {exc.lineno}: {exc.msg}")
    return source


def _given_sources(notebook):
    return {_nbgrader(c)["grade_id"]: c.source for c in notebook.cells
            if c.cell_type == "code" and _nbgrader(c).get("grade_id", "").startswith(GIVEN_PREFIX)}


def notebook_to_module_source(ipynb_path, release_notebook=None):
    """The exNN_*.py source of a submitted notebook.

    release_notebook: optionally the released (or source) notebook of the same
    exercise; its given cells are used instead of the student's copies, the
    way nbgrader's autograde restores locked cells.
    """
    path = Path(ipynb_path)
    notebook = read_notebook(path)
    official = _given_sources(read_notebook(release_notebook)) if release_notebook else {}
    parts = [f'"""{path.stem}: rebuilt by nngrade from the notebook {path.name}."""']
    for cell in notebook.cells:
        meta = _nbgrader(cell)
        grade_id = meta.get("grade_id", "")
        if cell.cell_type != "code" or grade_id == LOADER_GRADE_ID:
            continue
        if meta.get("solution"):
            parts.append(_solution_source(cell, path.name))
        elif grade_id.startswith(GIVEN_PREFIX):
            parts.append(official.get(grade_id, cell.source))
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"
