"""The warm runner: imports numpy, torch and the checks once, then forks one sandboxed child per
submission and relays frames between the judge (on stdin/stdout) and that child.

Started by the judge with a minimal environment; it never sees the reference or expected values.
Protocol (judge -> runner, one frame each):
  {"op": "open", "sources": {...}, "config": {...}, "timeout": s}  -> events, then {"status": "ready", ...}
  {"op": "run", "functions": [{"timeout": s, "jobs": [...]}, ...],  -> per function, the child's results frame,
   "max_bytes": n, "max_total": n, "budget": s} (+ case arrays)      until {"status": "timeout" | "crashed"
                                                                     | "too_much", ...} ends the request
  {"op": "close"}                                                  -> {"status": "closed"}
"""
import gc
import hashlib
import os
import signal
import socket
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before torch: forking after OpenMP spun up a pool can hang

from grader.limits import over_caps  # noqa: E402
from grader.protocol import (FRAME_PREFIX_BYTES, MAX_CHILD_HEADER_BYTES, MAX_FRAME_BYTES, FrameTooLarge,  # noqa: E402
                             decode, pack, unpack_bytes)
from grader.sandbox.channel import Channel, ChannelClosed, ChannelTimeout, ProtocolError  # noqa: E402
from grader.sandbox.isolation import (PR_SET_PDEATHSIG, enter_lane_cgroup, kill_descendants, make_subreaper,  # noqa: E402
                                      prctl, reap, set_process_name, sweep_children, sweep_uid)
from grader.seeding import class_seeds  # noqa: E402
from grader.sandbox.warm import warm_up  # noqa: E402

MAX_RESULTS_FRAMES = 4096  # digests of results frames remembered by one runner: 16 bytes each


class ForkServer:
    """Security: the process every child is forked from. It is forked from the runner right after
    warm-up, before the runner reads anything from the judge, and it only ever receives the class's
    (public) inputs and requests from the runner: "fork", "status" of a child, "sweep". A child
    forked from the runner itself would inherit, in freed but not cleared memory, the sources of
    earlier students of this lane and the results their children sent through the runner: a
    submission could scan its own memory and hand in a classmate's code or answers.

    The fork server is its children's parent and their subreaper (orphans they leave come back to
    it). It reaps only when the runner asks, so a child's pid stays the child's (a zombie at worst)
    for as long as the runner may signal it. When the runner dies (the judge killed it, or someone
    else did), the fork server kills what its children left and removes their folders before it
    goes: as an ordinary user no uid sweep could find them. Speed: one fork per submission; a
    middle process that handed each child to the runner cost a second fork and exit of the whole
    warm image (~8 ms)."""

    def __init__(self, pid, sock):
        self.pid, self.sock = pid, sock
        self.channel = Channel(sock.fileno(), sock.fileno())  # replies; always read with a deadline

    @classmethod
    def start(cls):
        runner_pid = os.getpid()
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            try:
                ours.close()
                # The runner dies (killed by the judge or from outside) -> the fork server sweeps
                # what its children left and goes: nothing else would where no uid sweep exists.
                signal.signal(signal.SIGTERM, lambda *_: _sweep_and_exit(os.getpid()))
                prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
                set_process_name("nng-forkserver")
                if os.getppid() == runner_pid and make_subreaper():
                    null = os.open(os.devnull, os.O_RDWR)  # the judge's pipes belong to the runner alone
                    os.dup2(null, 0)
                    os.dup2(null, 1)
                    os.close(null)
                    _serve_forks(theirs)
            finally:
                os._exit(0)
        theirs.close()
        ours.settimeout(60)
        return cls(pid, ours)

    def forward(self, raw):
        """A frame for the fork server (the class's inputs, which every child inherits)."""
        self.sock.sendall(raw)

    def fork(self, cgroup=None):
        """(pid, socket) of a new child, waiting for its init frame; born in the lane's cgroup."""
        self.sock.sendall(pack({"op": "fork", "cgroup": cgroup}))
        data, fds, _, _ = socket.recv_fds(self.sock, 64, 1)
        if not fds:
            raise ChannelClosed("the fork server is gone")
        return int(data), socket.socket(fileno=fds[0])

    def status(self, pid, wait_s):
        """The child's wait status once it has ended (it is reaped then: its pid is free for reuse),
        None while it still runs after wait_s seconds."""
        self.sock.sendall(pack({"op": "status", "pid": pid, "wait": wait_s}))
        return self.channel.recv(timeout=wait_s + 30)[0].get("status")

    def sweep(self):
        """Kill and reap every descendant of the fork server (the child, whatever it started,
        orphans adopted); returns how many were not its direct children."""
        self.sock.sendall(pack({"op": "sweep"}))
        return int(self.channel.recv(timeout=60)[0]["others"])


