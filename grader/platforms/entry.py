"""What both platforms' entry points do for one submission: find the files, grade them in the
sandbox, and always end with a record (never an exception), plus details for the staff."""
import os
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from grader.platforms import kit

CONTACT_STAFF = ("The autograder itself failed on this submission (not your code's fault, as far as it can tell): "
                 "please contact the course staff. Your files were received.")


@dataclass
class Outcome:
    record: dict = None  # the grader's record (all zeros when nothing could be graded)
    kind: str = "graded"  # "graded" | "not-gradable" (the upload) | "grader-failed"
    message: str = ""  # for the student, when not graded
    details: str = ""  # for the staff (stdout)
    timings: dict = field(default_factory=dict)


def process_started():
    """time.time() when this process started (so start-up includes the interpreter's own)."""
    try:
        with open("/proc/self/stat") as stat:
            start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as uptime:
            up = float(uptime.read().split()[0])
        return time.time() - (up - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.time()


def grade_upload(upload_dir, kit_root, hide, student="submission", plots=True, entry_script="the entry point"):
    """Outcome for the upload in `upload_dir`, graded with the kit in `kit_root` (plots: draw the
    feedback's plots, which PrairieLearn shows and Gradescope does not; entry_script: the platform's
    script the staff would edit, named when the sandbox refuses)."""
    started = process_started()
    kit_root = Path(kit_root)
    try:
        kit.make_root_only(kit_root)
        from grader.platforms.single import grade_one, not_graded_record
        from grader.intake.uploads import find_upload
        from grader.rubric import load_checked_rubric

        rubric = load_checked_rubric(kit_root / kit.RUBRIC)  # once, here: grading is given the Rubric
        modules = rubric.modules
        with tempfile.TemporaryDirectory(prefix="nngrade-upload-") as work:
            upload = find_upload(upload_dir, modules, work, kit_root / kit.NOTEBOOKS)
            if upload.folder is None:
                record = not_graded_record(rubric, student, upload.problem, kit_root / "solutions")
                return Outcome(record, "not-gradable", upload.problem, upload.problem)
            graded = grade_one(upload.folder, student=student, rubric=rubric, cache_path=kit_root / kit.CACHE,
                               hide=[*hide, work], solutions_dir=kit_root / "solutions", started=started, plots=plots,
                               entry_script=entry_script)
        details = (f"class context: {graded.context}; timings: {graded.timings}; "
                   f"isolation: {', '.join(graded.record.get('isolation') or []) or 'none'}")
        if upload.notebooks:
            details += f"; rebuilt from notebooks: {', '.join(upload.notebooks)}"
        if graded.error:
            return Outcome(graded.record, "grader-failed", CONTACT_STAFF, f"{details}\n{graded.error}", graded.timings)
        return Outcome(graded.record, "graded", "", details, graded.timings)
    except Exception:  # noqa: BLE001 - the student still gets a results file
        return Outcome(None, "grader-failed", CONTACT_STAFF, traceback.format_exc())
