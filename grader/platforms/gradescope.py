"""Gradescope: `nngrade gradescope --out autograder.zip` and the autograder's two entry points.

Gradescope unpacks the zip into /autograder/source, runs setup.sh once while building the image
(which calls `setup` here: the class context cache, the kit made root-only), then for every
submission runs run_autograder (copied to /autograder/run_autograder), which calls `run` here: the
student's upload in /autograder/submission, the results in /autograder/results/results.json.
NNGRADE_AUTOGRADER_ROOT overrides /autograder (the kit's tests grade in a temporary root).
"""
import argparse
import io
import json
import os
import stat
import sys
import zipfile
from pathlib import Path

from grader.atomic import atomic_write
from grader.platforms import kit
from grader.platforms.entry import grade_upload
from grader.outputs.safe_text import md_prose, plain

ROOT_ENV = "NNGRADE_AUTOGRADER_ROOT"
SCRIPTS = kit.GRADESCOPE_SCRIPTS


def autograder_root():
    return Path(os.environ.get(ROOT_ENV) or "/autograder")


# ---- the bundle --------------------------------------------------------------------------------

def build_bundle(out, rubric_path=None):
    """Write the zip Gradescope's "Zip file upload" takes; returns the list of its entries."""
    files = {**{name: kit.template(t).encode() for name, t in SCRIPTS.items()}, **kit.kit_files(rubric_path)}
    out = Path(out)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # reproducible bytes
            executable = name in SCRIPTS
            info.external_attr = (stat.S_IFREG | (0o755 if executable else 0o644)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    atomic_write(out, buffer.getvalue())
    return sorted(files)


# ---- results.json ------------------------------------------------------------------------------

def results_json(outcome):
    """Gradescope's results.json for an Outcome: the kit's (grader.outputs.reports), with the staff's details
    on stdout only; an upload with nothing to grade says what was expected and found."""
    from grader.outputs.reports import gradescope_results

    record = outcome.record
    if record is None:  # the grader failed before it knew the rubric
        return {"score": 0.0, "output": plain(outcome.message), "output_format": "text", "visibility": "visible",
                "stdout_visibility": "hidden", "tests": []}
    results = gradescope_results(record)
    if outcome.kind != "graded":
        results["output"] = f"**{md_prose(outcome.message)}**\n"  # names uploaded files: the student's text
    results.update(execution_time=round(sum(outcome.timings.values()), 3), visibility="visible",
                   stdout_visibility="hidden")  # stdout carries the staff's details
    results["extra_data"].update(outcome=outcome.kind, timings=outcome.timings)
    return results


# ---- entry points ------------------------------------------------------------------------------

def run(root):
    """Grade /autograder/submission; always writes /autograder/results/results.json."""
    from grader.atomic import atomic_write

    root = Path(root)
    outcome = grade_upload(root / "submission", root / "source", hide=[root], plots=False,  # Gradescope shows no images
                           entry_script="run_autograder (in autograder.zip; upload it again)")
    print(f"nngrade: {outcome.kind}: {plain(outcome.details)}")  # stdout: the staff's view only
    results = root / "results"
    results.mkdir(parents=True, exist_ok=True)
    atomic_write(results / "results.json", json.dumps(results_json(outcome), sort_keys=True) + "\n")
    return 0


def setup(root):
    """At image build time: the class context cache inside the kit, then the kit made root-only."""
    source = Path(root) / "source"
    path = kit.write_cache_for(source)
    kit.make_root_only(source)
    print(f"nngrade: class context cached in {path}; {source} is root-only")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader.platforms.gradescope")
    parser.add_argument("step", choices=["setup", "run"])
    args = parser.parse_args(argv)
    return (setup if args.step == "setup" else run)(autograder_root())


def gradescope_command(args):
    if getattr(args, "test", None):
        from grader.platforms.trial import trial_command

        return trial_command("gradescope", args)
    try:
        entries = build_bundle(args.out, args.rubric)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({len(entries)} files): upload it on Gradescope as the autograder "
          "(Configure Autograder > Zip file upload; base image Ubuntu 22.04)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
