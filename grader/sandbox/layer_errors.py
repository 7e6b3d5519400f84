"""Why a kernel-enforced layer (Landlock, seccomp) could not be applied, from the errno the kernel
gave, and what to change: a missing feature (ENOSYS, EOPNOTSUPP, EINVAL) is the kernel's; a denial
(EPERM, EACCES) is the security profile of the container the grader runs in, not the kernel."""
import errno

KERNEL = {
    "Landlock": {errno.ENOSYS: "this kernel has no Landlock (ENOSYS): it needs Linux 5.13 or later",
                 errno.EOPNOTSUPP: "this kernel has Landlock but it is not enabled (EOPNOTSUPP): "
                                   "add landlock to the kernel's lsm= boot parameter"},
    "seccomp": {errno.ENOSYS: "this kernel has no seccomp (ENOSYS): it needs CONFIG_SECCOMP_FILTER",
                errno.EINVAL: "this kernel refuses seccomp filters (EINVAL): it needs CONFIG_SECCOMP_FILTER"},
}
PROFILE = {
    "Landlock": ("the container's security profile denies the landlock_* system calls (the kernel has "
                 "them): use a newer Docker engine (20.10.10+ allows them) or a seccomp profile that allows "
                 "landlock_create_ruleset, landlock_add_rule and landlock_restrict_self"),
    "seccomp": ("the container's security profile denies loading a seccomp filter (the kernel has it): "
                "allow the seccomp system call and prctl(PR_SET_NO_NEW_PRIVS) in the container's profile"),
}


def cause(layer, err):
    """One sentence: why `layer` is not in force, given the errno the kernel returned."""
    if err in (errno.EPERM, errno.EACCES):
        return f"{PROFILE[layer]} ({errno.errorcode.get(err, err)})"
    known = KERNEL[layer].get(err)
    if known:
        return known
    return f"{layer} failed ({errno.errorcode.get(err, err)}: {_strerror(err)})"


def _strerror(err):
    import os

    try:
        return os.strerror(err)
    except (ValueError, TypeError):
        return "unknown error"
