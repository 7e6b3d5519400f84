"""Turn a submitted notebook back into the exNN_*.py module the sandboxed grader runs.

The module is the notebook's given code cells (grade_id "given_*": the import
lines, given functions) and the student's solution cells (nbgrader metadata
`solution: true`), in notebook order. Test cells, markdown and the notebook
importer (which only exists so notebooks can import each other) are left out;
the import lines therefore read exactly as in the reference modules
(`from ex04_mlp_forward import ...`) and resolve to the sibling .py modules.

Cells the student added without nbgrader metadata are not part of the module,
as in the notebook track, where the importer runs the same cells.

Each answer cell runs on its own, as in the notebook: an exception at its top
level (a leftover `print(undefined)`, an import of a package that is not
installed) stops that cell only (cell_runner.py). What the cell defined before
the failure stays; a function or class it did not get to define raises an
error naming the cell and the failure when called; the other cells, and
whatever does not call into the failed one, are graded as usual.

A submitted notebook is untrusted input: it is read as plain JSON within size
limits (submitted_files) and only the fields used here are taken, each checked
to be of its type. Whatever is wrong raises NotebookSubmissionError naming the
file (and the cell), never another exception.
"""
import ast
import json
import os
import re
from pathlib import Path
from typing import NamedTuple

from grader.intake.cell_runner import RUNNER_SOURCE, run_cell_source
from grader.limits import MAX_JSON_CONTAINERS
from grader.intake.nbimport import GIVEN_PREFIX, LOADER_GRADE_ID, SOLUTION_PREFIX
from grader.intake.notebook_files import RefusedFile, UnreadFolder, read_regular_file
from grader.limits import MAX_NOTEBOOK_BYTES

# Cell magics whose body is plain Python: keep the body, drop the magic line.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
IPYTHON_LINE = re.compile(r"^(\s*)([%!].*)$")


class NotebookSubmissionError(ValueError):
    """The file is not a readable notebook; the message names the file and why."""




class Cell(NamedTuple):
    """What the grader needs of a notebook cell, checked to be of the right types."""
    kind: str  # cell_type: "code", "markdown", "raw"
    source: str
    grade_id: str  # nbgrader's, "" without one
    solution: bool  # an nbgrader answer cell
    number: int = 0  # its position in the notebook, from 1 (what "cell N" in the feedback means)


def read_notebook(path):
    """The cells of the notebook file at `path`; a link, a non-regular or an oversized file is refused."""
    path = Path(path)
    try:
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            data = read_regular_file(path.name, folder, MAX_NOTEBOOK_BYTES)
        finally:
            os.close(folder)
    except RefusedFile as exc:
        raise NotebookSubmissionError(f"{path.name}: refused: it {exc}") from exc
    except OSError as exc:
        raise NotebookSubmissionError(f"{path.name}: cannot read the notebook: {exc.strerror}") from exc
    return parse_notebook(data, path.name)


def parse_notebook(data, name):
    """The cells of a notebook given as bytes. Anything malformed raises NotebookSubmissionError
    naming the file (`name`), the cell and what is wrong; nothing else is raised."""
    try:
        text = data.decode("utf-8-sig")  # a BOM (some Windows editors) is not an error
    except UnicodeDecodeError as exc:
        raise NotebookSubmissionError(f"{name}: not UTF-8 text (byte {exc.start}): not a notebook saved by Jupyter") from None
    if data.count(b"[") + data.count(b"{") > MAX_JSON_CONTAINERS:
        raise NotebookSubmissionError(f"{name}: not a notebook: over {MAX_JSON_CONTAINERS:,} JSON objects and arrays")
    try:
        notebook = json.loads(text)
    except RecursionError:
        raise NotebookSubmissionError(f"{name}: not a notebook: its JSON is nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise NotebookSubmissionError(f"{name}: not a notebook (invalid JSON at line {exc.lineno}: {exc.msg})") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise NotebookSubmissionError(f"{name}: not a notebook (invalid JSON: {exc})") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise NotebookSubmissionError(f"{name}: not a valid Jupyter notebook: no list of cells")
    if notebook.get("nbformat", 4) != 4:
        raise NotebookSubmissionError(f"{name}: not a valid Jupyter notebook: format {notebook.get('nbformat')!r}, "
                                      "expected 4 (open and save it in Jupyter)")
    return [_cell(cell, index, f"{name}: cell {index}") for index, cell in enumerate(notebook["cells"], 1)]


def _cell(cell, number, where):
    def wrong(what, value):
        raise NotebookSubmissionError(f"{where}: {what}, got {_shown(value)}")

    if not isinstance(cell, dict):
        wrong("a cell must be a JSON object", cell)
    kind = cell.get("cell_type")
    if not isinstance(kind, str):
        wrong("cell_type must be text", kind)
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        source = "".join(source)
    elif not isinstance(source, str):
        wrong("source must be text or a list of lines", source)
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, dict):
        wrong("metadata must be a JSON object", metadata)
    meta = metadata.get("nbgrader", {})
    if not isinstance(meta, dict):
        wrong("metadata.nbgrader must be a JSON object", meta)
    grade_id, solution = meta.get("grade_id", ""), meta.get("solution", False)
    if not isinstance(grade_id, str):
        wrong("metadata.nbgrader.grade_id must be text", grade_id)
    if not isinstance(solution, bool):
        wrong("metadata.nbgrader.solution must be true or false", solution)
    return Cell(kind, source, grade_id, solution, number)


