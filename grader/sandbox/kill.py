"""The one kill loop: SIGKILL each of a list of pids, ignoring those already gone (or not ours)."""
import os
import signal


def kill_all(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
