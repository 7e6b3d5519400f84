"""The visible tests (exercises/test_*.py, run by students as `pytest exercises`).

They pass on the reference and on every correct alternative in tests/alt_impls,
fail on the untouched stubs - every test, with the NotImplementedError of the
function it is about - and catch every mistake of grader/devtools/mistakes.py. The runs
are the session fixture `runs` (tests/conftest.py, tests/helpers/visible_runs.py).
"""
import ast
import io
import re
import sys
import tokenize
import xml.etree.ElementTree as ET

import pytest

from grader import EXERCISES_DIR, PROJECT_ROOT, SOLUTIONS_DIR
from grader.devtools.mistakes import MISTAKES
from grader.visible_test_cases import function_of
from grader.regions import find_regions
from helpers.visible_runs import STYLES, mutant_result, style_result

VISIBLE_FILES = sorted(EXERCISES_DIR.glob("test_*.py")) + [EXERCISES_DIR / "conftest.py"]


def _summary(proc):
    return proc.stdout[-3000:] + proc.stderr[-3000:]


def _count(proc, word):
    found = re.search(rf"(\d+) {word}", proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else None
    return int(found.group(1)) if found else 0


def _stub_cases(root):
    tree = ET.parse(root / "stubs.xml").getroot()
    return tree, list(tree.iter("testcase"))


def test_reference_passes_every_visible_test(runs):
    _, jobs = runs
    proc = jobs["reference"].result()
    assert proc.returncode == 0, _summary(proc)
    assert _count(proc, "passed") > 0 and _count(proc, "failed") == 0 and _count(proc, "error") == 0, _summary(proc)


def test_stubs_fail_every_visible_test_with_its_not_implemented_error(runs):
    root, jobs = runs
    proc = jobs["stubs"].result()
    assert proc.returncode == 1, _summary(proc)  # 1: tests failed (not a usage or collection error)
    tree, cases = _stub_cases(root)
    assert cases, "no visible tests were collected"
    assert all(int(s.get("errors", 0)) == 0 for s in tree.iter("testsuite")), _summary(proc)
    owners = {region.owner.split(".")[0] for p in SOLUTIONS_DIR.glob("ex*.py") for region in find_regions(p.read_text())}
    problems = []
    for case in cases:
        name, failure = case.get("name"), case.find("failure")
        message = failure.get("message", "") if failure is not None else ""
        named = re.search(r"NotImplementedError: ([\w.]+): not implemented yet", message)
        if case.find("error") is not None or not named:
            problems.append(f"{name}: expected a failure with a NotImplementedError, got {message[:200]!r}")
        elif named.group(1).split(".")[0] != function_of(name, owners):
            problems.append(f"{name}: fails on {named.group(1)}'s stub instead of its own function's "
                            "(call the function under test before anything else)")
    assert not problems, "\n".join(problems)


def test_blank_stubs_print_one_short_line_per_test(runs):
    """A beginner's first run: every test fails, each in one line naming the stub, not 4,000 lines of tracebacks."""
    root, jobs = runs
    proc = jobs["stubs_plain"].result()
    lines = proc.stdout.splitlines()
    tests = len(_stub_cases(root)[1])
    assert proc.returncode == 1 and f"{tests} failed" in lines[-1], _summary(proc)
    assert len(lines) < 300, f"{len(lines)} lines:\n" + _summary(proc)
    stub_lines = [line for line in lines if re.match(r"test_ex\d\d_\w+\.py::\S+ - \w[\w.]*: not implemented yet", line)]
    assert len(stub_lines) == tests, _summary(proc)
    assert "Traceback" not in proc.stdout and "conftest.Check object" not in proc.stdout


def test_a_failing_test_shows_its_message_not_the_helpers_source(runs):
    _, jobs = runs
    proc = jobs["one_mistake"].result()
    assert proc.returncode == 1, _summary(proc)
    out = proc.stdout
    assert "AssertionError" in out and re.search(r"expected .*\n.*got ", out), _summary(proc)
    helper_source = ("def close(", "def shape(", "__tracebackhide__", "conftest.Check object", "conftest.py:")
    assert not [s for s in helper_source if s in out], _summary(proc)


@pytest.mark.parametrize("style", STYLES)
def test_correct_alternative_passes_every_visible_test(runs, style):
    root, jobs = runs
    result = style_result(jobs, style)
    assert result["exit"] == 0 and not result["failed"] and not result["errors"], result
    assert len(result["passed"]) == len(_stub_cases(root)[1]), "every visible test must have run and passed"


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_visible_tests_catch_the_mistake(runs, mistake):
    root, jobs = runs
    result = mutant_result(root, jobs, mistake)
    assert result["exit"] == 1 and result["failed"] and not result["errors"], (
        f"{mistake.name} ({mistake.description}) passes the visible tests of {mistake.module}: {result}"
    )


def test_impl_is_resolved_against_the_working_directory(runs):
    proc = runs[1]["relative"].result()
    assert proc.returncode == 0 and _count(proc, "passed") > 0, _summary(proc)


def test_impl_folder_that_does_not_exist_is_a_usage_error(runs):
    proc = runs[1]["missing"].result()
    assert proc.returncode == 4, _summary(proc)  # pytest's exit code for usage errors
    assert str(PROJECT_ROOT / "no" / "such" / "folder") in proc.stderr and "does not exist" in proc.stderr


def test_impl_folder_without_the_modules_is_a_usage_error(runs):
    proc = runs[1]["lacking"].result()
    assert proc.returncode == 4, _summary(proc)
    assert str(PROJECT_ROOT / "grader") in proc.stderr and "ex01_perceptron.py" in proc.stderr


# --------------------------------------------------------------------------
# static checks: the visible tests ship to students, so they must stand alone
# --------------------------------------------------------------------------

ALLOWED_IMPORTS = set(sys.stdlib_module_names) | {"numpy", "pytest", "hypothesis", "torch"}


@pytest.mark.parametrize("path", VISIBLE_FILES, ids=lambda p: p.name)
def test_visible_test_files_import_only_the_allowed_packages(path):
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import"
            imported.add(node.module.split(".")[0])
    assert imported <= ALLOWED_IMPORTS, f"{path.name} imports {sorted(imported - ALLOWED_IMPORTS)}"


@pytest.mark.parametrize("path", VISIBLE_FILES, ids=lambda p: p.name)
def test_visible_test_files_never_mention_the_reference(path):
    # No import, importlib call, path or string may reach solutions/ (comments are fine).
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
    used = [t.string for t in tokens if t.type in (tokenize.NAME, tokenize.STRING) and "solution" in t.string.lower()]
    assert not used, f"{path.name} refers to the reference solutions: {used}"