def _serve_forks(sock):
    import grader.sandbox.child  # noqa: F401 - once here rather than read from disk in every child

    server_pid = os.getpid()
    channel, cases, seeds = Channel(sock.fileno(), sock.fileno()), {}, {}
    while True:
        try:
            message, buffers = channel.recv()
        except ChannelClosed:  # the runner is gone
            sweep_children(server_pid)
            return
        op = message.get("op")
        if op == "cases":
            cases = decode(message["cases"], buffers)
            seeds = class_seeds(cases)  # once here, inherited by every child
        elif op == "fork":
            enter_lane_cgroup(message.get("cgroup"))
            # Speed: objects that exist now are exempt from the child's garbage collections, which
            # would otherwise walk (and so copy-on-write) the whole warm heap of numpy and torch.
            gc.freeze()
            parent_sock, child_sock = socket.socketpair()
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # the sweep is the fork server's alone
            pid = os.fork()
            if pid == 0:  # the child
                try:
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
                    set_process_name("nng-child")
                    sock.close()
                    parent_sock.close()
                    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
                    if os.getppid() == server_pid:  # else the fork server died before the line above
                        from grader.sandbox.child import child_main

                        child_main(child_sock.detach(), None, None, cases, seeds)
                finally:
                    os._exit(0)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
            child_sock.close()
            socket.send_fds(sock, [str(pid).encode()], [parent_sock.fileno()])
            parent_sock.close()
        elif op == "status":
            channel.send({"status": _wait_status(int(message["pid"]), float(message["wait"]))})
        elif op == "sweep":
            channel.send({"others": sweep_children(server_pid)})


def _sweep_and_exit(server_pid):
    """The fork server's last act when its runner is gone."""
    try:
        sweep_children(server_pid)
    finally:
        os._exit(0)


