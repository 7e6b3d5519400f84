"""Isolation layers applied inside the forked child before any student code runs.

Each layer is applied when the platform allows it and skipped with a notice otherwise; the
list of applied layers is recorded with every result (its isolation level).
"""
import ctypes
import functools
import os
import re
import resource
import shutil
import signal
import site
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from grader.limits import CHILD_CPU_S, CHILD_FSIZE_MB, CHILD_MEM_MB, CHILD_NOFILE, CHILD_NPROC
from grader.sandbox import cgroups, landlock, seccomp_filter
from grader.sandbox.kill import kill_all
from grader.sandbox.layer_errors import cause

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNET = 0x00020000, 0x04000000, 0x08000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 16384, 1 << 18
MS_REMOUNT, MS_BIND = 32, 4096
# Per-mount options kept when a mount is made read-only (a bind remount replaces all of them).
MOUNT_OPTION_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": 1024,
                      "nodiratime": 2048, "relatime": 1 << 21, "strictatime": 1 << 24}
# Kernel interfaces, not storage: left as they are (device nodes, /proc/self/..., cgroups).
PSEUDO_FS = {"proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "mqueue", "securityfs", "debugfs", "tracefs",
             "bpf", "pstore", "configfs", "fusectl", "hugetlbfs", "binfmt_misc", "autofs", "efivarfs", "selinuxfs", "nsfs"}
ALWAYS_HIDDEN = ("/run",)  # host services' sockets (D-Bus, ...), and /run/lock, writable by everyone
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS, PR_SET_CHILD_SUBREAPER = 1, 4, 38, 36
WRITABLE_TMP = ("/tmp", "/var/tmp", "/dev/shm")
SCRATCH_BASE = tempfile.gettempdir()  # where private folders go without a mount namespace

_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def _check(result, what):
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def prctl(option, value):
    if _libc is not None:
        _check(_libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0), f"prctl({option})")


def set_process_name(name):
    """The name `top` and `ps -o comm` show (15 bytes at most): which process of a lane is which."""
    try:
        with open("/proc/self/comm", "w") as comm:
            comm.write(name[:15])
    except OSError:
        pass


def make_subreaper():
    """Orphaned grandchildren re-parent to the caller, which can then kill and reap them."""
    try:
        prctl(PR_SET_CHILD_SUBREAPER, 1)
        return True
    except OSError:
        return False


def _mount(source, target, fstype, flags, data):
    _check(_libc.mount(source.encode() if source else None, target.encode(), fstype.encode() if fstype else None,
                       ctypes.c_ulong(flags), data.encode() if data else None), f"mount {target}")


def _namespaces(config, applied, notices):
    """Own network namespace (no interfaces up: no connection anywhere, loopback included) and own
    mount namespace (the answers, the class's submissions and the output hidden; a small private /tmp)."""
    try:
        _check(_libc.unshare(CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
    except OSError as exc:
        notices.append(f"namespaces unavailable ({exc.strerror}): network and file hiding not applied")
        return
    applied.append("network-namespace")
    try:
        _mount(None, "/", None, MS_REC | MS_PRIVATE, None)
        # Security: every file system the child sees becomes read-only for it; only the private
        # tmpfs below are writable. Otherwise world-writable folders on the real disks (/run/lock,
        # /var/crash, ...) could be filled, or carry files from one submission to the next.
        for point, flags, fstype in _mounts():
            if fstype not in PSEUDO_FS:
                try:
                    _mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, None)
                except OSError as exc:
                    notices.append(f"{point} stays writable ({exc.strerror})")
        for path in (*config.get("hide", ()), *ALWAYS_HIDDEN):
            if os.path.isdir(path):
                _mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=000")
        for path in WRITABLE_TMP:
            if os.path.isdir(path):
                _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, f"size={config.get('tmp_mb', 64)}m,mode=1777")
        applied.append("mount-namespace")
    except OSError as exc:
        notices.append(f"mount namespace incomplete ({exc.strerror})")


