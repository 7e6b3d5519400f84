"""Landlock (Linux >= 5.13): an allow-list of the files a process may touch, no privileges needed.

A small ctypes wrapper over the three system calls. `restrict(read, write)` confines the calling
thread and every process it forks afterwards, for good: only the paths under `read` can be read
(and executed), only those under `write` also written; everything else on the machine is out of
reach whoever owns it. Depending on the kernel's ABI it also bans TCP bind/connect (ABI 4) and
scopes abstract unix sockets and signals to the sandbox's own processes (ABI 6).
"""
import ctypes
import errno
import os
import platform
import stat

# System call numbers: the same on every architecture that has Landlock (the generic table).
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1

FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_REMOVE_DIR, FS_REMOVE_FILE, FS_MAKE_CHAR, FS_MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
FS_MAKE_REG, FS_MAKE_SOCK, FS_MAKE_FIFO, FS_MAKE_BLOCK, FS_MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
# Access rights each ABI version knows (a ruleset may only name rights its kernel knows).
FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

READ = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
FILE_ONLY = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV  # rights a rule on a file may carry


class RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_libc = ctypes.CDLL(None, use_errno=True) if platform.system() == "Linux" else None
_ARCH_OK = platform.machine() in ("x86_64", "aarch64", "riscv64", "loongarch64")


class LandlockError(OSError):
    pass


def _syscall(number, *args):
    result = _libc.syscall(ctypes.c_long(number), *args)
    if result < 0:
        err = ctypes.get_errno()
        raise LandlockError(err, os.strerror(err))
    return result


def abi_version():
    """The kernel's Landlock ABI version, 0 when there is none (old kernel, disabled, not Linux)."""
    if _libc is None or not _ARCH_OK:
        return 0
    try:
        return _syscall(SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    except LandlockError:
        return 0


def unavailable():
    """(errno, why) for a Landlock that cannot be used here: the kernel lacks it (ENOSYS, EOPNOTSUPP)
    or the container's profile denies it (EPERM), which are fixed in different places."""
    from grader.sandbox.layer_errors import cause

    if _libc is None or not _ARCH_OK:
        return errno.ENOSYS, "Landlock exists only in Linux (on x86_64, aarch64, riscv64, loongarch64)"
    try:
        _syscall(SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    except LandlockError as exc:
        return exc.errno, cause("Landlock", exc.errno)
    return errno.ENOSYS, "Landlock's ABI version is below 1"


def handled_fs(abi):
    return FS_BY_ABI[max(v for v in FS_BY_ABI if v <= abi)]


def restrict(read=(), write=(), abi=None):
    """Confine this thread (and its future children) to the allow-list. Paths that do not exist
    are skipped. Returns the layer names now in force, e.g. ["landlock-filesystem", ...].
    Needs no_new_privs (or CAP_SYS_ADMIN). Raises LandlockError when Landlock is unavailable."""
    abi = abi_version() if abi is None else abi
    if abi < 1:
        raise LandlockError(*unavailable())
    fs = handled_fs(abi)
    attr = RulesetAttr(fs, NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0,
                       SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0)
    size = ctypes.sizeof(RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = _syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    try:
        for paths, rights in ((read, READ), (write, fs)):
            for path in paths:
                _allow(ruleset, path, rights & fs)
        _syscall(SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)
    layers = ["landlock-filesystem"]
    if abi >= 4:
        layers.append("landlock-tcp")
    if abi >= 6:
        layers.append("landlock-scope")
    return layers


def _allow(ruleset, path, rights):
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # absent here: nothing to allow
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            rights &= FILE_ONLY
        rule = PathBeneathAttr(rights, fd)
        _syscall(SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH), ctypes.byref(rule),
                 ctypes.c_uint32(0))
    finally:
        os.close(fd)
