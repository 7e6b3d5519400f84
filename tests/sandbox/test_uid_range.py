"""NNGRADE_SANDBOX_UIDS: a grader told a part of the sandbox uids claims only those, sweeps and hides
folders from only those; a malformed or out-of-range value is refused before anything runs.
Two graders on one machine (or pytest-xdist's workers, tests/conftest.py) given disjoint parts
never touch each other's sandboxes."""
import os

import pytest

from grader.cli import main as nngrade
from grader.sandbox import client
from grader.sandbox.client import RunnerDied, SANDBOX_UID_BASE, UID_SLOTS, UIDS_VARIABLE, sandbox_uids
from helpers.grader_modes import worker_uids

EVERY = range(SANDBOX_UID_BASE, SANDBOX_UID_BASE + UID_SLOTS)


def test_without_the_variable_every_slot_is_the_graders(monkeypatch):
    monkeypatch.delenv(UIDS_VARIABLE, raising=False)
    assert sandbox_uids() == EVERY
    monkeypatch.setenv(UIDS_VARIABLE, "  ")
    assert sandbox_uids() == EVERY


@pytest.mark.parametrize("named, expected", [
    (f"{SANDBOX_UID_BASE + 10}-{SANDBOX_UID_BASE + 13}", range(SANDBOX_UID_BASE + 10, SANDBOX_UID_BASE + 14)),
    (f"{SANDBOX_UID_BASE + 63}", range(SANDBOX_UID_BASE + 63, SANDBOX_UID_BASE + 64)),
    (f"{SANDBOX_UID_BASE}-{SANDBOX_UID_BASE + 63}", EVERY),
])
def test_a_part_of_the_range_is_taken_as_named(monkeypatch, named, expected):
    monkeypatch.setenv(UIDS_VARIABLE, named)
    assert sandbox_uids() == expected


@pytest.mark.parametrize("named", [
    "1000-1010",  # a real user's uids: never swept
    f"{SANDBOX_UID_BASE + 60}-{SANDBOX_UID_BASE + 70}",  # runs past the range
    f"{SANDBOX_UID_BASE - 1}-{SANDBOX_UID_BASE + 3}",
    f"{SANDBOX_UID_BASE + 20}-{SANDBOX_UID_BASE + 10}",  # empty
    "sixty-four", "-", f"{SANDBOX_UID_BASE}..{SANDBOX_UID_BASE + 3}",
])
def test_anything_else_is_refused_naming_the_variable(monkeypatch, named):
    monkeypatch.setenv(UIDS_VARIABLE, named)
    with pytest.raises(ValueError, match=rf"{UIDS_VARIABLE}=.*expected FIRST-LAST within {EVERY[0]}-{EVERY[-1]}"):
        sandbox_uids()


def test_claims_stay_inside_the_part_and_run_out_with_it(monkeypatch):
    if not os.path.isdir(client.UID_LOCK_DIR) and os.geteuid() != 0:
        pytest.skip("claims are coordinated through a root-only folder")
    part = sandbox_uids()[-2:]  # the last two of this session's part: no grader of this worker holds them now
    monkeypatch.setenv(UIDS_VARIABLE, f"{part[0]}-{part[1]}")
    held = []
    try:
        for lane in (1, 0):
            uid, fd = client._claim_uid(lane)
            held.append(fd)
            assert uid in part
        assert held[0] is not None and held[1] is not None
        with pytest.raises(RunnerDied, match=rf"all 2 sandbox uids \({part[0]}-{part[1]}\) are in use"):
            client._claim_uid(0)
    finally:
        for fd in held:
            if fd is not None:
                os.close(fd)
    uid, fd = client._claim_uid(1)  # released with their descriptors
    os.close(fd)
    assert uid == part[1]  # the lane's own first


def test_a_batch_with_a_malformed_part_is_refused_before_anything_runs(monkeypatch, tmp_path, capsys):
    (tmp_path / "subs" / "ada").mkdir(parents=True)
    (tmp_path / "subs" / "ada" / "ex01_perceptron.py").write_text("x = 1\n")
    monkeypatch.setenv(UIDS_VARIABLE, "1000-1003")
    assert nngrade(["grade", str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert f"{UIDS_VARIABLE}='1000-1003': expected FIRST-LAST within" in err and "Traceback" not in err
    assert not list((tmp_path / "out").glob("*/results.json"))


def test_test_workers_get_disjoint_equal_parts():
    parts = [worker_uids(EVERY, i, 3) for i in range(3)]
    assert [len(p) for p in parts] == [21, 21, 21]
    assert not set(parts[0]) & set(parts[1]) and not set(parts[1]) & set(parts[2])
    assert all(p[0] in EVERY and p[-1] in EVERY for p in parts)
    with pytest.raises(ValueError, match="cannot be shared by 17 test workers"):
        worker_uids(EVERY, 0, 17)


def test_the_session_graders_use_this_workers_part():
    """Under pytest-xdist, tests/conftest.py gave this worker its part (else the whole range)."""
    worker, count = os.environ.get("PYTEST_XDIST_WORKER"), int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if not worker or count < 2:
        assert sandbox_uids() == EVERY
    else:
        assert sandbox_uids() == worker_uids(EVERY, int(worker.removeprefix("gw")), count)
    assert len(sandbox_uids()) >= 4  # room for a grader's lanes


@pytest.mark.skipif(os.geteuid() != 0, reason="claims and access-control lists of root")
def test_a_batch_end_keeps_the_entries_of_uids_another_grader_holds(monkeypatch):
    """Two graders hid the same folder from every sandbox uid; the first to end must not open it to
    the uids the other's children still run as."""
    import shutil
    import tempfile
    from pathlib import Path

    from grader import lanes
    from grader.sandbox import untraversable

    part = sandbox_uids()[-3:]  # this session's graders leave these alone now
    monkeypatch.setenv(UIDS_VARIABLE, f"{part[0]}-{part[-1]}")
    folder = Path(tempfile.mkdtemp(prefix="nngrade-acl-", dir="/var/lib"))
    held = None
    try:
        changed, notices = untraversable.deny([folder], list(part))
        if notices:
            pytest.skip(f"no ACLs on this file system: {notices}")
        uid, held = client._claim_uid(1)  # "the other grader": a claim held through another lock
        assert uid == part[1] and client.uids_claimed_elsewhere(part) == {part[1]}
        lanes._traversable_again(changed)
        kept = {entry[2] for entry in untraversable._entries(folder) if entry[0] == untraversable.USER}
        assert kept == {part[1]}
        os.close(held)
        held = None
        assert client.uids_claimed_elsewhere(part) == set()
        lanes._traversable_again(changed)  # the last grader to end removes them all
        assert untraversable.ACL_XATTR not in os.listxattr(folder)
    finally:
        if held is not None:
            os.close(held)
        shutil.rmtree(folder)
