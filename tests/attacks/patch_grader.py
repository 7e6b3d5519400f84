# Attack, at import: rewrite the grader's probes and judges in this process so that every check
# "passes", and make the child report warnings, errors and mutations as absent. The judges and
# comparisons are not in the child (grader.specs and grader.toolkit.compare are judge-only); they are
# patched if they can be imported at all.
import grader.probes as _probes
from grader.sandbox import child as _child

try:
    import grader.toolkit.compare as _compare
    import grader.specs.judges as _judges

    _PASS = _compare.Verdict(True)
    _compare.close = lambda *a, **k: True
    _compare.compare_arrays = lambda *a, **k: _PASS
    _judges.compare_arrays = lambda *a, **k: _PASS
except ImportError:
    pass
for _probe in _probes.probe_table().values():
    object.__setattr__(_probe, "pieces", None)
_real_run_case = _child._run_case


def _lying_run_case(*args, **kwargs):
    outcome = _real_run_case(*args, **kwargs)
    outcome.pop("error", None)
    outcome.pop("mutated", None)
    outcome.setdefault("value", None)
    outcome["passed"] = True  # an invented field: the judge must ignore it
    return outcome


_child._run_case = _lying_run_case


def tanh(z):
    """Garbage: only the (patched) comparisons could make this pass."""
    return np.full(np.shape(z), 123.0)
