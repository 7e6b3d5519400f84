"""`nngrade export OUT --to canvas|moodle --roster ROSTER.csv --out FILE`: grades.csv in an LMS's import format.

The roster maps the kit's student names (submission folders or nbgrader ids) to the LMS's
identifiers. Nothing is dropped silently: graded students missing from the roster and roster
entries without a grade are listed, and the export fails unless --allow-missing is given.
"""
import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from grader.points import points_text
from grader.atomic import atomic_write
from grader.outputs.reports import GRADES
from grader.outputs.safe_text import one_line
from grader.outputs.spreadsheet import as_text, from_text

ROSTER_COLUMNS = ("name", "id", "sis_user_id", "sis_login_id", "section", "email", "idnumber", "participant")


class ExportError(RuntimeError):
    """Bad input: the message names the file and what is wrong."""


@dataclass(frozen=True)
class Grade:
    student: str
    score: float
    max_score: float


def read_grades(out_dir):
    path = Path(out_dir) / GRADES
    if not path.is_file():
        raise ExportError(f"{path}: no gradebook here (grade the class first: nngrade grade SUBMISSIONS --out {out_dir})")
    rows = _read_csv(path, required=("student", "score", "max_score"))
    try:
        return {from_text(r["student"]): Grade(from_text(r["student"]), float(r["score"]), float(r["max_score"])) for r in rows}
    except ValueError as exc:
        raise ExportError(f"{path}: a score is not a number ({exc})") from None


def read_roster(path):
    """{student: {column: value}} from ROSTER.csv (a header with `student`, extra columns ignored)."""
    rows = _read_csv(Path(path), required=("student",))
    roster = {}
    for line, row in enumerate(rows, start=2):
        student = (row.get("student") or "").strip()
        if not student:
            raise ExportError(f"{path}, line {line}: the student column is empty")
        if student in roster:
            raise ExportError(f"{path}, line {line}: student {student!r} is listed twice")
        roster[student] = {k: (row.get(k) or "").strip() for k in ROSTER_COLUMNS}
    return roster


def _read_csv(path, required):
    try:
        text = path.read_text(encoding="utf-8-sig")  # spreadsheets often save a byte-order mark
    except OSError as exc:
        raise ExportError(f"{path}: cannot read it ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ExportError(f"{path}: not UTF-8 text (save it as 'CSV UTF-8')") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        raise ExportError(f"{path}: the header lacks the column(s) {', '.join(missing)} (it has: {', '.join(header) or 'nothing'})")
    reader.fieldnames = header
    return list(reader)


def canvas_csv(grades, roster, assignment):
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then the assignment."""
    _check_canvas_identifiers(roster)
    column = f"{assignment}"
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column]
    top = max((g.max_score for g in grades.values()), default=0.0)
    rows = [["Points Possible", "", "", "", "", points_text(top)]]
    for student in sorted(roster):
        ids = roster[student]
        grade = grades.get(student)
        rows.append([ids["name"] or student, ids["id"], ids["sis_user_id"], ids["sis_login_id"], ids["section"],
                     points_text(grade.score) if grade else ""])
    return _csv(header, rows)


CANVAS_MATCHES = ("id", "sis_user_id", "sis_login_id")  # Canvas finds a student by one of these, not by name


def _check_canvas_identifiers(roster):
    unmatched = sorted(s for s, ids in roster.items() if not any(ids[k] for k in CANVAS_MATCHES))
    if len(unmatched) == len(roster) and roster:
        raise ExportError("the roster has no id, sis_user_id or sis_login_id column with values: Canvas matches "
                          "students by one of them (export the roster from Canvas's gradebook to get them)")
    if unmatched:
        shown = ", ".join(unmatched[:10]) + (f" and {len(unmatched) - 10} more" if len(unmatched) > 10 else "")
        raise ExportError(f"{len(unmatched)} roster entr(y/ies) without an id, sis_user_id or sis_login_id, which "
                          f"Canvas could not match: {shown}")


def check_one_maximum(grades, source):
    """A gradebook graded with one rubric: every student has the same maximum score."""
    maxima = {}
    for grade in grades.values():
        maxima.setdefault(grade.max_score, []).append(grade.student)
    if len(maxima) > 1:
        parts = "; ".join(f"{points_text(top)} for {len(names)} ({', '.join(sorted(names)[:3])}{' ...' if len(names) > 3 else ''})"
                          for top, names in sorted(maxima.items()))
        raise ExportError(f"{source} mixes maximum scores ({parts}): grade the whole class with one rubric, then export")


def moodle_csv(grades, roster, assignment):
    """Moodle's grade import: identifier columns (email, ID number), then the grade."""
    keys = [k for k in ("email", "idnumber") if any(r[k] for r in roster.values())]
    if not keys:
        raise ExportError("the roster has neither an email nor an idnumber column with values: Moodle matches students by one of them")
    header = [{"email": "Email address", "idnumber": "ID number"}[k] for k in keys] + [assignment]
    rows = [[roster[s][k] for k in keys] + [points_text(grades[s].score) if s in grades else ""] for s in sorted(roster)]
    return _csv(header, rows)


def _csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[as_text(cell) for cell in row] for row in rows])
    return buffer.getvalue()


FORMATS = {"canvas": canvas_csv, "moodle": moodle_csv}


def mismatches(grades, roster):
    """(graded students missing from the roster, roster entries without a grade)."""
    return sorted(set(grades) - set(roster)), sorted(set(roster) - set(grades))


def export_command(args):
    try:
        grades, roster = read_grades(args.graded), read_roster(args.roster)
        check_one_maximum(grades, Path(args.graded) / "grades.csv")
        unlisted, ungraded = mismatches(grades, roster)
        for student in unlisted:
            print(f"missing from the roster: {one_line(student)} (graded, not exported)", file=sys.stderr)
        for student in ungraded:
            print(f"no grade for roster entry: {one_line(student)} (exported with an empty grade)", file=sys.stderr)
        if (unlisted or ungraded) and not args.allow_missing:
            print(f"error: {len(unlisted)} graded student(s) not in {args.roster}, {len(ungraded)} roster entr(y/ies) "
                  "without a grade; fix the roster or pass --allow-missing", file=sys.stderr)
            return 1
        atomic_write(args.out, FORMATS[args.to](grades, roster, args.assignment))
        if args.feedback_zip:
            _feedback_zip(args, {s: ids for s, ids in roster.items() if s in grades})
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}: {len(roster) - len(ungraded)} grade(s) for {args.to}")
    return 0


def _feedback_zip(args, roster):
    from grader.outputs.lms_feedback import FeedbackZipError, write_feedback_zip

    try:
        written, missing = write_feedback_zip(args.graded, roster, args.to, args.feedback_zip)
    except FeedbackZipError as exc:
        raise ExportError(f"{args.roster}: {exc}") from None
    for student in missing:
        print(f"no feedback page for {student} (not in the zip)", file=sys.stderr)
    print(f"wrote {args.feedback_zip}: {written} feedback page(s) for {args.to}'s bulk feedback upload")
