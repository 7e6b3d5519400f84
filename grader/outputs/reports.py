"""Writers: per-student results.json (Gradescope's schema), feedback.md and feedback.html, the class grades.csv.

Every file is written atomically (temporary file + rename), so a grader killed at any moment
leaves either the old file or the new one, never half of one. A student's feedback.md and
results.json are each at most OUTPUT_BYTES (see capped).
"""
import csv
import io
import json
import os
import stat
from pathlib import Path

from grader.atomic import atomic_write
from grader.outputs.feedback import failed_check_markdown, feedback_markdown, summary_markdown
from grader.points import points_text
from grader.outputs.feedback_html import FEEDBACK_HTML, feedback_html
from grader.limits import OUTPUT_BYTES, shorten, size_text
from grader.outputs.spreadsheet import as_text
from grader.outputs.visibility import shown_record

RESULTS = "results.json"
FEEDBACK = "feedback.md"
GRADES = "grades.csv"
# OUT holds one folder per student and the kit's own files (grades.csv, summary.json, report.html,
# ...). One rule keeps them apart: the kit's files at OUT's top level end in one of these suffixes,
# and no student folder may (grader.class_plan.list_students skips such names with a note).
KIT_FILE_SUFFIXES = (".csv", ".html", ".json", ".md", ".toml", ".txt", ".zip")


def is_kit_file_name(name):
    return name.lower().endswith(KIT_FILE_SUFFIXES)


def make_private_output(out_dir):
    """OUT, created if missing: only the grader's user may enter it (its parents get the usual modes)."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        out_dir.mkdir(mode=0o700)
    except FileExistsError:
        pass


def refuse_untrusted_output(out_dir):
    """Why the grader must not resume from OUT (None if it may): OUT, a student's folder or record
    that another local user could have written (writable by the group or others, owned by another
    user, or a symbolic link), so that it may hold a record the grader never wrote. Every folder in
    OUT is checked: the gradebook holds every student graded into it, by any run."""
    out_dir = Path(out_dir)
    try:
        folders = [p for p in out_dir.iterdir() if p.is_symlink() or p.is_dir()]
    except OSError as exc:
        return f"{out_dir}: cannot be listed ({exc.strerror})"
    for path in (out_dir, *(p for folder in sorted(folders) for p in (folder, folder / RESULTS))):
        why = _not_the_graders(path, is_out=path == out_dir)
        if why:
            return (f"{path}: {why}; the grader resumes only from what it wrote itself. Check its contents, then "
                    f"`chmod -R go-w {out_dir}` (or grade into a new folder)")
    return None


def _not_the_graders(path, is_out=False):
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be checked ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode) and not is_out:
        return "is a symbolic link"
    if is_out:
        info = os.stat(path)
    if info.st_uid not in (os.geteuid(), 0):
        return f"is owned by another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return f"is writable by {'others' if info.st_mode & 0o002 else 'its group'} (mode {stat.S_IMODE(info.st_mode):o})"
    return None


def all_corrections(record):
    """The late penalty, if any, then the instructor's adjustments."""
    return ([record["late"]] if record.get("late") else []) + list(record.get("adjustments") or [])


def gradescope_results(result):
    """Gradescope's results.json: score, execution_time, a markdown summary of the functions
    students see at once (grader.outputs.visibility), one test per check (its visibility from the rubric);
    our full record under extra_data (staff only)."""
    tests = []
    for function in result["functions"]:
        name = function["function"].split(".", 1)[1]
        for check in function["checks"]:
            tests.append({
                "name": f"{function['function']}: {check['check']}",
                "score": check["score"],
                "max_score": check["max_score"],
                "status": "passed" if check["passed"] else "failed",
                "output": "passed" if check["passed"] else "\n".join(failed_check_markdown(name, check, function["function"])),
                "output_format": "md",
                "visibility": function.get("visibility", "visible"),
            })
    return {
        "score": result["score"],  # hidden tests count, as Gradescope counts them
        "execution_time": result["execution_time"],
        "output": summary_markdown(shown_record(result)),  # always shown: names no hidden function
        "output_format": "md",
        "tests": tests,
        "extra_data": {k: result.get(k) for k in ("student", "max_score", "fingerprint", "submission_digest", "isolation", "notices", "functions", "problems", "truncated", "function_seconds")}
                      | {k: result[k] for k in ("graded_score", "adjustments", "late", "submitted") if k in result},  # grader.corrections
    }


