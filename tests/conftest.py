"""Shared fixtures for the kit's own tests."""
import pytest

import visible_runs
from grader.reference import build_context


@pytest.fixture(scope="session")
def ctx():
    """The class context (inputs and reference outputs), built once per test session."""
    return build_context()


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """(root, {job: future}): the visible tests on the reference, the stubs, the styles and every
    mistake (tests/visible_runs.py), started once for every module that reads them."""
    root = tmp_path_factory.mktemp("visible")
    with visible_runs.pool() as pool:
        yield root, visible_runs.start_runs(pool, root)
