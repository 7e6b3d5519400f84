"""Inputs for the checks: explicit examples first, then hypothesis's derandomized draws.

Generated once per class and replayed for every submission: with derandomize=True
and no example database, the same rubric gives the same inputs on every run.
Hypothesis's search and shrinking run again only for a submission that fails a
check, to find its smallest failing input (see grading.minimal_failure).
"""
import warnings

from hypothesis import HealthCheck, Phase, given, settings

SETTINGS = dict(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck), print_blob=False)


def generate_cases(check):
    """The check's inputs: its examples, then up to max_examples drawn cases."""
    cases = [dict(example) for example in check.examples]
    if check.cases is None or check.max_examples == 0:
        return cases
    drawn = []

    @settings(max_examples=check.max_examples, phases=[Phase.generate], **SETTINGS)
    @given(check.cases)
    def collect(case):
        drawn.append(case)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        collect()
    return cases + drawn


def class_cases(checks):
    """{check id: [case, ...]} for every check."""
    return {check.id: generate_cases(check) for check in checks}


def search_minimal(check, fails, max_examples=None):
    """Hypothesis's shrunk counterexample: the smallest case for which fails(case) is true, or None."""
    if check.cases is None:
        return None
    found = []

    @settings(max_examples=max_examples or check.max_examples, phases=[Phase.generate, Phase.shrink],
              report_multiple_bugs=False, **SETTINGS)
    @given(check.cases)
    def search(case):
        if fails(case):
            found.append(case)
            raise AssertionError("fails")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            search()
        except Exception:  # noqa: BLE001 - a failure, or a search cut short (budget spent, flaky student code)
            return found[-1] if found else None
    return None
