"""The runner relays exactly one results frame per function; bytes it has checked once are not parsed again."""
import socket

import pytest

from grader.protocol import ProtocolError, pack
from grader.sandbox import runner as runner_module
from grader.sandbox.channel import Channel, ChannelTimeout
from grader.sandbox.runner import Runner


@pytest.fixture
def relay(monkeypatch):
    """(runner reading a fake child's socket, the child's end, the events the runner parsed)."""
    ours, child = socket.socketpair()
    runner = Runner(judge=None)
    runner.child = Channel(ours.fileno(), ours.fileno())
    parsed = []
    real_unpack = runner_module.unpack_bytes

    def recording_unpack(raw):
        message, buffers = real_unpack(raw)
        parsed.append(message.get("event"))
        return message, buffers

    monkeypatch.setattr(runner_module, "unpack_bytes", recording_unpack)
    yield runner, child, parsed
    ours.close()
    child.close()


def test_a_results_frame_seen_before_is_relayed_without_parsing(relay):
    runner, child, parsed = relay
    frame = pack({"event": "done", "results": [[{"value": 1}]]})
    for _ in range(3):
        child.sendall(frame)
        assert runner._results_frame(timeout=5) == frame
    assert parsed == ["done"]
    other = pack({"event": "done", "results": [[{"value": 2}]]})
    child.sendall(other)
    assert runner._results_frame(timeout=5) == other and parsed == ["done", "done"]


def test_anything_but_results_is_refused_whatever_was_seen_before(relay):
    runner, child, _ = relay
    child.sendall(pack({"event": "done", "results": []}))
    runner._results_frame(timeout=5)
    for forged in ({"event": "ready", "modules": {}}, {"status": "crashed"}, {"event": "done ", "results": []}):
        child.sendall(pack(forged))
        with pytest.raises(ProtocolError):
            runner._results_frame(timeout=5)


def test_an_oversized_header_is_refused_before_it_is_read(relay, monkeypatch):
    runner, child, parsed = relay
    monkeypatch.setattr(runner_module, "MAX_CHILD_HEADER_BYTES", 64)
    child.sendall(pack({"event": "done", "results": ["x" * 100]}))
    with pytest.raises(ProtocolError, match="header"):
        runner._results_frame(timeout=5)
    assert parsed == []


def test_the_memory_of_checked_frames_is_bounded(relay, monkeypatch):
    runner, child, parsed = relay
    monkeypatch.setattr(runner_module, "MAX_RESULTS_FRAMES", 2)
    frames = [pack({"event": "done", "results": [[{"value": i}]]}) for i in range(4)]
    for frame in frames + frames:
        child.sendall(frame)
        assert runner._results_frame(timeout=5) == frame
    assert len(runner.results_frames) == 2
    assert parsed.count("done") == 6  # the first two are remembered, the last two parsed each time


def test_a_frame_over_the_cap_is_not_read(relay):
    from grader.protocol import FrameTooLarge

    runner, child, parsed = relay
    big = pack({"event": "done", "results": [[{"value": "x" * 5000}]]})
    child.sendall(big)
    with pytest.raises(FrameTooLarge) as caught:
        runner._results_frame(timeout=5, max_bytes=1000)
    assert (caught.value.size, caught.value.limit) == (len(big) - 8, 1000) and parsed == []


def _run(frames, request):
    """The runner's replies to one run request, its child having sent these frames; and whether it closed the child."""
    child_ours, child_theirs = socket.socketpair()
    judge_ours, judge_theirs = socket.socketpair()
    runner = Runner(judge=Channel(judge_theirs.fileno(), judge_theirs.fileno()))
    runner.child = Channel(child_ours.fileno(), child_ours.fileno())
    closed = []
    runner.close = lambda: closed.append(True)
    try:
        child_theirs.sendall(b"".join(frames))
        runner.run(pack(request), request)
        judge = Channel(judge_ours.fileno(), judge_ours.fileno())
        replies = []
        while True:
            try:
                replies.append(judge.recv(timeout=0.5)[0])
            except ChannelTimeout:
                return replies, bool(closed)
    finally:
        for end in (child_ours, child_theirs, judge_ours, judge_theirs):
            end.close()


def test_run_answers_too_much_and_ends_the_request():
    """Per function, then for what is left of the student's bytes; the child is closed (it may have
    written the frame in the middle of a function: what follows would be out of step)."""
    frames = [pack({"event": "done", "results": [[{"value": "y" * n}]]}) for n in (10, 5000, 10)]
    three = [{"timeout": 5, "jobs": []}] * 3
    replies, closed = _run(frames, {"op": "run", "functions": three, "max_bytes": 1000, "max_total": 10_000})
    assert closed and len(replies) == 2 and replies[0]["event"] == "done"
    assert replies[1] == {"status": "too_much", "bytes": len(frames[1]) - 8, "limit": 1000, "per": "function"}
    replies, closed = _run(frames, {"op": "run", "functions": three, "max_bytes": 10_000, "max_total": 200})
    assert closed and len(replies) == 2 and replies[0]["event"] == "done"
    assert replies[1] == {"status": "too_much", "bytes": len(frames[1]) - 8, "limit": 200 - (len(frames[0]) - 8), "per": "student"}
