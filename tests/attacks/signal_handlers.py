def tanh(z):
    """Attack: catch or ignore every catchable signal (alarm, terminate, interrupt, CPU limit...),
    swallow KeyboardInterrupt, and loop forever."""
    import signal

    for sig in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU, signal.SIGUSR1,
                signal.SIGUSR2, signal.SIGQUIT, signal.SIGVTALRM, signal.SIGPROF, signal.SIGPIPE, signal.SIGTSTP):
        try:
            signal.signal(sig, lambda *a: None)
        except (OSError, ValueError):
            pass
    signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals) - {signal.SIGKILL, signal.SIGSTOP})
    while True:
        try:
            while True:
                pass
        except BaseException:
            continue