def _mounts():
    """(mount point, per-mount option flags, file system type) of every mount this process sees."""
    found = []
    with open("/proc/self/mountinfo", "rb") as info:
        for line in info:
            fields = line.split()
            try:
                fstype = fields[fields.index(b"-") + 1].decode()
            except (ValueError, IndexError):
                continue
            point = os.fsdecode(re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), fields[4]))
            flags = sum(MOUNT_OPTION_FLAGS.get(option, 0) for option in fields[5].decode().split(","))
            found.append((point, flags, fstype))
    return found


def _vm_size_bytes():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _rlimits(config, applied):
    mb = 1024 * 1024
    limits = {
        resource.RLIMIT_CPU: int(config.get("cpu_s", CHILD_CPU_S)),
        resource.RLIMIT_AS: _vm_size_bytes() + int(config.get("mem_mb", CHILD_MEM_MB)) * mb,
        resource.RLIMIT_FSIZE: int(config.get("fsize_mb", CHILD_FSIZE_MB)) * mb,
        resource.RLIMIT_NOFILE: int(config.get("nofile", CHILD_NOFILE)),
        resource.RLIMIT_NPROC: int(config.get("nproc", CHILD_NPROC)),
        resource.RLIMIT_CORE: 0,
    }
    for which, value in limits.items():
        try:
            hard = resource.getrlimit(which)[1]
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass
    applied.append("rlimits")


def _drop_privileges(config, applied, notices):
    uid = config.get("uid")
    if os.geteuid() != 0:
        notices.append("not running as root: the child keeps the grader's uid (no uid drop)")
        return
    if uid is None:
        notices.append("no sandbox uid configured: the child runs as root")
        return
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    applied.append("unprivileged-uid")


def _quiet_fds(keep_fd):
    """stdin/stdout/stderr to /dev/null (student prints never reach anyone), other fds closed."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    os.closerange(3, keep_fd)
    os.closerange(keep_fd + 1, 65536)


def _join_cgroup(config, applied, notices):
    """True when the child's memory is now bounded as a whole (a memory cgroup of its lane)."""
    path = config.get("cgroup")
    if not path:
        notices.append("no memory cgroup: memory is bounded per process (RLIMIT_AS), memfd_create is denied")
        return False
    try:
        if not cgroups.is_member(path):  # born inside when the fork server is in it (see enter_lane_cgroup)
            cgroups.join(path)
        _write_oom_score_adj(1000)  # the cgroup's memory runs out: this child is the one killed
    except OSError as exc:
        notices.append(f"memory cgroup unavailable ({exc.strerror}): memfd_create is denied")
        return False
    applied.append("memory-cgroup")
    return True


def enter_lane_cgroup(path):
    """The fork server moves into its lane's memory cgroup once, so that its children are born
    there (speed: moving each child costs ~10 ms). It is never the one the kernel kills when the
    cgroup runs out of memory (its children are, see _join_cgroup)."""
    if not path or os.geteuid() != 0 or cgroups.is_member(path):
        return
    try:
        cgroups.join(path)
        _write_oom_score_adj(-1000)
    except OSError:
        pass  # each child joins on its own, or says why it could not


def _write_oom_score_adj(value):
    with open("/proc/self/oom_score_adj", "w") as handle:
        handle.write(str(value))


def _private_tmp(config, applied):
    """The one folder the child may write: the mount namespace's private tmpfs /tmp, or else a fresh
    folder of its own in the fork server's scratch root (removed when the child is swept)."""
    if "mount-namespace" in applied:
        return "/tmp", WRITABLE_TMP
    prepare_scratch_root(os.getppid())
    folder = os.path.join(scratch_root(os.getppid()), str(os.getpid()))
    os.mkdir(folder, 0o700)
    uid = config.get("uid")
    if os.geteuid() == 0 and uid is not None:
        os.chown(folder, uid, uid)
    return folder, (folder,)


def scratch_root(server_pid):
    """The folder under which a fork server's children get their private temporary folders."""
    return os.path.join(SCRATCH_BASE, f"nngrade-scratch-{server_pid}")


