"""The sandbox in its three modes, measured: the grader run from the command line as root, as root
without CAP_SYS_ADMIN (as in Docker or Gradescope: no namespaces), and as an ordinary user with a
Python outside root's home. In each mode a representative class is graded in two lanes: the
reference, the blank stubs, the attacks that read, connect or signal, the answer key planted under
/srv, the keyring carried from one student to the next, memory beyond the limit, a hard link to
the reference. Every attack must score no more than the blank stubs, the reference full marks,
nothing may outlive the grader.

The whole attack suite (tests/test_attacks.py) runs in the first mode; this module adds the other
two, and the refusal to grade without the allow-list (unless --insecure).
"""
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from grader import PROJECT_ROOT, SOLUTIONS_DIR
from grader.reports import read_student
from test_attacks import (ATTACKS, REFERENCE, STUBS, Attack, Listeners, as_files, messages, planted_solutions, report_of,
                          score, test_rubric_file, write_folder)

pytestmark = pytest.mark.slow

IS_ROOT_LINUX = sys.platform.startswith("linux") and os.geteuid() == 0
SUPERVISOR = Path(__file__).with_name("supervise_grader.py")
VENV_PYTHON = Path(os.environ.get("NNGRADE_UNPRIVILEGED_VENV", "/opt/nngrade-venv")) / "bin" / "python"
USER = os.environ.get("NNGRADE_UNPRIVILEGED_USER", "nngrade")
ALLOW_LIST = ["landlock-filesystem", "landlock-tcp", "landlock-scope", "seccomp"]
LAYERS = {
    "root": ["own-session", "network-namespace", "mount-namespace", "memory-cgroup", "rlimits", "unprivileged-uid", *ALLOW_LIST],
    "root-without-cap-sys-admin": ["own-session", "memory-cgroup", "rlimits", "unprivileged-uid", *ALLOW_LIST],
    "unprivileged-user": ["own-session", "rlimits", *ALLOW_LIST],
}
REPRESENTATIVE = ("atk_read_solutions", "atk_read_project_tree", "atk_read_processes", "atk_read_env", "atk_read_others",
                  "atk_read_grader", "atk_userns_escape", "atk_planted_solutions", "atk_kill_grader", "atk_network",
                  "atk_memfd_memory", "atk_fill_disk", "atk_daemon", "atk_write_results")
KEYRING = [Attack(name, "keyring", "ex01_perceptron.add_bias", report=True) for name in ("zk1_keyring_writer", "zk2_keyring_reader")]


def _user():
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        return None


def mode_prefix(mode):
    """The command that runs the grader in this mode, or pytest.skip with what is missing."""
    if mode == "root":
        if not IS_ROOT_LINUX:
            pytest.skip("needs root on Linux")
        return [sys.executable]
    if not IS_ROOT_LINUX or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to enter this mode")
    if mode == "root-without-cap-sys-admin":
        return ["setpriv", "--bounding-set", "-sys_admin", sys.executable]
    if _user() is None or not VENV_PYTHON.exists():
        pytest.skip(f"no user {USER} or no {VENV_PYTHON}: run .ci/unprivileged-python")
    return ["setpriv", f"--reuid={USER}", f"--regid={USER}", "--clear-groups", str(VENV_PYTHON)]


def kit_readable_by(user, work):
    """The kit's code as the ordinary user can read it: this checkout may sit under a folder only
    root can enter (CI's clone), so the grader, the reference and the rubric are copied once."""
    kit = work / "kit"
    if not kit.exists():
        for name in ("grader", "solutions", "exercises"):
            shutil.copytree(PROJECT_ROOT / name, kit / name, ignore=shutil.ignore_patterns("__pycache__"))
        for path in (kit, *kit.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
    return kit


def workspace():
    path = Path(tempfile.mkdtemp(prefix="nngrade-modes-", dir="/var/lib" if IS_ROOT_LINUX else None))
    path.chmod(0o755)
    return path


def run_grader(prefix, subs, out, rubric, work, *options, deny_landlock=False):
    """(supervisor report, stdout, stderr) of `nngrade grade` run with this prefix, two lanes. The
    keyring students need no order: the writer's own report says whether add_key worked."""
    home = work / "home"
    home.mkdir(exist_ok=True)
    out.mkdir(exist_ok=True)
    user = _user()
    user_mode = user is not None and "--reuid" in " ".join(prefix)
    if user_mode:
        for path in (home, out):
            os.chown(path, user.pw_uid, user.pw_gid)
    env = {"PATH": os.environ.get("PATH", os.defpath), "PYTHONPATH": str(kit_readable_by(user, work) if user_mode else PROJECT_ROOT),
           "HOME": str(home), "LANG": "C.UTF-8",
           "NNGRADE_TEST_SECRET": "s3cret-" + work.name}
    command = [sys.executable, str(SUPERVISOR), *(["--deny-landlock"] if deny_landlock else []), "--",
               *prefix, "-m", "grader.cli", "grade", str(subs), "--out", str(out), "--jobs", "2", "--rubric", str(rubric),
               "--no-progress", *options]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, cwd="/")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report, done.stdout, done.stderr


