"""The checks and the rubric agree, inputs are reproducible, and nothing the child loads knows the answers."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

from grader.toolkit.cases import class_cases
from grader.rubric import RubricError, load_rubric
from grader.specs import all_checks

GRADER = Path(__file__).resolve().parents[2] / "grader"


def test_every_rubric_entry_has_a_check_and_vice_versa():
    rubric = load_rubric()
    in_specs = {(c.function, c.name) for c in all_checks().values()}
    in_rubric = {(f, c) for f in rubric.points for c in rubric.points[f]}
    assert in_specs == in_rubric


def test_rubric_errors_name_the_file_and_entry(tmp_path):
    bad = tmp_path / "rubric.toml"
    bad.write_text('[ex01_perceptron.add_bias]\nmatches_reference = "two"\n')
    with pytest.raises(RubricError, match=r"rubric.toml.*add_bias.*matches_reference"):
        load_rubric(bad)
    bad.write_text("[timeouts]\nnot_a_function = 3\n[ex01_perceptron.add_bias]\nmatches_reference = 1\n")
    with pytest.raises(RubricError, match="not_a_function"):
        load_rubric(bad)


def test_inputs_are_the_same_in_a_fresh_process():
    code = ("from grader.toolkit.cases import class_cases; from grader.specs import all_checks; import hashlib, pickle;"
            "c = class_cases(all_checks().values());"
            "print(hashlib.sha256(repr(sorted((k, repr(v)) for k, v in c.items())).encode()).hexdigest())")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout for _ in range(2)}
    assert len(runs) == 1


def test_edge_cases_are_among_the_inputs():
    import numpy as np

    cases = class_cases(all_checks().values())
    sigmoid = cases["ex03_activations.sigmoid:extreme_inputs"]
    assert any(np.max(np.abs(c["z"])) >= 1000 for c in sigmoid)
    ties = cases["ex01_perceptron.perceptron_predict:ties_go_to_plus_one"]
    assert all(np.all(np.asarray(c["X"]) @ np.asarray(c["w"]) == 0) for c in ties)
    dense = cases["ex05_backprop.dense_backward:matches_reference"]
    assert any(c["X"].shape[0] == 1 for c in dense)


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


# The child's code: the sandbox, the probes and the top-level modules it loads.
CHILD_FILES = sorted((GRADER / "sandbox").glob("*.py")) + sorted((GRADER / "probes").glob("*.py")) + [
    GRADER / "forms.py", GRADER / "seeding.py"]


@pytest.mark.parametrize("path", sorted((GRADER / "specs").glob("*.py")) + CHILD_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_code_loaded_in_the_sandbox_never_imports_the_reference(path):
    assert not [m for m in _imports(path) if m.split(".")[0] in ("solutions", "grader.judging.reference") or m == "grader.judging.reference"]


# What a runner, fork server and child may hold: the calls (grader.probes), the sandbox, the wire
# format and the source loader. Everything else in grader/ is the judge's: formulas, mistake hints,
# finite differences, the reference, the inputs' strategies.
# limits: byte caps and their messages; forms: the conversions of a case to its input forms;
# seeding: the student's global generators seeded per case
CHILD_SIDE = ("grader", "grader.probes", "grader.sandbox", "grader.protocol", "grader.loader", "grader.limits", "grader.forms",
              "grader.seeding")


def _child_side(module):
    return any(module == m or module.startswith(m + ".") for m in CHILD_SIDE[1:]) or module == "grader"


@pytest.mark.parametrize("path", CHILD_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_child_side_code_imports_only_child_side_modules(path):
    assert not [m for m in _imports(path) if m.startswith("grader") and not _child_side(m)]


def runner_modules():
    """The modules a warm runner holds (every fork server and child inherits exactly these)."""
    code = ("import sys, json; import grader.sandbox.runner, grader.sandbox.child;"
            "from grader.sandbox.warm import warm_up; warm_up(); print(json.dumps(sorted(sys.modules)))")
    import json

    return json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def test_the_runner_process_holds_no_reference_and_no_judge_module():
    modules = runner_modules()
    assert not [m for m in modules if m.startswith(("solutions", "grader.judging.reference")) or m.startswith("ex0")]
    assert not [m for m in modules if m.startswith("grader") and not _child_side(m)]


def test_every_probe_has_a_check_and_the_others_use_the_default_probe():
    from grader.probes import probe_for, probe_table

    checks, probes = all_checks(), probe_table()
    assert set(probes) <= set(checks), "a probe without a check: " + ", ".join(sorted(set(probes) - set(checks)))
    for check_id, check in checks.items():
        assert check.fail_on_warnings == probe_for(check_id, probes).watch_warnings, check_id


def test_the_default_probe_calls_the_function_with_the_case_as_keywords():
    import types

    from grader.probes import default_probe, probe_for

    impl = types.SimpleNamespace(ex08_softmax=types.SimpleNamespace(softmax=lambda z, axis=-1: ("softmax", z, axis)))
    probe = default_probe("ex08_softmax.softmax:matches_reference")
    assert probe.pieces is None and not probe.watch_warnings
    assert probe.call(impl, {"z": 3, "axis": 0}) == ("softmax", 3, 0)
    assert probe_for("ex08_softmax.softmax:sums_to_one", {}).call(impl, {"z": 1}) == ("softmax", 1, -1)
    for bad in ("softmax", "ex08_softmax.softmax", "ex08_softmax.softmax:x; import os", "os.system:x"):
        with pytest.raises(ValueError, match="not a check id"):
            default_probe(bad)
