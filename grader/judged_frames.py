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

MAX_FRAMES = 2048  # per class: memory stays bounded however varied the class is


class JudgedFrames:
    def __init__(self, max_frames=MAX_FRAMES):
        self.frames, self.max_frames = {}, max_frames
        self.lock = threading.Lock()
        self.judged = self.reused = 0  # frames decoded and judged / answered from memory

    def known(self, function, digest):
        return (function, digest) in self.frames

    def get(self, function, digest):
        """[(check, verdict, failures, replayed or None), ...] judged before for this frame."""
        with self.lock:
            entry = self.frames.get((function, digest))
            if entry is not None:
                self.reused += 1
            return entry

    def put(self, function, digest, judged):
        with self.lock:
            self.judged += 1
            if len(self.frames) < self.max_frames:
                self.frames[(function, digest)] = judged
