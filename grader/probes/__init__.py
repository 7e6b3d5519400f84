"""What the sandboxed child runs: for every check id, how to call the student's code on one case.

This package is the child's whole view of the checks. It holds calls and nothing that computes an
answer: no formula, no expected value, no judge, no finite differences (those live in grader.specs,
which only the judge imports; tests/specs/test_specs.py checks that the runner never loads it).

A Probe has two parts (and whether to record the warnings its call emits):
  - `call(impl, case) -> value`: the student's graded function on the case (with the contract's
    shape checks, raising ContractError), the value the judge compares;
  - `pieces(case) -> [Call, ...]`: optional further calls of the student's own graded functions on
    inputs derived from the case, made one by one by `run_pieces` below (never inside the probe).
    The judge uses their plain outputs for "right given your own pieces" and for finite differences
    of the student's own forward; it does all the arithmetic itself. A Call's argument may be
    `Output(i)`, the output of the i-th call before it (a loop built from the student's own steps),
    or `Returned(key)`, that item of what the graded call returned (the loss of the parameters
    train_mlp returned, by the student's own mlp_backward).
The same probes run on the reference in the judge, so the reference's piece outputs (the true
values on the same inputs) are known there too.

A check no probe module names gets the default probe, `module.function(**case)`: its cases' keys
are the function's parameter names, so a new exercise needs no probe file (see default_probe).
"""
import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

# The probe modules present, named like their exercise (grader/probes/exNN_name.py). Optional: the
# exercise modules are grader.exercise_modules(); checks no probe module names use default_probe.
PROBE_MODULES = tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if re.fullmatch(r"ex\d\d_\w+", m.name)))
CHECK_ID = re.compile(r"(ex\d\d_\w+)\.(\w+):\w+")
PLOT_ID = re.compile(r"ex\d\d_\w+:plot")


class ContractError(Exception):
    """Raised by a probe when the student's value breaks the call contract (shown verbatim)."""


@dataclass(frozen=True)
class Output:
    """Stands for the output of the index-th piece call of the same case."""
    index: int


@dataclass(frozen=True)
class Returned:
    """Stands for value[key] of the probe's own call (its value as the student returned it)."""
    key: str


@dataclass(frozen=True)
class Call:
    function: str  # "ex02_gradient_descent.squared_error_gradient"
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    take: int = None  # keep only this item of a returned tuple (e.g. mlp_forward's out)


@dataclass(frozen=True)
class Probe:
    call: Callable[[Any, dict], Any]
    pieces: Callable[[dict], list] = None
    watch_warnings: bool = False  # record the warnings the call emits (for checks that fail on them)


def probe_table():
    """{check id: Probe} of the checks the probe modules name (the others use default_probe)."""
    table = {}
    for name in PROBE_MODULES:
        table.update(importlib.import_module(f"grader.probes.{name}").PROBES)
    return table


def default_probe(check_id, derive=None):
    """The probe of a check that no probe module names, derived from the check id and, for a
    standard check, what its spec declares (`derive`, plain data the judge sends; see Check.derive):
      - None: `module.function(**case)` ("ex08_softmax.softmax:matches_reference");
      - {"forward": name, "wrt": key}: `function(case[key], **rest)` with the student's own forward
        at case[key] + FD_STEP and case[key] - FD_STEP as pieces (elementwise central differences);
      - a plot id ("exNN_name:plot"): each of case["functions"] on case["grid"] (see curves_probe).
    ValueError for an id of another form."""
    if PLOT_ID.fullmatch(str(check_id)):
        return curves_probe(check_id.split(":")[0])
    match = CHECK_ID.fullmatch(str(check_id))
    if match is None:
        raise ValueError(f"not a check id (module.function:check): {check_id!r}")
    module, function = match.groups()
    if derive and derive.get("forward"):
        return forward_differences_probe(module, function, str(derive["forward"]), str(derive.get("wrt", "z")))
    return Probe(lambda impl, case: getattr(module_of(impl, module), function)(**case))


def probe_for(check_id, table, derive=None):
    """The probe of a check: its entry in `table` (probe_table()), else the derived default probe."""
    probe = table.get(check_id)
    return probe if probe is not None else default_probe(check_id, derive)


