"""The command line catches the instructor's mistakes: a clean error (exit 2,
no traceback, the valid names listed) before anything is graded or created."""
import argparse
import os
import shutil
import stat
import subprocess
import sys
from importlib import metadata

import pytest

from grader import PROJECT_ROOT, SOLUTIONS_DIR
from grader import lanes
from grader.cli import build_parser
from grader.cli import main as nngrade
from grader.rubric import DEFAULT_RUBRIC


@pytest.fixture
def one_student(tmp_path):
    shutil.copytree(SOLUTIONS_DIR, tmp_path / "subs" / "alice", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "subs"


def _fails_cleanly(capsys, argv, *fragments):
    code = nngrade(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err
    return err


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        nngrade(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"nngrade {metadata.version('nngrade')}"


def test_every_subcommand_and_option_says_what_it_does():
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {a.dest: a.help for a in commands._choices_actions}
    assert set(helps) == set(commands.choices) and all(helps.values()), helps
    for name, sub in [("nngrade", parser), *commands.choices.items()]:
        assert sub.description, f"{name}: no description"
        for action in sub._actions:
            if not isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                assert action.help, f"{name} {action.option_strings or action.dest}: no help text"


@pytest.mark.parametrize("argv, usage, guess", [(["grade", "subs", "--rubrik", "r.toml"], "usage: nngrade grade", "--rubric"),
                                               (["export", "out", "--to", "canvas", "--roster", "r.csv", "--out", "c.csv", "--asignment", "hw1"],
                                                "usage: nngrade export", "--assignment"),
                                               (["demo", "--jbos", "2"], "usage: nngrade demo", "--jobs")])
def test_a_misspelled_option_is_named_by_its_command_with_the_nearest_spelling(capsys, argv, usage, guess):
    with pytest.raises(SystemExit) as done:
        nngrade(argv)
    err = capsys.readouterr().err
    assert done.value.code == 2 and err.startswith(usage), err
    assert f"unrecognized arguments: {' '.join(argv[-2:])} (did you mean {guess}?)" in err


def test_the_top_level_help_speaks_to_students_and_instructors(capsys):
    with pytest.raises(SystemExit):
        nngrade(["--help"])
    out = capsys.readouterr().out
    assert "Students:" in out and "pytest exercises" in out
    assert "Instructors" in out and "nngrade grade SUBMISSIONS --out OUT" in out and "report.html" in out


@pytest.mark.parametrize("argv", [["grade", "subs", "--jobs", "0"], ["grade", "subs", "--jobs", "-3"],
                                  ["demo", "--jobs", "0"], ["bench", "--jobs", "0"], ["bench", "-n", "0"]])
def test_counts_below_one_are_refused(capsys, argv):
    with pytest.raises(SystemExit) as done:
        nngrade(argv)
    assert done.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


TYPOS = {  # rubric.toml edited: (old, new), then what the error says
    "section": ("[ex03_activations.sigmoid]", "[ex03_activation.sigmoid]",
                ["unknown section [ex03_activation]; did you mean 'ex03_activations'?", "ex07_torch"]),
    "function": ("[ex03_activations.sigmoid]", "[ex03_activations.sigmod]",
                 ["[ex03_activations] names unknown function 'sigmod'; did you mean 'sigmoid'?", "relu_derivative"]),
    "check": ("[ex03_activations.sigmoid]\nmatches_reference", "[ex03_activations.sigmoid]\nmatches_referense",
              ["[ex03_activations.sigmoid] names unknown check 'matches_referense'; did you mean 'matches_reference'?",
               "(valid: matches_reference, "]),
    "needed check left out": ("[ex01_perceptron.perceptron_predict]\nmatches_reference = 2\n", "[ex01_perceptron.perceptron_predict]\n",
                              ["[ex01_perceptron.perceptron_predict] ties_go_to_plus_one earns points only together with "
                               "matches_reference: list that check too"]),
}


@pytest.mark.parametrize("typo", sorted(TYPOS))
def test_rubric_typos_name_the_valid_names(one_student, tmp_path, capsys, typo):
    old, new, fragments = TYPOS[typo]
    text = DEFAULT_RUBRIC.read_text()
    assert old in text
    rubric = tmp_path / "my_rubric.toml"
    rubric.write_text(text.replace(old, new, 1))
    out = tmp_path / "out"
    _fails_cleanly(capsys, ["grade", str(one_student), "--out", str(out), "--rubric", str(rubric)], str(rubric), *fragments)
    assert not out.exists()


def _course(root):
    (root / "source" / "nn_basics").mkdir(parents=True)
    (root / "submitted" / "alice" / "nn_basics").mkdir(parents=True)
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    (root / "gradebook.db").write_bytes(b"")
    return root


def test_an_unknown_assignment_is_an_error_listing_the_assignments(tmp_path, capsys):
    course = _course(tmp_path / "course")
    _fails_cleanly(capsys, ["grade", "--nbgrader", str(course), "nn_basic"],
                   "no assignment 'nn_basic' in source/ or release/; did you mean 'nn_basics'?", "(assignments: nn_basics)")
    assert not (course / "nngrade").exists()


def test_an_nbgrader_course_without_nbgrader_is_an_error(tmp_path, capsys):
    course = _course(tmp_path / "course")
    _fails_cleanly(capsys, ["grade", str(course), "--out", str(tmp_path / "out")], "is an nbgrader course",
                   f"nngrade grade --nbgrader {course} ASSIGNMENT")
    assert not (tmp_path / "out").exists()
    (course / "nbgrader_config.py").unlink()  # source/ and submitted/ alone give it away too
    _fails_cleanly(capsys, ["grade", str(course), "--out", str(tmp_path / "out")], "source/ and submitted/")


def test_a_failed_run_leaves_no_empty_output_folder(one_student, tmp_path, monkeypatch, capsys):
    _fails_cleanly(capsys, ["grade", str(tmp_path / "missing"), "--out", str(tmp_path / "out")], "not a folder")
    assert not (tmp_path / "out").exists()

    def broken(*args, **kwargs):  # a failure once the output folder exists
        raise RuntimeError("the lanes could not start")

    monkeypatch.setattr(lanes, "run_lanes", broken)
    with pytest.raises(RuntimeError):
        nngrade(["grade", str(one_student), "--out", str(tmp_path / "new" / "out"), "--jobs", "1", "--no-progress"])
    assert not (tmp_path / "new").exists()
    (tmp_path / "kept").mkdir()
    with pytest.raises(RuntimeError):
        nngrade(["grade", str(one_student), "--out", str(tmp_path / "kept"), "--jobs", "1", "--no-progress"])
    assert (tmp_path / "kept").is_dir()  # it was there before: not this run's to remove


def test_output_files_honour_the_umask(one_student, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "grade", str(one_student), "--out", str(out), "--jobs", "1",
                           "--no-progress"], cwd=PROJECT_ROOT, capture_output=True, text=True, umask=0o027, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for path in (out / "grades.csv", out / "alice" / "feedback.md", out / "alice" / "results.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path