def results_json(result):
    # Compact: the indented form takes json's pure-Python encoder, several ms per student.
    return json.dumps(gradescope_results(result), sort_keys=True) + "\n"


def write_student(out_dir, result):
    folder = Path(out_dir) / result["student"]
    markdown = capped(feedback_markdown, result)
    atomic_write(folder / FEEDBACK, markdown)
    atomic_write(folder / FEEDBACK_HTML, feedback_html(result, markdown))
    atomic_write(folder / RESULTS, capped(results_json, result))


TEXT_LIMITS = (1000, 300, 100, 30, 0)  # characters per text field, tried in turn until the output fits


def capped(render, result, limit=OUTPUT_BYTES):
    """render(result), at most `limit` bytes of UTF-8: when the full text is larger, every text
    field (messages, inputs, values, hints, problems) is shortened until it fits, and the output
    says so. Scores and the list of checks are always complete, so the file stays readable."""
    text = render(result)
    size = len(text.encode("utf-8"))
    if size <= limit:
        return text
    note = f"output truncated: {size_text(size)} over the {size_text(limit)} limit (long texts were shortened)"
    for chars in TEXT_LIMITS:
        text = render({**_short_texts(result, chars), "truncated": note})
        if len(text.encode("utf-8")) <= limit:
            return text
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")  # a rubric too large for any text to fit


def _short_texts(result, chars):
    """A copy of the record with each text field at most `chars` characters."""
    cut = lambda text: shorten(str(text), chars)  # noqa: E731
    functions = [{**f, **({"note": cut(f["note"])} if "note" in f else {}),
                  "checks": [{k: cut(v) if k in ("message", "hint", "input", "expected", "got") else v for k, v in c.items()}
                             for c in f["checks"]]} for f in result["functions"]]
    return {**result, "functions": functions, "problems": {k: cut(v) for k, v in result.get("problems", {}).items()},
            "notices": [cut(n) for n in result.get("notices", [])]}


def read_student(out_dir, student):
    """The stored record of a graded student, or None if absent or unreadable."""
    try:
        data = json.loads((Path(out_dir) / student / RESULTS).read_text())
        record = dict(data["extra_data"])
        record["score"] = data["score"]
        record["execution_time"] = data.get("execution_time", 0.0)
        return record
    except (OSError, ValueError, KeyError, TypeError):
        return None


def grade_row(record):
    """The little a gradebook row needs from a student's record (None stays None)."""
    if record is None:
        return None
    return {"student": record["student"], "score": record["score"], "max_score": record["max_score"],
            "points": {f["function"]: f["score"] for f in record["functions"]},
            "failed": "(grader)" in (record.get("problems") or {}), "fingerprint": record.get("fingerprint"),
            "adjustment": sum(a["points"] for a in all_corrections(record)) if "graded_score" in record else 0.0}


def graded_records(out_dir):
    """The record of every student graded into out_dir (each OUT/<student>/results.json), whichever
    run graded them, one at a time (memory stays flat), in name order."""
    for folder in sorted(Path(out_dir).iterdir()):
        record = read_student(out_dir, folder.name) if folder.is_dir() else None
        if record is not None and record.get("student") == folder.name:
            yield record


def grades_csv(rows, functions):
    """One row per student: student, score, max_score, the points per function, then the instructor's
    adjustment (grader.corrections; score = the points plus it, never below 0); text cells are
    never formulas in a spreadsheet (a student named `=1+2` is written '=1+2). Lines end in CRLF
    (RFC 4180): the csv module then quotes a name holding a carriage return, which would end a row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["student", "score", "max_score", *map(as_text, functions), "adjustment"])
    for row in sorted(rows, key=lambda r: r["student"]):
        writer.writerow([as_text(row["student"]), points_text(row["score"]), points_text(row["max_score"]),
                         *(points_text(row["points"].get(f, 0.0)) for f in functions), points_text(row.get("adjustment", 0.0))])
    return buffer.getvalue()


def write_grades(out_dir, rows, functions):
    table = grades_csv(rows, functions)
    atomic_write(Path(out_dir) / GRADES, table)
