"""The instructor's corrections: points added or taken with a reason (a regrade request, a
partial-credit decision), kept in OUT/adjustments.toml across regrades.

Each run of `nngrade grade` and each `nngrade adjust` applies them to the students' records:
results.json's score is the graded score plus the adjustments (never below 0), its extra_data keeps
`graded_score` and the `adjustments`; feedback.md and feedback.html list them under "Corrections";
grades.csv has them in its `adjustment` column; `nngrade export` exports the corrected score.
"""
import json
import math
import tomllib
from pathlib import Path

from grader.atomic import atomic_write
from grader.outputs.feedback_html import FEEDBACK_HTML
from grader.outputs.reports import all_corrections, graded_records, read_student, write_student

FILE = "adjustments.toml"
PLOTS_MARK = "<h2>Plots of your code</h2>"  # where feedback.html's plots begin (kept when the text is redrawn)


class CorrectionsError(ValueError):
    """adjustments.toml is malformed or an adjustment is refused; the message names the file."""


def load(out_dir):
    """{student: [{"points": float, "reason": str}, ...]} from OUT/adjustments.toml ({} if none)."""
    path = Path(out_dir) / FILE
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CorrectionsError(f"{path}: cannot read it ({exc})") from None
    entries = data.get("adjustment", [])
    if not isinstance(entries, list) or set(data) - {"adjustment"}:
        raise CorrectionsError(f"{path}: expected only [[adjustment]] tables (student, points, reason)")
    corrections = {}
    for number, entry in enumerate(entries, start=1):
        corrections.setdefault(_student(entry, path, number), []).append(_checked(entry, path, number))
    return corrections


def _student(entry, path, number):
    student = entry.get("student") if isinstance(entry, dict) else None
    if not isinstance(student, str) or not student:
        raise CorrectionsError(f"{path}: adjustment {number} has no student name")
    return student


def _checked(entry, path, number):
    points, reason = entry.get("points"), entry.get("reason")
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not math.isfinite(points):
        raise CorrectionsError(f"{path}: adjustment {number} ({entry['student']}): points must be a number, got {points!r}")
    if not isinstance(reason, str) or not reason.strip():
        raise CorrectionsError(f"{path}: adjustment {number} ({entry['student']}): a reason is required")
    return {"points": float(points), "reason": reason.strip()}


def add(out_dir, student, points, reason):
    """Append one adjustment for a graded student to OUT/adjustments.toml."""
    out_dir = Path(out_dir)
    if read_student(out_dir, student) is None:
        raise CorrectionsError(f"{out_dir}: no graded student named {student!r} (grade them first)")
    corrections = load(out_dir)
    entry = _checked({"student": student, "points": points, "reason": reason}, out_dir / FILE, "new")
    corrections.setdefault(student, []).append(entry)
    atomic_write(out_dir / FILE, toml_text(corrections))


def toml_text(corrections):
    # json.dumps writes a string TOML reads back as the same basic string (escapes included).
    lines = ["# nngrade adjust: corrections kept across regrades; edit by hand or with the command", ""]
    for student in sorted(corrections):
        for entry in corrections[student]:
            lines += ["[[adjustment]]", f"student = {json.dumps(student)}", f"points = {entry['points']!r}",
                      f"reason = {json.dumps(entry['reason'])}", ""]
    return "\n".join(lines)


def corrected(record, entries):
    """The record with its late penalty (grader.late, set when graded) and these adjustments
    applied, from its graded score: applying twice gives the same record."""
    graded = record.get("graded_score", record["score"])
    record = {**record, "graded_score": graded, "adjustments": list(entries)}
    record["score"] = max(0.0, graded + sum(e["points"] for e in all_corrections(record)))
    if not all_corrections(record):
        del record["adjustments"], record["graded_score"]
    return record


def apply(out_dir):
    """Bring every student's record and feedback in line with OUT/adjustments.toml; returns the
    names in the file that no graded student has (to be told, not dropped)."""
    out_dir = Path(out_dir)
    corrections = load(out_dir)
    unknown = []
    for student in sorted(set(corrections) | _adjusted_students(out_dir)):
        record = read_student(out_dir, student)
        if record is None:
            unknown.append(student)
            continue
        fixed = corrected(record, corrections.get(student, []))
        if fixed != record:
            rewrite_student(out_dir, fixed)
    return unknown


def _adjusted_students(out_dir):
    """Students whose stored record carries corrections or a late penalty not yet applied (one
    removed from the file is undone)."""
    return {r["student"] for r in graded_records(out_dir) if r.get("adjustments") or r.get("late")}


def rewrite_student(out_dir, record):
    """results.json, feedback.md and feedback.html again from the stored record; feedback.html
    keeps its plots (drawn when the student was graded, not stored in the record)."""
    page = Path(out_dir) / record["student"] / FEEDBACK_HTML
    try:
        old = page.read_text(encoding="utf-8")
    except OSError:
        old = ""
    write_student(out_dir, record)
    if PLOTS_MARK in old:
        plots = old[old.index(PLOTS_MARK):old.rindex("</body>")]
        new = page.read_text(encoding="utf-8")
        atomic_write(page, new.replace("</body>", plots + "</body>", 1))
