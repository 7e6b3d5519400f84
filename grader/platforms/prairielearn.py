"""PrairieLearn: `nngrade prairielearn --out DIR` writes an externally graded question, and `run`
is its grader's entry point.

The question folder holds info.json (external grading: the image, the entry point
/grade/tests/run.sh, the timeout), question.html (a file upload and the results panel) and
tests/ (the entry point, the kit, the class context cache, the grading image's recipe). PrairieLearn
copies tests/ to /grade/tests and the student's files to /grade/student, runs the entry point and
reads /grade/results/results.json. NNGRADE_PRAIRIELEARN_ROOT overrides /grade (for the kit's tests).
"""
import argparse
import json
import os
import shutil
import sys
import uuid
from pathlib import Path

from grader import PROJECT_ROOT
from grader.platforms import kit, pins
from grader.platforms.entry import grade_upload
from grader.outputs.safe_text import plain

ROOT_ENV = "NNGRADE_PRAIRIELEARN_ROOT"
ENTRYPOINT = kit.PRAIRIELEARN_ENTRYPOINT
DEFAULT_IMAGE = "YOUR_REGISTRY_NAME/nngrade-grader"  # built from tests/image/Dockerfile
TIMEOUT_S = 120  # PrairieLearn's default is 30 s; a cold start takes ~10 s at half a CPU


def grading_root():
    return Path(os.environ.get(ROOT_ENV) or "/grade")


# ---- the question --------------------------------------------------------------------------------

def info_json(image, previous=None):
    """info.json; the uuid of an existing question folder is kept (PrairieLearn keys its history on it)."""
    return {
        "uuid": (previous or {}).get("uuid") or str(uuid.uuid4()),
        "title": "Neural-network basics: exercises ex01-ex07 (autograded)",
        "topic": "Neural networks",
        "tags": ["nngrade", "autograded"],
        "type": "v3",
        "singleVariant": True,
        "gradingMethod": "External",
        "externalGradingOptions": {"enabled": True, "image": image, "entrypoint": ENTRYPOINT, "timeout": TIMEOUT_S},
    }


def build_question(out, rubric_path=None, image=None):
    """Write the question folder; returns its files (relative paths)."""
    from grader.rubric import DEFAULT_RUBRIC, load_rubric

    out = Path(out)
    modules = load_rubric(rubric_path or DEFAULT_RUBRIC).modules
    _clear_old_tests(out / "tests")
    previous = _read_json(out / "info.json")
    names = ", ".join(f"{m}.py, {m}.ipynb" for m in modules)
    files = {
        "info.json": json.dumps(info_json(image or DEFAULT_IMAGE, previous), indent=2) + "\n",
        "question.html": kit.template("prairielearn_question.html").replace("__FILE_NAMES__", names),
        "tests/run.sh": kit.template("prairielearn_run.sh"),
        "tests/image/Dockerfile": kit.template("prairielearn_Dockerfile"),
        "tests/image/requirements.txt": kit.requirements(),
        f"tests/image/{pins.CONSTRAINTS}": (PROJECT_ROOT / pins.CONSTRAINTS).read_bytes(),
    }
    files.update({f"tests/{name}": data for name, data in kit.kit_files(rubric_path).items()})
    for name, data in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    (out / "tests/run.sh").chmod(0o755)
    # Cases and expected values computed here: the image has the same pinned libraries, so the
    # cache is current there (else each submission computes them, ~1.5 s more).
    kit.write_cache_for(out / "tests")
    return sorted(files) + [f"tests/{kit.CACHE}"]


def _clear_old_tests(tests):
    """A tests/ folder written by an earlier run is replaced whole (no stale kit files); any other
    is left alone, with an error."""
    if not tests.exists():
        return
    if not ((tests / "run.sh").is_file() and (tests / "grader").is_dir()):
        raise ValueError(f"{tests}: a tests/ folder that nngrade did not write; choose another --out or remove it")
    shutil.rmtree(tests)


def _read_json(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


# ---- results.json ------------------------------------------------------------------------------

def results_json(outcome):
    """PrairieLearn's results.json: score in [0, 1], a test per check; an upload with nothing to
    grade, or a grader failure, is not gradable (it costs the student no attempt). PrairieLearn
    shows students everything in it, so functions the rubric does not make visible at once are
    left out of every field (grader.outputs.visibility) and only count in the score."""
    from grader.outputs.feedback import check_text, feedback_markdown
    from grader.outputs.visibility import shown_record

    record = outcome.record
    if outcome.kind != "graded":
        message = plain(outcome.message)
        return {"gradable": False, "score": 0.0, "message": message, "format_errors": [message],
                "output": "", "tests": [], "images": []}
    shown = shown_record(record)
    tests = [{"name": f"{f['function']}: {c['check']}", "points": c["score"], "max_points": c["max_score"],
              "message": "passed" if c["passed"] else plain(c.get("message", "failed")),
              "output": "" if c["passed"] else check_text(c)}
             for f in shown["functions"] for c in f["checks"]]
    score = record["score"] / record["max_score"] if record["max_score"] else 0.0
    shown_points = f"{shown['score']:g} / {shown['max_score']:g} points"
    return {
        "gradable": True,
        "score": round(min(max(score, 0.0), 1.0), 6),
        "message": shown_points + (" on the checks shown here" if shown is not record else ""),
        "output": feedback_markdown(shown),
        "tests": tests,
        "images": [{"label": p["title"], "url": p["url"]} for p in shown.get("plots") or [] if "url" in p],
    }


def staff_details(outcome):
    """The job log's line (staff only): the outcome, and the results of the functions students do not see."""
    from grader.outputs.visibility import hidden_functions

    record = outcome.record or {"functions": []}
    hidden = set(hidden_functions(record))
    scores = [f"{f['function']} {f['score']:g}/{f['max_score']:g}" for f in record["functions"] if f["function"] in hidden]
    return plain(f"nngrade: {outcome.kind}: {outcome.details}" + (f"; not shown to the student: {', '.join(scores)}" if scores else ""))


# ---- entry point -------------------------------------------------------------------------------

def run(root):
    """Grade /grade/student; always writes /grade/results/results.json."""
    from grader.atomic import atomic_write

    root = Path(root)
    outcome = grade_upload(root / "student", root / "tests", hide=[root],
                           entry_script="the question's tests/run.sh (then sync the course)")
    print(staff_details(outcome), file=sys.stderr)
    results = root / "results"
    results.mkdir(parents=True, exist_ok=True)
    atomic_write(results / "results.json", json.dumps(results_json(outcome), sort_keys=True) + "\n")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader.platforms.prairielearn")
    parser.add_argument("step", choices=["run"])
    parser.parse_args(argv)
    return run(grading_root())


def prairielearn_command(args):
    if getattr(args, "test", None):
        from grader.platforms.trial import trial_command

        return trial_command("prairielearn", args)
    try:
        files = build_question(args.out, args.rubric, args.image)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote the question {args.out} ({len(files)} files): copy it under questions/ of the course repository")
    if not args.image:
        print(f"note: info.json names the image {DEFAULT_IMAGE}: build {Path(args.out) / 'tests/image/Dockerfile'}, "
              "push it, and put its name there (or pass --image)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
