"""The sandbox's layers one by one, each applied in a forked process that then tries what the layer
must stop (and what it must still allow): Landlock's allow-list, the seccomp filter, the memory
cgroup, the private scratch folders."""
import ctypes
import errno
import json
import os
import signal
import socket
import sys
import traceback

import pytest

from grader.sandbox import cgroups, isolation, landlock, seccomp_filter

LINUX = sys.platform.startswith("linux")
needs_landlock = pytest.mark.skipif(not LINUX or landlock.abi_version() < 1, reason="no Landlock on this kernel")
needs_seccomp = pytest.mark.skipif(not LINUX or not seccomp_filter.available(), reason="no libseccomp / pyseccomp")


def in_child(body):
    """body() run in a forked process with no_new_privs set; returns what it returned (JSON)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            isolation.prctl(isolation.PR_SET_NO_NEW_PRIVS, 1)
            result = {"value": body()}
        except BaseException:  # noqa: BLE001
            result = {"crash": traceback.format_exc()}
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    data = b""
    while chunk := os.read(read_end, 1 << 16):
        data += chunk
    os.close(read_end)
    os.waitpid(pid, 0)
    result = json.loads(data)
    assert "crash" not in result, result["crash"]
    return result["value"]


def attempt(action):
    try:
        action()
        return "ok"
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc.errno))


@needs_landlock
def test_landlock_allows_only_the_listed_paths(tmp_path):
    allowed, private, secret = tmp_path / "python", tmp_path / "private", tmp_path / "secret.py"
    allowed.mkdir()
    private.mkdir()
    (allowed / "lib.py").write_text("x = 1\n")
    secret.write_text("ANSWER = 42\n")
    os.chmod(secret, 0o644)

    def body():
        layers = landlock.restrict(read=[str(allowed), "/proc/self"], write=[str(private)])
        return {
            "layers": layers,
            "read allowed": attempt(lambda: open(allowed / "lib.py").read()),
            "read secret": attempt(lambda: open(secret).read()),
            "read via /proc/self/root": attempt(lambda: open(f"/proc/self/root{secret}").read()),
            "list parent": attempt(lambda: os.listdir(tmp_path)),
            "write allowed folder": attempt(lambda: open(allowed / "new.py", "w").close()),
            "write private": attempt(lambda: open(private / "f", "w").write("x")),
            "own /proc": attempt(lambda: open("/proc/self/status").read()),
            "parent's /proc": attempt(lambda: open(f"/proc/{os.getppid()}/environ").read()),
            "signal parent": attempt(lambda: os.kill(os.getppid(), 0)),
        }

    seen = in_child(body)
    assert seen["layers"][0] == "landlock-filesystem"
    assert seen["read allowed"] == "ok" and seen["write private"] == "ok" and seen["own /proc"] == "ok"
    for denied in ("read secret", "read via /proc/self/root", "list parent", "write allowed folder", "parent's /proc"):
        assert seen[denied] == "EACCES", (denied, seen)
    if landlock.abi_version() >= 6:
        assert "landlock-scope" in seen["layers"] and seen["signal parent"] == "EPERM"


@needs_seccomp
def test_seccomp_denies_sockets_keyrings_namespaces_sessions_and_memfd_but_not_the_open_channel():
    ours, theirs = socket.socketpair()

    def body():
        libc = ctypes.CDLL(None, use_errno=True)

        def add_key():
            if libc.syscall(248, b"user", b"nngrade-test", b"x", 1, -4) < 0:  # add_key, x86_64
                raise OSError(ctypes.get_errno(), "add_key")

        def unshare_net():
            if libc.unshare(0x40000000) != 0:
                raise OSError(ctypes.get_errno(), "unshare")

        def fork_and_wait():
            pid = os.fork()
            if pid == 0:
                os._exit(0)
            os.waitpid(pid, 0)

        seccomp_filter.apply(memory_bounded=False)
        seen = {
            "socket inet": attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM)),
            "socket unix": attempt(lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)),
            "memfd": attempt(lambda: os.memfd_create("x")),
            "unshare": attempt(unshare_net),
            "fork": attempt(fork_and_wait),
            "thread": attempt(lambda: __import__("threading").Thread(target=int).start()),
            "socketpair": attempt(socket.socketpair),
            "setsid": attempt(os.setsid),
            "setpgid": attempt(lambda: os.setpgid(0, 0)),
        }
        if os.uname().machine == "x86_64":
            seen["add_key"] = attempt(add_key)
        theirs.send(b"still open")
        return seen

    seen = in_child(body)
    assert ours.recv(20) == b"still open"
    for denied in ("socket inet", "socket unix", "memfd", "unshare", "add_key", "setsid", "setpgid"):
        assert seen.get(denied, "EPERM") == "EPERM", (denied, seen)
    assert seen["fork"] == "ok" and seen["thread"] == "ok" and seen["socketpair"] == "ok"


@needs_seccomp
def test_seccomp_denies_changing_modes_owners_times_and_extended_attributes(tmp_path):
    """Landlock has no right for these: the filter is what keeps a child running as the grader's
    own user from opening the output to everyone or locking a classmate's files."""
    target, folder = tmp_path / "results.json", tmp_path / "out"
    target.write_text("{}")
    folder.mkdir()
    os.chmod(target, 0o644)
    os.setxattr(target, "user.before", b"1")
    before = {p: (os.stat(p).st_mode, os.stat(p).st_mtime_ns) for p in (target, folder)}

    def body():
        libc = ctypes.CDLL(None, use_errno=True)

        def fchmodat2():  # the call libc's fchmodat uses for AT_SYMLINK_NOFOLLOW on Linux 6.6+
            if libc.syscall(452, -100, str(target).encode(), 0o777, 0) < 0:
                raise OSError(ctypes.get_errno(), "fchmodat2")

        seccomp_filter.apply(memory_bounded=False)
        fd = os.open(target, os.O_RDONLY)
        seen = {
            "chmod": attempt(lambda: os.chmod(target, 0)),
            "chmod folder": attempt(lambda: os.chmod(folder, 0o777)),
            "fchmod": attempt(lambda: os.fchmod(fd, 0o777)),
            "lchmod": attempt(lambda: os.chmod(target, 0, follow_symlinks=False)),
            "chown": attempt(lambda: os.chown(target, os.getuid(), os.getgid())),
            "fchown": attempt(lambda: os.fchown(fd, os.getuid(), os.getgid())),
            "lchown": attempt(lambda: os.lchown(target, os.getuid(), os.getgid())),
            "utime": attempt(lambda: os.utime(target, (0, 0))),
            "futime": attempt(lambda: os.utime(fd, (0, 0))),
            "setxattr": attempt(lambda: os.setxattr(target, "user.x", b"1")),
            "fsetxattr": attempt(lambda: os.setxattr(fd, "user.x", b"1")),
            "removexattr": attempt(lambda: os.removexattr(target, "user.before")),
            "getxattr": attempt(lambda: os.getxattr(target, "user.before")),
            "stat": attempt(lambda: os.stat(target)),
        }
        if os.uname().machine in seccomp_filter.UNIFIED_ARCHES:
            seen["fchmodat2"] = attempt(fchmodat2)
        # What the student's code and its imports do without changing metadata still works.
        import tempfile

        with tempfile.TemporaryDirectory(dir=tmp_path) as scratch:
            with tempfile.NamedTemporaryFile(dir=scratch) as handle:
                handle.write(b"x")
            os.mkdir(os.path.join(scratch, "sub"), 0o700)
        seen["tempfile"] = "ok"
        return seen

    seen = in_child(body)
    for call, outcome in seen.items():
        expected = "ok" if call in ("getxattr", "stat", "tempfile") else "EPERM"
        assert outcome == expected, (call, seen)
    assert {p: (os.stat(p).st_mode, os.stat(p).st_mtime_ns) for p in (target, folder)} == before
    assert os.listxattr(target) == ["user.before"]