def _wait_status(pid, wait_s):
    """The wait status of our child pid once it has ended (reaping it), None while it runs, -1 if
    it is not a child of ours (any more)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return -1  # not (or no longer) a child to wait for
        if done:
            return status
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


class Runner:
    def __init__(self, judge, fork_server=None, spare=()):
        self.judge = judge
        self.fork_server = fork_server  # None (no subreaper, not Linux): children are forked here
        # Never swept with this lane's children: the fork server and the sibling runners (other lanes).
        self.spare = ((fork_server.pid,) if fork_server else ()) + tuple(spare)
        self.cases = self.seeds = {}  # the class's inputs (and their case seeds), sent once; children inherit them through fork
        self.child_pid = None
        self.child = None
        self.uid = None
        self.swept = False
        self.results_frames = set()  # digests of frames already checked to be results (see run)

    # -- child lifecycle ------------------------------------------------------------------------
    def open(self, message):
        self.close()
        config = message.get("config", {})
        self.uid = config.get("uid")
        if not self.swept:
            # Security: processes of this uid that a runner of the same lane left behind when it died
            # (daemons it could not sweep) must never meet this runner's children.
            sweep_uid(self.uid)
            self.swept = True
        deadline = time.monotonic() + float(message.get("timeout", 10))
        if self.fork_server is not None:
            self.child_pid, self._sock = self.fork_server.fork(config.get("cgroup"))
        else:
            parent_sock, child_sock = socket.socketpair()
            gc.freeze()  # see _serve_forks
            pid = os.fork()
            if pid == 0:  # the child
                set_process_name("nng-child")
                parent_sock.close()
                from grader.sandbox.child import child_main

                child_main(child_sock.detach(), message["sources"], config, self.cases, self.seeds)
            child_sock.close()
            self.child_pid, self._sock = pid, parent_sock
        self.child = Channel(self._sock.fileno(), self._sock.fileno())
        reply = {"status": "ready", "isolation": [], "notices": [], "last_module": None}
        try:
            if self.fork_server is not None:
                self.child.send({"op": "init", "sources": message["sources"], "config": config})
            first = True
            while True:
                event, _ = self.child.recv(timeout=max(0.0, deadline - time.monotonic()), max_header=MAX_CHILD_HEADER_BYTES)
                kind = event.get("event")
                if kind == "isolated" and first:  # sent before any student code runs: later ones are forged
                    reply["isolation"], reply["notices"] = event.get("isolation", []), event.get("notices", [])
                elif kind == "importing":
                    reply["last_module"] = event.get("module")
                elif kind == "ready":
                    reply["modules"] = event.get("modules", {})
                    break
                first = False
        except ChannelTimeout:
            reply["status"] = "timeout"
            self.close()
        except (ChannelClosed, ProtocolError, ValueError, TypeError) as exc:
            reply.update(status="crashed", detail=self._death(exc))
            self.close()
        self.judge.send(reply)

    def run(self, raw, message):
        """Relay one frame per function, each under that function's own time limit and within the
        request's budget (the student's time left); stop at the first function that times out, kills
        the child or sends a frame over the byte caps (per function, and what is left of the
        student's): that frame is not read, and the child is closed, since it may have written it
        in the middle of a function (the judge reopens for the rest)."""
        timeouts = [float(f.get("timeout", 10)) for f in message.get("functions", [])]
        function_cap = int(message.get("max_bytes", MAX_FRAME_BYTES))
        student_left = int(message.get("max_total", MAX_FRAME_BYTES * len(timeouts)))
        budget = message.get("budget")
        deadline = None if budget is None else time.monotonic() + float(budget)
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
            left = timeout if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                frame = self._results_frame(min(timeout, left), min(function_cap, student_left))
                student_left -= len(frame) - FRAME_PREFIX_BYTES  # a frame's size: header and payload, as in frame_sizes
                self.judge.send_raw(frame)
                continue
            except FrameTooLarge as exc:
                limit, per = over_caps(exc.size, function_cap, student_left)
                reply = {"status": "too_much", "bytes": exc.size, "limit": limit, "per": per}
            except ChannelTimeout:
                reply = {"status": "timeout", "budget": left < timeout}
            except (ChannelClosed, ProtocolError, ValueError) as exc:
                reply = {"status": "crashed", "detail": self._death(exc)}
            self.close()
            self.judge.send(reply)
            return

    def _results_frame(self, timeout, max_bytes=MAX_FRAME_BYTES):
        """The child's next frame, checked to be a results frame. Security: the judge reads exactly
        one frame per function. Relaying anything else (a second "ready", any invented event) would
        leave it one frame out of step with this runner, for every later student of the lane.
        Speed: bytes already seen to be a results frame (most frames of a class) are not parsed again.
        A frame over max_bytes is not read (FrameTooLarge)."""
        raw = self.child.recv_frame(timeout=timeout, max_header=MAX_CHILD_HEADER_BYTES, max_bytes=max_bytes)
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        if digest not in self.results_frames:
            frame, _ = unpack_bytes(raw)
            if frame.get("event") != "done":
                raise ProtocolError(f"sent {str(frame.get('event'))[:40]!r} instead of results")
            if len(self.results_frames) < MAX_RESULTS_FRAMES:
                self.results_frames.add(digest)
        return raw

    def _death(self, exc):
        """Why the child stopped: its exit status if it is gone, else the protocol problem."""
        if self.child_pid is None:
            return str(exc)
        status = self._child_status(self.child_pid, 0.5)
        if status is None:
            return f"the process broke the protocol ({exc})"
        self.child_pid = None  # reaped: its pid is no longer the child's to signal
        if status < 0:
            return "the process ended"
        if os.WIFSIGNALED(status):
            return f"the process was killed by signal {signal.Signals(os.WTERMSIG(status)).name}"
        return f"the process exited with code {os.WEXITSTATUS(status)}"

    def _child_status(self, pid, wait_s):
        """Wait status of the ended child (-1: already reaped), None while it runs."""
        if self.fork_server is None:
            return _wait_status(pid, wait_s)
        try:
            return self.fork_server.status(pid, wait_s)
        except (OSError, ChannelClosed, ChannelTimeout, ProtocolError):
            return None

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
        opened = self.child is not None
        if opened:
            self._sock.close()
        if self.child_pid is not None or opened or self.uid is not None:
            # Orphans re-parent to the subreaper (the fork server, or this runner without one), so
            # descendants cover double forks; the uid sweep is the backstop, needed only when
            # something besides the child was running.
            if self._sweep_descendants():
                sweep_uid(self.uid)
        reap()
        self.child_pid = self.child = None

    def _sweep_descendants(self):
        if self.fork_server is not None:
            try:
                return self.fork_server.sweep()
            except (OSError, ChannelClosed, ChannelTimeout, ProtocolError, KeyError, ValueError, TypeError):
                pass  # the fork server is gone: its orphans came to this runner, the next subreaper up
        return kill_descendants(os.getpid(), spare=self.spare)


def spawn_siblings(specs):
    """The runners of the other lanes, forked from this one once it is warm: each lane would
    otherwise pay the same seconds of imports. specs: "READ,WRITE,ERR[,LOCK]" fds per sibling,
    passed by the judge (its channel, its log, its uid claim). Returns their pids in this runner
    and () in a sibling, which goes on as an ordinary runner on its own fds.

    Security: like the fork server, siblings are forked before anything is read from the judge,
    so no lane ever holds another lane's students. A sibling is not tied to this runner's life:
    it stops when its judge's pipe closes, as every runner does."""
    parsed = [[int(fd) for fd in spec.split(",")] for spec in specs]
    passed = {fd for fds in parsed for fd in fds}
    pids = []
    for fds in parsed:
        pid = os.fork()
        if pid == 0:
            for target, fd in enumerate(fds[:3]):  # its channel becomes stdin/stdout, its log stderr
                os.dup2(fd, target)
            for other in passed - set(fds[3:]):  # its uid claim stays open: the lock lives as long as the sibling
                os.close(other)
            return ()
        pids.append(pid)
    for fd in passed:
        os.close(fd)
    return tuple(pids)


def main():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the judge decides when the runner stops
    set_process_name("nng-runner")
    warm_up()
    siblings = spawn_siblings([a for flag, a in zip(sys.argv[1::2], sys.argv[2::2]) if flag == "--sibling"])
    subreaper = make_subreaper()  # after forking siblings: they are not this runner's to sweep
    # Before the first frame from the judge: see ForkServer.
    fork_server = ForkServer.start() if subreaper and hasattr(socket, "send_fds") else None
    judge = Channel(sys.stdin.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr  # nothing else may write to the protocol stream
    runner = Runner(judge, fork_server, spare=siblings)
    judge.send({"status": "warm", "pid": os.getpid(), "fork_server": fork_server.pid if fork_server else None})
    try:
        while True:
            try:
                raw = judge.recv_frame()
            except ChannelClosed:
                break
            message, buffers = unpack_bytes(raw)
            op = message.get("op")
            if op == "cases":
                runner.cases = decode(message["cases"], buffers)
                if fork_server is not None:
                    fork_server.forward(raw)
                else:
                    runner.seeds = class_seeds(runner.cases)
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
    finally:
        # Security: also when the judge is gone (a reply fails with a broken pipe), so that no
        # sandboxed process of this lane outlives its runner.
        runner.close()


if __name__ == "__main__":
    main()
