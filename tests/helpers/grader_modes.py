"""The three modes the sandbox is tested in, and how the tests run the grader in each of them from
the command line: as root; as root without CAP_SYS_ADMIN (as in Docker or Gradescope: no
namespaces), through `setpriv --bounding-set -sys_admin`; as an ordinary user with a Python outside
root's home (made by .ci/unprivileged-python). The last two need root to enter (setpriv).
"""
import json
import os
import pwd
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import PROJECT_ROOT
from grader.sandbox.client import UIDS_VARIABLE, sandbox_uids as lane_uids

IS_ROOT_LINUX = sys.platform.startswith("linux") and os.geteuid() == 0
SUPERVISOR = Path(__file__).with_name("supervise_grader.py")
VENV_PYTHON = Path(os.environ.get("NNGRADE_UNPRIVILEGED_VENV", "/opt/nngrade-venv")) / "bin" / "python"
USER = os.environ.get("NNGRADE_UNPRIVILEGED_USER", "nngrade")
ROOT, NO_CAP_SYS_ADMIN, USER_MODE = "root", "root-without-cap-sys-admin", "unprivileged-user"
MODES = (ROOT, NO_CAP_SYS_ADMIN, USER_MODE)
ALLOW_LIST = ["landlock-filesystem", "landlock-tcp", "landlock-scope", "seccomp"]
LAYERS = {
    ROOT: ["own-session", "network-namespace", "mount-namespace", "memory-cgroup", "rlimits", "unprivileged-uid", *ALLOW_LIST],
    NO_CAP_SYS_ADMIN: ["own-session", "memory-cgroup", "rlimits", "unprivileged-uid", *ALLOW_LIST],
    USER_MODE: ["own-session", "rlimits", *ALLOW_LIST],
}


def mode_params(*modes):
    """pytest params for these modes: the two entered through setpriv are slow (command line runs)."""
    return [pytest.param(m, marks=[pytest.mark.slow] if m != ROOT else [], id=m) for m in modes]


def user():
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        return None


def mode_user():
    """The ordinary user of USER_MODE, or pytest.skip saying how to make it."""
    found = user()
    if found is None or not VENV_PYTHON.exists():
        pytest.skip(f"no user {USER} or no {VENV_PYTHON}: run .ci/unprivileged-python")
    return found


def prefix(mode):
    """The command that runs a Python in this mode, or pytest.skip saying what is missing. ROOT is
    this Python as the tests run it (root on Linux wherever the layers are checked)."""
    if mode == ROOT:
        return [sys.executable]
    if not IS_ROOT_LINUX or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to enter this mode")
    if mode == NO_CAP_SYS_ADMIN:
        return ["setpriv", "--bounding-set", "-sys_admin", sys.executable]
    mode_user()
    return ["setpriv", f"--reuid={USER}", f"--regid={USER}", "--clear-groups", str(VENV_PYTHON)]


def sandbox_uids(mode):
    """The uids the children of a grader in this mode run as."""
    return {mode_user().pw_uid} if mode == USER_MODE else set(lane_uids())


def worker_uids(every, index, count, least=4):
    """The index-th of count equal parts of the sandbox uids `every` (a grader may need a few)."""
    size = len(every) // count
    if size < least:
        raise ValueError(f"{len(every)} sandbox uids cannot be shared by {count} test workers: use fewer (-n)")
    return every[index * size:(index + 1) * size]


def kit_for(mode, work):
    """The kit's code as the grader in this mode reads it. This checkout may sit under a folder only
    root can enter (CI's clone): the ordinary user grades a copy of the grader, the reference and
    the stubs, made once per workspace."""
    if mode != USER_MODE:
        return PROJECT_ROOT
    kit = work / "kit"
    if not kit.exists():
        for name in ("grader", "solutions", "exercises"):
            shutil.copytree(PROJECT_ROOT / name, kit / name, ignore=shutil.ignore_patterns("__pycache__"))
        for path in (kit, *kit.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
    return kit


def open_to(mode, *folders):
    """The folders the grader writes (its output, its home) made its own in the user's mode."""
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        if mode == USER_MODE:
            os.chown(folder, mode_user().pw_uid, mode_user().pw_gid)


def cli(mode, work, *args):
    """(command, env) running `python -m grader.cli ARGS` in this mode (the command's pid is the
    grader's: setpriv executes it)."""
    home = work / "home"
    open_to(mode, home)
    env = {"PATH": os.environ.get("PATH", os.defpath), "PYTHONPATH": str(kit_for(mode, work)), "HOME": str(home),
           "LANG": "C.UTF-8"}
    if mode != USER_MODE and os.environ.get("NNGRADE_CACHE_DIR"):
        env["NNGRADE_CACHE_DIR"] = os.environ["NNGRADE_CACHE_DIR"]  # the session's class contexts (tests/conftest.py)
    if os.environ.get(UIDS_VARIABLE):
        env[UIDS_VARIABLE] = os.environ[UIDS_VARIABLE]  # this test worker's sandbox uids (tests/conftest.py)
    return [*prefix(mode), "-m", "grader.cli", *map(str, args)], env


def supervised(command, deny_landlock=False):
    """The command under the supervisor, which reports what outlived it (tests/helpers/supervise_grader.py)."""
    return [sys.executable, str(SUPERVISOR), *(["--deny-landlock"] if deny_landlock else []), "--", *command]


def grade(mode, work, subs, out, rubric, *options, jobs=2, env=(), deny_landlock=False):
    """`nngrade grade` in this mode: (supervisor report {"returncode", "left"}, stdout, stderr)."""
    open_to(mode, out)
    command, base_env = cli(mode, work, "grade", subs, "--out", out, "--jobs", jobs, "--rubric", rubric, "--no-progress", *options)
    cpu_before = _children_cpu_s()
    done = subprocess.run(supervised(command, deny_landlock), env={**base_env, **dict(env)}, capture_output=True, text=True,
                          timeout=600, cwd="/")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["cpu_s"] = _children_cpu_s() - cpu_before  # the whole grader's: what a batch costs on an idle machine
    return report, done.stdout, done.stderr


def _children_cpu_s():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def readable_by_all(*roots):
    """What the grader reads, readable by the ordinary user too (only the sandbox keeps students out)."""
    for root in roots:
        for path in (root, *Path(root).rglob("*")):
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)


def key_counts(uids):
    """{uid: number of kernel keys it owns} from /proc/key-users (keys outlive their processes)."""
    counts = {}
    try:
        with open("/proc/key-users") as listing:
            for line in listing:
                uid, rest = line.split(":", 1)
                if int(uid) in uids:
                    counts[int(uid)] = int(rest.split()[1].split("/")[0])
    except (OSError, ValueError, IndexError):
        pass
    return counts
