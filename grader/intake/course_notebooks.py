"""An nbgrader course's notebooks of one assignment, read in one pass.

release/<assignment>/ holds the instructor's released notebooks: trusted, read as they are, and one
that cannot be read stops the run before anyone is graded. submitted/<student>/<assignment>/ holds
each student's notebooks and the small records `nbgrader collect` writes beside them: untrusted,
read through notebook_files (no links followed, sizes from grader.limits). Each student's notebooks
are rebuilt into exNN_*.py modules in a class folder, one sub-folder per student, which the batch
grader grades like any class; whatever is wrong with a notebook (or the student's folders) becomes
a module failing at import with that reason, naming the student's file: graded 0, the others go on.
"""
import json
import os
from dataclasses import dataclass
from pathlib import Path

from grader.intake.notebook_files import UnreadFolder, read_files
from grader.intake.notebooks import NotebookSubmissionError, given_sources, parse_notebook, rebuilt_module
from grader.limits import MAX_NOTEBOOK_BYTES, MAX_RECORD_BYTES

# What `nbgrader collect` writes next to the notebooks and release_feedback needs in feedback/
SUBMISSION_RECORDS = ("timestamp.txt", "submission_secret.txt")


class CourseError(ValueError):
    """The course cannot be read (no submitted/, an unreadable released notebook); the message names the path."""


@dataclass
class StudentNotebooks:
    """What feedback needs of one student besides the graded record."""
    answers: dict  # {module: {grade_id: source} of its answer cells, None if the notebook could not be read}
    records: dict  # {name: bytes} of collect's SUBMISSION_RECORDS that could be read


@dataclass
class CourseNotebooks:
    released: dict  # {module: the released notebook (nbformat JSON), None without one}
    students: dict  # {student: StudentNotebooks}, in name order, only those who submitted the assignment
    problems: list  # what could not be read, each once, naming the file: the notes for the instructor


def read_course(course_dir, assignment, modules, class_dir):
    """Read the assignment's released and submitted notebooks; writes class_dir/<student>/<module>.py
    for every student who submitted it, as each is read (no source is held for the whole class)."""
    course = Path(course_dir)
    released = {module: _released(course / "release" / assignment / f"{module}.ipynb") for module in modules}
    given = {module: given_sources(cells) if cells else {} for module, (_, cells) in released.items()}
    submitted = course / "submitted"
    if not submitted.is_dir():
        raise CourseError(f"{submitted}: no submitted/ folder in the nbgrader course (run `nbgrader collect` first)")
    limits = {**{f"{m}.ipynb": MAX_NOTEBOOK_BYTES for m in modules}, **dict.fromkeys(SUBMISSION_RECORDS, MAX_RECORD_BYTES)}
    students, problems = {}, {}
    submitted_fd = os.open(submitted, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for student in _student_names(submitted_fd):
            try:
                files = read_files(submitted_fd, (student, assignment), limits, "submitted")
            except UnreadFolder as exc:
                files = dict.fromkeys(limits, exc)  # every notebook fails with the folder's reason
            if files is None:
                continue  # this student did not submit the assignment
            target = Path(class_dir) / student
            target.mkdir(parents=True)
            answers = {}
            for module in modules:
                source, answers[module], problem = rebuilt_module(
                    files[f"{module}.ipynb"], f"submitted/{student}/{assignment}", f"{module}.ipynb", given[module])
                if problem:
                    problems[problem] = None  # a folder's reason comes with each of its notebooks: once
                (target / f"{module}.py").write_text(source, encoding="utf-8")
            # what cannot be read is left out: release_feedback says what it misses
            records = {name: files[name] for name in SUBMISSION_RECORDS if isinstance(files[name], bytes)}
            students[student] = StudentNotebooks(answers, records)
    finally:
        os.close(submitted_fd)
    return CourseNotebooks({module: notebook for module, (notebook, _) in released.items()}, students, list(problems))


def _released(path):
    """(notebook JSON, cells) of a released notebook, (None, None) if there is none."""
    try:
        if not path.is_file():
            return None, None
        data = path.read_bytes()
        cells = parse_notebook(data, path.name)  # first: it says what is wrong with the file
        return json.loads(data), cells
    except (OSError, NotebookSubmissionError) as exc:
        raise CourseError(f"{path}: the released notebook is unreadable: {exc}") from None


def _student_names(submitted_fd):
    # plain files next to the student folders (a README, .DS_Store) are not students; links are (refused when read)
    return [entry.name for entry in sorted(os.scandir(submitted_fd), key=lambda e: e.name)
            if not entry.name.startswith(".") and (entry.is_dir(follow_symlinks=False) or entry.is_symlink())]
