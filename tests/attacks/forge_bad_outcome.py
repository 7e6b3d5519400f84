def relu(z):
    """Attack: write well-formed plain data, but outcome fields of the wrong types (mutated = 5, warnings = true, error = a list) straight to the protocol socket, then wait."""
    import json
    import os
    import stat
    import struct
    import time

    payload = b""
    prefix = None
    header = json.dumps({"m": {"event": "done", "results": {"t": "list", "items": [{"t": "list", "items": [
        {"t": "dict", "keys": ["value", "mutated", "warnings"], "items": [{"t": "float", "v": 1.0}, {"t": "int", "v": 5}, {"t": "bool", "v": True}]},
        {"t": "dict", "keys": ["error"], "items": [{"t": "list", "items": []}]}]}]}}, "sizes": []}).encode()
    frame = (prefix or struct.pack("!II", len(header), len(payload))) + header + payload
    for fd in range(3, 1024):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.write(fd, frame)
        except OSError:
            pass
    time.sleep(60)
