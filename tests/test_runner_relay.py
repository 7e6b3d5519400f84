"""The runner relays exactly one results frame per function; bytes it has checked once are not parsed again."""
import socket

import pytest

from grader.protocol import ProtocolError, pack
from grader.sandbox import runner as runner_module
from grader.sandbox.channel import Channel
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


def test_a_frame_over_the_cap_is_dropped_unread_and_the_stream_stays_in_step(relay):
    from grader.protocol import FrameTooLarge

    runner, child, parsed = relay
    big = pack({"event": "done", "results": [[{"value": "x" * 5000}]]})
    small = pack({"event": "done", "results": [[{"value": 1}]]})
    child.sendall(big + small)
    with pytest.raises(FrameTooLarge) as caught:
        runner._results_frame(timeout=5, max_bytes=1000)
    assert caught.value.size == len(big) - 8 and parsed == []  # its lengths only were read, then its bytes skipped
    assert runner._results_frame(timeout=5, max_bytes=1000) == small


def test_run_answers_too_much_for_that_function_and_relays_the_next(relay):
    import json

    runner, child, _ = relay
    judge_end, judge_theirs = socket.socketpair()
    runner.judge = Channel(judge_theirs.fileno(), judge_theirs.fileno())
    frames = [pack({"event": "done", "results": [[{"value": "y" * n}]]}) for n in (10, 5000, 10, 10)]
    child.sendall(b"".join(frames))
    request = {"op": "run", "functions": [{"timeout": 5, "jobs": []}] * 4, "max_bytes": 1000, "max_total": 240}
    try:
        runner.run(pack(request), request)
        judge = Channel(judge_end.fileno(), judge_end.fileno())
        replies = [judge.recv(timeout=5)[0] for _ in range(4)]
    finally:
        judge_end.close()
        judge_theirs.close()
    assert replies[0]["event"] == "done"
    assert replies[1] == {"status": "too_much", "bytes": len(frames[1]) - 8, "limit": 1000, "per": "function"}
    assert replies[2]["event"] == "done"  # 2 x ~85 bytes relayed: the fourth is over what is left of max_total
    assert replies[3]["status"] == "too_much" and replies[3]["per"] == "student", json.dumps(replies[3])
