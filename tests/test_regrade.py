"""Regrading never loses a student: OUT/grades.csv holds every student graded
into OUT whatever subset a run grades, `--student NAME` regrades just those students, and a
submission whose files, rubric or kit changed is graded again, never resumed."""
import csv
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from grader import EXERCISES_DIR, SOLUTIONS_DIR
from grader import lanes
from grader.batch import grade_folder
from grader.cli import main as nngrade
from grader.judging.fingerprint import fingerprint
from helpers.contexts import build_context
from grader.outputs.reports import GRADES, is_kit_file_name, read_student
from grader.rubric import load_checked_rubric

from helpers.class_submissions import SMALL_CLASS as CLASS


def _copy(source, folder):
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("__pycache__", "test_*", "conftest.py"))


def _gradebook(out):
    with open(out / GRADES, newline="") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


def _hand_in(folder, module):
    """The student replaces a stub module by a working one."""
    shutil.copy(SOLUTIONS_DIR / f"{module}.py", folder / f"{module}.py")


@pytest.fixture
def graded_class(small_class):
    """The session's small class (tests/conftest.py), a copy of its own per test: (subs, out, gradebook)."""
    subs, out = small_class
    return subs, out, _gradebook(out)


def _only_bob_changed(before, after):
    assert set(after) == set(CLASS)
    assert {s: after[s] for s in ("alice", "carol")} == {s: before[s] for s in ("alice", "carol")}
    assert float(after["bob"]["score"]) > float(before["bob"]["score"])


def test_regrading_one_student_by_name_keeps_the_others(graded_class, ctx, monkeypatch, capsys):
    subs, out, before = graded_class
    _hand_in(subs / "bob", "ex03_activations")
    assert _run(ctx, monkeypatch, ["grade", str(subs), "--out", str(out), "--student", "bob", "--jobs", "1", "--no-progress"]) == 0
    assert "graded 1 submission(s), resumed 0" in capsys.readouterr().out
    _only_bob_changed(before, _gradebook(out))


def test_regrading_a_folder_holding_one_student_keeps_the_others(graded_class, ctx, tmp_path):
    subs, out, before = graded_class
    _copy(subs / "bob", tmp_path / "late" / "bob")
    _hand_in(tmp_path / "late" / "bob", "ex01_perceptron")
    summary = grade_folder(tmp_path / "late", out, jobs=1, progress=False, ctx=ctx)
    assert (summary["graded"], summary["resumed"]) == (1, 0)
    _only_bob_changed(before, _gradebook(out))


def test_student_names_the_same_submission_regraded(graded_class, ctx, monkeypatch, capsys):
    """--student grades again even when nothing changed (e.g. after a time-out on a busy machine)."""
    subs, out, before = graded_class
    assert _run(ctx, monkeypatch, ["grade", str(subs), "--out", str(out), "--student", "alice", "--student", "carol",
                               "--jobs", "1", "--no-progress"]) == 0
    assert "graded 2 submission(s), resumed 0" in capsys.readouterr().out
    assert _gradebook(out) == before


