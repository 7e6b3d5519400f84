"""nngrade export: grades.csv into Canvas's and Moodle's import formats through a roster; nothing dropped silently."""
import csv
import io

import pytest

from grader.cli import main
from grader.outputs.reports import grades_csv, write_grades

FUNCTIONS = ["ex01_perceptron.add_bias"]


@pytest.fixture
def graded(tmp_path):
    rows = [{"student": name, "score": score, "max_score": 83.0, "points": {FUNCTIONS[0]: min(score, 2.0)}}
            for name, score in (("alice", 83.0), ("bob", 41.5), ("=1+2", 7.0))]
    write_grades(tmp_path / "out", rows, FUNCTIONS)
    return tmp_path


def _roster(path, text):
    path.write_text(text)
    return str(path)


def _rows(path):
    return list(csv.reader(io.StringIO(path.read_text())))


def test_canvas_export_has_canvas_columns_and_every_grade(graded, capsys):
    roster = _roster(graded / "roster.csv", "student,name,id,sis_user_id,sis_login_id,section,email,extra\n"
                                             "alice,\"Liddell, Alice\",101,S1,al,A,a@x.org,ignored\n"
                                             "bob,\"Builder, Bob\",102,S2,bb,B,b@x.org,\n"
                                             "=1+2,\"Formula, Eve\",103,S3,ev,A,e@x.org,\n")
    out = graded / "canvas.csv"
    assert main(["export", str(graded / "out"), "--to", "canvas", "--roster", roster, "--out", str(out),
                 "--assignment", "Lab 1"]) == 0
    rows = _rows(out)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lab 1"]
    assert rows[1][0] == "Points Possible" and rows[1][-1] == "83"
    by_id = {r[1]: r for r in rows[2:]}
    assert by_id["101"] == ["Liddell, Alice", "101", "S1", "al", "A", "83"]
    assert by_id["102"][-1] == "41.5" and by_id["103"][-1] == "7"


def test_moodle_export_matches_students_by_email_or_idnumber(graded):
    roster = _roster(graded / "roster.csv", "student,email,idnumber\nalice,a@x.org,9001\nbob,b@x.org,9002\n=1+2,e@x.org,9003\n")
    out = graded / "moodle.csv"
    assert main(["export", str(graded / "out"), "--to", "moodle", "--roster", roster, "--out", str(out)]) == 0
    rows = _rows(out)
    assert rows[0] == ["Email address", "ID number", "nngrade"]
    assert sorted(rows[1:]) == [["a@x.org", "9001", "83"], ["b@x.org", "9002", "41.5"], ["e@x.org", "9003", "7"]]


