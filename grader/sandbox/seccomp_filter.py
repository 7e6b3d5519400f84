"""The sandbox's system-call filter (seccomp, through libseccomp's `pyseccomp` binding).

Denies, with EPERM so that the student reads an ordinary "Operation not permitted":
- new sockets of any family (the channel to the runner is already open; socketpair stays, it
  connects nowhere) and connect;
- other processes' memory and kernel-wide state: ptrace, process_vm_*, pidfd_getfd, kcmp, keyrings
  (a key added by one student would wait for the next on the same uid), bpf, perf_event_open;
- namespaces and mounts (unshare, setns, clone with a namespace flag, every mount call), which could
  undo the mount hiding; kexec, modules, userfaultfd, io_uring (it runs system calls the filter
  never sees);
- memfd_create unless the memory is bounded by a cgroup (memfd pages escape RLIMIT_AS);
- setsid and setpgid: whatever the child starts stays in its session and process group, so that
  one kill of the group (fork-safe, where a walk of the process tree races a fork bomb) ends it
  all, and the kernel's per-session CPU grouping (autogroup) gives a fork bomb one share, not one
  per process;
- changes to files' metadata: modes (chmod), owners (chown), times (utime) and extended attributes
  (set, remove; reading them stays). Landlock has no right for these, and where the child runs as
  the grader's own user (no root) its files are the grader's: a submission could otherwise open
  the output folder to every local user, or make a classmate's results or module unreadable.
clone3 fails with ENOSYS (its flags cannot be inspected), so the C library falls back to clone.
"""
import errno
import os

try:
    import pyseccomp
except (ImportError, OSError, RuntimeError):  # not installed, or no libseccomp.so.2
    pyseccomp = None

DENIED = (
    "socket", "connect", "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
    "add_key", "keyctl", "request_key", "bpf", "perf_event_open", "fanotify_init", "lookup_dcookie",
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig",
    "fsmount", "fspick", "mount_setattr", "open_by_handle_at", "name_to_handle_at", "quotactl", "quotactl_fd",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff",
    "syslog", "acct", "iopl", "ioperm", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "vhangup",
    "move_pages", "migrate_pages", "io_uring_setup", "io_uring_enter", "io_uring_register", "memfd_secret",
    "uselib", "userfaultfd", "setsid", "setpgid",
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "utime", "utimes", "utimensat", "futimesat",
    "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr", "setxattrat", "removexattrat",
)
# System calls newer than some libseccomp releases: their numbers, the same on every architecture
# but alpha, mips and ia64 for calls added since Linux 5.1 (denied by number where the name is unknown).
UNIFIED_NUMBERS = {"fchmodat2": 452, "setxattrat": 463, "removexattrat": 466}
UNIFIED_ARCHES = ("x86_64", "aarch64", "riscv64", "ppc64le", "s390x", "loongarch64")
UNBOUNDED_MEMORY = ("memfd_create",)  # denied unless a cgroup bounds the child's memory
NAMESPACE_FLAGS = 0x00020000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x02000000
PERSONALITY_TRICKS = (0x0040000, 0x0400000)  # ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC


def available():
    return pyseccomp is not None


def build(memory_bounded=False):
    """The filter, not yet loaded. Building it takes ~1 ms: the fork server builds it once
    (see filter_for) and every child only loads it."""
    deny = pyseccomp.ERRNO(errno.EPERM)
    f = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    for name in DENIED + (() if memory_bounded else UNBOUNDED_MEMORY):
        try:
            f.add_rule(deny, _number(name))
        except (OSError, ValueError, RuntimeError):
            pass  # a system call this kernel or libseccomp does not know: nothing to deny
    for flag in _bits(NAMESPACE_FLAGS):
        f.add_rule(deny, "clone", pyseccomp.Arg(0, pyseccomp.MASKED_EQ, flag, flag))
    for flag in PERSONALITY_TRICKS:
        f.add_rule(deny, "personality", pyseccomp.Arg(0, pyseccomp.MASKED_EQ, flag, flag))
    f.add_rule(pyseccomp.ERRNO(errno.ENOSYS), "clone3")
    return f


_BUILT = {}


def filter_for(memory_bounded):
    """The filter for this kind of child, built once per process (the fork server's children
    inherit it already built)."""
    if memory_bounded not in _BUILT:
        _BUILT[memory_bounded] = build(memory_bounded)
    return _BUILT[memory_bounded]


def apply(memory_bounded=False):
    """Load the filter into this process (and every process it forks). Needs no_new_privs."""
    filter_for(memory_bounded).load()


def _number(name):
    """The system call's number for this architecture, or its name (libseccomp resolves it)."""
    try:
        known = pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, name) >= 0
    except (OSError, ValueError, RuntimeError):
        known = False
    if not known and name in UNIFIED_NUMBERS and os.uname().machine in UNIFIED_ARCHES:
        return UNIFIED_NUMBERS[name]
    return name


def _bits(mask):
    return [1 << i for i in range(64) if mask >> i & 1]
