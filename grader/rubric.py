"""The rubric: points per check, time limits per function and per student, read from rubric.toml."""
import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from grader.limits import PLOT_SECONDS

DEFAULT_RUBRIC = Path(__file__).with_name("rubric.toml")
LIMITS = {"per_student": 120.0, "plots": PLOT_SECONDS}  # [limits]: key -> seconds when not given


class RubricError(ValueError):
    """The rubric file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Rubric:
    # {"ex03_activations.sigmoid": {"matches_reference": 1.0, ...}}, in file order
    points: dict = field(default_factory=dict)
    timeouts: dict = field(default_factory=dict)
    default_timeout: float = 10.0
    source: str = "<rubric>"
    per_student: float = LIMITS["per_student"]  # seconds everything one student costs may take (see grader.limits)
    visibility: dict = field(default_factory=dict)  # {function: Gradescope visibility}, from [visibility]
    default_visibility: str = "visible"
    late: dict = None  # the late policy from [late] (grader.late), None without one
    raw: bytes = field(default=b"", repr=False, compare=False)  # the file as read (grader.judging.fingerprint)
    plots: float = LIMITS["plots"]  # seconds all plot probes of one student may take; over it, no plots

    @property
    def functions(self):
        return list(self.points)

    @property
    def modules(self):
        """The exercise modules the graded functions live in, sorted."""
        return sorted({f.split(".")[0] for f in self.points})

    def function_points(self, function):
        return sum(self.points[function].values())

    def check_points(self, function, check):
        return self.points[function][check]

    def timeout(self, function):
        return self.timeouts.get(function, self.default_timeout)

    def visibility_of(self, function):
        """When students see this function's results on Gradescope."""
        return self.visibility.get(function, self.default_visibility)

    @property
    def max_score(self):
        return sum(self.function_points(f) for f in self.points)


def _number(value, where):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise RubricError(f"{where}: expected a non-negative number, got {value!r}")
    return float(value)


def load_rubric(path=DEFAULT_RUBRIC):
    path = Path(path)
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RubricError(f"{path}: cannot read the rubric: {exc}") from exc
    timeouts = dict(data.pop("timeouts", {}))
    per_student, plots = _limits(data.pop("limits", {}), path)
    data_visibility = data.pop("visibility", {})
    late_table = data.pop("late", None)
    default = _number(timeouts.pop("default", 10.0), f"{path}: [timeouts] default")
    points = {}
    for module, functions in data.items():
        if not isinstance(functions, dict):
            raise RubricError(f"{path}: [{module}] must be a table of functions")
        for function, checks in functions.items():
            where = f"{path}: [{module}.{function}]"
            if not isinstance(checks, dict) or not checks:
                raise RubricError(f"{where} must list at least one check = points")
            points[f"{module}.{function}"] = {c: _number(p, f"{where} {c}") for c, p in checks.items()}
    for function, seconds in timeouts.items():
        if function not in points:
            raise RubricError(f"{path}: [timeouts] names unknown function {function!r}")
        timeouts[function] = _number(seconds, f"{path}: [timeouts] {function}")
    points = _with_spec_defaults(points)
    visibility, default_visibility = _visibility(data_visibility, points, path)
    return Rubric(points, timeouts, default, str(path), per_student, visibility, default_visibility,
                  _late(late_table, path), raw, plots)


def load_checked_rubric(path=None):
    """The rubric (DEFAULT_RUBRIC without a path), checked once against the grader's specs: every
    section, function and check it names exists, and every check a graded check needs is graded
    too (a RubricError naming the file, before anything is graded). A command loads it here, at
    its edge, and passes the Rubric on."""
    from grader.specs import all_functions

    rubric = load_rubric(path or DEFAULT_RUBRIC)
    specs = {spec.function: spec for spec in all_functions()}
    check_names(rubric, {function: [c.name for c in spec.checks] for function, spec in specs.items()})
    check_needs(rubric, specs)
    return rubric


