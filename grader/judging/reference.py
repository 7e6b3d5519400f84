"""The class context: rubric, checks, their inputs and the reference's outputs, computed once.

Lives only in the judge (the grader's own process); never sent to a runner or child.
"""
import hashlib
import sys
import warnings
from importlib import metadata
from dataclasses import dataclass, field
from pathlib import Path

from grader import PROJECT_ROOT, SOLUTIONS_DIR
from grader.toolkit.cases import class_cases
from grader.forms import apply_forms
from grader.judging.judged_frames import JudgedFrames
from grader.loader import import_sources, read_sources
from grader.probes import run_probe
from grader.protocol import decode, encode
from grader.rubric import DEFAULT_RUBRIC, load_rubric
from grader.judging.search_memo import SearchMemo
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
    searches: SearchMemo = field(default_factory=SearchMemo)  # hypothesis's searches, shared by the class
    judged: JudgedFrames = field(default_factory=JudgedFrames)  # results frames judged, shared by the class

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


def fingerprint(rubric_path=None, solutions_dir=SOLUTIONS_DIR, portable=False):
    """Changes whenever the grader's code, the reference, the rubric or a library the grading
    depends on changes (resume key: a student graded before any such change is graded again).
    portable: Python's minor version only, not its patch, for a cache made on another machine
    (PrairieLearn's is made where the question is built; the image's 3.11.x seldom matches)."""
    digest = hashlib.sha256(_versions(portable))
    code = [(p.relative_to(PROJECT_ROOT).as_posix(), p) for p in sorted((PROJECT_ROOT / "grader").rglob("*.py"))]
    data = [(f"solutions/{p.name}", p) for p in sorted(Path(solutions_dir).glob("*.py"))]
    for name, path in [*code, *data, ("rubric", Path(rubric_path or DEFAULT_RUBRIC))]:
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Besides the kit's own code: what generates the class's cases and runs the checks.
FINGERPRINT_LIBRARIES = ("numpy", "torch", "hypothesis")


def _versions(portable):
    python = ".".join(map(str, sys.version_info[:2 if portable else 3]))
    found = [f"python={python}"]
    for name in FINGERPRINT_LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return " ".join(found).encode()


def build_context(rubric_path=None, solutions_dir=SOLUTIONS_DIR, cached=None):
    """The class context. cached: {"cases", "expected"} computed before for the same fingerprint
    (grader.platforms.context_cache); the reference is then imported only if a search needs it."""
    rubric_path = rubric_path or DEFAULT_RUBRIC
    rubric = load_rubric(rubric_path)
    functions = {spec.function: spec for spec in all_functions()}
    missing = [f for f in rubric.functions if f not in functions]
    if missing:
        raise ValueError(f"{rubric_path}: no checks are defined for {', '.join(missing)}")
    for function in rubric.functions:
        unknown = set(rubric.points[function]) - {c.name for c in functions[function].checks}
        if unknown:
            raise ValueError(f"{rubric_path}: [{function}] names unknown checks {sorted(unknown)}")
    functions = {f: functions[f] for f in rubric.functions}
    for function in rubric.functions:
        for check in functions[function].checks:
            missing = [n for n in check.needs if check.name in rubric.points[function] and n not in rubric.points[function]]
            if missing:
                raise ValueError(f"{rubric_path}: [{function}] {check.name} earns points only together with "
                                 f"{', '.join(missing)}: list that check too")
    checks = {c.id: c for spec in functions.values() for c in spec.checks if c.name in rubric.points[spec.function]}
    key = fingerprint(rubric_path, solutions_dir)
    if cached is not None:
        return ClassContext(rubric, functions, checks, cached["cases"], cached["expected"], LazyReference(solutions_dir), key)
    reference = import_reference(solutions_dir)
    cases = class_cases(checks.values())
    expected = {cid: [run_reference(checks[cid], reference, case) if checks[cid].uses_expected else None for case in cases[cid]]
                for cid in checks}
    return ClassContext(rubric, functions, checks, cases, expected, reference, key)


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