@needs_seccomp
def test_memfd_is_allowed_where_a_cgroup_bounds_memory():
    def body():
        seccomp_filter.apply(memory_bounded=True)
        return attempt(lambda: os.close(os.memfd_create("x")))

    assert in_child(body) == "ok"


@pytest.mark.skipif(not LINUX or os.geteuid() != 0, reason="a memory cgroup needs root")
def test_a_lane_cgroup_kills_a_child_that_holds_memory_beyond_it():
    path = cgroups.create(f"nngrade-test-{os.getpid()}", 64 << 20)
    if path is None:
        pytest.skip("no writable memory cgroup hierarchy here")
    try:
        pid = os.fork()
        if pid == 0:
            try:
                cgroups.join(path)
                fd = os.memfd_create("hold")
                os.posix_fallocate(fd, 0, 256 << 20)  # 256 MB of shared memory in a 64 MB cgroup
            except OSError:
                os._exit(3)  # refused: bounded too
            os._exit(0)  # held it: not bounded
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        assert killed or os.WEXITSTATUS(status) == 3, status
    finally:
        cgroups.remove(path)
    assert not os.path.exists(path)


def test_scratch_folders_are_cleared_without_following_links(tmp_path, monkeypatch):
    monkeypatch.setattr(isolation, "SCRATCH_BASE", str(tmp_path))
    base_mode = tmp_path.stat().st_mode
    outside = tmp_path / "outside"
    outside.mkdir(mode=0o755)
    isolation.prepare_scratch_root(12345)
    child = os.path.join(isolation.scratch_root(12345), "678")
    os.makedirs(os.path.join(child, "locked", "deeper"))
    os.symlink(outside, os.path.join(child, "link"))
    os.chmod(os.path.join(child, "locked"), 0)
    isolation.clear_scratch(12345)
    assert not os.path.exists(isolation.scratch_root(12345))
    assert outside.is_dir() and (outside.stat().st_mode & 0o777) == 0o755
    isolation.clear_scratch(12345)  # nothing left: a no-op, touching nothing around it
    assert tmp_path.stat().st_mode == base_mode