def _with_spec_defaults(points):
    """The rubric's points, then the points the specs declare (Check.points) for the checks it does
    not name: the rubric overrides, a new function needs no rubric entry."""
    from grader.specs import default_points

    merged = {function: dict(checks) for function, checks in points.items()}
    for function, declared in default_points().items():
        for check, value in declared.items():
            merged.setdefault(function, {}).setdefault(check, value)
    return merged


def _late(table, path):
    from grader.late import LateError, policy

    try:
        return policy(table, path)
    except LateError as exc:
        raise RubricError(str(exc)) from None


VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")  # Gradescope's test visibility


def _visibility(table, points, path):
    """({function: visibility}, default) from [visibility]: `default` and per-function values."""
    if not isinstance(table, dict):
        raise RubricError(f"{path}: [visibility] must be a table")
    for key, value in table.items():
        if value not in VISIBILITIES:
            raise RubricError(f"{path}: [visibility] {key} = {value!r}: expected one of {', '.join(VISIBILITIES)}")
        if key != "default" and key not in points:
            raise RubricError(f"{path}: [visibility] names unknown function {key!r}{_suggest(key, list(points))}")
    table = dict(table)
    default = table.pop("default", "visible")
    return {**_spec_visibility(path), **table}, default


def _spec_visibility(path):
    """The visibility the specs declare (FunctionSpec.visibility): the rubric's [visibility] overrides."""
    from grader.specs import default_visibility

    declared = default_visibility()
    for function, value in declared.items():
        if value not in VISIBILITIES:
            raise RubricError(f"grader/specs/{function.split('.')[0]}.py: {function} declares visibility {value!r}: "
                              f"expected one of {', '.join(VISIBILITIES)}")
    return declared


def _limits(table, path):
    """(the per-student time budget, the plot probes' time) from [limits]."""
    if not isinstance(table, dict):
        raise RubricError(f"{path}: [limits] must be a table")
    unknown = sorted(set(table) - set(LIMITS))
    if unknown:
        raise RubricError(f"{path}: [limits] names unknown limits {unknown} (known: {', '.join(LIMITS)})")
    found = []
    for key, default in LIMITS.items():
        seconds = _number(table.get(key, default), f"{path}: [limits] {key}")
        if seconds <= 0:
            raise RubricError(f"{path}: [limits] {key} must be more than 0 seconds, got {seconds:g}")
        found.append(seconds)
    return tuple(found)


def check_names(rubric, available):
    """RubricError unless every section, function and check the rubric names exists in the
    grader; available: {"module.function": [check names]}. The message names the rubric file,
    the entry, the closest valid name and the valid names."""
    modules = sorted({f.split(".")[0] for f in available})
    for qualified, checks in rubric.points.items():
        module, function = qualified.split(".", 1)
        if module not in modules:
            raise RubricError(f"{rubric.source}: unknown section [{module}]{_suggest(module, modules)}")
        if qualified not in available:
            functions = [f.split(".", 1)[1] for f in available if f.startswith(f"{module}.")]
            raise RubricError(f"{rubric.source}: [{module}] names unknown function {function!r}{_suggest(function, functions)}")
        for check in checks:
            if check not in available[qualified]:
                raise RubricError(f"{rubric.source}: [{qualified}] names unknown check {check!r}"
                                  f"{_suggest(check, list(available[qualified]))}")


def check_needs(rubric, specs):
    """RubricError unless every graded check's Check.needs are graded too; specs: {function: FunctionSpec}."""
    for function, points in rubric.points.items():
        for check in specs[function].checks:
            missing = [n for n in check.needs if check.name in points and n not in points]
            if missing:
                raise RubricError(f"{rubric.source}: [{function}] {check.name} earns points only together with "
                                  f"{', '.join(missing)}: list that check too")


def _suggest(name, choices):
    close = closest_name(name, choices)
    return (f"; did you mean {close!r}?" if close else "") + f" (valid: {', '.join(choices)})"


def closest_name(name, choices):
    """The one of `choices` a misspelled name most likely meant, or None (for "did you mean")."""
    close = difflib.get_close_matches(name, list(choices), n=1)
    return close[0] if close else None
