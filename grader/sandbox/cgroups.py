"""A memory cgroup per lane: the child's memory bounded as a whole (anonymous memory, tmpfs files,
memfd pages), which RLIMIT_AS is not.

The judge creates one cgroup per sandbox uid under its own cgroup (so a container's own limit
still applies above it), the child moves itself in while it is still root, and the judge removes
it when the lane stops. cgroup v1 (`memory` controller) and v2 (`memory.max`) are both handled;
without root or without a writable hierarchy there is none (the caller then denies memfd and
keeps the private tmpfs small).
"""
import os
import time

from grader.sandbox.kill import kill_all

CGROUP_ROOT = "/sys/fs/cgroup"


def _own_path(controller):
    """This process's cgroup in the hierarchy of `controller` (None: v2's unified hierarchy)."""
    try:
        with open("/proc/self/cgroup") as listing:
            for line in listing:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                if (controller is None and controllers == "") or controller in controllers.split(","):
                    return path
    except (OSError, ValueError):
        pass
    return None


def _hierarchy():
    """(kind, directory this process's lane cgroups go under) or None."""
    v1 = os.path.join(CGROUP_ROOT, "memory")
    own = _own_path("memory")
    if own is not None and os.path.isfile(os.path.join(v1, "memory.limit_in_bytes")):
        return "v1", os.path.join(v1, own.lstrip("/"))
    own = _own_path(None)
    if own is not None and os.path.isfile(os.path.join(CGROUP_ROOT, "cgroup.controllers")):
        # v2: a cgroup with processes cannot hand controllers to its children, except the root.
        base = os.path.join(CGROUP_ROOT, own.lstrip("/"))
        return ("v2", base) if base.rstrip("/") == CGROUP_ROOT else None
    return None


def create(name, limit_bytes):
    """The path of a fresh memory cgroup `name` limited to limit_bytes, or None where the platform
    does not let this process create one (not root, read-only hierarchy, no memory controller)."""
    if os.geteuid() != 0:
        return None
    found = _hierarchy()
    if found is None:
        return None
    kind, base = found
    path = os.path.join(base, name)
    try:
        remove(path)
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass  # still held by a process of a lane that just stopped: the same limits again
        if kind == "v1":
            _write(path, "memory.limit_in_bytes", limit_bytes)
            if os.path.exists(os.path.join(path, "memory.memsw.limit_in_bytes")):
                _write(path, "memory.memsw.limit_in_bytes", limit_bytes)  # swap counted too, where accounted
        else:
            _write(base, "cgroup.subtree_control", "+memory")
            _write(path, "memory.max", limit_bytes)
            if os.path.exists(os.path.join(path, "memory.swap.max")):
                _write(path, "memory.swap.max", 0)
        return path
    except OSError:
        remove(path)
        return None


def join(path):
    """Move the calling process into the cgroup (its future allocations are charged there).
    Slow (~10 ms on cgroup v1): the fork server joins once, its children are born inside."""
    _write(path, "cgroup.procs", os.getpid())


def is_member(path):
    """Whether the calling process is in the cgroup at path."""
    return os.getpid() in _members(path)


def remove(path, wait_s=2.0):
    """Kill what is left in the cgroup (only a lane's own fork server and children ever join it),
    then remove it; one that will not go stays and is reused by name (harmless)."""
    if not path or not os.path.isdir(path):
        return
    deadline = time.monotonic() + wait_s
    while True:
        try:
            os.rmdir(path)
            return
        except OSError:
            if time.monotonic() > deadline:
                return
        kill_all(_members(path))
        time.sleep(0.01)


def _members(path):
    try:
        with open(os.path.join(path, "cgroup.procs")) as procs:
            return [int(p) for p in procs.read().split()]
    except (OSError, ValueError):
        return []


def _write(path, name, value):
    with open(os.path.join(path, name), "w") as handle:
        handle.write(str(value))
