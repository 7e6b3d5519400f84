"""Every student's feedback page in the layout an LMS's bulk feedback upload takes, so courses
that grade with `nngrade grade` and import grades into Canvas or Moodle can also hand back the
feedback in one step (`nngrade export ... --feedback-zip FILE`).

- Moodle (Assignment → View all submissions → Grading action "Upload multiple feedback files in a
  zip"): one folder per student named `<full name>_<participant>_assignfeedback_file_`, holding
  feedback.html; `participant` is the number of the Identifier column ("Participant 1234567") of
  the assignment's offline grading worksheet. Moodle splits the folder name at underscores, so
  none are left in the name.
- Canvas (Gradebook → the assignment's menu → "Re-Upload Submissions"): one file per student named
  `<name>_<id>_feedback.html`, attached as a comment to that student's submission; `id` is the ID
  column of Canvas's gradebook export, the first all-digit part of the name.
"""
import re
import zipfile
from pathlib import Path

from grader.outputs.feedback_html import FEEDBACK_HTML


class FeedbackZipError(ValueError):
    """A student cannot be placed in the zip; the message says which and why."""


def _name_part(text):
    """A person's name as one part of an underscore-separated file name (no _, /, control characters)."""
    cleaned = re.sub(r"[\x00-\x1f\x7f_/\\:]+", " ", text).strip()
    return re.sub(r"\s+", " ", cleaned) or "student"


def moodle_path(student, ids):
    participant = (ids.get("participant") or "").removeprefix("Participant").strip()
    if not participant.isdigit():
        raise FeedbackZipError(f"{student}: the roster's participant column needs Moodle's participant number "
                               f"(the worksheet's Identifier, e.g. 'Participant 1234567'), got {participant!r}")
    return f"{_name_part(ids.get('name') or student)}_{participant}_assignfeedback_file_/{FEEDBACK_HTML}"


def canvas_path(student, ids):
    user_id = (ids.get("id") or "").strip()
    if not user_id.isdigit():
        raise FeedbackZipError(f"{student}: the roster's id column needs Canvas's numeric user ID (the gradebook "
                               f"export's ID column), got {user_id!r}")
    return f"{_name_part(ids.get('name') or student).replace(' ', '').lower()}_{user_id}_feedback.html"


LAYOUTS = {"moodle": moodle_path, "canvas": canvas_path}


def write_feedback_zip(out_dir, roster, lms, archive):
    """The zip of every graded roster student's feedback.html; returns how many were written and
    the roster students without a feedback page."""
    place, written, missing = LAYOUTS[lms], 0, []
    entries = []
    for student in sorted(roster):
        page = Path(out_dir) / student / FEEDBACK_HTML
        if not page.is_file():
            missing.append(student)
            continue
        entries.append((place(student, roster[student]), page))  # every name checked before anything is written
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, page in entries:
            zf.write(page, name)
            written += 1
    return written, missing