def test_missing_layers_names_what_untrusted_code_needs():
    full = ["own-session", "rlimits", "landlock-filesystem", "seccomp"]
    assert isolation.missing_layers(full) == []
    assert isolation.missing_layers(["landlock-filesystem", "network-namespace"]) == []
    assert [m.split()[1] for m in isolation.missing_layers(["seccomp"])] == ["file-system"]
    assert len(isolation.missing_layers(["own-session"])) == 2


@pytest.mark.skipif(not LINUX or os.geteuid() != 0, reason="needs root to act as a sandbox uid")
def test_untraversable_folders_hide_their_contents_from_the_sandbox_uids_until_allowed():
    import shutil
    import tempfile
    from pathlib import Path

    base = Path(tempfile.mkdtemp(prefix="nngrade-acl-", dir="/var/lib"))  # the test's /tmp folder is root's only
    try:
        _check_untraversable(base)
    finally:
        shutil.rmtree(base)


def _check_untraversable(tmp_path):
    from grader.sandbox import untraversable

    hidden, other = tmp_path / "hidden", tmp_path / "other"
    for folder in (hidden, other):
        folder.mkdir()
        (folder / "results.json").write_text("{}")
    os.chmod(tmp_path, 0o755)
    os.chmod(hidden, 0o750)
    os.chmod(other, 0o755)
    uids, stranger = [64900, 64901], 64950

    def stat_as(uid, path):
        def body():
            os.setgid(uid)
            os.setuid(uid)
            return attempt(lambda: os.stat(path))
        return in_child(body)

    mode_before = os.stat(hidden).st_mode
    changed, notices = untraversable.deny([hidden, tmp_path / "missing"], uids)
    if notices:
        pytest.skip(f"no ACLs on this file system: {notices}")
    assert changed == [str(hidden)] and os.stat(hidden).st_mode == mode_before
    assert stat_as(uids[1], hidden / "results.json") == "EACCES"
    assert stat_as(uids[0], other / "results.json") == "ok"
    os.chmod(hidden, 0o755)  # another user's access is its mode's, as before
    assert stat_as(stranger, hidden / "results.json") == "ok"
    untraversable.allow(changed, uids)
    assert stat_as(uids[1], hidden / "results.json") == "ok"
    assert untraversable.ACL_XATTR not in os.listxattr(hidden)
    # An access-control list of the folder's own is kept as it was.
    own = [(untraversable.USER_OBJ, 7, untraversable.NO_ID), (untraversable.USER, 5, 1234),
           (untraversable.GROUP_OBJ, 5, untraversable.NO_ID), (untraversable.MASK, 5, untraversable.NO_ID),
           (untraversable.OTHER, 5, untraversable.NO_ID)]
    untraversable._write(hidden, own)
    untraversable.allow(*untraversable.deny([hidden], uids)[:1], uids)
    assert untraversable._entries(hidden) == own
