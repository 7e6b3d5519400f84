"""The demo class grades byte for byte as stored: grades, feedback and results of every demo student."""
import json
import shutil

from grader.devtools.demo import demo_students
from grader.devtools.golden import REWRITE, class_digests, differences, read_golden


def test_the_demo_class_grades_and_feedback_are_unchanged(graded_class):
    root, _ = graded_class  # the class of tests/conftest.py holds the demo class
    changed = differences(read_golden(), class_digests(root / "out", demo_students()))
    assert not changed, ("the demo class's graded output differs from tests/golden/demo_class.json:\n  "
                         + "\n  ".join(changed) + f"\nif the change is intended, rewrite the digests: {REWRITE}")


def _one_student_graded(graded_class, tmp_path):
    root, _ = graded_class
    shutil.copytree(root / "out" / "mistake_update_with_raw_score", tmp_path / "mistake_update_with_raw_score")
    shutil.copy(root / "out" / "grades.csv", tmp_path / "grades.csv")
    return tmp_path, ["mistake_update_with_raw_score"]


def test_a_changed_byte_of_feedback_or_score_is_named(graded_class, tmp_path):
    out, students = _one_student_graded(graded_class, tmp_path)
    before = class_digests(out, students)
    feedback = out / students[0] / "feedback.html"
    feedback.write_bytes(feedback.read_bytes().replace(b"</html>", b" </html>"))
    results = out / students[0] / "results.json"
    record = json.loads(results.read_text())
    record["score"] += 1
    results.write_text(json.dumps(record))
    (out / students[0] / "feedback.md").unlink()
    assert differences(before, class_digests(out, students)) == [
        f"{students[0]}/feedback.html: changed", f"{students[0]}/feedback.md: missing", f"{students[0]}/results.json: changed"]


def test_timings_and_the_machine_do_not_count(graded_class, tmp_path):
    out, students = _one_student_graded(graded_class, tmp_path)
    before = class_digests(out, students)
    results = out / students[0] / "results.json"
    record = json.loads(results.read_text())
    record["execution_time"] += 1
    record["extra_data"].update(fingerprint="0" * 16, function_seconds={}, isolation=[], notices=["x"],
                                submitted={"at": "2000-01-01T00:00:00+00:00"})
    results.write_text(json.dumps(record, indent=2))
    assert differences(before, class_digests(out, students)) == []
