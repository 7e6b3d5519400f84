"""The bundled demo class: the reference, the blank stubs and one student per typical mistake,
all generated from the reference, then graded like any class."""
import shutil
import sys
from pathlib import Path

from grader import EXERCISES_DIR, SOLUTIONS_DIR
from grader.batch import grade_folder
from grader.loader import read_sources


def write_demo_class(folder, solutions_dir=SOLUTIONS_DIR, exercises_dir=EXERCISES_DIR):
    """Write <folder>/<student>/exNN_*.py for the demo students; returns their names."""
    from grader.devtools.mistakes import MISTAKES, write_mutant

    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    students = {"reference": read_sources(solutions_dir), "blank_stubs": read_sources(exercises_dir)}
    for name, sources in students.items():
        (folder / name).mkdir(parents=True)
        for module, text in sources.items():
            (folder / name / f"{module}.py").write_text(text)
    for mistake in MISTAKES:
        write_mutant(mistake, folder / f"mistake_{mistake.name}", solutions_dir)
    return sorted(p.name for p in folder.iterdir())


def demo_students():
    """The demo class's student names (the folders write_demo_class writes), sorted."""
    from grader.devtools.mistakes import MISTAKES

    return sorted(["reference", "blank_stubs", *(f"mistake_{m.name}" for m in MISTAKES)])


def class_table(summary):
    width = max([len(s) for s, _, _ in summary["records"]] + [7])
    lines = [f"{'student':<{width}}  score", f"{'-' * width}  -----"]
    lines += [f"{student:<{width}}  {score:g} / {max_score:g}" for student, score, max_score in summary["records"]]
    return "\n".join(lines)


def demo_command(args):
    out = Path(args.out)
    submissions, results = out / "submissions", out / "results"
    students = write_demo_class(submissions)
    print(f"demo class: {len(students)} students written to {submissions}", file=sys.stderr)
    summary = grade_folder(submissions, results, jobs=args.jobs, progress=True, insecure=True)  # the kit's own code
    print(class_table(summary))
    print(f"\ngradebook: {results / 'grades.csv'}")
    print(f"class report: {results / 'report.html'} (and summary.json)")
    print(f"feedback:  {results}/<student>/feedback.md (and results.json, Gradescope's format)")
    return 0

