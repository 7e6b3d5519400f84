"""The bundles in real Docker containers, as the platforms run them: the Gradescope image built by
the zip's own setup.sh on a Debian bookworm stand-in for Gradescope's base, the PrairieLearn image
built from the question's own Dockerfile on a stand-in for python:3.11-slim-bookworm (both made
by .ci/docker-base, since no image registry is needed), then each submission graded in a fresh
container with the platform's limits and Docker's default security (seccomp profile, no
CAP_SYS_ADMIN). The images are built once per test session (and kept by content across runs).

`python -m pytest tests/platforms/test_platform_containers.py -s` prints the figures: wall time, the CPU
time and the container cgroup's peak memory of one submission, page cache cold and warm.
"""
import contextlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

import pytest

from grader import EXERCISES_DIR, SOLUTIONS_DIR, exercise_files
from grader.devtools.mistakes import MISTAKES, write_mutant
from grader.platforms import gradescope, kit, prairielearn, trial
from grader.rubric import load_rubric
from helpers.platform_schemas import gradescope_problems, prairielearn_problems

BASE = "nngrade-test/bookworm:base"  # .ci/docker-base: the stand-in for Gradescope's Ubuntu base
PYTHON_BASE = "python:3.11-slim-bookworm"  # the PrairieLearn Dockerfile's FROM; .ci/docker-base's stand-in
MAX_PEAK_MB, MAX_CPU_S = 600, 10  # 10 s of CPU: 20 s of wall time at half a CPU
# A cold container is charged for the page cache it reads, read-ahead included: with the kernel's
# default read-ahead (128 kB) one submission peaks at ~450 MB; a disk set to read ahead 8 MB per
# fault (this course machine's virtual disk) adds ~200 MB of pages nothing uses (reclaimable).
# The cold run is measured with the kernel's default, and reported with the disk's own as well.
DEFAULT_READ_AHEAD_KB = 128
MAX_SCORE = load_rubric().max_score
MISTAKE = next(m for m in MISTAKES if m.name == "sigmoid_derivative_from_z")
ALLOW_LIST = {"landlock-filesystem", "seccomp"}
# Last line of every run: the container cgroup's peak memory and CPU time (cgroup v2 or v1).
MEASURE = ("; if [ -f /sys/fs/cgroup/memory.peak ]; then cat /sys/fs/cgroup/memory.peak;"
           " grep usage_usec /sys/fs/cgroup/cpu.stat | cut -d' ' -f2;"
           " else cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes;"
           " echo $(( $(cat /sys/fs/cgroup/cpuacct/cpuacct.usage) / 1000 )); fi")


def _docker_ready():
    if not shutil.which("docker"):
        return "no docker command: install docker.io (.ci/docker-base does)"
    if subprocess.run(["docker", "info"], capture_output=True).returncode != 0:
        return "no running Docker engine: run .ci/docker-base (as root)"
    for image in (BASE, PYTHON_BASE):
        if subprocess.run(["docker", "image", "inspect", image], capture_output=True).returncode != 0:
            return f"no image {image}: run .ci/docker-base"
    return None


pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(_docker_ready()), reason=_docker_ready() or "")]


