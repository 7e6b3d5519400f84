"""Shared fixtures for the kit's own tests."""
import dataclasses
import os
import shutil

import pytest

from helpers import visible_runs, work_units
from helpers.work_units import pytest_configure, pytest_xdist_make_scheduler  # noqa: F401 - the hooks that share out the suite
from helpers.grader_modes import worker_uids
from helpers.contexts import build_context
from helpers.class_submissions import SMALL_CLASS, write_class, write_small_class
from grader.batch import grade_folder
from grader.judging.judged_frames import JudgedFrames
from grader.judging.search_memo import SearchMemo
from grader.sandbox.client import UIDS_VARIABLE, sandbox_uids


@pytest.fixture(scope="session", autouse=True)
def own_context_cache(tmp_path_factory):
    """Every grader this session starts (in this process or a command it runs) keeps its class
    contexts in one folder of the session's (grader.judging.context_cache), never in the user's."""
    folder = tmp_path_factory.mktemp("context_cache")
    folder.chmod(0o700)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NNGRADE_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session", autouse=True)
def own_sandbox_uids():
    """Each pytest-xdist worker's graders (in its process or the commands it runs) claim sandbox uids
    from a part of the range of their own (grader.sandbox.client.sandbox_uids): a test that sweeps
    every process of its uids, or hides folders from them, never touches another worker's sandboxes."""
    worker, count = os.environ.get("PYTEST_XDIST_WORKER"), int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if not worker or count < 2:
        yield
        return
    try:
        part = worker_uids(sandbox_uids(), int(worker.removeprefix("gw")), count)
    except ValueError as exc:
        pytest.exit(str(exc))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(UIDS_VARIABLE, f"{part[0]}-{part[-1]}")
        yield


@pytest.fixture(scope="session", autouse=True)
def one_context_per_kit_state():
    """grade_folder and the release's hidden cells build the class context once per kit state
    (tests/helpers/contexts.py) instead of once per call."""
    import grader.judging.context_cache
    import grader.release.hidden_cells

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grader.judging.context_cache, "build_context", build_context)
        patch.setattr(grader.release.hidden_cells, "build_context", build_context)
        yield


@pytest.fixture(scope="session")
def ctx():
    """The class context (inputs and reference outputs), built once per test session."""
    return build_context()


@pytest.fixture(scope="session")
def graded_ctx(ctx):
    """The session's class context with searches and judged frames remembered from graded_class only."""
    return dataclasses.replace(ctx, searches=SearchMemo(), judged=JudgedFrames())


@pytest.fixture(scope="session")
def graded_class(graded_ctx, tmp_path_factory):
    """The class of tests/helpers/class_submissions.py graded once through the sandbox: (root, summary);
    root / "subs" holds the submissions, root / "out" the results (grader.outputs.reports.read_student)."""
    root = tmp_path_factory.mktemp("class")
    write_class(root / "subs")
    summary = grade_folder(root / "subs", root / "out", jobs=2, progress=False, ctx=graded_ctx)
    return root, summary


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """(root, {job: future}): the visible tests on the reference, the stubs, the styles and every
    mistake (tests/helpers/visible_runs.py), started once for every module that reads them."""
    root = tmp_path_factory.mktemp("visible")
    with visible_runs.pool() as pool:
        yield root, visible_runs.start_runs(pool, root)


@pytest.fixture(scope="session")
def small_class_once(ctx, tmp_path_factory):
    """SMALL_CLASS graded once per session: (subs, out, summary). Read-only: use small_class to change it."""
    root = tmp_path_factory.mktemp("small_class")
    write_small_class(root / "subs")
    summary = grade_folder(root / "subs", root / "out", jobs=2, progress=False, ctx=ctx)
    return root / "subs", root / "out", summary


@pytest.fixture
def small_class(small_class_once, tmp_path):
    """(subs, out): this test's own copy of the graded SMALL_CLASS (modes and times kept), to regrade,
    adjust or break without grading the class again."""
    subs, out, summary = small_class_once
    assert summary["graded"] == len(SMALL_CLASS), summary
    copies = tmp_path / "small_class"
    return shutil.copytree(subs, copies / "subs", symlinks=True), shutil.copytree(out, copies / "out", symlinks=True)


# The fixtures that grade a class through the sandbox, run the visible tests over many folders or run
# a command end to end (here and in the test modules). A test that needs one, directly or through
# another fixture, is an end-to-end run: marked slow, so `-m "not slow"` is the quick loop of unit tests.
END_TO_END_FIXTURES = frozenset({
    "graded_class", "small_class_once", "runs",  # this file's
    "graded", "root_batch", "one_lane", "resume_class", "floods", "late_class", "graded_forms", "graded_contract",
    "corpus", "regraded", "measured", "bundle", "gradescope_root", "prairielearn_root", "rebuilt", "run", "tiny",
})


def pytest_collection_modifyitems(items):
    for item in items:
        if END_TO_END_FIXTURES.intersection(item.fixturenames):
            item.add_marker(pytest.mark.slow)
    items[:] = work_units.group_items(items)
