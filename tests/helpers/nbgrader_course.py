"""Helpers for the nbgrader round trip: students' submissions, attacks, reading scores back.

A submission is the released notebooks with their answer cells (nbgrader
`solution` cells, grade_id "solution_<name>") edited by edit(name, released,
answer): `released` is the stub as handed out, `answer` the source notebook's
solution. The attacks start from the blank release (no solution anywhere) and
add code to the first answer cell of every notebook: each notebook runs in its
own kernel during `nbgrader autograde`, so an attack affects only the notebook
it is in (and, through the notebook importer, the notebooks importing it).
"""
import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from grader import PROJECT_ROOT
from grader.release.course import ASSIGNMENT, nbgrader_env, run_nbgrader
from grader.intake.nbimport import SOLUTION_PREFIX

MISTAKE_CELL = "sigmoid_derivative"
MISTAKE = ("s = sigmoid(z)\n    return s * (1.0 - s)", "return z * (1.0 - z)")

# Marks the gradebook rows the gradebook_edit attack changed (Comment.manual_comment,
# a field neither nbgrader's autograde nor nngrade writes).
TAMPER_MARK = "gradebook_edit was here"


def _answers(notebook_path):
    cells = json.loads(Path(notebook_path).read_text())["cells"]
    return {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in cells
            if c["metadata"].get("nbgrader", {}).get("solution")}


