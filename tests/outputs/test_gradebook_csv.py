"""grades.csv opens safely in a spreadsheet: a student name is never a formula (CSV injection)."""
import csv
import io
import shutil

from grader import EXERCISES_DIR
from grader.batch import grade_folder
from grader.outputs.reports import GRADES, grades_csv
from grader.outputs.spreadsheet import as_text, from_text

FORMULA_NAMES = ["=1+2", "+SUM(A1:A9)", "-2+3", "@SUM(1)", "\t=1+2", "\r=1+2"]


def test_formula_names_are_written_as_text(ctx, tmp_path):
    for name in [*FORMULA_NAMES, "plain", "a=1"]:
        shutil.copytree(EXERCISES_DIR, tmp_path / "subs" / name, ignore=shutil.ignore_patterns("__pycache__", "test_*", "conftest.py"))
    grade_folder(tmp_path / "subs", tmp_path / "out", jobs=2, progress=False, ctx=ctx)
    with open(tmp_path / "out" / GRADES, newline="") as f:
        students = [row[0] for row in csv.reader(f)][1:]
    assert sorted(students) == sorted(["'" + name for name in FORMULA_NAMES] + ["plain", "a=1"])
    for name in FORMULA_NAMES:
        assert (tmp_path / "out" / name / "feedback.md").is_file()  # the student's own folder keeps the name


def test_only_text_that_a_spreadsheet_would_compute_is_quoted():
    assert [as_text(v) for v in ("=A1", "+1", "-1", "@x", "\tx", "\rx")] == ["'=A1", "'+1", "'-1", "'@x", "'\tx", "'\rx"]
    assert [as_text(v) for v in ("alice", "o'brien", "x=1", "", "ex03_activations.sigmoid")] == [
        "alice", "o'brien", "x=1", "", "ex03_activations.sigmoid"]


def test_the_escape_is_reversible_and_keeps_every_name_apart():
    names = ["=x", "'=x", "''=x", "'x", "x", "o'brien", "-", "'", "", "@'", "\t'"]
    cells = [as_text(name) for name in names]
    assert len(set(cells)) == len(names), cells
    assert [from_text(cell) for cell in cells] == names
    assert as_text("'=x") == "''=x" and as_text("'bob") == "''bob"  # a spreadsheet shows them as '=x and 'bob
    text = grades_csv([{"student": s, "score": 1.0, "max_score": 2.0, "points": {}} for s in ("=x", "'=x")], [])
    assert sorted(from_text(row[0]) for row in list(csv.reader(io.StringIO(text)))[1:]) == ["'=x", "=x"]
