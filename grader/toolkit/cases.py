"""Inputs for the checks: explicit examples first, then hypothesis's derandomized draws.

Generated once per class and replayed for every submission: with derandomize=True and no example
database, the same rubric gives the same inputs on every run. Hypothesis's search and shrinking
run again only for a submission that fails a check, to find its smallest failing input.

Both runs go through the same test function, `_visit`: derandomized hypothesis seeds itself from
that function, so the search draws the class's cases again in the same order before it shrinks,
and the grader answers those from the replay it already judged (no call to the sandbox).
"""
import threading
import warnings
from contextlib import contextmanager

from hypothesis import HealthCheck, Phase, given, settings

SETTINGS = dict(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck), print_blob=False)
_lock = threading.Lock()  # one hypothesis run at a time: the visitor below is shared
_visitor = None


def _visit(case):
    _visitor(case)


@contextmanager
def _no_local_constants():
    """Hypothesis (6.131 and later) mixes into its draws the constants it finds in every local
    module in sys.modules: the class's cases and a search's path would then depend on which of the
    kit's modules (or the reference's, or a test's) the process happened to import, and two graders
    of one class would show different smallest inputs. The kit's draws depend on the check alone."""
    try:
        from hypothesis.internal.conjecture import providers
        original, empty = providers._get_local_constants, providers.Constants()
    except (ImportError, AttributeError):  # a hypothesis without the feature
        yield
        return
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE.cache.clear()  # the allowed constants per draw, computed with the old pool
    try:
        yield
    finally:
        providers._get_local_constants = original
        providers.CONSTANTS_CACHE.cache.clear()


def _run(check, visitor, **options):
    global _visitor
    with _lock, warnings.catch_warnings(), _no_local_constants():
        warnings.simplefilter("ignore")
        _visitor = visitor
        try:
            settings(**options, **SETTINGS)(given(check.cases)(_visit))()
        finally:
            _visitor = None


def generate_cases(check):
    """The check's inputs: its examples, then up to max_examples drawn cases."""
    cases = [dict(example) for example in check.examples]
    if check.cases is None or check.max_examples == 0:
        return cases
    drawn = []
    _run(check, drawn.append, max_examples=check.max_examples, phases=[Phase.generate])
    return cases + drawn


def class_cases(checks):
    """{check id: [case, ...]} for every check."""
    return {check.id: generate_cases(check) for check in checks}


class _Failed(AssertionError):
    pass


class SearchStopped(BaseException):
    """Raised by `fails` to end a search at once (budget spent, child gone). A BaseException, so that
    hypothesis does not take it for a failure to shrink but lets it through."""


def search_minimal(check, fails, max_examples=None, on_end=lambda how: None):
    """Hypothesis's shrunk counterexample: the smallest case for which fails(case) is true, or None.
    on_end("raised" | "returned") says how the search ended (see grader.judging.search_memo)."""
    if check.cases is None:
        return None
    found = []

    def visitor(case):
        if fails(case):
            found.append(case)
            raise _Failed()

    try:
        _run(check, visitor, max_examples=max_examples or check.max_examples,
             phases=[Phase.generate, Phase.shrink], report_multiple_bugs=False)
    except (Exception, SearchStopped):  # noqa: BLE001 - a failure, or a search cut short
        on_end("raised")
        return found[-1] if found else None  # shrinking only ever keeps smaller failures: the last is the least
    on_end("returned")
    return None
