"""A terminal's view of a class being graded: a tqdm bar on a terminal, plain log lines otherwise."""
import sys
import threading
import time

from grader.outputs.safe_text import one_line


class Progress:
    """A tqdm bar on a terminal, plain log lines otherwise. Rate and ETA count only submissions
    graded since start() (not the warm-up before it, nor resumed ones)."""

    def __init__(self, total, enabled, stream=None):
        self.total, self.done, self.graded, self.failed = total, 0, 0, 0
        self.stream, self.lock = stream or sys.stderr, threading.Lock()
        self.tty = enabled and self.stream.isatty()
        self.started = self.bar = None

    def start(self):
        """Grading begins (the runners are warm, the class context is built)."""
        with self.lock:
            self.started = time.monotonic()
            if self.tty:
                from tqdm import tqdm

                self.bar = tqdm(total=self.total, initial=self.done, unit="sub", file=self.stream, dynamic_ncols=True)

    def update(self, record, resumed=False):
        with self.lock:
            self.done += 1
            self.graded += not resumed
            self.failed += "(grader)" in record.get("problems", {})
            if self.bar is not None:
                self.bar.set_postfix_str(f"failures {self.failed}", refresh=False)
                self.bar.update(1)
                return
            if self.tty:
                return  # resumed before start(): the bar shows them as its initial count
            state = "resumed" if resumed else f"{record['score']:g}/{record['max_score']:g}"
            print(f"[{self.done}/{self.total}] {one_line(record['student'])}: {state} ({self._speed()}, failures {self.failed})",
                  file=self.stream, flush=True)

    def _speed(self):
        if not self.graded or self.started is None:
            return "eta -"
        elapsed = max(time.monotonic() - self.started, 1e-9)
        return f"{self.graded / elapsed:.1f}/s, eta {(self.total - self.done) * elapsed / self.graded:.0f} s"

    def close(self):
        if self.tty and self.bar is None:
            self.start()  # nothing was graded: the bar still shows the resumed ones
        if self.bar is not None:
            self.bar.close()
