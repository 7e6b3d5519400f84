"""kill_descendants: the runner's sweep of what a submission left running, with the kernel's
children lists and with the scan of /proc it falls back to; both find the same processes."""
import contextlib
import json
import os
import signal
import subprocess
import sys

import pytest

from grader import PROJECT_ROOT
from grader.sandbox import isolation

# Run in a process of its own: kill_descendants(os.getpid()) in pytest would also hit its other children.
TREE = r"""
import json, os, sys, time
from grader.sandbox import isolation

isolation._CHILDREN_LISTED = sys.argv[1] == "listed"
isolation.make_subreaper()  # orphans come back to us, as to the runner


def chain(depth, w):
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)  # a survivor must not hold the test's pipes
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.write(w, b"%d\n" % os.getpid())
        if depth > 1:
            chain(depth - 1, w)
        while True:
            time.sleep(1)
    return pid


r, w = os.pipe()
lines = os.fdopen(r)
chain(3, w)  # a child, its child and grandchild
pids = [int(lines.readline()) for _ in range(3)]
spare = chain(2, w)  # a process (like the fork server) the sweep must leave alone, with its child
pids += [int(lines.readline()) for _ in range(2)]
found = isolation.kill_descendants(os.getpid(), spare=(spare,))
deadline = time.monotonic() + 10
while time.monotonic() < deadline and any(isolation._uids_of(p) for p in pids[:3]):
    isolation.reap()
    time.sleep(0.01)
alive = [bool(isolation._uids_of(p)) for p in pids]
os.kill(pids[3], 9)
os.kill(pids[4], 9)
print(json.dumps({"found": found, "alive": alive}))
"""


@pytest.mark.parametrize("how", ["listed", "scanned"])
def test_every_descendant_but_the_spared_ones_is_killed(how):
    if how == "listed" and not isolation._CHILDREN_LISTED:
        pytest.skip("this kernel has no /proc/<pid>/task/<tid>/children")
    proc = subprocess.Popen([sys.executable, "-c", TREE, how], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=60)  # a survivor holding the pipe would hang it
    finally:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, stderr[-2000:]
    result = json.loads(stdout)
    assert result["alive"] == [False, False, False, True, True]
    assert result["found"] == 2  # the grandchild and great-grandchild: what makes the runner sweep the uid too