def _shown(value):
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return f"a JSON {'object' if isinstance(value, dict) else 'array'}"
    return repr(value)[:40]


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


def _parsed(source):
    """(the module tree of `source`, None), or (None, why it is not a Python module)."""
    if "\0" in source:
        return None, "it contains a NUL character (code 0)"
    try:
        return ast.parse(source), None
    except SyntaxError as exc:
        return None, f"line {exc.lineno}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:  # what the parser raises besides SyntaxError
        return None, f"{type(exc).__name__}: {exc}"[:200]


def _solution_source(cell, notebook_name):
    # Only a cell that is not Python as written gets its IPython lines removed:
    # a line starting with % may be a continued expression (`x = (a\n% b)`).
    source = cell.source
    tree, error = _parsed(source)
    if error is not None:
        source = strip_ipython(source)
        tree, error = _parsed(source)
    if error is not None:
        name = cell.grade_id[len(SOLUTION_PREFIX):] if cell.grade_id.startswith(SOLUTION_PREFIX) else ""
        if not name.isidentifier():
            raise NotebookSubmissionError(f"{notebook_name}: a solution cell is not valid Python: {error}")
        return _placeholder(name, error)
    return run_cell_source(cell, source, tree)


def given_sources(cells):
    """{grade_id: source} of the given code cells (from the released notebook, as nbgrader restores them)."""
    return {c.grade_id: c.source for c in cells if c.kind == "code" and c.grade_id.startswith(GIVEN_PREFIX)}


def answer_sources(cells):
    """{grade_id: source} of the answer cells (what the autograded notebook puts back)."""
    return {c.grade_id: c.source for c in cells if c.solution and c.grade_id}


def module_source(cells, notebook_name, official=None):
    """The exNN_*.py source rebuilt from a notebook's cells; official: given_sources() of the
    released notebook, used instead of the student's copies of the given cells."""
    official = official or {}
    if not any(cell.kind == "code" and cell.solution for cell in cells):
        raise NotebookSubmissionError(
            f"{notebook_name} has none of the release's answer cells (their nbgrader metadata is missing): hand in "
            f"the notebook of the release with your answers in its answer cells, or the .py file")
    parts = [f'"""{Path(notebook_name).stem}: rebuilt by nngrade from the notebook {notebook_name}."""',
             RUNNER_SOURCE.format(notebook=notebook_name)]
    for cell in cells:
        if cell.kind != "code" or cell.grade_id == LOADER_GRADE_ID:
            continue
        if cell.solution:
            parts.append(_solution_source(cell, notebook_name))
        elif cell.grade_id.startswith(GIVEN_PREFIX):
            parts.append(official.get(cell.grade_id, cell.source))
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"


def failing_module(message):
    """A module that fails at import with the reason: the student's other modules are graded normally."""
    return f"raise ImportError({message!r})\n"


def rebuilt_module(data, where, name, official=None):
    """(module source, {grade_id: source} of the answer cells or None, problem or None) of one
    submitted notebook: data is its bytes, or the exception that kept it unread (what
    notebook_files.read_files gives). Whatever is wrong becomes a module failing at import with
    the reason, naming the file (`where`/`name`), and the reason is the problem; a notebook that
    was not submitted fails with no problem to report."""
    if isinstance(data, FileNotFoundError):
        return failing_module(f"{name} was not submitted"), None, None
    if isinstance(data, UnreadFolder):
        problem = str(data)
    elif isinstance(data, RefusedFile):
        problem = f"{where}/{name}: refused: it {data}"
    elif isinstance(data, OSError):
        problem = f"{where}/{name}: cannot read it: {data.strerror}"
    else:
        try:
            cells = parse_notebook(data, name)
            return module_source(cells, name, official), answer_sources(cells), None
        except NotebookSubmissionError as exc:
            problem = f"{where}/{exc}"
        except Exception as exc:  # noqa: BLE001 - one student's notebook must never stop the class
            problem = f"{where}/{name}: could not be read ({type(exc).__name__}); please report it"
    return failing_module(problem), None, problem


def notebook_to_module_source(ipynb_path, release_notebook=None):
    """The exNN_*.py source of a submitted notebook.

    release_notebook: optionally the released (or source) notebook of the same
    exercise; its given cells are used instead of the student's copies, the
    way nbgrader's autograde restores locked cells.
    """
    path = Path(ipynb_path)
    official = given_sources(read_notebook(release_notebook)) if release_notebook else {}
    return module_source(read_notebook(path), path.name, official)
