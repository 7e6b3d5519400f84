"""Run the visible exercise tests against many implementation folders in ONE Python process.

    python tests/helpers/run_visible_batch.py OUT.json [--verdicts-only] FOLDER[::TEST_PATH[,TEST_PATH...]] ...

For each FOLDER this calls pytest.main(TEST_PATHS (default: exercises) --impl FOLDER)
and writes {spec: {"exit": code, "passed": [...], "failed": [...], "errors": [...]}}
to OUT.json. One process pays the start-up (torch, pytest plugins) once instead
of once per folder; exercises/conftest.py forgets the exercise modules between
runs, so every run imports its own folder. Used by tests/release/test_visible_tests.py.
"""
import json
import sys

import pytest


class Outcomes:
    """A pytest plugin that records which tests passed, failed or errored."""

    def __init__(self):
        self.passed, self.failed, self.errors = [], [], []

    def pytest_runtest_logreport(self, report):
        if report.when == "call" and report.passed:
            self.passed.append(report.nodeid)
        elif report.failed:
            (self.failed if report.when == "call" else self.errors).append(report.nodeid)

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append(report.nodeid or "<collection>")


class VerdictsOnly:
    """With --verdicts-only every test's verdict matters, not a report for a human: Hypothesis
    need not shrink the failing example (the examples tried, hence the verdict, stay the
    same), and tracebacks are cut to one line."""

    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config):
        from hypothesis import Phase, settings

        # settings.default is the profile exercises/conftest.py loaded when pytest imported it.
        settings.register_profile("kit-verdicts-only", parent=settings.default,
                                  phases=[Phase.explicit, Phase.reuse, Phase.generate])
        settings.load_profile("kit-verdicts-only")


def main(argv):
    out, *specs = argv
    verdicts_only = "--verdicts-only" in specs
    specs = [s for s in specs if s != "--verdicts-only"]
    results = {}
    for spec in specs:
        folder, _, paths = spec.partition("::")
        outcomes = Outcomes()
        args = [*(paths.split(",") if paths else ["exercises"]), "--impl", folder, "-p", "no:cacheprovider", "-q",
                # its clean-up runs gc.collect() five times per session, ~1 s with torch loaded;
                # unraisable exceptions only ever give warnings, never a verdict
                "-p", "no:unraisableexception"]
        if verdicts_only:
            args += ["--tb=line", "-p", "no:hypothesispytest"]
        code = pytest.main(args, plugins=[outcomes] + ([VerdictsOnly()] if verdicts_only else []))
        results[spec] = {"exit": int(code), **vars(outcomes)}
    with open(out, "w") as handle:
        json.dump(results, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
