"""What is checked: for every graded function, its checks (inputs, how to judge). Judge only.

A Check pairs
  - a probe (grader.probes, found by the check's id; without one, the default probe calls
    function(**case)): how to call the implementation on one case.
    The same probe runs on the student's code in the sandboxed child and on the reference here,
    so the two outputs are directly comparable. With piece calls (Probe.pieces), both outputs are
    {"value": ..., "pieces": [...]};
  - a judge, `judge(got, expected, case) -> Verdict`, which runs in the grader only;
  - the inputs: a hypothesis strategy of case dicts plus explicit examples.
This package holds formulas and answers (mistake hints, finite differences of the reference): the
runner, fork server and child never import it; they see only grader.probes.
Spec modules never import solutions/ (the kit's tests check it).
"""
import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from grader import SOLUTIONS_DIR, exercise_modules
from grader import forms
from grader.probes import ContractError, probe_for, probe_table  # noqa: F401 - ContractError re-exported for judges


@dataclass(frozen=True)
class Check:
    function: str  # "ex03_activations.sigmoid"
    name: str  # rubric entry, e.g. "matches_reference"
    judge: Callable[[Any, Any, dict], Any]
    cases: Any = None  # hypothesis strategy of case dicts, or None for examples only
    examples: tuple = ()
    max_examples: int = 15
    fail_on_warnings: bool = False
    warning_hint: str = ""  # the hint of a fail_on_warnings check whose call warned (e.g. an overflow's cause)
    uses_expected: bool = True  # False for behaviour checks: the reference is not even run for them
    describe: str = ""  # what the check verifies, for feedback
    # judge-side once per case: (reference output, case) -> expected (e.g. central differences of the reference)
    prepare: Callable[[Any, dict], Any] = None
    # behaviour checks: names of this function's checks that must pass first (a constant cannot pass those)
    needs: tuple = ()
    # the precondition of `cases` made checkable, case -> bool (e.g. the sample is correctly classified):
    # the minimal failing case of another check is reused for this one only where it holds; None: only
    # a case of the same strategy is reused (see accepts)
    domain: Callable[[dict], bool] = None
    # the case as the function's own arguments, by its parameter names, for feedback ({name: value});
    # None: the case itself (the default probe calls function(**case))
    shown: Callable[[dict], dict] = None
    # finite differences of the student's own forward: the name of that function in the same module,
    # elementwise in the case's `forward_wrt` entry. The child's probe is derived from it (no probe file)
    forward: str = None
    forward_wrt: str = "z"
    # the check's points when the rubric does not name it (the rubric overrides, otter-style)
    points: float = None

    @property
    def id(self):
        return f"{self.function}:{self.name}"

    @property
    def derive(self):
        """What the child needs to derive this check's probe (plain data), or None for function(**case)."""
        if self.forward is None:
            return None
        return {"forward": self.forward, "wrt": self.forward_wrt}

    @property
    def probe(self):
        return probe_for(self.id, _probes(), self.derive)

    @property
    def words(self):
        """What the check verifies, in a beginner's words (`describe`, else the kit's standard words)."""
        return self.describe or standard_words(self.name)

    @property
    def module(self):
        return self.function.split(".")[0]

    def accepts(self, case, source):
        """Whether `case`, a failing case of the check `source`, lies in this check's own domain (its
        strategy's preconditions), so that what this check expects there is honest."""
        if self.cases is None or source.function != self.function:
            return False
        if self.domain is not None:
            try:
                return bool(self.domain(case))
            except Exception:  # noqa: BLE001 - a case the predicate cannot read is outside the domain
                return False
        return source.cases is self.cases or repr(source.cases) == repr(self.cases)

    def arguments(self, case):
        """The case as shown to the student: the function's own arguments."""
        return self.shown(case) if self.shown is not None else case


def args(*names):
    """Check.shown for a probe whose case keys are not the function's parameters: each name is a
    parameter taken from the case key of the same name, or a pair (parameter, case key)."""
    pairs = [(n, n) if isinstance(n, str) else n for n in names]

    def shown(case):
        out = {param: case[key] for param, key in pairs if key in case}
        if forms.FORM_KEY in case:  # the forms, by the same names
            out[forms.FORM_KEY] = {param: case[forms.FORM_KEY][key] for param, key in pairs if key in case[forms.FORM_KEY]}
        return out
    return shown


@lru_cache(maxsize=None)
def _declared_forms(module):
    return forms.declared_forms(SOLUTIONS_DIR / f"{module}.py")


