"""Results frames judged once per class: keyed by the bytes the child sent, never by what it claims."""
import dataclasses

import pytest

from grader import SOLUTIONS_DIR
from grader.judging.grading import grade_submission
from grader.outputs.feedback_plots import draw_plots
from grader.judging.judged_frames import JudgedFrames
from grader.loader import read_sources
from grader.devtools.mistakes import MISTAKES, mutated_sources
from grader.protocol import unpack_bytes
from grader.sandbox import client as client_module
from grader.sandbox.client import SandboxClient
from grader.judging.search_memo import SearchMemo
from grader.submission import Submission

FUNCTION = "ex03_activations.sigmoid_derivative"
MISTAKE = next(m for m in MISTAKES if m.breaks == (FUNCTION,))


@pytest.fixture(scope="module")
def client(ctx):
    client = SandboxClient(0, cases=ctx.cases)
    yield client
    client.stop()


def mutant_sources():
    return {name[:-3]: text for name, text in mutated_sources(MISTAKE).items()}


def digests(client, ctx, sources):
    """{function: digest of its results frame} for one child on these sources."""
    assert client.open(sources)["status"] == "ready"
    request = [([(c.id, None) for c in spec.checks if c.id in ctx.checks], 30) for spec in ctx.functions.values()]
    seen = []

    def unknown(index, digest):  # records every digest, knows none: every frame is decoded
        seen.append(digest)
        return False

    replies = list(client.run_functions(request, known=unknown))
    client.close()
    assert all(r["status"] == "done" and r["results"] is not None for r in replies)
    return dict(zip(ctx.functions, seen))


def test_the_same_code_sends_the_same_bytes_and_a_mistake_changes_only_its_functions(client, ctx):
    reference = read_sources(SOLUTIONS_DIR)
    first, again = digests(client, ctx, reference), digests(client, ctx, reference)
    assert first == again  # another child, the same bytes: what makes a frame reusable
    mutant = digests(client, ctx, mutant_sources())
    changed = {f for f in first if first[f] != mutant[f]}
    assert FUNCTION in changed and len(changed) < len(first) / 2


def test_a_known_frame_is_not_decoded_and_gets_the_verdicts_its_bytes_earned(client, ctx, monkeypatch):
    fresh = dataclasses.replace(ctx, searches=SearchMemo(), judged=JudgedFrames())
    submission = Submission("s", None, mutant_sources())
    first = grade_submission(fresh, client, submission, draw=draw_plots)
    judged = fresh.judged.judged
    assert judged == len(ctx.functions) and fresh.judged.reused == 0
    parsed = []

    def recording_unpack(raw):
        message, buffers = unpack_bytes(raw)
        parsed.append(message.get("event") or message.get("status"))
        return message, buffers

    monkeypatch.setattr(client_module, "unpack_bytes", recording_unpack)
    second = grade_submission(fresh, client, submission)  # no drawing: the plot probes' frame is not asked for
    assert fresh.judged.judged == judged and fresh.judged.reused == len(ctx.functions)
    assert "done" not in parsed and "ready" in parsed  # the runner's own replies are still parsed
    strip = lambda record: {**record, "execution_time": None, "function_seconds": None, "plots": None}  # noqa: E731 (the machine's timings)
    assert strip(first) == strip(second) and first["plots"]
    assert first["score"] < first["max_score"]  # the mistake's verdicts, with its feedback, were reused


def test_memory_is_bounded():
    memo = JudgedFrames(max_frames=2)
    for i in range(5):
        memo.put("m.f", bytes([i]), [])
    assert memo.judged == 5 and len(memo.frames) == 2
    assert memo.known("m.f", b"\x00") and not memo.known("m.g", b"\x00") and not memo.known("m.f", b"\x04")


def test_failing_verdicts_keep_short_copies_and_the_memo_bounds_its_bytes():
    import numpy as np

    from grader.toolkit.compare import Verdict
    from grader.judging.judged_frames import judged_size

    big = np.zeros(3_500_000, dtype=np.uint8).astype(float)  # 28 MB, as the judge reads a uint8 flood
    verdict = Verdict(False, "x" * 10**6, np.ones(3), big, "h" * 10**6)
    assert not isinstance(verdict.got, np.ndarray) and len(verdict.got) < 2100 and "..." in verdict.got
    assert len(verdict.message) < 1100 and len(verdict.hint) < 1100
    small = np.arange(4.0)
    kept = Verdict(False, "m", None, small[1:]).got  # a small value is kept as a value, its own copy
    assert isinstance(kept, np.ndarray) and kept.base is None and list(kept) == [1.0, 2.0, 3.0]
    entry = [(None, verdict, [({}, verdict)] * 30, {bytes([i]): verdict for i in range(30)})]
    size = judged_size(entry)
    assert 30_000 < size < 500_000
    memo = JudgedFrames(max_bytes=3 * size)
    for i in range(5):
        memo.put("m.f", bytes([i]), entry)
    assert len(memo.frames) == 3 and memo.size <= 3 * size
