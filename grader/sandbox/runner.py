"""The warm runner: imports numpy, torch and the checks once, then forks one sandboxed child per
submission and relays frames between the judge (on stdin/stdout) and that child.

Started by the judge with a minimal environment; it never sees the reference or expected values.
Protocol (judge -> runner, one frame each):
  {"op": "open", "sources": {...}, "config": {...}, "timeout": s}  -> events, then {"status": "ready", ...}
  {"op": "run", "jobs": [...], "timeout": s} (+ case arrays)      -> {"status": "done", ...} (+ arrays)
                                                                     or {"status": "timeout" | "crashed", ...}
  {"op": "close"}                                                  -> {"status": "closed"}
"""
import os
import signal
import socket
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before torch: forking after OpenMP spun up a pool can hang

from grader.protocol import decode, unpack_bytes  # noqa: E402
from grader.sandbox.channel import Channel, ChannelClosed, ChannelTimeout, ProtocolError  # noqa: E402
from grader.sandbox.isolation import kill_descendants, make_subreaper, reap, sweep_uid  # noqa: E402
from grader.sandbox.warm import warm_up  # noqa: E402


class Runner:
    def __init__(self, judge):
        self.judge = judge
        self.cases = {}  # the class's inputs, sent once; children inherit them through fork
        self.child_pid = None
        self.child = None
        self.uid = None

    # -- child lifecycle ------------------------------------------------------------------------
    def open(self, message):
        self.close()
        config = message.get("config", {})
        self.uid = config.get("uid")
        parent_sock, child_sock = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the child
            parent_sock.close()
            from grader.sandbox.child import child_main

            child_main(child_sock.detach(), message["sources"], config, self.cases)
        child_sock.close()
        self.child_pid, self._sock = pid, parent_sock
        self.child = Channel(parent_sock.fileno(), parent_sock.fileno())
        deadline = time.monotonic() + float(message.get("timeout", 10))
        reply = {"status": "ready", "isolation": [], "notices": [], "last_module": None}
        try:
            while True:
                event, _ = self.child.recv(timeout=max(0.0, deadline - time.monotonic()))
                kind = event.get("event")
                if kind == "isolated":
                    reply["isolation"], reply["notices"] = event.get("isolation", []), event.get("notices", [])
                elif kind == "importing":
                    reply["last_module"] = event.get("module")
                elif kind == "ready":
                    reply["modules"] = event.get("modules", {})
                    break
        except ChannelTimeout:
            reply["status"] = "timeout"
            self.close()
        except (ChannelClosed, ProtocolError, ValueError, TypeError) as exc:
            reply.update(status="crashed", detail=self._death(exc))
            self.close()
        self.judge.send(reply)

    def run(self, raw, message):
        """Relay one frame per function, each under that function's own time limit; stop at the
        first function that times out or kills the child (the judge reopens for the rest)."""
        timeouts = [float(f.get("timeout", 10)) for f in message.get("functions", [])]
        if self.child is None:
            self.judge.send({"status": "crashed", "detail": "no child is open"})
            return
        try:
            self.child.send_raw(raw)
        except ChannelClosed as exc:
            self.close()
            self.judge.send({"status": "crashed", "detail": self._death(exc)})
            return
        for timeout in timeouts:
            try:
                self.judge.send_raw(self.child.recv_raw(timeout=timeout))
                continue
            except ChannelTimeout:
                reply = {"status": "timeout"}
            except (ChannelClosed, ProtocolError, ValueError) as exc:
                reply = {"status": "crashed", "detail": self._death(exc)}
            self.close()
            self.judge.send(reply)
            return

    def _death(self, exc):
        """Why the child stopped: its exit status if it is gone, else the protocol problem."""
        if self.child_pid is None:
            return str(exc)
        for _ in range(50):
            try:
                pid, status = os.waitpid(self.child_pid, os.WNOHANG)
            except ChildProcessError:
                return "the process ended"
            if pid:
                self.child_pid = None
                if os.WIFSIGNALED(status):
                    return f"the process was killed by signal {signal.Signals(os.WTERMSIG(status)).name}"
                return f"the process exited with code {os.WEXITSTATUS(status)}"
            time.sleep(0.01)
        return f"the process broke the protocol ({exc})"

    def close(self):
        if self.child_pid is not None:
            try:
                os.killpg(self.child_pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.kill(self.child_pid, signal.SIGKILL)
            except OSError:
                pass
        if self.child is not None:
            self._sock.close()
        if self.child_pid is not None or self.uid is not None:
            # Orphans re-parent to this subreaper, so descendants cover double forks; the uid sweep
            # is the backstop, needed only when something besides the child was running.
            if kill_descendants(os.getpid()):
                sweep_uid(self.uid)
        reap()
        self.child_pid = self.child = None


def main():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the judge decides when the runner stops
    make_subreaper()
    warm_up()
    judge = Channel(sys.stdin.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr  # nothing else may write to the protocol stream
    runner = Runner(judge)
    judge.send({"status": "warm", "pid": os.getpid()})
    while True:
        try:
            raw = judge.recv_raw()
        except ChannelClosed:
            break
        message, buffers = unpack_bytes(raw)
        op = message.get("op")
        if op == "cases":
            runner.cases = decode(message["cases"], buffers)
            judge.send({"status": "ok", "checks": len(runner.cases)})
        elif op == "open":
            runner.open(message)
        elif op == "run":
            runner.run(raw, message)
        elif op == "close":
            runner.close()
            judge.send({"status": "closed"})
        else:
            break
    runner.close()


if __name__ == "__main__":
    main()
