"""The demo class's graded output as digests: what a refactor must keep byte for byte.

Each demo student's feedback.md, feedback.html and results.json (without what belongs to the
machine or the moment: timings, the kit fingerprint, the sandbox's layers, the files' times) and
their row of grades.csv are hashed; tests/golden/demo_class.json stores the digests. After an
intended change of grades or feedback, REWRITE grades the demo class again and stores its digests.
"""
import csv
import hashlib
import io
import json
import sys
import tempfile
from pathlib import Path

from grader import PROJECT_ROOT
from grader.outputs.feedback_html import FEEDBACK_HTML
from grader.outputs.reports import FEEDBACK, GRADES, RESULTS

GOLDEN = PROJECT_ROOT / "tests" / "golden" / "demo_class.json"
REWRITE = "python -m grader.devtools.golden --write"
# results.json's fields that differ between two gradings of the same files (extra_data's, but
# execution_time, which is top-level).
MACHINE_FIELDS = ("fingerprint", "function_seconds", "isolation", "notices", "submitted")


def _sha(data):
    return hashlib.sha256(data).hexdigest()


def stable_results(data):
    """results.json's bytes without its machine's fields (re-serialised with sorted keys)."""
    record = json.loads(data)
    record.pop("execution_time", None)
    extra = record.get("extra_data") or {}
    for field in MACHINE_FIELDS:
        extra.pop(field, None)
    return json.dumps(record, sort_keys=True, ensure_ascii=False).encode()


def grades_rows(data, students):
    """{key: bytes} of grades.csv: its header and the row of each of `students`, as written."""
    lines = data.decode().splitlines(keepends=True)
    rows = {"grades.csv (header)": lines[0].encode()}
    for line in lines[1:]:
        student = next(csv.reader(io.StringIO(line)))[0]
        if student in students:
            rows[f"grades.csv (row {student})"] = line.encode()
    return rows


def class_digests(out_dir, students):
    """{file or grades.csv row: sha256} of the graded output of `students` in out_dir; a file that
    is missing gets the digest "missing"."""
    out_dir = Path(out_dir)
    digests = {}
    for student in sorted(students):
        for name, normalise in ((FEEDBACK, bytes), (FEEDBACK_HTML, bytes), (RESULTS, stable_results)):
            path = out_dir / student / name
            digests[f"{student}/{name}"] = _sha(normalise(path.read_bytes())) if path.is_file() else "missing"
    grades = out_dir / GRADES
    rows = grades_rows(grades.read_bytes(), set(students)) if grades.is_file() else {}
    for student in sorted(students):
        key = f"grades.csv (row {student})"
        digests[key] = _sha(rows[key]) if key in rows else "missing"
    digests["grades.csv (header)"] = _sha(rows["grades.csv (header)"]) if rows else "missing"
    return digests


def differences(stored, found):
    """One line per file that differs between two digest tables ([] if none)."""
    lines = []
    for key in sorted(set(stored) | set(found)):
        if key not in found:
            lines.append(f"{key}: no longer graded")
        elif key not in stored:
            lines.append(f"{key}: new (not in {GOLDEN.name})")
        elif stored[key] != found[key]:
            lines.append(f"{key}: {'missing' if found[key] == 'missing' else 'changed'}")
    return lines


def read_golden(path=GOLDEN):
    return json.loads(Path(path).read_text())["digests"]


def write_golden(path=GOLDEN, jobs=2):
    """Grade the demo class afresh and store its digests in `path`; returns the changed files."""
    from grader.batch import grade_folder
    from grader.devtools.demo import write_demo_class

    with tempfile.TemporaryDirectory() as tmp:
        students = write_demo_class(Path(tmp) / "submissions")
        grade_folder(Path(tmp) / "submissions", Path(tmp) / "results", jobs=jobs, progress=False, insecure=True)
        found = class_digests(Path(tmp) / "results", students)
    path = Path(path)
    changed = differences(read_golden(path), found) if path.is_file() else ["(all: first written)"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"about": f"digests of the graded demo class; rewrite with `{REWRITE}`",
                                "digests": found}, indent=1, sort_keys=True) + "\n")
    return changed


def main(argv=None):
    """`python -m grader.devtools.golden --write`: grade the demo class and store its digests as the
    golden ones (tests/golden/demo_class.json), after an intended change of grades or feedback."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m grader.devtools.golden", description=main.__doc__)
    parser.add_argument("--write", action="store_true", required=True, help=f"grade the demo class and rewrite {GOLDEN}")
    parser.add_argument("--jobs", type=int, default=2, help="parallel lanes (default: 2)")
    args = parser.parse_args(argv)
    changed = write_golden(jobs=args.jobs)
    print(f"{GOLDEN}: {len(changed)} file(s) changed" + "".join(f"\n  {line}" for line in changed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
