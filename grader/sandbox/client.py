"""The judge's handle on one runner process (one lane of a batch)."""
import fcntl
import hashlib
import os
import select
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from grader import PROJECT_ROOT, SOLUTIONS_DIR, user_cache_dir
from grader.limits import CHILD_CPU_S, CHILD_FSIZE_MB, CHILD_MEM_MB, CHILD_NOFILE, CHILD_NPROC, CHILD_TMP_MB
from grader.protocol import FRAME_PREFIX_BYTES, MAX_FRAME_BYTES, ProtocolError, clean_text, decode, encode_many, unpack_bytes
from grader.sandbox.channel import Channel, ChannelClosed, ChannelTimeout
from grader.sandbox import cgroups
from grader.sandbox.isolation import clear_scratch, missing_layers, sweep_uid

SANDBOX_UID_BASE = 64000  # one dedicated uid per lane, so a sweep by uid hits only that lane's processes
UID_SLOTS = 64  # sandbox uids SANDBOX_UID_BASE .. + 63, shared by every grader running on the machine
UID_LOCK_DIR = "/run/nngrade-sandbox-uids" if os.path.isdir("/run") else os.path.join(tempfile.gettempdir(), "nngrade-sandbox-uids")
STARTUP_TIMEOUT = 180
MARGIN = 30  # seconds the runner gets beyond the child's own limit before the judge gives up on it
MAX_CALLED, MAX_CALLED_NAME = 64, 200  # a results frame's "called" names (grader/sandbox/calls.py)


class RunnerDied(RuntimeError):
    """The runner process itself failed (not the student's child): restart it and retry."""


class InsecureSandbox(RuntimeError):
    """The sandbox lacks a layer no untrusted submission may run without (see missing_layers)."""


MEM_MB, TMP_MB = CHILD_MEM_MB, CHILD_TMP_MB


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


def kit_folders():
    """Folders hidden from every child whatever the caller asks: the reference, the grader, the
    kit's tests, the user's class context cache (the reference's outputs) and, in a checkout of the
    kit, the checkout itself (its git history, release builds and caches hold the reference too),
    except folders holding the Python installation (a virtualenv inside the checkout)."""
    hidden = [SOLUTIONS_DIR, PROJECT_ROOT / "grader", PROJECT_ROOT / "tests", *filter(None, [user_cache_dir()])]
    if (PROJECT_ROOT / "pyproject.toml").is_file() and SOLUTIONS_DIR.is_dir():
        python = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, *sysconfig.get_paths().values())}
        inside = [p for p in python if p.is_relative_to(PROJECT_ROOT)]
        if not inside:
            hidden.append(PROJECT_ROOT)
        else:
            hidden += [d for d in PROJECT_ROOT.iterdir() if d.is_dir() and not d.is_symlink()
                       and not any(p.is_relative_to(d.resolve()) for p in inside)]
    return [str(p) for p in hidden]



UIDS_VARIABLE = "NNGRADE_SANDBOX_UIDS"


def sandbox_uids():
    """The uids this grader's sandboxed children may run as: all the slots, or the part of them that
    NNGRADE_SANDBOX_UIDS names ("FIRST-LAST"). Graders given disjoint parts never sweep, signal or
    hide folders from each other's children (two test sessions, or pytest-xdist's workers)."""
    every = range(SANDBOX_UID_BASE, SANDBOX_UID_BASE + UID_SLOTS)
    named = os.environ.get(UIDS_VARIABLE, "").strip()
    if not named:
        return every
    first, dash, last = named.partition("-")
    try:
        part = range(int(first), int(last) + 1) if dash else range(int(first), int(first) + 1)
    except ValueError:
        part = range(0)
    # Security: only a part of the dedicated range; any other uid may be a real user's to sweep.
    if not part or part.start < every.start or part.stop > every.stop:
        raise ValueError(f"{UIDS_VARIABLE}={named!r}: expected FIRST-LAST within {every.start}-{every.stop - 1}")
    return part


