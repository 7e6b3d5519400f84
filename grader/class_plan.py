"""Which students a run grades: the class folder listed, --student selected, the output folder
checked, and the students graded there before by the same kit and rubric from the same files kept
(resume). Nothing is graded here; a plan that cannot stand is a BatchError before anyone is."""
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from grader import corrections, late
from grader.intake.entries import is_zip_entry, read_entry, student_name
from grader.intake.uploads import printable_name
from grader.outputs.reports import (GRADES, KIT_FILE_SUFFIXES, graded_records, is_kit_file_name, make_private_output,
                                    read_student, refuse_untrusted_output)
from grader.outputs.safe_text import one_line
from grader.rubric import closest_name


class BatchError(RuntimeError):
    """Bad command-line input: the message names the path and the problem."""


@dataclass
class ClassPlan:
    students: list  # the class's entries this run covers, in name order
    refused: list  # [(printable name, why)] of entries whose name cannot be a student of the gradebook
    pending: list  # [(entry, handed-in time or None)] to grade, in class order
    resumed: list  # [{"student", "score", "max_score"}] kept from an earlier run, for the progress count


def plan_class(submissions_dir, out_dir, rubric, key, only=(), submitted_times=None):
    """The plan of a run grading submissions_dir into out_dir with this rubric and kit (key: its
    fingerprint); only: the students named by --student (graded again even if unchanged)."""
    students, skipped = list_students(submissions_dir)
    if only:
        students, skipped = select_students(students, only), []
    refused = _skipped(skipped, students)
    out_dir = Path(out_dir)
    if out_dir.resolve().is_relative_to(Path(submissions_dir).resolve()):
        raise BatchError(f"{out_dir}: the output folder must not be inside the submissions folder")
    corrections.load(out_dir)  # a malformed adjustments.toml stops the run before anything is graded
    make_private_output(out_dir)
    untrusted = refuse_untrusted_output(out_dir)
    if untrusted:
        raise BatchError(untrusted)
    times = late.read_times(submitted_times) if submitted_times else None
    _refuse_mixed_rubrics(out_dir, key, {student_name(entry) for entry in students})
    pending, resumed = [], []
    for folder in students:
        handed_in = late.submitted(folder, student_name(folder), times)
        previous = None if only else _resumable(folder, rubric.modules, out_dir, key)
        if previous and (not rubric.late or previous.get("submitted") == handed_in):
            resumed.append({k: previous[k] for k in ("student", "score", "max_score")})
        else:
            pending.append((folder, handed_in))  # read again when graded: sources are not held for the whole class
    return ClassPlan(students, refused, pending, resumed)


def list_students(submissions_dir):
    root = Path(submissions_dir)
    if not root.is_dir():
        raise BatchError(f"{root}: not a folder (expected one sub-folder per student)")
    students, skipped, names = [], [], set()
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        usable = (entry.is_dir() or entry.is_symlink() or is_zip_entry(entry)) and not _unusable_name(student_name(entry))
        usable = usable and student_name(entry) not in names  # alice/ and alice.zip: the folder is graded
        (students if usable else skipped).append(entry)
        names.update([student_name(entry)] if usable else [])
    if not students and not skipped:
        raise BatchError(f"{root}: no student submissions in it (expected one sub-folder or .zip file per student)")
    if not students:
        raise BatchError(f"{root}: none of its entries is a student submission (expected one sub-folder or .zip file "
                         f"per student; found {', '.join(printable_name(e.name) for e in skipped[:5])})")
    return students, skipped


def select_students(students, names):
    """The entries of `students` named in `names` (--student), in class order; BatchError naming
    each unknown name, with the closest student folder."""
    by_name = {student_name(entry): entry for entry in students}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        hints = []
        for name in unknown:
            close = closest_name(name, by_name)
            hints.append(f"{name!r}" + (f" (did you mean {close!r}?)" if close else ""))
        raise BatchError(f"no student folder named {', '.join(hints)} in the submissions")
    return [entry for entry in students if student_name(entry) in set(names)]


def _skipped(skipped, students):
    """Says why each skipped entry is not graded; returns those whose name cannot be a student."""
    refused = []
    for entry in skipped:
        why = _unusable_name(student_name(entry))
        print(one_line(f"note: {printable_name(str(entry))}: skipped, {_skip_reason(entry, students)}"), file=sys.stderr)
        refused += [(printable_name(entry.name), why)] if why else []
    return refused


def _unusable_name(name):
    """Why a folder name cannot be a student of the gradebook (None if it can): the name becomes
    OUT/<name>/ and a row of grades.csv, both written as UTF-8 text next to grades.csv."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "the folder name is not valid UTF-8 text: rename it (e.g. without accents) and grade again"
    if is_kit_file_name(name):
        return (f"names ending in {', '.join(KIT_FILE_SUFFIXES)} are kept for the grader's own files in the output "
                f"folder (such as {GRADES}): rename the student folder and grade again")
    return None


def _skip_reason(entry, students):
    if any(student_name(other) == student_name(entry) for other in students):
        return f"another submission of {printable_name(student_name(entry))} is graded (a folder and a .zip of the same name)"
    return (_unusable_name(student_name(entry))
            or "not a student submission (each student needs a folder of .py files or notebooks, or one .zip of it)")


def _refuse_mixed_rubrics(out_dir, key, graded_now):
    """One rubric and kit per output folder: a run may not leave students graded with another
    rubric or kit version beside the ones it grades (their maxima and points would mix)."""
    if not out_dir.is_dir():
        return
    stale = [r["student"] for r in graded_records(out_dir) if r.get("fingerprint") != key and r["student"] not in graded_now]
    if stale:
        shown = ", ".join(stale[:10]) + (f" and {len(stale) - 10} more" if len(stale) > 10 else "")
        raise BatchError(f"{out_dir} holds {len(stale)} student(s) graded with another rubric or kit version that this "
                         f"run would not grade again: {shown}. Grade the whole class into it again (every student "
                         f"folder, without --student), or write to another --out")


def _resumable(folder, modules, out_dir, key):
    """The stored record of this student if it stands (graded by this kit and rubric from the same
    files, without a grader failure), else None: graded (again)."""
    try:
        submission = read_entry(folder, modules)
    except Exception:  # noqa: BLE001 - its lane records why
        return None
    previous = read_student(out_dir, submission.student)
    if (previous and previous.get("fingerprint") == key and "(grader)" not in (previous.get("problems") or {})
            and previous.get("submission_digest") == submission_digest(submission)):
        return previous
    return None


def submission_digest(submission):
    """What a submission's files were, as a record keeps it (a resumed record must be of the same files)."""
    digest = hashlib.sha256()
    for name in sorted(submission.sources):
        digest.update(name.encode() + b"\0" + submission.sources[name].encode() + b"\0")
    for name in sorted(submission.problems):
        digest.update(name.encode() + b"\0" + submission.problems[name].encode() + b"\0")
    return digest.hexdigest()[:16]
