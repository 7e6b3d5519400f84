"""Which hint a failure gets: the one that explains every failing case seen, not only the minimal one.

Shrinking picks the smallest failing case, and small cases are often degenerate (two samples, an
all-zero input, z close to 0), where several mistakes give the same number: a cost with 1/(2m) is
"a factor 1/2 too many" at m = 2. So the diagnosis reads every failing case the search saw, prefers
the informative ones, and names a mistake only when they all agree on it. The case shown to the
student stays the minimal one.

One case can fit several mistakes (Verdict.alike: at a tie w . x == 0, the raw score w . x and
np.sign's 0 give the same update). The hint is then the first mistake, in the catalogue's order,
that explains every informative failing case; a catalogue lists the narrower mistake (one that fails
only on ties) before the broader one (one that fails almost everywhere), so failures seen only on
ties name the narrow mistake, and failures off the ties too name the broad one.
"""
import dataclasses

import numpy as np

from grader.forms import form_hint

FEW_SAMPLES = 3  # a 2-D input with fewer rows (samples) than this is degenerate for a diagnosis
NEAR_ZERO = 0.1  # an array input all of whose entries are smaller than this is degenerate


def diagnosed(verdict, failures):
    """verdict with the hint every informative failing case agrees on (none if they disagree).
    failures: [(case, failing verdict)], every failing case seen for the check; cases in another
    input form count only when no float64 case failed."""
    if verdict.ok or not failures:
        return verdict
    explained = {_explanations(v) for _, v in failures}
    if len(explained) == 1:  # every subset of the cases agrees too (a stub's hundreds of failures: no need to sort them)
        return _with_hint(verdict, next(iter(explained.pop()), ""))
    # A case in another input form (a Python float, a list: grader.forms) fails for its form; the
    # mistake the float64 cases show is diagnosed from them alone.
    failures = [(case, v) for case, v in failures if not form_hint(case)] or failures
    informative = [v for case, v in failures if not degenerate(case)] or [v for _, v in failures]
    hint = next((h for h in _explanations(informative[0]) if all(h in _explanations(v) for v in informative)), "")
    return _with_hint(verdict, hint)


def _with_hint(verdict, hint):
    return verdict if hint == (verdict.hint or "") else dataclasses.replace(verdict, hint=hint)


def _explanations(verdict):
    """The mistakes that give this failing case's value, in the catalogue's order."""
    return (verdict.hint, *verdict.alike) if verdict.hint else ()


def degenerate(case):
    """A case where different mistakes may give the same numbers."""
    return any(_degenerate_input(value) for value in _arrays(case))


def _degenerate_input(value):
    if value.size == 0:
        return True
    if value.ndim == 2 and value.shape[0] < FEW_SAMPLES:
        return True
    with np.errstate(invalid="ignore"):
        return bool(np.all(np.abs(value) < NEAR_ZERO))


def _arrays(value):
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
        yield value.astype(float, copy=False)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arrays(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _arrays(item)