def _claim_uid(lane):
    """(uid, lock fd): a sandbox uid that no other grader on this machine is using, preferring the
    lane's own (the lane-th of sandbox_uids()). Sweeps kill every process of a uid, and sandboxed
    processes of the same uid can signal each other, so two graders (two test sessions, two classes)
    must never share one.
    The lock is an flock on a root-only file, held by this process and by the runner (which inherits
    the fd): it is released when both are gone, whatever killed them."""
    try:
        os.makedirs(UID_LOCK_DIR, mode=0o700, exist_ok=True)
        info = os.lstat(UID_LOCK_DIR)
        safe = stat.S_ISDIR(info.st_mode) and info.st_uid == 0 and not info.st_mode & 0o077
    except OSError:
        safe = False
    uids = sandbox_uids()
    if not safe:  # cannot coordinate with other graders: the plain per-lane uid
        return uids[lane % len(uids)], None
    for i in range(len(uids)):
        uid = uids[(lane + i) % len(uids)]
        fd = _uid_lock(uid)
        if fd is not None:
            return uid, fd
    raise RunnerDied(f"all {len(uids)} sandbox uids ({uids.start}-{uids.stop - 1}) are in use by other graders on this machine")


def _uid_lock(uid, create=True):
    """An fd holding the lock of uid's claim, or None where another grader holds it (OSError where
    its lock file cannot be opened)."""
    fd = os.open(os.path.join(UID_LOCK_DIR, str(uid)), os.O_RDWR | os.O_CLOEXEC | (os.O_CREAT if create else 0), 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except OSError:
        os.close(fd)
        return None


def uids_claimed_elsewhere(uids):
    """Those of `uids` another grader on this machine holds now (its claim's lock is taken)."""
    held = set()
    for uid in uids:
        try:
            fd = _uid_lock(uid, create=False)
        except OSError:
            continue  # never claimed, or not ours to look at: nothing to keep
        if fd is None:
            held.add(uid)
        else:
            os.close(fd)  # free: let it go again
    return held


class SiblingProcess:
    """The Popen-like handle of a runner forked by another lane's runner: not a child of the judge,
    so it is watched and signalled through a pidfd (its exit status is not ours to read)."""

    def __init__(self, stdin, stdout):
        self.stdin, self.stdout = stdin, stdout
        self.pid = self._pidfd = self.returncode = None

    def watch(self, pid):
        self.pid = pid
        try:
            self._pidfd = os.pidfd_open(pid)
        except OSError:
            self.returncode = -signal.SIGKILL  # already gone

    def poll(self):
        if self.returncode is None and self._pidfd is not None and select.select([self._pidfd], [], [], 0)[0]:
            self._ended()
        return self.returncode

    def kill(self):
        if self.returncode is None and self._pidfd is not None:
            try:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            except OSError:
                pass

    def wait(self, timeout=10):
        if self.returncode is None and self._pidfd is not None and select.select([self._pidfd], [], [], timeout)[0]:
            self._ended()
        return self.returncode

    def _ended(self):
        self.returncode = -signal.SIGKILL  # unknown: its parent (the other lane's runner) reaps it
        os.close(self._pidfd)
        self._pidfd = None


class SandboxClient:
    def __init__(self, lane=0, hide=(), cases=None, insecure=False):
        self.lane = lane
        self.insecure = insecure  # grade even without the allow-list or the network ban (noticed in every result)
        self.cases = cases or {}  # the class's inputs: sent once per runner, inherited by every child
        self.hide = [str(p) for p in hide] + [p for p in kit_folders() if p not in map(str, hide)]
        self.proc = None
        self.channel = None
        self._uid = self._uid_lock = self._cgroup = self._fork_server = None

    @property
    def uid(self):
        """The sandbox uid of this lane's children (None when not root: no uid drop)."""
        if os.geteuid() != 0:
            return None
        if self._uid is None:
            self._uid, self._uid_lock = _claim_uid(self.lane)
        return self._uid

    @property
    def cgroup(self):
        """This lane's memory cgroup (root only, where the hierarchy is writable), else None."""
        if self._cgroup is None and self.uid is not None:
            # The address-space limit, the three private tmpfs and some slack: memfd and tmpfs pages count here.
            self._cgroup = cgroups.create(f"nngrade-{self.uid}", (MEM_MB + 4 * TMP_MB) * 2**20) or ""
        return self._cgroup or None

    def config(self, cpu_s):
        return {"uid": self.uid, "hide": self.hide, "cpu_s": int(cpu_s) + 5, "mem_mb": MEM_MB, "nproc": CHILD_NPROC,
                "nofile": CHILD_NOFILE, "fsize_mb": CHILD_FSIZE_MB, "tmp_mb": TMP_MB, "cgroup": self.cgroup, "insecure": self.insecure}

    def check_isolation(self):
        """Open a child on no sources and raise InsecureSandbox unless the layers untrusted code
        needs are in force (or insecure was asked for): before any student is graded. Returns the
        layers the child applied."""
        reply = self.open({}, timeout=STARTUP_TIMEOUT)
        self.close()
        if reply["status"] != "ready":
            raise InsecureSandbox(f"the sandbox could not start a child ({reply.get('detail', reply['status'])}); "
                                  f"{'; '.join(reply['notices'][:3])}")
        return reply["isolation"]

    def start(self, siblings=()):
        """Start this lane's runner; with siblings (other lanes' clients), their runners are forked
        from this one once it is warm, instead of each importing numpy and torch again."""
        self.stop()
        self._log = tempfile.TemporaryFile()
        _ = self.uid  # claimed before the runner starts, so that the runner holds the claim too
        args, passed = [], [] if self._uid_lock is None else [self._uid_lock]
        runner_ends = []
        for sibling in siblings:
            (sibling_reads, judge_writes), (judge_reads, sibling_writes) = os.pipe(), os.pipe()
            fds = sibling._prepare(sibling_reads, sibling_writes)
            # The judge's ends, closed by sibling.stop() whatever happens next.
            sibling.proc = SiblingProcess(os.fdopen(judge_writes, "wb", buffering=0), os.fdopen(judge_reads, "rb", buffering=0))
            sibling.channel = Channel(judge_reads, judge_writes)
            sibling.cases_sent = False
            args += ["--sibling", ",".join(map(str, fds))]
            passed += fds
            runner_ends += [sibling_reads, sibling_writes]
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "grader.sandbox.runner", *args], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._log, env=runner_env(), cwd="/",
                                         pass_fds=passed)
        except BaseException:
            for sibling in siblings:
                sibling.stop()
            raise
        finally:
            for fd in runner_ends:
                os.close(fd)
        self.channel = Channel(self.proc.stdout.fileno(), self.proc.stdin.fileno())
        self.cases_sent = False
        self._warm(self._expect(STARTUP_TIMEOUT)[0])
        for sibling in siblings:
            try:
                sibling.proc.watch(int(sibling._warm(sibling._expect(STARTUP_TIMEOUT)[0])["pid"]))
            except (RunnerDied, KeyError, TypeError, ValueError):
                sibling.stop()  # that lane starts a runner of its own on its first request

    def _warm(self, reply):
        """The runner's first message: its fork server's pid is kept for stop()."""
        pid = reply.get("fork_server")
        self._fork_server = pid if type(pid) is int and pid > 0 else None
        return reply

    def _prepare(self, read_fd, write_fd):
        """The fds a sibling runner of this lane gets: its channel, its log and its uid claim."""
        self.stop()
        self._log = tempfile.TemporaryFile()
        _ = self.uid
        return [read_fd, write_fd, self._log.fileno()] + ([] if self._uid_lock is None else [self._uid_lock])

    def _send_cases(self):
        """The class's inputs go to the runner once; every child it forks inherits them."""
        ids = sorted(self.cases)
        trees, buffers = encode_many([self.cases[i] for i in ids])
        self.channel.send({"op": "cases", "cases": {"t": "dict", "keys": ids, "items": trees}}, buffers)
        self._expect(STARTUP_TIMEOUT)
        self.cases_sent = True

    def _expect(self, timeout):
        return self._parse(self._expect_frame(timeout))

    def _expect_frame(self, timeout, max_bytes=MAX_FRAME_BYTES):
        """The next frame's bytes, not yet parsed (a runner relaying more than max_bytes has failed)."""
        try:
            return self.channel.recv_frame(timeout=timeout, max_bytes=max_bytes)
        except (ChannelClosed, ChannelTimeout, ProtocolError) as exc:
            self._failed(exc)

    def _parse(self, raw):
        try:
            return unpack_bytes(raw)
        except ProtocolError as exc:
            self._failed(exc)

    def _failed(self, exc):
        detail = self._stderr_tail()
        self.stop()
        raise RunnerDied(f"the sandbox runner failed ({type(exc).__name__}) {detail}".strip()) from None

    def _stderr_tail(self):
        try:
            self._log.seek(0)
            return self._log.read()[-2000:].decode(errors="replace")
        except (OSError, ValueError, AttributeError):
            return ""

    def _request(self, message, arrays=(), timeout=10):
        self._send(message, arrays)
        return self._expect(timeout + MARGIN)

    def warm(self):
        """A runner ready for requests (started and holding the class's inputs): the grader's cost,
        paid before a student's time budget starts."""
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        try:
            if self.cases and not self.cases_sent:
                self._send_cases()
        except ChannelClosed:
            self.stop()
            raise RunnerDied("the sandbox runner is gone") from None

    def _send(self, message, arrays=()):
        self.warm()
        try:
            self.channel.send(message, arrays)
        except ChannelClosed:
            self.stop()
            raise RunnerDied("the sandbox runner is gone") from None

    def open(self, sources, timeout=10, cpu_s=CHILD_CPU_S):
        """Fork a child for these sources; the reply has status, modules, isolation, notices."""
        reply, _ = self._request({"op": "open", "sources": sources, "config": self.config(cpu_s), "timeout": timeout},
                                 timeout=timeout)
        if reply.get("status") not in ("ready", "timeout", "crashed"):
            self.stop()  # not an answer to "open": the stream is out of step
            raise RunnerDied(f"the sandbox runner answered out of step ({clean_text(str(reply)[:80])})")
        return self._check_layers(_clean_open_reply(reply))

    def _check_layers(self, reply):
        """The child reports its layers before any student code runs (it refuses to go on without
        the required ones unless insecure): refuse the batch, or say so in the result."""
        if not reply["isolation"] and reply["status"] != "ready":
            return reply  # the child did not get as far as isolating: nothing measured
        missing = missing_layers(reply["isolation"])
        if missing and not self.insecure:
            self.close()
            raise InsecureSandbox(f"the sandbox lacks {' and '.join(missing)} here ({'; '.join(reply['notices'][:3])}); "
                                  "refusing to run untrusted code (--insecure grades anyway, for trusted code only)")
        if missing:
            reply["notices"].append(f"graded with --insecure: no {' and no '.join(m.removeprefix('the ') for m in missing)}")
        return reply

    def run(self, jobs, timeout, limits=None, derive=None):
        """One function: jobs [(check_id, [case, ...] or None for the class's cases), ...]
        -> {"status": "done", "results": [[outcome, ...], ...]} or {"status": "timeout" | "crashed", ...}."""
        return next(self.run_functions([(jobs, timeout)], limits=limits, derive=derive))

    def run_functions(self, functions, known=None, limits=None, derive=None):
        """Several functions in one request, pipelined: yields one reply per function, in order, and
        stops after the first that is not done (the child is gone then).

        With known(index, digest) -> bool, a done reply carries "digest" (else None), the hash of the
        results frame exactly as received, and is not even parsed where known says the judge has
        judged those very bytes before ("results" is None then). A done reply carries "bytes", the
        frame's size (header and payload).

        limits (see grader.limits): {"max_bytes": per function, "max_total": for the whole request,
        "budget": seconds for the whole request}; the runner enforces them. A frame over the byte
        caps is not read: {"status": "too_much", "bytes", "limit", "per"}, and the child is gone.

        derive: {check_id: Check.derive} for the checks whose probe the child derives from their
        spec's declaration (plain data, sent with the job)."""
        limits, derive = dict(limits or {}), derive or {}
        flat = [cases for jobs, _ in functions for _, cases in jobs if cases is not None]
        trees, buffers = encode_many(flat)
        trees = iter(trees)
        message = {"op": "run", "functions": [
            {"timeout": timeout, "jobs": [{"check": cid, **_derived(derive, cid)} if cases is None
                                          else {"check": cid, "cases": next(trees), **_derived(derive, cid)}
                                          for cid, cases in jobs]}
            for jobs, timeout in functions], **limits}
        self._send(message, buffers)
        max_bytes = limits.get("max_bytes", MAX_FRAME_BYTES)
        for index, (jobs, timeout) in enumerate(functions):
            raw = self._expect_frame(min(timeout, limits.get("budget", timeout)) + MARGIN, max_bytes)
            digest = None if known is None else hashlib.blake2b(raw, digest_size=16).digest()
            if digest is not None and known(index, digest):  # bytes judged before were a done frame
                yield {"status": "done", "digest": digest, "results": None, "bytes": len(raw) - FRAME_PREFIX_BYTES}
                continue
            reply, arrays = self._parse(raw)
            if reply.get("status") == "too_much" and "event" not in reply:  # the runner's (a child's says "event")
                yield _clean_too_much(reply)
                return
            if reply.get("event") != "done":
                if reply.get("status") not in ("timeout", "crashed"):
                    self.stop()  # not a runner's answer either: the stream is out of step
                    reply = {"status": "crashed", "detail": "the runner relayed an unexpected frame"}
                yield {**reply, "detail": clean_text(str(reply.get("detail", "no detail")), 500)}
                return
            try:
                results = decode(reply.get("results"), arrays)
                _validate(results, jobs, self.cases)
            except (ProtocolError, KeyError, TypeError, ValueError) as exc:
                # Stop before yielding: the caller reopens at once, and the runner may still be
                # relaying this request's later functions, which would be read as the reopen's answer.
                self.stop()
                yield {"status": "crashed", "detail": f"the child sent malformed results ({clean_text(str(exc), 200)})"}
                return
            yield {"status": "done", "digest": digest, "results": results, "bytes": len(raw) - FRAME_PREFIX_BYTES,
                   "called": _called(reply.get("called"))}

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                reply, _ = self._request({"op": "close"}, timeout=10)
                if reply.get("status") != "closed":
                    self.stop()  # out of step: start afresh
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
        if self._fork_server is not None:
            # Its runner is gone: the fork server sweeps its children and their folders, then goes.
            # Wait for it (it may not be killed midway with the lane's cgroup), and remove the
            # folders whatever happened to it.
            _wait_gone(self._fork_server, 5)
            clear_scratch(self._fork_server)
            self._fork_server = None
        self.proc = self.channel = None
        if self._uid is not None:
            # Security: a killed or crashed runner could not sweep its lane; a daemon left behind
            # would meet the next children of this uid (and could kill them). Then release the uid.
            sweep_uid(self._uid)
            cgroups.remove(self._cgroup)
            self._cgroup = None
            if self._uid_lock is not None:
                os.close(self._uid_lock)
            self._uid = self._uid_lock = None


