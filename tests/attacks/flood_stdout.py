def add_bias(X):
    """Attack: flood stdout and stderr (and the terminal, if any) with 200 MB, then answer garbage."""
    import os
    import sys

    line = ("x" * 1023 + "\n").encode()
    chunk = line * 1024
    for _ in range(100):
        for fd in (1, 2):
            try:
                os.write(fd, chunk)
            except OSError:
                pass
        try:
            sys.stdout.write(chunk.decode())
            print(chunk.decode(), file=sys.stderr)
        except Exception:
            pass
    return np.zeros((1, 1))