def docker(*args, timeout=1800, check=True):
    done = subprocess.run(["docker", *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"docker {' '.join(map(str, args[:3]))} ...: {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def bridge_address():
    """The host's address on Docker's default bridge (docker0): where containers reach the host."""
    name = docker("network", "inspect", "bridge", "--format", '{{index .Options "com.docker.network.bridge.name"}}')
    shown = subprocess.run(["ip", "-4", "-o", "addr", "show", name.stdout.strip() or "docker0"], capture_output=True,
                           text=True, check=True).stdout.split()
    return shown[shown.index("inet") + 1].split("/")[0]


# ---- the images ----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def torch_wheels():
    """NNGRADE_TORCH_FIND_LINKS for the image builds: this machine's wheel folder (pip's
    find-links) served over http on the bridge, when it holds the pinned torch; else None (the
    bundles' CPU index)."""
    folder = Path(os.environ.get("NNGRADE_TORCH_WHEELS") or os.environ.get("PIP_FIND_LINKS") or "/opt/wheels")
    if not list(folder.glob(f"torch-{kit.torch_version()}*.whl")):
        yield None
        return
    server = http.server.ThreadingHTTPServer((bridge_address(), 0), partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://{server.server_address[0]}:{server.server_address[1]}/"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def gradescope_image(tmp_path_factory, torch_wheels):
    """Built as `nngrade gradescope --test` builds it: the zip's own setup.sh, run as Gradescope does."""
    bundle = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    gradescope.build_bundle(bundle)
    return trial.gradescope_image(bundle, base=BASE, build_args=_torch_args(torch_wheels))


@pytest.fixture(scope="session")
def prairielearn_question(tmp_path_factory, torch_wheels):
    """(the question folder, its grading image built from tests/image/Dockerfile as it is)."""
    question = tmp_path_factory.mktemp("question")
    prairielearn.build_question(question)
    return question, trial.prairielearn_image(question, build_args=_torch_args(torch_wheels))


def _torch_args(torch_wheels):
    return [f"NNGRADE_TORCH_FIND_LINKS={torch_wheels}"] if torch_wheels else []


# ---- one submission in a fresh container -----------------------------------------------------------

def _run(image, options, mounts, command, cold):
    """(stdout and stderr, wall s, peak MB, CPU s) of `command` in a fresh container."""
    if cold:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    started = time.monotonic()
    out, err = trial.in_container(image, options, mounts, command, MEASURE)  # with this test worker's sandbox uids
    wall = time.monotonic() - started
    *log, peak, cpu_us = out.strip().splitlines()
    return "\n".join(log) + err, wall, int(peak) / 2**20, int(cpu_us) / 1e6


def grade_on_gradescope(image, submission_files, work, cold=False):
    """Gradescope's per-submission step: the upload in /autograder/submission, run_autograder."""
    upload, results = _fresh(work / "submission"), _fresh(work / "results")
    submission_files(upload)
    log, wall, peak, cpu = _run(image, trial.GRADESCOPE_OPTIONS, [(upload, "/autograder/submission"), (results, "/autograder/results")],
                                "/autograder/run_autograder", cold)
    found = json.loads((results / "results.json").read_text())
    assert gradescope_problems(found) == [], gradescope_problems(found)
    return found, log, {"wall_s": wall, "peak_mb": peak, "cpu_s": cpu}


def grade_on_prairielearn(question, image, submission_files, work, cold=False):
    """PrairieLearn's: tests/ copied to /grade/tests, the files to /grade/student, the entry point."""
    grade = _fresh(work / "grade")
    shutil.copytree(question / "tests", grade / "tests")
    submission_files(_fresh(grade / "student"))
    (grade / "results").mkdir()
    log, wall, peak, cpu = _run(image, trial.PRAIRIELEARN_OPTIONS, [(grade, "/grade")], prairielearn.ENTRYPOINT, cold)
    found = json.loads((grade / "results" / "results.json").read_text())
    assert prairielearn_problems(found) == [], prairielearn_problems(found)
    return found, log, {"wall_s": wall, "peak_mb": peak, "cpu_s": cpu}


def _fresh(folder):
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


# ---- the submissions ---------------------------------------------------------------------------------

def reference(dest):
    for path in exercise_files(SOLUTIONS_DIR):
        shutil.copy(path, dest / path.name)


def blank(dest):
    for path in exercise_files(EXERCISES_DIR):
        shutil.copy(path, dest / path.name)


def mistake(dest):
    write_mutant(MISTAKE, dest)


STEAL = '''

def _steal(module):
    for root in ("/autograder/source", "/grade/tests"):
        try:
            with open(f"{root}/solutions/{module}.py") as handle:
                namespace = {"__name__": module}
                exec(compile(handle.read(), module, "exec"), namespace)
                return namespace
        except OSError:
            continue
    return {}


globals().update({k: v for k, v in _steal(__name__).items() if not k.startswith("__")})
'''


def kit_reader(dest):
    """The blank stubs, each taking the reference's functions from the kit at import time."""
    for path in exercise_files(EXERCISES_DIR):
        (dest / path.name).write_text(path.read_text() + STEAL)


PROBE = '''
import socket as _socket


def _probe(host, port):
    for kind in (_socket.SOCK_STREAM, _socket.SOCK_DGRAM):  # the listener has a port of each kind
        try:
            with _socket.socket(_socket.AF_INET, kind) as s:
                s.settimeout(2)
                s.connect((host, port))
                s.sendall(b"nngrade-probe")
        except OSError:
            pass
'''


def network_probe(host, tcp_port, udp_port):
    """The reference, whose ex03 sends to the host over TCP and UDP when the sandbox imports it."""
    def write(dest):
        reference(dest)
        module = dest / "ex03_activations.py"
        module.write_text(module.read_text() + PROBE + f"\n_probe({host!r}, {tcp_port})\n_probe({host!r}, {udp_port})\n")
    return write


class Listener:
    """A TCP and a UDP socket on the host's bridge address; `heard()` says what reached them."""

    def __init__(self, host):
        self.tcp = socket.create_server((host, 0))
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((host, 0))
        self.tcp.setblocking(False)
        self.udp.setblocking(False)
        self.tcp_port, self.udp_port = self.tcp.getsockname()[1], self.udp.getsockname()[1]

    def heard(self):
        heard = []
        for sock, kind in ((self.tcp, "tcp"), (self.udp, "udp")):
            try:
                heard.append((kind, sock.accept()[1] if kind == "tcp" else sock.recvfrom(100)))
            except BlockingIOError:
                pass
        return heard

    def close(self):
        self.tcp.close()
        self.udp.close()


def _lost(results, log, score_key, max_key):
    """What the staff would read: the details line and each check that lost points, with why."""
    lost = [f"{t['name']}: {t.get('message') or ''} {(t.get('output') or '')[:400]}"
            for t in results.get("tests", []) if t[score_key] < t[max_key]]
    return log + "\n" + "\n".join(lost)


def _isolation(log):
    line = next(line for line in log.splitlines() if "isolation: " in line)
    return set(line.split("isolation: ", 1)[1].split(", "))


def _losing(tests, score_key, max_key):
    totals = {}
    for test in tests:
        function = test["name"].split(":")[0]
        got, most = totals.get(function, (0.0, 0.0))
        totals[function] = (got + test[score_key], most + test[max_key])
    return {f for f, (got, most) in totals.items() if got < most}


def read_ahead_file(path="/var/lib/docker"):
    """The read_ahead_kb file of the disk holding `path` (where the images' files are), or None."""
    device = os.stat(path if os.path.exists(path) else "/").st_dev
    block = Path(f"/sys/dev/block/{os.major(device)}:{os.minor(device)}")
    for queue in (block / "queue", block / ".." / "queue"):
        if (queue / "read_ahead_kb").is_file():
            return queue / "read_ahead_kb"
    return None


@contextlib.contextmanager
def read_ahead(kb):
    """The disk's read-ahead set to `kb` meanwhile (restored after), where it can be set."""
    path = read_ahead_file()
    before = path.read_text().strip() if path else None
    try:
        if path and before != str(kb):
            path.write_text(f"{kb}\n")
        yield int(path.read_text()) if path else None
    finally:
        if path and before != str(kb):
            path.write_text(f"{before}\n")


def cold_runs(grade, figures):
    """The reference from a cold page cache, with the kernel's default read-ahead (the goal: within
    600 MB and 10 s of CPU) and with the disk's own; returns the results of the first."""
    with read_ahead(DEFAULT_READ_AHEAD_KB) as kb:
        results, log, cold = grade(cold=True)
    figures[f"reference, cold (read-ahead {kb} kB)"] = cold
    path = read_ahead_file()
    own = int(path.read_text()) if path else None
    if own is not None and own != kb:
        figures[f"reference, cold (read-ahead {own} kB, this disk's)"] = grade(cold=True)[2]
    assert kb == DEFAULT_READ_AHEAD_KB, f"cannot set {path} (needs root): the cold figure would not be comparable"
    assert cold["peak_mb"] <= MAX_PEAK_MB and cold["cpu_s"] <= MAX_CPU_S, cold
    return results, log


def _report(platform, figures):
    lines = [f"{platform}: {name}: wall {f['wall_s']:.1f} s, CPU {f['cpu_s']:.1f} s, peak {f['peak_mb']:.0f} MB"
             for name, f in figures.items()]
    print("\n" + "\n".join(lines))


# ---- the tests -------------------------------------------------------------------------------------

@pytest.fixture
def work():
    """Outside /tmp: the sandbox gives the child a private /tmp (and Docker needs a real path)."""
    folder = Path(tempfile.mkdtemp(prefix="nngrade-containers-", dir="/srv" if os.access("/srv", os.W_OK) else None))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_gradescope_image_grades_in_a_default_container(gradescope_image, work, capsys):
    figures = {}
    results, log = cold_runs(partial(grade_on_gradescope, gradescope_image, reference, work), figures)
    assert results["score"] == MAX_SCORE, _lost(results, log, "score", "max_score")
    assert ALLOW_LIST <= set(results["extra_data"]["isolation"]), results["extra_data"]["isolation"]
    assert "class context: cached" in log  # setup.sh's cache, made by the image's own Python
    results, log, figures["reference, warm"] = grade_on_gradescope(gradescope_image, reference, work)
    assert results["score"] == MAX_SCORE, _lost(results, log, "score", "max_score")

    results, log, figures["blank stubs"] = grade_on_gradescope(gradescope_image, blank, work)
    assert results["score"] == 0 and results["extra_data"]["outcome"] == "graded", log

    results, log, figures["one mistake"] = grade_on_gradescope(gradescope_image, mistake, work)
    assert _losing(results["tests"], "score", "max_score") == set(MISTAKE.loses_points), log
    assert 0 < results["score"] < MAX_SCORE

    results, log, _ = grade_on_gradescope(gradescope_image, kit_reader, work)
    assert results["score"] == 0 and results["extra_data"]["outcome"] == "graded", log

    host = bridge_address()
    listener = Listener(host)
    try:
        # Not a vacuous probe: from the container itself, outside the sandbox, it does reach the host.
        docker("run", "--rm", *trial.GRADESCOPE_OPTIONS, gradescope_image, "/opt/nngrade/bin/python", "-c",
               PROBE + f"_probe({host!r}, {listener.tcp_port}); _probe({host!r}, {listener.udp_port})")
        time.sleep(0.5)
        assert {kind for kind, _ in listener.heard()} == {"tcp", "udp"}
        results, log, _ = grade_on_gradescope(gradescope_image, network_probe(host, listener.tcp_port, listener.udp_port), work)
        time.sleep(0.5)
        assert listener.heard() == [] and results["extra_data"]["outcome"] == "graded", log
    finally:
        listener.close()

    with capsys.disabled():
        _report("Gradescope (768 MB, 0.5 CPU)", figures)


def test_prairielearn_image_grades_in_a_grader_host_container(prairielearn_question, work, capsys):
    question, image = prairielearn_question
    figures = {}
    results, log = cold_runs(partial(grade_on_prairielearn, question, image, reference, work), figures)
    assert results["gradable"] and results["score"] == 1.0, _lost(results, log, "points", "max_points")
    assert ALLOW_LIST <= _isolation(log), log
    assert "class context: cached" in log  # made where the question was built, current in the image
    results, log, figures["reference, warm"] = grade_on_prairielearn(question, image, reference, work)
    assert results["score"] == 1.0, _lost(results, log, "points", "max_points")

    results, log, figures["blank stubs"] = grade_on_prairielearn(question, image, blank, work)
    assert results["gradable"] and results["score"] == 0, log

    results, log, figures["one mistake"] = grade_on_prairielearn(question, image, mistake, work)
    assert _losing(results["tests"], "points", "max_points") == set(MISTAKE.loses_points), log
    assert 0 < results["score"] < 1

    results, log, _ = grade_on_prairielearn(question, image, kit_reader, work)
    assert results["gradable"] and results["score"] == 0, log

    host = bridge_address()
    listener = Listener(host)
    try:
        results, log, _ = grade_on_prairielearn(question, image, network_probe(host, listener.tcp_port, listener.udp_port), work)
        time.sleep(0.5)
        assert listener.heard() == [] and results["gradable"], log
    finally:
        listener.close()

    with capsys.disabled():
        _report("PrairieLearn (768 MB, 0.5 CPU, no network)", figures)
