"""The visible tests' runs over many folders, shared by the kit tests (tests/conftest.py's `runs`).

All runs start together on two workers; the many small runs share one process each
(tests/helpers/run_visible_batch.py) so the start-up is paid once. The mistakes' runs report
every test's verdict (no shrinking, one-line tracebacks), as do the contract's hard cases
(tests/helpers/contract_variants.py): tests/release/test_visible_tests.py asks whether a mistake is caught,
tests/test_contract_agreement.py which functions fail.
"""
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from helpers import contract_variants
from helpers.alt_styles import STYLES, completed
from grader import PROJECT_ROOT
from grader.devtools.mistakes import MISTAKES, write_mutant

READABLE_MISTAKE = next(m for m in MISTAKES if m.name == "sigmoid_derivative_from_z")  # a value test catches it
BATCH = Path(__file__).with_name("run_visible_batch.py")
TIMEOUT = 900  # seconds for one subprocess; all runs together take well under a minute


def run_pytest(*args, cwd=PROJECT_ROOT):
    """`python -m pytest ARGS -p no:cacheprovider -q` as students and CI run it."""
    command = [sys.executable, "-m", "pytest", *args, "-p", "no:cacheprovider", "-q"]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)


def run_pytest_as_students_do(*args):
    """`pytest exercises` with pytest's default output (no -q), as a student reads it."""
    command = [sys.executable, "-m", "pytest", "exercises", *args, "-p", "no:cacheprovider"]
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=TIMEOUT)


def batch(out, specs, verdicts_only=False):
    """{spec: {"exit", "passed", "failed", "errors"}} of tests/helpers/run_visible_batch.py over specs."""
    command = [sys.executable, str(BATCH), str(out), *(["--verdicts-only"] if verdicts_only else []), *specs]
    proc = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return json.loads(Path(out).read_text())


def mutant_spec(folder, mistake):
    # Only the mistaken exercise's own test file: the other modules are the reference's.
    return f"{folder}::exercises/test_{mistake.module}.py"


def start_runs(pool, root):
    """{job name: future} of every run, longest first so the two workers finish together."""
    specs = [mutant_spec(write_mutant(m, root / m.name), m) for m in MISTAKES]
    styles = [str(completed(s, root / "styles" / s)) for s in STYLES]  # a style may leave a module out
    contract = [contract_spec(contract_variants.write_folder(f, root / f), f) for f in contract_variants.FOLDERS]
    return {
        "contract": pool.submit(batch, root / "contract.json", contract, True),
        "styles_a": pool.submit(batch, root / "styles_a.json", styles[::2]),
        "stubs": pool.submit(run_pytest, "exercises", f"--junitxml={root / 'stubs.xml'}"),
        "styles_b": pool.submit(batch, root / "styles_b.json", styles[1::2]),
        "reference": pool.submit(run_pytest, "exercises", "--impl", "solutions"),
        "mutants_a": pool.submit(batch, root / "mutants_a.json", specs[::2], True),
        "mutants_b": pool.submit(batch, root / "mutants_b.json", specs[1::2], True),
        "relative": pool.submit(run_pytest, "../exercises/test_ex01_perceptron.py", "--impl",
                                os.path.relpath(root / "styles" / "loops", PROJECT_ROOT / "tests"), cwd=PROJECT_ROOT / "tests"),
        "missing": pool.submit(run_pytest, "exercises", "--impl", "no/such/folder"),
        "lacking": pool.submit(run_pytest, "exercises", "--impl", "grader"),
        "stubs_plain": pool.submit(run_pytest_as_students_do),
        "one_mistake": pool.submit(run_pytest_as_students_do, "--impl", str(write_mutant(READABLE_MISTAKE, root / "readable"))),
    }


def mutant_result(root, jobs, mistake):
    """The visible run of `mistake`'s module on its mutant."""
    results = {**jobs["mutants_a"].result(), **jobs["mutants_b"].result()}
    return results[mutant_spec(root / mistake.name, mistake)]


def style_result(jobs, style):
    results = {**jobs["styles_a"].result(), **jobs["styles_b"].result()}
    return next(result for folder, result in results.items() if Path(folder).name == style)


def contract_spec(path, folder):
    # The test files of the modules its variants change: the others are the reference's.
    modules = sorted({variant.module for variant in contract_variants.FOLDERS[folder]})
    return f"{path}::" + ",".join(f"exercises/test_{m}.py" for m in modules)


def contract_result(root, jobs, folder):
    """The visible run of a folder of tests/helpers/contract_variants.py."""
    return jobs["contract"].result()[contract_spec(root / folder, folder)]


def pool():
    return ThreadPoolExecutor(max_workers=2)
