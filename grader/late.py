"""The rubric's late policy ([late]) and when each student handed in.

    [late]
    deadline = 2026-12-01T23:59:00Z   # a TOML date-time with its time zone
    penalty_per_day = 0.1             # a fraction of the maximum score per day or part of a day late
    max_penalty = 0.5                 # the most lateness can cost, as a fraction (default 1)
    [late.extensions]
    bob = 2                           # days added to bob's deadline

The hand-in time is the one the instructor gives (`nngrade grade --submitted-times FILE`, a CSV
with `student` and `submitted` columns, ISO 8601 with a time zone), else the newest modification
time of the student's files. The penalty is a correction of its own (grader.corrections): shown in
the feedback with the time and where it came from, in grades.csv's adjustment column.
"""
import csv
import datetime
import math
import os
from pathlib import Path

from grader.points import points_text

DAY = datetime.timedelta(days=1)
FILE_TIMES = "the newest modification time of the submitted files"


class LateError(ValueError):
    """The [late] table or the submission times file is malformed; the message names the file."""


def policy(table, path):
    """The checked [late] table (None when the rubric has none)."""
    if table is None:
        return None
    where = f"{path}: [late]"
    if not isinstance(table, dict):
        raise LateError(f"{where} must be a table")
    unknown = sorted(set(table) - {"deadline", "penalty_per_day", "max_penalty", "extensions"})
    if unknown:
        raise LateError(f"{where} names unknown keys {unknown} (known: deadline, penalty_per_day, max_penalty, extensions)")
    deadline = table.get("deadline")
    if not isinstance(deadline, datetime.datetime) or deadline.tzinfo is None:
        raise LateError(f"{where} deadline must be a date-time with a time zone, e.g. 2026-12-01T23:59:00Z; got {deadline!r}")
    per_day, most = table.get("penalty_per_day"), table.get("max_penalty", 1.0)
    for name, value in (("penalty_per_day", per_day), ("max_penalty", most)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise LateError(f"{where} {name} must be a fraction of the maximum score between 0 and 1, got {value!r}")
    extensions = table.get("extensions", {})
    if not isinstance(extensions, dict) or not all(
            isinstance(d, (int, float)) and not isinstance(d, bool) and d >= 0 for d in extensions.values()):
        raise LateError(f"{where} extensions must map students to a non-negative number of days")
    return {"deadline": deadline.isoformat(), "penalty_per_day": float(per_day), "max_penalty": float(most),
            "extensions": {str(k): float(v) for k, v in extensions.items()}}


def read_times(path):
    """{student: aware datetime} from the instructor's CSV (student, submitted)."""
    path = Path(path)
    try:
        rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    except (OSError, UnicodeDecodeError) as exc:
        raise LateError(f"{path}: cannot read it ({exc})") from None
    times = {}
    for line, row in enumerate(rows, start=2):
        student, text = (row.get("student") or "").strip(), (row.get("submitted") or "").strip()
        if not student or not text:
            raise LateError(f"{path}, line {line}: needs a student and a submitted time (columns student, submitted)")
        try:
            when = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise LateError(f"{path}, line {line}: {text!r} is not an ISO 8601 time (e.g. 2026-12-01T22:10:00+01:00)") from None
        if when.tzinfo is None:
            raise LateError(f"{path}, line {line}: {text!r} has no time zone (add Z or +01:00)")
        times[student] = when
    return times


def file_time(entry):
    """The newest modification time of a student's files (links not followed), as an aware datetime."""
    entry = Path(entry)
    newest = os.lstat(entry).st_mtime
    if entry.is_dir() and not entry.is_symlink():
        for count, (folder, _, files) in enumerate(os.walk(entry)):
            for name in files:
                newest = max(newest, os.lstat(os.path.join(folder, name)).st_mtime)
            if count > 1000:
                break
    return datetime.datetime.fromtimestamp(newest, datetime.timezone.utc)


def submitted(entry, student, times=None):
    """{"at": ISO time, "source": where it came from} for the record."""
    if times and student in times:
        return {"at": times[student].isoformat(), "source": "the submission times given by the instructor"}
    return {"at": file_time(entry).isoformat(timespec="seconds"), "source": FILE_TIMES}


def penalty(late_policy, student, handed_in, max_score):
    """The late correction {"points": -p, "reason": ...} for this hand-in, or None when on time."""
    if not late_policy or not handed_in:
        return None
    extension = late_policy["extensions"].get(student, 0.0)
    due = datetime.datetime.fromisoformat(late_policy["deadline"]) + extension * DAY
    when = datetime.datetime.fromisoformat(handed_in["at"])
    if when <= due:
        return None
    days = math.ceil((when - due) / DAY)
    fraction = min(late_policy["max_penalty"], days * late_policy["penalty_per_day"])
    points = round(fraction * max_score, 2)
    extended = f" (with a {points_text(extension)}-day extension)" if extension else ""
    return {"points": -points, "reason": f"late: handed in {handed_in['at']} ({handed_in['source']}), {days} day(s) after "
                                         f"the deadline {due.isoformat()}{extended}: {fraction:.0%} of {points_text(max_score)}"}