def clear_scratch(server_pid):
    """Remove the private folders of a fork server's children (all of them dead by now), also
    folders a child made unreadable to its own uid (chmod 000) in the grader's own-uid mode."""
    root = scratch_root(server_pid)
    for dirpath, dirnames, _ in os.walk(root):
        for name in dirnames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):  # Security: never chmod what a link points to
                try:
                    os.chmod(path, 0o700)
                except OSError:
                    pass
    shutil.rmtree(root, ignore_errors=True)


def sweep_children(server_pid):
    """The fork server's sweep: kill and reap every descendant, then remove what they wrote.
    Returns how many processes besides direct children were found."""
    others = kill_descendants(server_pid)
    clear_scratch(server_pid)
    return others


@functools.lru_cache(maxsize=1)
def readable_paths():
    """What a child may read: the Python installation (standard library, site-packages, the
    interpreter), the folders of every shared library loaded so far, the system's library folders,
    a few device files. Computed once in the warm runner (after its imports), inherited by children."""
    paths = {sys.executable, os.path.realpath(sys.executable), *sysconfig.get_paths().values(),
             *site.getsitepackages(), sys.prefix, sys.exec_prefix}
    paths.update(os.path.dirname(p) for p in _loaded_libraries())
    paths.update(("/lib", "/lib64", "/usr/lib", "/usr/lib64", "/etc/ld.so.cache", "/etc/localtime",
                  "/sys/devices/system/cpu", "/dev/urandom", "/dev/random", "/dev/zero"))
    return tuple(sorted(p for p in paths if p and os.path.isabs(p)))


def _loaded_libraries():
    found = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                fields = line.split(None, 5)
                if len(fields) == 6 and fields[5].startswith("/") and ".so" in fields[5]:
                    found.add(fields[5].strip())
    except OSError:
        pass
    return found


def _allow_list(config, writable, applied, notices):
    hidden = [Path(h) for h in config.get("hide", ())]
    readable = [p for p in readable_paths() if not any(Path(p).is_relative_to(h) for h in hidden)]
    try:
        applied += landlock.restrict(read=[*readable, "/proc/self"], write=[*writable, os.devnull])
    except OSError as exc:
        notices.append(f"no file-system allow-list ({exc.strerror}): the child can read every file its uid can")


def _seccomp(memory_bounded, applied, notices):
    if not seccomp_filter.available():
        notices.append("no system-call filter (pyseccomp or libseccomp missing): sockets, keyrings and ptrace are allowed")
        return
    try:
        seccomp_filter.apply(memory_bounded)
        applied.append("seccomp")
    except OSError as exc:
        notices.append(f"no system-call filter ({cause('seccomp', exc.errno) if exc.errno else exc.strerror})")


def prepare():
    """Warm-up for the layers, in the runner before it forks anything: the allow-list and the
    system-call filters are computed once, so that a child only applies them."""
    readable_paths()
    if seccomp_filter.available():
        for bounded in (False, True):
            seccomp_filter.filter_for(bounded)


def prepare_scratch_root(server_pid):
    root = scratch_root(server_pid)
    os.makedirs(root, mode=0o711, exist_ok=True)
    os.chmod(root, 0o711)  # sandbox uids may enter it to reach their own folder, not list it


def missing_layers(applied):
    """What an untrusted submission must not run without: a file-system allow-list and a network
    ban. Empty when both are in force."""
    missing = []
    if "landlock-filesystem" not in applied:
        missing.append("the file-system allow-list (Landlock)")
    if "seccomp" not in applied and "network-namespace" not in applied:
        missing.append("the network ban (seccomp or a network namespace)")
    return missing


