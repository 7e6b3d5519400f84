"""The class context: rubric, checks, their inputs and the reference's outputs, computed once.

Lives only in the judge (the grader's own process); never sent to a runner or child.
"""
import random
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader import SOLUTIONS_DIR
from grader.toolkit.cases import class_cases
from grader.forms import apply_forms
from grader.judging.fingerprint import fingerprint
from grader.judging.judged_frames import JudgedFrames
from grader.loader import import_sources, read_sources
from grader.probes import run_probe
from grader.protocol import decode, encode
from grader.rubric import load_checked_rubric
from grader.judging.search_memo import SearchMemo
from grader.judging.untouched import released_stubs
from grader.specs import all_functions


class ReferenceError_(RuntimeError):
    """The reference solutions are broken (a kit bug, not a student's)."""


@dataclass
class ClassContext:
    rubric: object
    functions: dict  # {function: FunctionSpec}, rubric order
    checks: dict  # {check id: Check}
    cases: dict  # {check id: [case, ...]}
    expected: dict  # {check id: [reference output, ...]}
    reference: object  # Impl of the reference modules
    fingerprint: str  # changes whenever the grader, reference or rubric changes
    stubs: dict = None  # the released stubs' texts and errors (grader.judging.untouched), None: none recognised
    searches: SearchMemo = field(default_factory=SearchMemo)  # hypothesis's searches, shared by the class
    judged: JudgedFrames = field(default_factory=JudgedFrames)  # results frames judged, shared by the class
    plots: dict = None  # {module: the reference's outcome of its plot probe} (reference_plots), None: unknown

    def expected_for(self, check, case):
        """The reference's output on a new case (used while shrinking)."""
        return run_reference(check, self.reference, case) if check.uses_expected else None


def plain(value):
    """Round-trip through the protocol so reference values look exactly like student values."""
    tree, buffers = encode(value)
    return decode(tree, buffers)


def run_reference(check, reference, case):
    """The reference's output for one case, as the child would report it, then prepared by the
    check (e.g. central differences of the reference's piece outputs): the expected value."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            output = plain(run_probe(check.probe, reference, apply_forms(case)))
        except Exception as exc:
            raise ReferenceError_(f"the reference fails {check.id} on {case!r}: {exc}") from exc
    if check.probe.pieces is not None and any(status != "ok" for status, _ in output["pieces"]):
        raise ReferenceError_(f"a piece call of the reference fails for {check.id} on {case!r}: {output['pieces']}")
    return check.prepare(output, case) if check.prepare else output


def build_context(rubric=None, solutions_dir=SOLUTIONS_DIR, cached=None, key=None):
    """The class context. rubric: a Rubric checked against the specs (grader.rubric.load_checked_rubric;
    None: the bundled one). cached: {"cases", "expected", "plots"} (cached_parts) computed before for
    the same fingerprint (grader.judging.context_cache); the reference is then imported only if a
    search needs it.
    key: the fingerprint of this rubric and solutions_dir where the caller has it already."""
    rubric = rubric or load_checked_rubric()
    specs = {spec.function: spec for spec in all_functions()}
    functions = {f: specs[f] for f in rubric.functions}
    checks = {c.id: c for spec in functions.values() for c in spec.checks if c.name in rubric.points[spec.function]}
    if cached is not None:
        reference, cases, expected = LazyReference(solutions_dir), cached["cases"], cached["expected"]
        plots = cached.get("plots")
    else:
        reference = import_reference(solutions_dir)
        cases = class_cases(checks.values())
        expected = {cid: [run_reference(checks[cid], reference, case) if checks[cid].uses_expected else None
                          for case in cases[cid]] for cid in checks}
        plots = reference_plots(reference, rubric.modules)
    stubs = released_stubs(Path(solutions_dir), rubric.modules, functions)
    return ClassContext(rubric, functions, checks, cases, expected, reference,
                        key or fingerprint(rubric, solutions_dir), stubs, plots=plots)


def cached_parts(ctx):
    """What a precomputed context keeps (grader.judging.context_cache): build_context(cached=...) takes it back."""
    return {"cases": ctx.cases, "expected": ctx.expected, "plots": ctx.plots}


def reference_plots(reference, modules):
    """{module: the reference's outcome of its plot probe}, run as a child runs it (seeded, in the
    case's forms) and read back through the protocol: the plot data of a student whose functions
    give the reference's values. The judge draws them while the runners start (grader.lanes), so
    that the first students do not pay matplotlib's first drawings, and such students' plots are
    drawn already. The global generators the probes seed are restored after them."""
    from grader.judging.stages.plot import plot_jobs
    from grader.probes import plot_table, probe_for
    from grader.sandbox.child import probe_parts, run_job

    table, plots = plot_table(), {}
    torch = sys.modules.get("torch")  # seeded by the probes only if imported (grader.seeding)
    states = random.getstate(), np.random.get_state(), torch and torch.get_rng_state()
    try:
        for module in modules:
            job = plot_jobs(module)
            if job is not None:
                check_id, cases = job
                probe = probe_parts(probe_for(check_id, table))
                plots[module] = plain(run_job(probe, reference, cases, check_id)[0])
    finally:
        random.setstate(states[0])
        np.random.set_state(states[1])
        if torch is not None:
            torch.set_rng_state(states[2])
    return plots


def import_reference(solutions_dir=SOLUTIONS_DIR):
    reference, status = import_sources(read_sources(solutions_dir), "reference")
    broken = {k: v for k, v in status.items() if v}
    if broken:
        raise ReferenceError_(f"the reference modules in {solutions_dir} do not import: {broken}")
    return reference


class LazyReference:
    """The reference, imported on first use: grading from cached expected values needs it only to
    answer a search's new cases (and a judge that never imports it never imports torch)."""

    def __init__(self, solutions_dir):
        self._solutions_dir, self._impl = solutions_dir, None

    def __getattr__(self, name):
        if self._impl is None:
            self._impl = import_reference(self._solutions_dir)
        return getattr(self._impl, name)
