"""A class's submissions as {student: {module: source}}, read the way grading reads them.

Each student's folder goes through the platforms' upload finder (loose or nested files, one zip,
the release's notebooks rebuilt from their answer cells) and then the grader's own file checks
(no links, UTF-8, size limit); a student with nothing readable is listed with the reason.
"""
import ast
import functools
from dataclasses import dataclass, field
from pathlib import Path

from grader import EXERCISES_DIR, SOLUTIONS_DIR, exercise_modules
from grader.class_plan import list_students
from grader.intake.entries import NOTEBOOKS, read_entry, student_name

RUNNER = "_nngrade_run_cell"  # the function a rebuilt module runs each answer cell with


@dataclass
class Class:
    sources: dict = field(default_factory=dict)  # {student: {module: source}}
    problems: dict = field(default_factory=dict)  # {student: why nothing (or not everything) was read}


def read_class(submissions_dir, modules=None, release_dir=None, prefix=""):
    """Every student of submissions_dir, read by grading's own intake (grader/intake/entries.py);
    student names get `prefix` (an archived term's)."""
    modules = tuple(modules or exercise_modules())
    students, skipped = list_students(submissions_dir)
    found = Class()
    for entry in skipped:
        if not entry.name.startswith(".") and entry.is_file():
            found.problems[prefix + entry.name] = "a file, not a student folder: not read"
    for entry in students:
        name = prefix + student_name(entry)
        submission = read_entry(entry, modules, Path(release_dir) if release_dir else NOTEBOOKS)
        if submission.sources:
            found.sources[name] = {m: answer_cells(src) for m, src in submission.sources.items()}
        unread = {m: p for m, p in submission.problems.items() if "missing" not in p}
        if unread or not submission.sources:
            found.problems[name] = "; ".join(unread.values()) or "no exercise file could be read"
    return found


def answer_cells(module_source):
    """A module rebuilt from a notebook holds each answer cell as a string run by a runner
    (grader/intake/cell_runner.py): the cells' own code, one after the other, is what the
    student wrote. Other text is returned as it is."""
    try:
        tree = ast.parse(module_source)
    except (SyntaxError, ValueError):
        return module_source
    parts, cells = [], 0
    for number, node in enumerate(tree.body):
        call = node.value if isinstance(node, ast.Expr) else None
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == RUNNER
                and len(call.args) >= 4 and isinstance(call.args[3], ast.Constant) and isinstance(call.args[3].value, str)):
            parts.append(call.args[3].value.strip("\n"))
            cells += 1
        elif not (isinstance(node, ast.FunctionDef) and node.name in _runner_names()) and not (number == 0 and call is not None):
            parts.append(ast.get_source_segment(module_source, node) or "")  # the given code cells
    return "\n\n\n".join(parts) + "\n" if cells else module_source  # a .py file: as it is


@functools.lru_cache(maxsize=1)
def _runner_names():
    """The functions the kit puts in every module rebuilt from a notebook (not the student's)."""
    from grader.intake.cell_runner import RUNNER_SOURCE

    tree = ast.parse(RUNNER_SOURCE.format(notebook="notebook.ipynb"))
    return frozenset(n.name for n in tree.body if isinstance(n, ast.FunctionDef))


def kit_sources(exercises_dir=EXERCISES_DIR, solutions_dir=SOLUTIONS_DIR):
    """[(module, source)] of everything the kit gives every student: the stubs and the reference's
    code outside its solution regions."""
    from grader.similarity.normalise import given_code

    out = []
    for folder, transform in ((Path(exercises_dir), str), (Path(solutions_dir), given_code)):
        for path in sorted(folder.glob("ex[0-9][0-9]_*.py")):
            out.append((path.stem, transform(path.read_text(encoding="utf-8"))))
    return out


