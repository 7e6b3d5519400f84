"""What is checked: for every graded function, its checks (inputs, how to call, how to judge).

A Check pairs
  - a probe, `probe(impl, case) -> plain data`: it calls the implementation's functions on one input
    case. The same probe runs on the student's code in the sandboxed child and on the reference in
    the grader, so the two outputs are directly comparable;
  - a judge, `judge(got, expected, case) -> Verdict`, which runs in the grader only;
  - the inputs: a hypothesis strategy of case dicts plus explicit examples.
Probes are looked up by check id inside the child: no code and no expected value crosses the boundary.
Spec modules never import solutions/ (the kit's tests check it).
"""
import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

SPEC_MODULES = (
    "ex01_perceptron",
    "ex02_gradient_descent",
    "ex03_activations",
    "ex04_mlp_forward",
    "ex05_backprop",
    "ex06_sgd",
    "ex07_torch",
)


class ContractError(Exception):
    """Raised by a probe when the student's value breaks the call contract (shown verbatim)."""


@dataclass(frozen=True)
class Check:
    function: str  # "ex03_activations.sigmoid"
    name: str  # rubric entry, e.g. "matches_reference"
    probe: Callable[[Any, dict], Any]
    judge: Callable[[Any, Any, dict], Any]
    cases: Any = None  # hypothesis strategy of case dicts, or None for examples only
    examples: tuple = ()
    max_examples: int = 15
    fail_on_warnings: bool = False
    uses_expected: bool = True  # False for behaviour checks: the reference is not even run for them
    describe: str = ""  # what the check verifies, for feedback

    @property
    def id(self):
        return f"{self.function}:{self.name}"

    @property
    def module(self):
        return self.function.split(".")[0]


@dataclass(frozen=True)
class FunctionSpec:
    function: str
    checks: tuple
    depends: tuple = field(default=())  # other graded functions this one calls in the student's code


def all_functions():
    """Every FunctionSpec, in exercise order."""
    specs = []
    for name in SPEC_MODULES:
        specs.extend(importlib.import_module(f"grader.specs.{name}").FUNCTIONS)
    return specs


def all_checks():
    return {check.id: check for spec in all_functions() for check in spec.checks}


def spec(function, *checks, depends=()):
    return FunctionSpec(function, tuple(checks), tuple(depends))
