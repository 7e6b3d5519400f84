def train_xor(seed=0):
    """Attack: answer through the protocol socket directly (found among the open fds) with a
    well-formed "done" frame of the right structure holding garbage. The runner relays it; the
    judge must judge it like any returned value. (The last function: the real answer that follows
    only shifts this submission's own stream.)"""
    import json
    import os
    import stat
    import struct

    items = [{"t": "list", "items": [{"t": "dict", "keys": ["value"], "items": [{"t": "float", "v": 0.75}]}]}]
    header = json.dumps({"m": {"event": "done", "results": {"t": "list", "items": items}}, "sizes": []}).encode()
    for fd in range(3, 1024):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.write(fd, struct.pack("!II", len(header), 0) + header)
        except OSError:
            pass
    return None
