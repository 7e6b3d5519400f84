"""An nbgrader course directory for the notebooks, and running nbgrader in it.

nbgrader runs as a subprocess (`python -m nbgrader ...`): its apps are
traitlets singletons that are awkward to run twice in one process, and a
subprocess keeps its logging and SQLAlchemy's warnings out of ours. nbgrader
calls `alembic` by name when it creates a gradebook, so the folder of this
Python's executables goes first on PATH.
"""
import os
import subprocess
import sys
from pathlib import Path

from grader.release.notebooks import build_source_notebooks, notebook_text
from grader.rubric import RubricError, load_rubric

ASSIGNMENT = "nn_basics"

# nbgrader runs every cell with this timeout (seconds). The rubric's limits are
# for all calls of a function together; a cell may run a trainer a few times
# (seeds), so it gets a generous multiple, and a hung cell still ends.
CELL_TIMEOUT_FACTOR = 4

CONFIG_TEMPLATE = """\
# Written by nngrade (grader/release/course.py).
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "nngrade"
c.CourseDirectory.root = {root!r}
# Per-cell time limit while autograding; a cell over it fails, the rest still run.
c.Execute.timeout = {timeout}
# generate_feedback: nbgrader's feedback page with nngrade's accessibility fixes (WCAG 2.1 AA).
import os, nbgrader  # noqa: E401,E402
c.HTMLExporter.template_file = "nngrade_feedback.html.j2"
c.HTMLExporter.extra_template_basedirs = [
    {templates!r}, os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader", "templates")]
"""


FEEDBACK_TEMPLATES = Path(__file__).resolve().parent / "templates"  # feedback/nngrade_feedback.html.j2 extends nbgrader's page


class NbgraderError(RuntimeError):
    """nbgrader exited with an error; the message has its output."""


def cell_timeout(rubric=None):
    rubric = rubric or load_rubric()
    longest = max([rubric.default_timeout, *rubric.timeouts.values()])
    return int(longest * CELL_TIMEOUT_FACTOR)


def write_course(root, notebooks=None, rubric=None):
    """Create an nbgrader course at `root` with the source notebooks; returns root."""
    root = Path(root).resolve()
    rubric = rubric or load_rubric()
    notebooks = notebooks if notebooks is not None else build_source_notebooks(rubric=rubric)
    source = root / "source" / ASSIGNMENT
    source.mkdir(parents=True, exist_ok=True)
    for name, nb in notebooks.items():
        (source / name).write_text(notebook_text(nb))
    (root / "nbgrader_config.py").write_text(CONFIG_TEMPLATE.format(root=str(root), timeout=cell_timeout(rubric), templates=str(FEEDBACK_TEMPLATES)))
    return root


def course_command(args):
    """`nngrade course DIR [--rubric R]`: write the course (its grade cells worth the rubric's
    points), say what to run next."""
    from grader.rubric import load_checked_rubric

    root = Path(args.dir)
    config = root / "nbgrader_config.py"
    if config.is_file() and not config.read_text().startswith(CONFIG_TEMPLATE.splitlines()[0]) and not args.force:
        print(f"nngrade course: {config} exists and was not written by nngrade; --force replaces it", file=sys.stderr)
        return 2
    try:
        rubric = load_checked_rubric(getattr(args, "rubric", None))
        root = write_course(root, rubric=rubric)
    except (RubricError, ValueError) as exc:  # a rubric typo, or one that leaves an exercise out
        print(f"nngrade course: {exc}", file=sys.stderr)
        return 2
    given = getattr(args, "rubric", None)
    grade = f"nngrade grade --nbgrader {root} {ASSIGNMENT}" + (f" --rubric {given}" if given else "")
    print(f"wrote {root / 'source' / ASSIGNMENT}/*.ipynb (with solutions and hidden tests: never hand these out, "
          f"{rubric.max_score:g} points) and {root / 'nbgrader_config.py'}\n"
          f"next: cd {root} && nbgrader generate_assignment {ASSIGNMENT}\n"
          f"grade with the same rubric: {grade}")
    return 0


def nbgrader_env():
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    # SQLAlchemy's SAWarnings (nbgrader 0.9 with SQLAlchemy 2) only print to
    # this subprocess's stderr; a "-W error" of the caller must not reach it.
    env.pop("PYTHONWARNINGS", None)
    return env


def run_nbgrader(root, *args, timeout=None):
    """Run `nbgrader ARGS` in the course at root; returns its combined output."""
    cmd = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={root}"]
    proc = subprocess.run(cmd, cwd=root, env=nbgrader_env(), capture_output=True, text=True, timeout=timeout)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise NbgraderError(f"`nbgrader {' '.join(args)}` failed (exit {proc.returncode}):\n{output[-4000:]}")
    return output