def form_examples(function, *bases, keys=None):
    """Graded examples of every input form the reference's docstring declares for `function`
    ("module.name"), built on the plain cases `bases` (grader.forms.form_examples; keys: {argument:
    case key} where they differ). ValueError when the docstring declares none."""
    module, name = function.split(".")
    declared = _declared_forms(module).get(name)
    if not declared:
        raise ValueError(f"solutions/{module}.py declares no input forms of {name}")
    return forms.form_examples(declared, bases, keys)


@dataclass(frozen=True)
class FunctionSpec:
    function: str
    checks: tuple
    depends: tuple = field(default=())  # other graded functions this one calls in the student's code
    visibility: str = None  # when Gradescope shows its results, unless the rubric's [visibility] says


# The words of the standard checks, for a Check that does not `describe` itself.
STANDARD_WORDS = {
    "matches_reference": "your values are compared with the correct ones on many inputs",
    "finite_differences": "your gradient is compared with a numerical gradient (central finite differences)",
}


def standard_words(name):
    return STANDARD_WORDS.get(name, name.replace("_", " "))


@lru_cache(maxsize=1)
def _words():
    by_id, by_name = {}, {}
    for check in all_checks().values():
        by_id[check.id] = check.words
        by_name.setdefault(check.name, check.words)
    return by_id, by_name


def check_words(name, function=None):
    """The words of the check `name` of `function` (module.function); without the function, those
    of the first check so named; the standard words for a check no spec has."""
    by_id, by_name = _words()
    return by_id.get(f"{function}:{name}") or by_name.get(name) or standard_words(name)


@dataclass(frozen=True)
class CurvePlot:
    """A module's declared plot for the feedback page: for each (forward, derivative) pair, the
    student's two functions on `grid` beside the slides' curves (`curves`: name -> formula of z).
    The child's probe is derived from it (grader.probes.curves_probe): no probe file, no plotter."""
    grid: Any
    pairs: tuple
    curves: dict = field(default_factory=dict, hash=False, compare=False)
    size: tuple = (7.0, 2.4)  # inches

    @property
    def functions(self):
        return [name for pair in self.pairs for name in pair]

    def case(self):
        return {"functions": self.functions, "grid": self.grid}

    def adding(self, forward, derivative, forward_curve, derivative_curve):
        """This plot with one more pair and the slides' curves of its two functions."""
        return CurvePlot(self.grid, (*self.pairs, (forward, derivative)),
                         {**self.curves, forward: forward_curve, derivative: derivative_curve}, self.size)


def spec_module(name):
    """grader/specs/<name>.py (ModuleNotFoundError naming the file to write if there is none)."""
    try:
        return importlib.import_module(f"grader.specs.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"grader.specs.{name}":
            raise
        raise ModuleNotFoundError(f"solutions/{name}.py has no checks: write grader/specs/{name}.py "
                                  "(see docs/authoring.md)", name=exc.name) from None


def declared_plots():
    """{module: CurvePlot} of the spec modules that declare PLOT."""
    plots = {}
    for name in exercise_modules():
        plot = getattr(spec_module(name), "PLOT", None)
        if plot is not None:
            plots[name] = plot
    return plots


def all_functions():
    """Every FunctionSpec, in exercise order: grader/specs/exNN_name.py's FUNCTIONS for every
    exercise module (a module without a spec file is an error naming the file to write)."""
    specs = []
    for name in exercise_modules():
        specs.extend(spec_module(name).FUNCTIONS)
    return specs


def default_points():
    """{function: {check: points}} of the checks whose spec declares points, in exercise order."""
    out = {}
    for function_spec in all_functions():
        declared = {c.name: float(c.points) for c in function_spec.checks if c.points is not None}
        if declared:
            out[function_spec.function] = declared
    return out


def default_visibility():
    """{function: visibility} of the functions whose spec declares one."""
    return {s.function: s.visibility for s in all_functions() if s.visibility is not None}


def all_checks():
    return {check.id: check for spec in all_functions() for check in spec.checks}


@lru_cache(maxsize=1)
def _probes():
    return probe_table()


def with_points(function_spec, **points):
    """The FunctionSpec with default points on the checks named (the rubric still overrides)."""
    from dataclasses import replace

    unknown = set(points) - {c.name for c in function_spec.checks}
    if unknown:
        raise ValueError(f"{function_spec.function} has no check {sorted(unknown)}")
    checks = tuple(replace(c, points=points.get(c.name, c.points)) for c in function_spec.checks)
    return replace(function_spec, checks=checks)


def spec(function, *checks, depends=(), visibility=None):
    return FunctionSpec(function, tuple(checks), tuple(depends), visibility)