def test_an_unknown_student_is_an_error_naming_the_closest(graded_class, capsys):
    subs, out, before = graded_class
    assert nngrade(["grade", str(subs), "--out", str(out), "--student", "bobb", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "no student folder named 'bobb' (did you mean 'bob'?)" in err and "Traceback" not in err
    assert _gradebook(out) == before


def test_a_changed_submission_is_graded_again_not_resumed(graded_class, ctx):
    subs, out, before = graded_class
    _hand_in(subs / "bob", "ex04_mlp_forward")
    summary = grade_folder(subs, out, jobs=1, progress=False, ctx=ctx)
    assert (summary["graded"], summary["resumed"]) == (1, 2)
    _only_bob_changed(before, _gradebook(out))


def test_a_changed_rubric_grades_everyone_again(graded_class, tmp_path):
    subs, out, before = graded_class
    rubric = tmp_path / "rubric.toml"
    text = (SOLUTIONS_DIR.parent / "grader" / "rubric.toml").read_text()
    rubric.write_text(text.replace("[ex03_activations.sigmoid]\nmatches_reference = 1", "[ex03_activations.sigmoid]\nmatches_reference = 5", 1))
    assert rubric.read_text() != text
    rubric = load_checked_rubric(rubric)
    summary = grade_folder(subs, out, rubric=rubric, jobs=2, progress=False, ctx=build_context(rubric))
    assert (summary["graded"], summary["resumed"]) == (3, 0)
    assert float(_gradebook(out)["alice"]["max_score"]) == float(before["alice"]["max_score"]) + 4


def test_another_library_version_is_another_kit(monkeypatch):
    from grader.judging import fingerprint as fingerprint_module

    before = fingerprint()
    real = fingerprint_module.metadata.version
    monkeypatch.setattr(fingerprint_module.metadata, "version", lambda name: "0.0-other" if name == "hypothesis" else real(name))
    assert fingerprint() != before


def _bigger_sigmoid_rubric(tmp_path):
    rubric = tmp_path / "rubric.toml"
    text = (SOLUTIONS_DIR.parent / "grader" / "rubric.toml").read_text()
    rubric.write_text(text.replace("[ex03_activations.sigmoid]\nmatches_reference = 1", "[ex03_activations.sigmoid]\nmatches_reference = 5", 1))
    return rubric


def test_a_changed_rubric_for_one_student_is_refused_not_mixed(graded_class, tmp_path, capsys):
    subs, out, before = graded_class
    rubric = _bigger_sigmoid_rubric(tmp_path)
    assert nngrade(["grade", str(subs), "--out", str(out), "--rubric", str(rubric), "--student", "bob", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "another rubric or kit version" in err and "alice" in err and "carol" in err and "Traceback" not in err
    assert _gradebook(out) == before


def test_a_changed_rubric_on_a_folder_of_one_student_is_refused_not_mixed(graded_class, tmp_path):
    from grader.batch import BatchError

    subs, out, before = graded_class
    only_bob = tmp_path / "only_bob"
    _copy(subs / "bob", only_bob / "bob")
    rubric = load_checked_rubric(_bigger_sigmoid_rubric(tmp_path))
    with pytest.raises(BatchError, match=r"2 student\(s\) graded with another rubric"):
        grade_folder(only_bob, out, rubric=rubric, jobs=1, progress=False, ctx=build_context(rubric))


def _run(ctx, monkeypatch, argv):
    """`nngrade ARGV` in this process, on the session's class context (built once)."""
    monkeypatch.setattr(lanes, "class_context", lambda *args, **kwargs: ctx)
    return nngrade(argv)


def test_no_student_is_lost_without_a_recorded_failure_and_a_failed_run(graded_class, ctx, tmp_path, monkeypatch, capsys):
    """In an existing output: an exception in a lane, a record that cannot be written, an unreadable
    file, student folders named like the kit's own files. The others are graded, the run fails."""
    subs, out, before = graded_class
    for student, source in {"erin": EXERCISES_DIR, "frank": EXERCISES_DIR, "gina": SOLUTIONS_DIR,
                            "summary.json": SOLUTIONS_DIR, "report.html": SOLUTIONS_DIR}.items():
        _copy(source, subs / student)
    unreadable = subs / "gina" / "ex03_activations.py"
    real_read, real_write, real_read_bytes = lanes.read_entry, lanes.write_student, Path.read_bytes

    def read(folder, modules, *rest):
        if Path(folder).name == "erin":
            raise RuntimeError("a bug while reading erin")
        return real_read(folder, modules, *rest)

    def write(out_dir, record):
        if record["student"] == "frank":
            raise OSError(28, "No space left on device")
        real_write(out_dir, record)

    def read_bytes(path):
        if path == unreadable:
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(path)

    with monkeypatch.context() as patch:
        patch.setattr(lanes, "read_entry", read)
        patch.setattr(lanes, "write_student", write)
        patch.setattr(Path, "read_bytes", read_bytes)
        code = _run(ctx, patch, ["grade", str(subs), "--out", str(out), "--jobs", "1", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1, err
    book = _gradebook(out)
    assert {s: book[s] for s in CLASS} == before
    assert book["erin"]["score"] == "0" and "erin: internal grader error (RuntimeError: a bug while reading erin)" in err
    assert "frank" not in book and re.search(r"error: frank: missing from the gradebook: .*No space left", err)
    gina = read_student(out, "gina")
    assert "ex03_activations.py cannot be read (Permission denied)" in gina["problems"]["ex03_activations"]
    assert gina["score"] > 0 and all(f["score"] == 0 for f in gina["functions"] if f["function"].startswith("ex03_"))
    for name in ("summary.json", "report.html"):
        assert re.search(rf"note: .*{re.escape(name)}: skipped, names ending in .*\.json.* are kept for the grader's own files", err)
        assert (out / name).is_file() and name not in book
    assert "Traceback" not in err
    # The failed students are graded again by the next run, not resumed (gina too: her file is readable now).
    shutil.rmtree(subs / "summary.json")
    shutil.rmtree(subs / "report.html")
    assert _run(ctx, monkeypatch, ["grade", str(subs), "--out", str(out), "--jobs", "1", "--no-progress"]) == 0
    assert "graded 3 submission(s), resumed 3" in capsys.readouterr().out
    assert {"erin", "frank", "gina"} <= set(_gradebook(out))


def test_every_file_the_kit_writes_in_the_output_is_named_as_no_student_can_be(graded_class):
    subs, out, _ = graded_class
    kit_files = [p.name for p in out.iterdir() if not p.is_dir()]
    assert {GRADES, "summary.json", "report.html"} <= set(kit_files)
    assert all(is_kit_file_name(name) for name in kit_files), kit_files
    assert not any(is_kit_file_name(student) for student in CLASS)


def test_the_output_is_private_and_a_resume_trusts_only_what_the_grader_wrote(graded_class, ctx, monkeypatch, capsys):
    subs, out, before = graded_class
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    record = out / "alice" / "results.json"
    for path, mode, why in ((out, 0o777, "writable by others"), (out, 0o770, "writable by its group"),
                            (record, 0o666, "writable by others")):
        path.chmod(mode)
        assert _run(ctx, monkeypatch, ["grade", str(subs), "--out", str(out), "--no-progress"]) == 2
        err = capsys.readouterr().err
        assert f"error: {path}: is {why}" in err and "resumes only from what it wrote" in err, err
        path.chmod(0o700 if path == out else 0o644)
    os.chown(record, 65534, 65534)  # nobody's
    assert _run(ctx, monkeypatch, ["grade", str(subs), "--out", str(out), "--no-progress"]) == 2
    assert f"error: {record}: is owned by another user" in capsys.readouterr().err
    os.chown(record, os.geteuid(), os.getegid())
    assert _run(ctx, monkeypatch, ["grade", str(subs), "--out", str(out), "--no-progress"]) == 0
    assert _gradebook(out) == before