def test_missing_students_are_listed_and_fail_the_export(graded, capsys):
    roster = _roster(graded / "roster.csv", "student,id\nalice,101\ncarol,103\n")
    out = graded / "canvas.csv"
    assert main(["export", str(graded / "out"), "--to", "canvas", "--roster", roster, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "missing from the roster: bob" in err and "missing from the roster: =1+2" in err
    assert "no grade for roster entry: carol" in err
    assert not out.exists()
    assert main(["export", str(graded / "out"), "--to", "canvas", "--roster", roster, "--out", str(out), "--allow-missing"]) == 0
    rows = {r[1]: r for r in _rows(out)[2:]}
    assert rows["101"][-1] == "83" and rows["103"][-1] == ""  # carol: listed, without a grade


@pytest.mark.parametrize("text, problem", [
    ("name,id\nAlice,101\n", "lacks the column(s) student"),
    ("student,id\nalice,101\nalice,102\n", "listed twice"),
    ("student,id\n,101\n", "student column is empty"),
])
def test_a_bad_roster_is_a_clear_error(graded, capsys, text, problem):
    roster = _roster(graded / "roster.csv", text)
    assert main(["export", str(graded / "out"), "--to", "moodle", "--roster", roster, "--out", str(graded / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert problem in err and "roster.csv" in err


def test_no_gradebook_is_a_clear_error(tmp_path, capsys):
    roster = _roster(tmp_path / "roster.csv", "student,email\na,a@x.org\n")
    assert main(["export", str(tmp_path), "--to", "moodle", "--roster", roster, "--out", str(tmp_path / "m.csv")]) == 2
    assert "grades.csv: no gradebook here" in capsys.readouterr().err


def test_moodle_needs_an_identifier(graded, capsys):
    roster = _roster(graded / "roster.csv", "student,id\nalice,1\nbob,2\n=1+2,3\n")
    assert main(["export", str(graded / "out"), "--to", "moodle", "--roster", roster, "--out", str(graded / "m.csv")]) == 2
    assert "neither an email nor an idnumber" in capsys.readouterr().err


@pytest.mark.parametrize("text, words", [
    ("student,email\nalice,a@x.org\nbob,b@x.org\n=1+2,e@x.org\n", "no id, sis_user_id or sis_login_id column"),
    ("student,id,email\nalice,101,a@x.org\nbob,,b@x.org\n=1+2,103,e@x.org\n", "1 roster entr(y/ies) without an id"),
], ids=["no-column", "one-entry"])
def test_a_canvas_roster_needs_an_identifier_canvas_matches_on(graded, capsys, text, words):
    out = graded / "canvas.csv"
    assert main(["export", str(graded / "out"), "--to", "canvas", "--roster", _roster(graded / "roster.csv", text),
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert words in err and not out.exists()


def test_a_gradebook_with_mixed_maxima_is_refused(tmp_path, capsys):
    rows = [{"student": "alice", "score": 80.0, "max_score": 86.0, "points": {FUNCTIONS[0]: 2.0}},
            {"student": "bob", "score": 83.0, "max_score": 83.0, "points": {FUNCTIONS[0]: 2.0}}]
    write_grades(tmp_path / "out", rows, FUNCTIONS)
    roster = _roster(tmp_path / "roster.csv", "student,id\nalice,1\nbob,2\n")
    out = tmp_path / "canvas.csv"
    assert main(["export", str(tmp_path / "out"), "--to", "canvas", "--roster", roster, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "mixes maximum scores" in err and "83 for 1 (bob)" in err and "86 for 1 (alice)" in err
    assert not out.exists()


def _pages(graded):
    for student in ("alice", "bob", "=1+2"):
        folder = graded / "out" / student
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "feedback.html").write_text(f"<!DOCTYPE html><p>feedback for {student}</p>")


def _moodle_reads(path):
    """(participant, plugin, file) as Moodle's zip importer reads a path: each path part split at
    underscores into at most five, the second a number, then the plugin's type and name."""
    first, rest = path.split("/", 1)
    name, participant, kind, plugin, tail = first.split("_", 4)
    return int(participant), f"{kind}_{plugin}", (tail + "/" if tail else "") + rest


def test_moodle_feedback_zip_places_each_page_in_the_students_folder(graded):
    import zipfile

    _pages(graded)
    roster = _roster(graded / "roster.csv", "student,name,email,participant\n"
                                             "alice,Alice Liddell_Smith,a@x.org,Participant 1001\n"
                                             "bob,Bob,b@x.org,1002\n=1+2,Eve,e@x.org,1003\n")
    archive = graded / "feedback.zip"
    assert main(["export", str(graded / "out"), "--to", "moodle", "--roster", roster, "--out", str(graded / "m.csv"),
                 "--feedback-zip", str(archive)]) == 0
    with zipfile.ZipFile(archive) as zf:
        read = {_moodle_reads(name): zf.read(name).decode() for name in zf.namelist()}
    assert read[(1001, "assignfeedback_file", "feedback.html")] == "<!DOCTYPE html><p>feedback for alice</p>"
    assert read[(1003, "assignfeedback_file", "feedback.html")].endswith("feedback for =1+2</p>")
    assert len(read) == 3


def test_canvas_feedback_zip_names_each_page_by_the_canvas_user_id(graded):
    import re
    import zipfile

    _pages(graded)
    roster = _roster(graded / "roster.csv", "student,name,id\nalice,\"Liddell, Alice\",101\nbob,Bob_Builder,102\n=1+2,Eve,103\n")
    archive = graded / "feedback.zip"
    assert main(["export", str(graded / "out"), "--to", "canvas", "--roster", roster, "--out", str(graded / "c.csv"),
                 "--feedback-zip", str(archive)]) == 0
    with zipfile.ZipFile(archive) as zf:
        by_id = {next(p for p in name.split("_") if re.fullmatch(r"\d+", p)): zf.read(name).decode() for name in zf.namelist()}
    assert by_id == {"101": "<!DOCTYPE html><p>feedback for alice</p>", "102": "<!DOCTYPE html><p>feedback for bob</p>",
                     "103": "<!DOCTYPE html><p>feedback for =1+2</p>"}


def test_a_moodle_feedback_zip_without_participant_numbers_says_what_to_add(graded, capsys):
    _pages(graded)
    roster = _roster(graded / "roster.csv", "student,email\nalice,a@x.org\nbob,b@x.org\n=1+2,e@x.org\n")
    assert main(["export", str(graded / "out"), "--to", "moodle", "--roster", roster, "--out", str(graded / "m.csv"),
                 "--feedback-zip", str(graded / "f.zip")]) == 2
    assert "participant column needs Moodle's participant number" in capsys.readouterr().err
    assert not (graded / "f.zip").exists()


def test_names_that_differ_by_the_spreadsheet_quote_keep_their_own_grades(tmp_path):
    rows = [{"student": name, "score": score, "max_score": 83.0, "points": {}} for name, score in (("=x", 10.0), ("'=x", 20.0))]
    write_grades(tmp_path / "out", rows, [])
    roster = _roster(tmp_path / "roster.csv", "student,id\n=x,1\n'=x,2\n")
    out = tmp_path / "canvas.csv"
    assert main(["export", str(tmp_path / "out"), "--to", "canvas", "--roster", roster, "--out", str(out)]) == 0
    assert {r[1]: r[-1] for r in _rows(out)[2:]} == {"1": "10", "2": "20"}
