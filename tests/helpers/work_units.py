"""How pytest-xdist shares the suite out between its workers (tests/conftest.py).

Each worker builds its own session fixtures, so two test files that read the same graded class
(`graded_class`) or the same visible runs (`runs`) would each pay for it on their own worker: a
minute or two of CPU. A work unit is therefore every test file that shares such a fixture,
directly or through another one, with the files it shares with, transitively; every other file
is a unit of its own. Units start longest first (WALL_SECONDS), so that a long one does not start
last while the other worker has nothing left to do.

The workers find the units as they collect (they know each test's fixtures) and write them to a
file the controller's scheduler reads once every worker has collected (SharedFixtureScheduling).
"""
import json
import os
import tempfile
from pathlib import Path

import pytest

UNITS_VARIABLE = "NNGRADE_TEST_WORK_UNITS"  # the file, made by the controller, where the workers write the units

# Session fixtures that grade a class through the sandbox or run the visible tests over many folders.
SHARED_FIXTURES = ("graded_class", "graded_ctx", "small_class_once", "runs")

# Wall seconds of the longest files under `-n 2` on the 2-core course machine (the rest take a few
# seconds each); a unit's estimate is the sum of its files'.
WALL_SECONDS = {
    "tests/sandbox/test_attacks.py": 350,
    "tests/nbgrader/test_nbgrader_roundtrip.py": 180,
    "tests/platforms/test_platform_containers.py": 150,
    "tests/release/test_visible_tests.py": 100,  # with the visible runs
    "tests/devtools/test_demo_golden.py": 50,  # the rest of graded_class's files: ~250 s together
    "tests/outputs/test_accessibility.py": 50,
    "tests/judging/test_grading.py": 45,
    "tests/test_regrade.py": 40,
    "tests/nbgrader/test_nbgrader_submissions.py": 30,
    "tests/platforms/test_platforms.py": 60,
    "tests/sandbox/test_judge_limits.py": 50,
    "tests/nbgrader/test_nbgrader_rubric.py": 45,
    "tests/test_real_code.py": 40,
    "tests/test_authoring.py": 30,
    "tests/release/test_release.py": 20,
}


def file_of(nodeid):
    return nodeid.split("::", 1)[0]


def units(uses):
    """{file: its unit's name (the unit's first file)} from {file: the shared fixtures its tests use}."""
    unit = {file: file for file in uses}
    sharing = {}
    for file, fixtures in uses.items():
        for fixture in fixtures:
            sharing.setdefault(fixture, []).append(file)
    merged = True
    while merged:  # until every file that shares a fixture, transitively, has the same unit
        merged = False
        for files in sharing.values():
            first = min(unit[file] for file in files)
            for file in files:
                if unit[file] != first:
                    unit[file], merged = first, True
    return unit


def order(items, unit):
    """items sorted by their unit's estimated seconds, longest first; otherwise in collection order."""
    seconds = {}
    for file, name in unit.items():
        seconds[name] = seconds.get(name, 0) + WALL_SECONDS.get(file, 0)
    return sorted(items, key=lambda item: -seconds[unit[file_of(item.nodeid)]])  # stable


def group_items(items):
    """In a worker: the collected items in unit order, the units written for the controller."""
    uses = {}
    for item in items:
        uses.setdefault(file_of(item.nodeid), set()).update(set(SHARED_FIXTURES).intersection(item.fixturenames))
    unit = units(uses)
    target = os.environ.pop(UNITS_VARIABLE, None)  # popped: the commands the tests run are no workers of this run
    if target:
        written = Path(tempfile.mkstemp(dir=Path(target).parent, prefix="units-")[1])
        written.write_text(json.dumps(unit))
        written.replace(target)  # the workers write the same units: whichever lands last is complete
    return order(items, unit)


def pytest_configure(config):
    """In the controller of a `--dist loadfile` run (pyproject.toml's addopts): the file its workers
    write the units to; the workers, started after this, inherit its name."""
    controller = getattr(config, "workerinput", None) is None
    if controller and config.getoption("dist", "no") == "loadfile" and config.getoption("numprocesses", None):
        handle, path = tempfile.mkstemp(prefix="nngrade-test-units-", suffix=".json")
        os.close(handle)
        os.environ[UNITS_VARIABLE] = path
        config.add_cleanup(lambda: Path(path).unlink(missing_ok=True))


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist's: unknown to pytest without it
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's file scheduling with the units above as its scopes, in collection order (None
    for another --dist: pytest-xdist's own)."""
    if config.getoption("dist") != "loadfile" or not os.environ.get(UNITS_VARIABLE):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            config.option.loadscopereorder = False  # the workers' collection order is already longest first
            self._units = None

        def _split_scope(self, nodeid):
            if self._units is None:  # read once every worker has collected (the scheduler asks no sooner)
                try:
                    self._units = json.loads(Path(os.environ[UNITS_VARIABLE]).read_text())
                except (OSError, ValueError):  # no worker wrote it (e.g. workers on other hosts): files alone
                    self._units = {}
            file = file_of(nodeid)
            return self._units.get(file, file)

    return SharedFixtureScheduling(config, log)

