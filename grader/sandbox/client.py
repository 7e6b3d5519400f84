"""The judge's handle on one runner process (one lane of a batch)."""
import os
import subprocess
import sys
import tempfile

from grader import PROJECT_ROOT
from grader.protocol import ProtocolError, decode, encode_many
from grader.sandbox.channel import Channel, ChannelClosed, ChannelTimeout

SANDBOX_UID_BASE = 64000  # one dedicated uid per lane, so a sweep by uid hits only that lane's processes
STARTUP_TIMEOUT = 180
MARGIN = 30  # seconds the runner gets beyond the child's own limit before the judge gives up on it


class RunnerDied(RuntimeError):
    """The runner process itself failed (not the student's child): restart it and retry."""


def runner_env():
    """A minimal environment: the child inherits it, so nothing of the grader's leaks."""
    return {
        "PATH": os.defpath,
        "PYTHONPATH": str(PROJECT_ROOT),
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
    }


class SandboxClient:
    def __init__(self, lane=0, hide=(), cases=None):
        self.lane = lane
        self.cases = cases or {}  # the class's inputs: sent once per runner, inherited by every child
        self.hide = [str(p) for p in hide]
        self.proc = None
        self.channel = None

    @property
    def uid(self):
        return SANDBOX_UID_BASE + self.lane if os.geteuid() == 0 else None

    def config(self, cpu_s):
        return {"uid": self.uid, "hide": self.hide, "cpu_s": int(cpu_s) + 5, "mem_mb": 3072, "nproc": 32,
                "nofile": 64, "fsize_mb": 16, "tmp_mb": 64}

    def start(self):
        self.stop()
        self._log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, "-m", "grader.sandbox.runner"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._log, env=runner_env(), cwd="/")
        self.channel = Channel(self.proc.stdout.fileno(), self.proc.stdin.fileno())
        self.cases_sent = False
        self._expect(STARTUP_TIMEOUT)

    def _send_cases(self):
        """The class's inputs go to the runner once; every child it forks inherits them."""
        ids = sorted(self.cases)
        trees, buffers = encode_many([self.cases[i] for i in ids])
        self.channel.send({"op": "cases", "cases": {"t": "dict", "keys": ids, "items": trees}}, buffers)
        self._expect(STARTUP_TIMEOUT)
        self.cases_sent = True

    def _expect(self, timeout):
        try:
            message, buffers = self.channel.recv(timeout=timeout)
        except (ChannelClosed, ChannelTimeout, ProtocolError) as exc:
            detail = self._stderr_tail()
            self.stop()
            raise RunnerDied(f"the sandbox runner failed ({type(exc).__name__}) {detail}".strip()) from None
        return message, buffers

    def _stderr_tail(self):
        try:
            self._log.seek(0)
            return self._log.read()[-2000:].decode(errors="replace")
        except (OSError, ValueError, AttributeError):
            return ""

    def _request(self, message, arrays=(), timeout=10):
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        try:
            if self.cases and not self.cases_sent:
                self._send_cases()
            self.channel.send(message, arrays)
        except ChannelClosed:
            self.stop()
            raise RunnerDied("the sandbox runner is gone") from None
        return self._expect(timeout + MARGIN)

    def open(self, sources, timeout=10, cpu_s=600):
        """Fork a child for these sources; the reply has status, modules, isolation, notices."""
        reply, _ = self._request({"op": "open", "sources": sources, "config": self.config(cpu_s), "timeout": timeout},
                                 timeout=timeout)
        return reply

    def run(self, jobs, timeout):
        """One function: jobs [(check_id, [case, ...] or None for the class's cases), ...]
        -> {"status": "done", "results": [[outcome, ...], ...]} or {"status": "timeout" | "crashed", ...}."""
        return next(self.run_functions([(jobs, timeout)]))

    def run_functions(self, functions):
        """Several functions in one request, pipelined: yields one reply per function, in order, and
        stops after the first that is not done (the child is gone then)."""
        flat = [cases for jobs, _ in functions for _, cases in jobs if cases is not None]
        trees, buffers = encode_many(flat)
        trees = iter(trees)
        message = {"op": "run", "functions": [
            {"timeout": timeout, "jobs": [{"check": cid} if cases is None else {"check": cid, "cases": next(trees)}
                                          for cid, cases in jobs]}
            for jobs, timeout in functions]}
        first = True
        for jobs, timeout in functions:
            if first:
                reply, arrays = self._request(message, buffers, timeout=timeout)
                first = False
            else:
                reply, arrays = self._expect(timeout + MARGIN)
            if reply.get("event") != "done":
                yield reply
                return
            try:
                results = decode(reply.get("results"), arrays)
                _validate(results, jobs, self.cases)
            except (ProtocolError, KeyError, TypeError, ValueError) as exc:
                yield {"status": "crashed", "detail": f"the child sent malformed results ({exc})"}
                self.stop()  # the stream can no longer be trusted to be in step
                return
            yield {"status": "done", "results": results}

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                self._request({"op": "close"}, timeout=10)
            except RunnerDied:
                pass

    def stop(self):
        if self.proc is not None:
            try:
                self.proc.kill()
            except OSError:
                pass
            self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout):
                stream.close()
        self.proc = self.channel = None


def _validate(results, jobs, class_cases):
    if not isinstance(results, list) or len(results) != len(jobs):
        raise ProtocolError("wrong number of job results")
    for outcomes, (cid, cases) in zip(results, jobs):
        expected = len(cases) if cases is not None else len(class_cases.get(cid, ()))
        if not isinstance(outcomes, list) or len(outcomes) != expected or not all(isinstance(o, dict) for o in outcomes):
            raise ProtocolError("wrong number of case results")
