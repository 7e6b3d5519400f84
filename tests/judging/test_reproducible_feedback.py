"""Feedback is reproducible for code that draws unseeded random numbers: the child seeds numpy's
legacy global generator, Python's `random` and torch's default generator from each case before
calling the student's code, so two regrades write the same feedback byte for byte."""
import dataclasses
import json
import shutil

import numpy as np
import pytest

from grader import SOLUTIONS_DIR
from grader.batch import grade_folder
from grader.judging.judged_frames import JudgedFrames
from grader.probes import Probe
from grader.sandbox.child import _run_case, probe_parts
from grader.seeding import case_seed
from grader.judging.search_memo import SearchMemo

# Unseeded noise from each global generator, large enough to fail the function's checks.
NOISY = {
    "return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))":
        "return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)) + np.random.normal(0.0, 0.1, np.shape(z))",
    "return np.tanh(np.asarray(z, dtype=float))":
        "import random\n    return np.tanh(np.asarray(z, dtype=float)) + random.gauss(0.0, 0.1)",
    "return np.maximum(np.asarray(z, dtype=float), 0.0)":
        "import torch\n    return np.maximum(np.asarray(z, dtype=float), 0.0) + torch.randn(np.shape(z)).numpy()",
}


def _noisy_student(folder):
    shutil.copytree(SOLUTIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    path = folder / "ex03_activations.py"
    source = path.read_text()
    for old, new in NOISY.items():
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    path.write_text(source)


def test_case_seed_depends_on_the_check_and_the_values_only():
    case = {"z": np.array([0.5, -1.0]), "alpha": 0.2}
    assert case_seed("m.f:c", case) == case_seed("m.f:c", {"z": np.array([0.5, -1.0]), "alpha": 0.2})
    assert case_seed("m.f:c", case) != case_seed("m.f:d", case)
    assert case_seed("m.f:c", case) != case_seed("m.f:c", {**case, "z": np.array([0.5, -2.0])})


def test_unseeded_draws_repeat_per_case_whatever_ran_before():
    draw = probe_parts(Probe(lambda impl, c: np.random.standard_normal(3) + c["x"]))
    first = _run_case(*draw[:2], None, {"x": 1.0}, check_id="m.f:c")["value"]
    np.random.standard_normal(7)  # the order of cases changes between runs: the seed must not
    _run_case(*draw[:2], None, {"x": 2.0}, check_id="m.f:c")
    again = _run_case(*draw[:2], None, {"x": 1.0}, check_id="m.f:c")["value"]
    assert np.array_equal(first, again)
    other = _run_case(*draw[:2], None, {"x": 1.0}, check_id="m.f:other")["value"]
    assert not np.array_equal(first, other)


def test_seeds_computed_before_the_fork_are_the_seeds_of_each_case():
    from grader.sandbox.child import run_job
    from grader.seeding import class_seeds

    draw = probe_parts(Probe(lambda impl, c: np.random.standard_normal(2) + c["x"]))
    cases = {"m.f:c": [{"x": 1.0}, {"x": np.array([2.0, 3.0])}], "m.f:d": [{"x": 1.0}]}
    seeds = class_seeds(cases)
    assert seeds == {cid: [case_seed(cid, case) for case in check_cases] for cid, check_cases in cases.items()}
    for cid, check_cases in cases.items():
        precomputed, fresh = run_job(draw, None, check_cases, cid, seeds[cid]), run_job(draw, None, check_cases, cid)
        assert all(np.array_equal(a["value"], b["value"]) for a, b in zip(precomputed, fresh))


def test_torch_is_seeded_as_torch_manual_seed_seeds_it():
    torch = pytest.importorskip("torch")
    from grader.seeding import seed_generators

    for seed in (0, 12345, 2**32 - 1):
        torch.manual_seed(seed)
        expected = (torch.randn(4), torch.rand(3), torch.randint(0, 100, (5,)))
        torch.randn(9)  # whatever ran before
        seed_generators(seed)
        got = (torch.randn(4), torch.rand(3), torch.randint(0, 100, (5,)))
        assert all(torch.equal(a, b) for a, b in zip(expected, got))


def _without_timings(results):
    """results.json minus the run's wall-clock figures (the only values allowed to differ)."""
    data = json.loads(results)
    data.pop("execution_time")
    data["extra_data"].pop("function_seconds")
    return data


@pytest.mark.slow
def test_two_regrades_of_unseeded_random_code_write_the_same_feedback(ctx, tmp_path):
    _noisy_student(tmp_path / "subs" / "noisy")
    outs = []
    for run in ("first", "second"):
        fresh = dataclasses.replace(ctx, searches=SearchMemo(), judged=JudgedFrames())
        grade_folder(tmp_path / "subs", tmp_path / run, jobs=1, progress=False, ctx=fresh)
        outs.append(tmp_path / run / "noisy")
    feedback = (outs[0] / "feedback.md").read_text()
    for function in ("sigmoid", "tanh", "relu"):
        assert f"`{function}` (ex03_activations)" in feedback, f"{function}'s noise lost no points"
    assert (outs[0] / "feedback.md").read_bytes() == (outs[1] / "feedback.md").read_bytes()
    first, second = (_without_timings((out / "results.json").read_text()) for out in outs)
    assert first == second, "results.json differs between regrades (beyond its timings)"
