"""Lanes after the first get a runner forked from the first lane's warm runner: each lane still
lives, dies and restarts on its own."""
import os
import signal
import time

import pytest

from grader.loader import read_sources
from grader import SOLUTIONS_DIR
from grader.sandbox.client import SandboxClient, SiblingProcess


def ppid_of(pid):
    with open(f"/proc/{pid}/stat") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[1])


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def grades_reference(client, ctx):
    """The reference's perceptron_predict, run by this lane's runner: all cases come back."""
    client.cases = ctx.cases
    reply = client.open(read_sources(SOLUTIONS_DIR))
    assert reply["status"] == "ready", reply
    check = "ex01_perceptron.perceptron_predict:matches_reference"
    result = client.run([(check, None)], timeout=30)
    client.close()
    return result["status"] == "done" and len(result["results"][0]) == len(ctx.cases[check])


@pytest.fixture
def lanes():
    clients = [SandboxClient(lane) for lane in range(3)]
    clients[0].start(clients[1:])
    yield clients
    for client in clients:
        client.stop()


def test_sibling_runners_are_forked_from_the_first_and_serve_their_own_lane(lanes, ctx):
    first, *others = lanes
    for sibling in others:
        assert isinstance(sibling.proc, SiblingProcess)
        assert ppid_of(sibling.proc.pid) == first.proc.pid
        assert sibling.proc.poll() is None
    assert len({c.proc.pid for c in lanes}) == 3
    assert all(grades_reference(client, ctx) for client in reversed(lanes))


def test_a_lane_that_finishes_first_does_not_stop_the_others(lanes, ctx):
    first, second, third = lanes
    pid = second.proc.pid
    first.stop()  # the first lane ran out of work
    assert alive(pid) and second.proc.poll() is None
    assert grades_reference(second, ctx) and grades_reference(third, ctx)


def test_a_dead_sibling_is_noticed_and_its_lane_starts_a_runner_of_its_own(lanes, ctx):
    _, second, _ = lanes
    old = second.proc.pid
    os.kill(old, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while second.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert second.proc.poll() is not None
    assert grades_reference(second, ctx)  # restarted on its request, as an ordinary runner
    assert not isinstance(second.proc, SiblingProcess) and second.proc.pid != old


def test_stopping_a_sibling_lane_ends_its_runner(lanes):
    _, second, _ = lanes
    pid = second.proc.pid
    second.stop()
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid)
