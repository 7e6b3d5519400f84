"""Results frames already judged, remembered across the students of a class.

Judging is a pure function of the bytes a child sends for one function: the same frame (same
values, same errors, same warnings, byte for byte) decodes to the same outcomes and, against the
same reference on the same class cases, gets the same verdicts. So the judge keys each function's
verdicts by a hash of the frame exactly as received and, when a later student's child sends those
very bytes, reuses them instead of decoding and comparing again. Nothing is trusted that the
child says: a frame can only ever be given the verdicts its own bytes earned.

In a class many students write the simple functions the same way, and most functions of a
submission with one mistake are right: most frames have been judged before.
"""
import threading

import numpy as np

MAX_FRAMES = 2048  # per class: memory stays bounded however varied the class is
MAX_BYTES = 64 * 2**20  # and so does its size (verdicts are small, see compare.Verdict; a flood of them is not)


class JudgedFrames:
    def __init__(self, max_frames=MAX_FRAMES, max_bytes=MAX_BYTES):
        self.frames, self.max_frames = {}, max_frames
        self.calls = {}  # {(function, digest): the graded functions the frame says were called}
        self.size, self.max_bytes = 0, max_bytes
        self.lock = threading.Lock()
        self.judged = self.reused = 0  # frames decoded and judged / answered from memory

    def known(self, function, digest):
        return (function, digest) in self.frames

    def known_among(self, functions):
        """known(index, digest) for a request running `functions` in order (the sandbox client asks
        it before decoding a frame: a known frame is not decoded again)."""
        return lambda index, digest: self.known(functions[index], digest)

    def once(self, function, reply, judge):
        """(verdicts, called) of a done reply's frame: judge(results) the first time its bytes are
        seen in the class, the remembered ones after that (the client then did not decode them).
        called: the graded functions the frame says the student's code called (part of its bytes)."""
        digest = reply.get("digest")
        if reply["results"] is None:
            judged = self.get(function, digest)
            if judged is not None:
                return judged, self.called(function, digest)
        judged, called = judge(reply["results"]), reply.get("called", [])
        if digest is not None:
            self.put(function, digest, judged, called)
        return judged, called

    def get(self, function, digest):
        """[(check, verdict, failures, replayed or None), ...] judged before for this frame."""
        with self.lock:
            entry = self.frames.get((function, digest))
            if entry is not None:
                self.reused += 1
            return entry

    def called(self, function, digest):
        """The frame's "called" names (they are part of its bytes, so the same for the same frame)."""
        with self.lock:
            return self.calls.get((function, digest), [])

    def put(self, function, digest, judged, called=()):
        with self.lock:
            self.judged += 1
            size = judged_size(judged) + sum(len(name) + 50 for name in called)
            if len(self.frames) < self.max_frames and self.size + size <= self.max_bytes:
                self.frames[(function, digest)] = judged
                self.calls[(function, digest)] = list(called)
                self.size += size


def judged_size(judged):
    """Roughly the bytes an entry holds: its failing verdicts and the case keys of its replays."""
    size = 0
    for _, verdict, failures, replayed in judged:
        verdicts = [verdict, *(v for _, v in failures), *(replayed or {}).values()]
        size += sum(len(key) for key in replayed or ()) + sum(_verdict_size(v) for v in verdicts)
    return size


def _verdict_size(verdict):
    if verdict.ok:
        return 8  # the one shared passing verdict
    return 300 + len(verdict.message) + len(verdict.hint) + _value_size(verdict.expected) + _value_size(verdict.got)


def _value_size(value):
    if isinstance(value, np.ndarray):
        return 100 + value.nbytes
    if isinstance(value, str):
        return 50 + len(value)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return 60 + sum(_value_size(v) for v in value)
    return 32