@pytest.fixture(scope="module")
def representative_class():
    work = workspace()
    subs = work / "submissions"
    subs.mkdir()
    listeners = Listeners(work)
    try:
        with planted_solutions() as planted:
            values = {"SOLUTIONS": str(SOLUTIONS_DIR), "PROJECT": str(PROJECT_ROOT), "SUBS": str(subs), "OUT": str(work / "out"),
                      "JUDGE_PID": os.getpid(), "SECRET_NAME": "NNGRADE_TEST_SECRET", "MARKER": "OTHER-STUDENT-MARKER-modes",
                      "TCP_PORT": listeners.tcp_port, "UDP_PORT": listeners.udp_port, "ABSTRACT": listeners.abstract,
                      "UNIX_PATH": listeners.unix_path, "HOST_IP": listeners.host_ip, "CANARY": str(work / "canary"),
                      "SECRET": "unused"}
            attacks = [a for a in ATTACKS if a.name in REPRESENTATIVE] + KEYRING
            write_folder(subs / "honest_reference", as_files(REFERENCE))
            write_folder(subs / "blank_stubs", as_files(STUBS))
            for attack in attacks:
                write_folder(subs / attack.name, as_files(attack.sources(values)))
            hardlinked = as_files(REFERENCE)
            hardlinked["ex04_mlp_forward.py"] = ("hardlink", str(planted / "ex04_mlp_forward.py"))
            write_folder(subs / "bad_hardlink", hardlinked)
            for path in (work, *work.rglob("*")):
                path.chmod(0o755 if path.is_dir() else 0o644)
            yield {"work": work, "subs": subs, "attacks": attacks, "listeners": listeners, "planted": planted,
                   "rubric": test_rubric_file(work), "planted_text": (planted / "ex04_mlp_forward.py").read_text()}
    finally:
        listeners.close()
        shutil.rmtree(work, ignore_errors=True)


def _processes_of(uid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status") as status:
                    fields = dict(line.split(":", 1) for line in status if ":" in line)
                if uid in {int(u) for u in fields["Uid"].split()} and fields["State"].split()[0] not in "ZX":
                    found.append((int(entry), fields["Name"].strip()))
            except (OSError, KeyError, ValueError, IndexError):
                continue
    return found


@pytest.mark.parametrize("mode", list(LAYERS))
def test_every_attack_fails_in_every_mode(representative_class, mode):
    cls = representative_class
    prefix = mode_prefix(mode)
    out = cls["work"] / "out"  # where the attacks look for it
    shutil.rmtree(out, ignore_errors=True)
    scratch_before = set(Path(tempfile.gettempdir()).glob("nngrade-scratch-*"))
    started = time.monotonic()
    report, stdout, stderr = run_grader(prefix, cls["subs"], out, cls["rubric"], cls["work"])
    assert report["returncode"] == 0, stderr[-3000:]
    times = sorted((read_student(out, p.name)["execution_time"], p.name) for p in out.iterdir() if p.is_dir())
    print(f"{mode}: {len(times)} students in {time.monotonic() - started:.1f} s; slowest {times[-4:]}")
    assert report["left"] == [], f"outlived the grader: {report['left']}"
    if mode == "unprivileged-user":
        assert _processes_of(_user().pw_uid) == []

    honest = read_student(out, "honest_reference")
    assert honest["isolation"] == LAYERS[mode], honest["notices"]
    assert honest["score"] == honest["max_score"], {f["function"]: messages(honest, f["function"])[:1]
                                                    for f in honest["functions"] if f["score"] < f["max_score"]}
    blank = read_student(out, "blank_stubs")
    assert blank["score"] == 0
    failures = {}
    for attack in cls["attacks"]:
        record = read_student(out, attack.name)
        for function in attack.zeroed([f["function"] for f in record["functions"]]):
            got = (score(record, function), score(blank, function))
            found = report_of(record, function) if attack.report else []
            if got[0] > got[1] or found:
                failures[attack.name] = (got, found, messages(record, function)[:1])
            elif attack.message and not all(re.search(attack.message, m) for m in messages(record, function)):
                failures[attack.name] = ("unexpected message", messages(record, function)[:1])
    assert not failures, f"{mode}: {failures}"
    hardlinked = read_student(out, "bad_hardlink")
    assert "is a hard link" in hardlinked["problems"].get("ex04_mlp_forward", "")
    assert score(hardlinked, "ex04_mlp_forward.xor_params") == 0
    assert cls["listeners"].received == []
    assert (cls["planted"] / "ex04_mlp_forward.py").read_text() == cls["planted_text"]
    left = set(Path(tempfile.gettempdir()).glob("nngrade-scratch-*")) - scratch_before
    assert not left, f"private scratch folders outlived their runner: {left}"


def test_the_grader_refuses_without_the_allow_list_unless_insecure(representative_class, tmp_path):
    """A kernel without Landlock (here: Landlock denied by a system-call filter around the grader)."""
    if not IS_ROOT_LINUX:
        pytest.skip("needs Linux (as root: the network ban still comes from the namespace)")
    cls = representative_class
    subs = cls["work"] / "insecure-subs"
    write_folder(subs / "honest_reference", as_files(REFERENCE))
    refused, stdout, stderr = run_grader([sys.executable], subs, cls["work"] / "out-refused", cls["rubric"], cls["work"],
                                         deny_landlock=True)
    assert refused["returncode"] == 2, stderr[-2000:]
    assert re.search(r"error: .*lacks the file-system allow-list.*--insecure", stderr), stderr[-2000:]
    assert not list((cls["work"] / "out-refused").glob("*/results.json"))
    allowed, stdout, stderr = run_grader([sys.executable], subs, cls["work"] / "out-insecure", cls["rubric"], cls["work"],
                                         "--insecure", deny_landlock=True)
    assert allowed["returncode"] == 0, stderr[-2000:]
    result = read_student(cls["work"] / "out-insecure", "honest_reference")
    assert "landlock-filesystem" not in result["isolation"]
    assert any("graded with --insecure" in n for n in result["notices"]), result["notices"]