def _called(called):
    """The graded functions the child says the function called (calls.py): names, at most a few
    dozen; anything else is dropped. Only a hint is chosen with them, never a point."""
    if type(called) is not list:
        return []
    return sorted({c for c in called if type(c) is str and len(c) <= MAX_CALLED_NAME})[:MAX_CALLED]


def _wait_gone(pid, timeout):
    """Wait up to timeout seconds for a process that is not our child to end."""
    try:
        pidfd = os.pidfd_open(pid)
    except (OSError, AttributeError):
        return  # already gone (or no pidfd: nothing to wait with)
    try:
        select.select([pidfd], [], [], timeout)
    finally:
        os.close(pidfd)


def _derived(derive, cid):
    return {"derive": derive[cid]} if derive.get(cid) else {}


def _validate(results, jobs, class_cases):
    if not isinstance(results, list) or len(results) != len(jobs):
        raise ProtocolError("wrong number of job results")
    for outcomes, (cid, cases) in zip(results, jobs):
        expected = len(cases) if cases is not None else len(class_cases.get(cid, ()))
        if not isinstance(outcomes, list) or len(outcomes) != expected or not all(isinstance(o, dict) for o in outcomes):
            raise ProtocolError("wrong number of case results")
        for outcome in outcomes:  # the judge formats these fields: they must have the right types
            if any(k in outcome and type(outcome[k]) is not str for k in ("error", "contract")):
                raise ProtocolError("an error message that is not text")
            if any(k in outcome and not (type(outcome[k]) is list and all(type(x) is str for x in outcome[k]))
                   for k in ("mutated", "warnings")):
                raise ProtocolError("a list of names that is not a list of text")