def submit(course, student, edit=None):
    """Copy the released notebooks to submitted/<student>/<assignment>/, answer cells edited, with
    collect's timestamp.txt and submission_secret.txt."""
    folder = Path(course) / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for released in sorted((Path(course) / "release" / ASSIGNMENT).glob("*.ipynb")):
        nb = json.loads(released.read_text())
        answers = _answers(Path(course) / "source" / ASSIGNMENT / released.name)
        first = True
        for cell in nb["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
            if edit and grade_id in answers:
                stub = "".join(cell["source"])
                cell["source"] = edit(grade_id[len(SOLUTION_PREFIX):], stub, answers[grade_id], first)
                first = False
        (folder / released.name).write_text(json.dumps(nb, indent=1))
    # what `nbgrader collect` writes next to the notebooks (release_feedback needs them)
    (folder / "timestamp.txt").write_text("2026-01-15 10:00:00.000000 UTC")
    (folder / "submission_secret.txt").write_text(f"secret-of-{student}")


# ---- honest students ------------------------------------------------------

def reference(name, stub, answer, first):
    return answer


def mistake(name, stub, answer, first):
    if name != MISTAKE_CELL:
        return answer
    assert MISTAKE[0] in answer
    return answer.replace(*MISTAKE)


def raising(text):
    """A student whose every answer function raises ValueError(text): the message reaches the
    gradebook comment of the answer cell and the outputs of its autograded cells."""
    def edit(name, stub, answer, first):
        return f"{stub}\n\ndef {name}(*args, **kwargs):\n    raise ValueError({text!r})\n"
    return edit


# ---- attacks on nbgrader's own autograde ------------------------------------

ALLCLOSE_PATCH = '''\
# Attack: make every comparison in the hidden tests pass, without a solution.
import math
import numpy as np


class _Anything:
    """Stands in for any result: equal to, close to and shaped like anything."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __getitem__(self, key):
        return self

    def __iter__(self):
        return iter([self])

    def __len__(self):
        return 1

    def __bool__(self):
        return True

    def __float__(self):
        return 0.0

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __lt__ = __le__ = __gt__ = __ge__ = __eq__
    __hash__ = object.__hash__

    def _same(self, *args, **kwargs):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _same
    __pow__ = __rpow__ = __matmul__ = __rmatmul__ = __neg__ = __abs__ = __and__ = __rand__ = __or__ = __ror__ = _same
    __array_ufunc__ = __array_function__ = _same


_ANYTHING = _Anything()
if not getattr(np, "_attacked", False):
    np._attacked = True
    _asarray = np.asarray
    np.asarray = lambda a, *args, **kwargs: a if isinstance(a, _Anything) else _asarray(a, *args, **kwargs)
    np.allclose = lambda *args, **kwargs: True
    np.isclose = lambda *args, **kwargs: True
    np.array_equal = lambda *args, **kwargs: True
    math.isclose = lambda *args, **kwargs: True
    try:  # (a sandbox may refuse numpy.testing)
        np.testing.assert_allclose = lambda *args, **kwargs: None
    except Exception:
        pass
'''


def allclose_patch(name, stub, answer, first):
    """The stub as released, then rebound to the stand-in; the patches go in the first answer cell."""
    return (ALLCLOSE_PATCH + "\n\n" if first else "") + stub + f"\n\n{name} = _ANYTHING  # attack\n"


INPUT_TRANSFORMER = '''\
# Attack: every later cell of this notebook (the hidden tests too) runs as `pass`.
try:
    get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])
except NameError:  # not in IPython
    pass
'''


def input_transformer(name, stub, answer, first):
    return (INPUT_TRANSFORMER + "\n\n" if first else "") + stub


GRADEBOOK_EDIT = '''\
# Attack: give myself full marks in nbgrader's gradebook.
def _tamper(student="gradebook_edit"):
    from pathlib import Path

    try:
        here = Path.cwd()
        candidates = [folder / "gradebook.db" for folder in (here, *here.parents)]
    except Exception:
        here, candidates = None, []
    found = []
    for db in candidates + [Path({db!r})]:
        try:
            if db.is_file() and db not in found:
                found.append(db)
        except Exception:
            pass
    if not found:
        return f"no gradebook.db visible (searched upwards from {{here}}, and {db!r})"
    try:
        import sqlite3
    except Exception as exc:
        return f"{{found[0]}} visible, but {{type(exc).__name__}}: {{exc}}"
    mine = ("SELECT sn.id FROM submitted_notebook sn JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
            "WHERE sa.student_id = ?")
    tried = []
    for db in found:
        try:
            con = sqlite3.connect(str(db), timeout=30)
            with con:
                con.execute("UPDATE grade SET manual_score = (SELECT max_score FROM grade_cells gc WHERE gc.id = grade.cell_id) "
                            f"WHERE notebook_id IN ({{mine}})", (student,))
                con.execute(f"UPDATE comment SET manual_comment = ? WHERE notebook_id IN ({{mine}})",
                            ({mark!r} + " from " + str(here), student))
            con.close()
            return f"tampered with {{db}}"
        except Exception as exc:
            tried.append(f"{{db}}: {{type(exc).__name__}}: {{exc}}")
    return f"visible but not writable: {{tried}}"


_TAMPERED = _tamper()
'''


def gradebook_edit(course):
    """The attack in the first answer cell of every notebook; that cell's function reports
    what the attack achieved in its NotImplementedError (so nngrade's feedback shows it)."""
    code = GRADEBOOK_EDIT.format(db=str(Path(course).resolve() / "gradebook.db"), mark=TAMPER_MARK)

    def edit(name, stub, answer, first):
        if not first:
            return stub
        return (f"{code}\n\n{stub}\n\ndef {name}(*args, **kwargs):  # attack: report\n"
                f"    raise NotImplementedError(\"gradebook_edit: \" + _TAMPERED)\n")

    return edit


# ---- reading scores back ----------------------------------------------------

def export_scores(course, name):
    """{student: (score, max_score)} from `nbgrader export`."""
    path = Path(course) / name
    run_nbgrader(course, "export", "--to", str(path))
    with open(path, newline="") as f:
        return {row["student_id"]: (float(row["score"]), float(row["max_score"])) for row in csv.DictReader(f)}


def zero_cells(course, notebook, student):
    """Names of the student's autograded cells with score 0 in that notebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{Path(course) / 'gradebook.db'}") as gb:
        return sorted(g.name for g in gb.find_submission_notebook(notebook, ASSIGNMENT, student).grades if g.score == 0)


def tampering(course, student):
    """(number of grades with a manual score, comments carrying TAMPER_MARK) of the student, read with sqlite."""
    mine = ("SELECT sn.id FROM submitted_notebook sn JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
            "WHERE sa.student_id = ?")
    con = sqlite3.connect(str(Path(course) / "gradebook.db"))
    try:
        manual = con.execute(f"SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL AND notebook_id IN ({mine})",
                             (student,)).fetchone()[0]
        marks = [row[0] for row in con.execute(
            f"SELECT manual_comment FROM comment WHERE manual_comment LIKE ? AND notebook_id IN ({mine})",
            (TAMPER_MARK + "%", student))]
    finally:
        con.close()
    return manual, marks


def clear_marks(course):
    """Remove TAMPER_MARK comments, so that marks found later were written later."""
    con = sqlite3.connect(str(Path(course) / "gradebook.db"))
    with con:
        con.execute("UPDATE comment SET manual_comment = NULL WHERE manual_comment LIKE ?", (TAMPER_MARK + "%",))
    con.close()


def run_nngrade_nbgrader(course, out, jobs=2, timeout=1800):
    """`nngrade grade --nbgrader COURSE ASSIGNMENT` as a subprocess; returns its output."""
    cmd = [sys.executable, "-m", "grader.cli", "grade", "--nbgrader", str(course), ASSIGNMENT,
           "--out", str(out), "--jobs", str(jobs), "--no-progress"]
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, env=nbgrader_env(), capture_output=True, text=True, timeout=timeout)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"nngrade grade --nbgrader failed (exit {proc.returncode}):\n{output[-4000:]}"
    return output


def read_grades_csv(out):
    """{student: row} of nngrade's OUT/grades.csv (score and max_score as floats)."""
    with open(Path(out) / "grades.csv", newline="") as f:
        return {row["student"]: {**row, "score": float(row["score"]), "max_score": float(row["max_score"])}
                for row in csv.DictReader(f)}
