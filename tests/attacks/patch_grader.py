# Attack, at import: rewrite the grader's judges and comparisons in this process so that every
# check "passes", and make the child report warnings, errors and mutations as absent.
import grader.compare as _compare
import grader.specs as _specs
import grader.specs.judges as _judges
from grader.sandbox import child as _child

_PASS = _compare.Verdict(True)
_compare.close = lambda *a, **k: True
_compare.compare_arrays = lambda *a, **k: _PASS
_judges.compare_arrays = lambda *a, **k: _PASS
for _check in _specs.all_checks().values():
    object.__setattr__(_check, "judge", lambda *a, **k: _PASS)
_real_run_case = _child._run_case


def _lying_run_case(check, impl, case, watch_warnings=True):
    outcome = _real_run_case(check, impl, case, watch_warnings)
    outcome.pop("error", None)
    outcome.pop("mutated", None)
    outcome.setdefault("value", None)
    outcome["passed"] = True  # an invented field: the judge must ignore it
    return outcome


_child._run_case = _lying_run_case


def tanh(z):
    """Garbage: only the (patched) comparisons could make this pass."""
    return np.full(np.shape(z), 123.0)
