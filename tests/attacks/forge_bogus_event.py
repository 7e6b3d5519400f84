def leaky_relu(z, alpha=0.1):
    """Attack: write a well-formed frame that is not a result (a second 'ready' event), then silence: a relay that only counts frames is now one frame out of step with the judge straight to the protocol socket, then wait."""
    import json
    import os
    import stat
    import struct
    import time

    payload = b""
    prefix = None
    header = json.dumps({"m": {"event": "ready", "modules": {}}, "sizes": []}).encode()
    frame = (prefix or struct.pack("!II", len(header), len(payload))) + header + payload
    for fd in range(3, 1024):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.write(fd, frame)
        except OSError:
            pass
    time.sleep(60)
