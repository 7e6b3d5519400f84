"""Run a command (the grader) as a child subreaper and report what outlived it.

    python tests/helpers/supervise_grader.py [--deny-landlock] -- COMMAND...

Orphans of the command's process tree re-parent to this process, so whatever the command or the
sandboxed children left running is found here after the command ends. Prints one JSON line:
{"returncode": ..., "left": [[pid, uid, name], ...]}; what is left is killed afterwards.
--deny-landlock first loads a system-call filter making Landlock unavailable (ENOSYS), as on a
kernel without it or in a container whose profile blocks it.
"""
import ctypes
import errno
import json
import os
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def _children_tree(root):
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as listed:
                    kids = [int(c) for c in listed.read().split()]
            except OSError:
                continue
            found += kids
            stack += kids
    return found


def _describe(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
        if fields["State"].split()[0] in "ZX":
            return None
        return [pid, int(fields["Uid"].split()[0]), fields["Name"].strip()]
    except (OSError, KeyError, ValueError, IndexError):
        return None


def _reap():
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return


def main(argv):
    deny = "--deny-landlock" in argv[: argv.index("--")]
    command = argv[argv.index("--") + 1:]
    if deny:
        import pyseccomp

        f = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
        for name in ("landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self"):
            f.add_rule(pyseccomp.ERRNO(errno.ENOSYS), name)
        f.load()
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    returncode = subprocess.call(command)
    left = []
    deadline = time.monotonic() + 10  # runners notice their judge is gone and clean up
    while time.monotonic() < deadline:
        _reap()
        left = [d for d in map(_describe, _children_tree(os.getpid())) if d]
        if not left:
            break
        time.sleep(0.1)
    for pid, _, _ in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    _reap()
    print(json.dumps({"returncode": returncode, "left": left}))


if __name__ == "__main__":
    main(sys.argv[1:])