def _clean_too_much(reply):
    """The runner's "too_much" answer, with well-typed numbers."""
    def number(key):
        value = reply.get(key)
        return value if type(value) is int and value >= 0 else 0

    return {"status": "too_much", "bytes": number("bytes"), "limit": number("limit"),
            "per": "student" if reply.get("per") == "student" else "function"}


def _texts(value, limit=20):
    return [clean_text(v, 300) for v in value[:limit] if type(v) is str] if type(value) is list else []


def _clean_open_reply(reply):
    """The runner's answer to "open" carries what the child said while starting up (and a child can
    forge those events): keep only well-typed fields, as text that can be written anywhere."""
    clean = {"status": reply["status"], "isolation": _texts(reply.get("isolation")), "notices": _texts(reply.get("notices")),
             "last_module": reply.get("last_module") if type(reply.get("last_module")) is str else None}
    if "detail" in reply:
        clean["detail"] = clean_text(str(reply["detail"]), 500)
    if clean["status"] == "ready":
        modules = reply.get("modules")
        if type(modules) is dict and all(type(k) is str and (v is None or type(v) is str) for k, v in modules.items()):
            clean["modules"] = {clean_text(k, 100): v if v is None else clean_text(v, 1000) for k, v in modules.items()}
        else:
            clean.update(status="crashed", detail="it sent a malformed start-up message")
    return clean