def isolate(config, keep_fd):
    """Apply every available layer; returns (applied layers, notices). Runs in the child, as its first act."""
    applied, notices = [], []
    os.setsid()
    applied.append("own-session")
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if _libc is None:
        notices.append("not Linux: no namespaces, no death signal, no allow-list, no system-call filter")
        _rlimits(config, applied)
        _quiet_fds(keep_fd)
        return applied, notices
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the runner dies -> the child dies
    if os.geteuid() == 0:
        _namespaces(config, applied, notices)
    else:
        notices.append("not running as root: no network or mount namespace")
    memory_bounded = _join_cgroup(config, applied, notices)
    _rlimits(config, applied)
    tmp, writable = _private_tmp(config, applied)
    _drop_privileges(config, applied, notices)
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    prctl(PR_SET_DUMPABLE, 0)
    os.chdir(tmp)
    _quiet_fds(keep_fd)
    os.environ.clear()
    os.environ.update({"HOME": tmp, "TMPDIR": tmp, "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"})
    tempfile.tempdir = None  # found again from TMPDIR
    _allow_list(config, writable, applied, notices)
    _seccomp(memory_bounded, applied, notices)  # last: the steps above use system calls it denies
    return applied, notices


def _uids_of(pid):
    """The uids (real, effective, saved, file system) of a live process; empty for a zombie or a
    process that is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
        if fields["State"].split()[0] in ("Z", "X"):
            return set()
        return {int(u) for u in fields["Uid"].split()}
    except (OSError, KeyError, ValueError, IndexError):
        return set()


def sweep_uid(uid):
    """Kill every process of the sandbox uid (daemonised grandchildren included), found through
    /proc, pass after pass until none is left: a fork bomb's newest children are caught by the next
    pass, and a process with SIGKILL pending cannot fork. Only meaningful as root with a dedicated
    uid per lane. Safe to call from any process and thread: it neither forks nor reaps.

    Security: the sweeper stays root. A helper that took on the sandbox uid to kill(-1) could be
    signalled (SIGSTOPped) by the very processes it sweeps, leaving its parent waiting forever."""
    if uid is None or os.geteuid() != 0 or not os.path.isdir("/proc"):
        return
    for _ in range(200):
        victims = [int(e) for e in os.listdir("/proc") if e.isdigit() and int(e) != os.getpid() and uid in _uids_of(e)]
        if not victims:
            return
        kill_all(victims)
        time.sleep(0.005)


def kill_descendants(root_pid, spare=(), passes=200):
    """SIGKILL every live descendant of root_pid (found through /proc) but the `spare` ones and
    theirs, pass after pass until none is left (a fork bomb's newest children, born after a pass
    listed their parent, re-parent to root_pid when it dies and are caught by the next pass; a
    process with SIGKILL pending cannot fork), then reap what we can. Returns how many processes
    besides direct children were found (grandchildren, daemons)."""
    killed, first_direct = set(), None
    for sweep in range(passes):
        children_of = _listed_children if _CHILDREN_LISTED else _scan_children()
        direct = [child for child in children_of(root_pid) if child not in spare and _alive(child)]
        stack, victims = list(direct), list(direct)
        while stack:
            for child in children_of(stack.pop()):
                if child not in spare and _alive(child):
                    victims.append(child)
                    stack.append(child)
        if not victims:
            break
        kill_all(victims)
        killed.update(victims)
        first_direct = set(direct) if first_direct is None else first_direct
        if sweep:
            time.sleep(0.002)  # the killed are still dying: let them go before the next look
        reap()
    reap()
    return len(killed - (first_direct or set()))


def _alive(pid):
    """Not (yet) a zombie: a killed child stays listed until its parent reaps it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except (OSError, IndexError):
        return False


def _listed_children(pid):
    """Children of every thread of pid, as the kernel lists them: reads only the subtree, where
    a scan of /proc reads every process of the machine (hundreds on a desktop, per submission)."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found  # gone
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as listed:
                found += [int(c) for c in listed.read().split()]
        except (OSError, ValueError):
            continue
    return found


def _scan_children():
    """children_of(pid) from one scan of every process's parent in /proc (kernels without the list)."""
    children = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if entry.isdigit():
            ppid = _parent(entry)
            if ppid is not None:
                children.setdefault(ppid, []).append(int(entry))
    return lambda pid: children.get(pid, [])


def _parent(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


_CHILDREN_LISTED = os.path.exists(f"/proc/self/task/{os.getpid()}/children")  # CONFIG_PROC_CHILDREN


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