def forward_differences_probe(module, function, forward, wrt):
    """`function(case[wrt], **rest)`, and the student's own `forward` at case[wrt] +- FD_STEP with
    the same other arguments: the judge divides the two outputs' difference by 2 * FD_STEP."""
    def call(impl, case):
        rest = {k: v for k, v in case.items() if k != wrt}
        return getattr(module_of(impl, module), function)(case[wrt], **rest)

    def pieces(case):
        x = np.asarray(case[wrt], dtype=float)
        rest = {k: v for k, v in case.items() if k != wrt}
        return [Call(f"{module}.{forward}", (x + FD_STEP,), rest), Call(f"{module}.{forward}", (x - FD_STEP,), rest)]
    return Probe(call, pieces)


def curves_probe(module):
    """A declared plot's probe: {name: attempt(name(grid))} for each name in case["functions"] (the
    judge sends the names and the grid: public inputs, no answer)."""
    def call(impl, case):
        grid = np.asarray(case["grid"], dtype=float)
        return {str(name): attempt(lambda name=name: getattr(module_of(impl, module), str(name))(grid.copy()))
                for name in case["functions"]}
    return Probe(call)


def plot_id(module):
    return f"{module}:plot"


def plot_table():
    """{plot id: Probe} of every exercise's plot probe (PLOTS in its probe module, keyed plot_id(M)):
    the student's functions on fixed public inputs, returning plain arrays for the feedback page's
    plots (grader.outputs.feedback_plots draws them). Never graded."""
    table = {}
    for name in PROBE_MODULES:
        table.update(getattr(importlib.import_module(f"grader.probes.{name}"), "PLOTS", {}))
    return table


def attempt(call):
    """{"ok": call()} or {"error": type name}: one series of a plot, so a failing call spoils only itself."""
    try:
        return {"ok": call()}
    except Exception as exc:  # noqa: BLE001 - the feedback says which series could not be drawn
        return {"error": type(exc).__name__}


def run_probe(probe, impl, case):
    """What a child reports for one case, computed in-process (the reference in the judge, the
    benchmark's floor): the value, or {"value": ..., "pieces": [...]} for a probe with piece calls."""
    value = probe.call(impl, case)
    if probe.pieces is None:
        return value
    return {"value": value, "pieces": run_pieces(impl, probe.pieces(case), value)}


def run_pieces(impl, calls, returned=None):
    """[["ok", value] | ["error", message], ...]: one direct call of the student's function per Call;
    `returned` is the value of the probe's own call."""
    outputs, raw = [], []
    for call in calls:
        try:
            module, name = call.function.split(".")
            args = [_resolve(a, raw, returned) for a in call.args]
            kwargs = {k: _resolve(v, raw, returned) for k, v in call.kwargs.items()}
            value = getattr(getattr(impl, module), name)(*args, **kwargs)
            if call.take is not None:
                if not isinstance(value, (tuple, list)) or len(value) <= call.take:
                    raise ContractError(f"{call.function} should return a tuple")
                value = value[call.take]
            outputs.append(["ok", value])
            raw.append(value)
        except Exception as exc:  # noqa: BLE001 - the piece is graded on its own
            outputs.append(["error", f"{type(exc).__name__}"])
            raw.append(None)
    return outputs


def _resolve(arg, raw, returned):
    if isinstance(arg, Output):
        if raw[arg.index] is None:
            raise ContractError("an earlier piece failed")
        return raw[arg.index]
    if isinstance(arg, Returned):
        return returned[arg.key]
    return arg


def module_of(impl, name):
    return getattr(impl, name)


FD_STEP = 1e-5  # central differences: the judge divides the outputs of these calls by 2 * FD_STEP


def perturbed(inputs, wrt, step=FD_STEP):
    """Copies of `inputs` ({name: array}) with one entry moved by +step, then -step: for each name
    in wrt, for each index in C order. grader.toolkit.finite_diff.central_differences reads them in this order."""
    out = []
    for name in wrt:
        base = np.array(inputs[name], dtype=float)
        for idx in np.ndindex(*base.shape):
            for sign in (1.0, -1.0):
                moved = base.copy()
                moved[idx] = base[idx] + sign * step
                out.append({**inputs, name: moved})
    return out
