"""Untrusted submissions stay untrusted: every threat is a real attacking submission, graded.

An attack submission is a copy of the reference modules (solutions/) with ONE function replaced
by the attack (tests/attacks/<name>.py), or with attack code at module level; a successful attack
would show up as points for that function, as a leak in the output, or as harm to the grader or
to the honest students graded in the same batch. Everything in the main class is graded in ONE
batch (jobs=2) under a rubric with short time limits; two more batches cover what needs one lane
in a known order (memory left behind by earlier students, a desynchronised relay, runners killed
from outside) and a grader killed with SIGKILL and resumed from the command line.

Each of these runs in the sandbox's three modes (tests/helpers/grader_modes.py): as root (in this
process), and from the command line as root without CAP_SYS_ADMIN and as an ordinary user. In the
last two the attacks are spliced into the blank stubs rather than the reference, so that the whole
submission must score no more than the stubs and the batch costs seconds, not minutes (what an
attack costs the functions it does not touch is the judge's business, checked once, as root).

The strongest layers need root on Linux (namespaces, a per-lane uid); tests that depend on them
are skipped only where those are genuinely unavailable.
"""
import contextlib
import io
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import grader_modes as modes
from grader import PROJECT_ROOT, SOLUTIONS_DIR, exercise_files
from grader.batch import grade_folder
from helpers.contexts import build_context
from grader.outputs.reports import read_student
from grader.sandbox.client import UIDS_VARIABLE
from grader.outputs.spreadsheet import as_text
from grader.rubric import load_checked_rubric

ATTACKS_DIR = Path(__file__).parent.parent / "attacks"
EXERCISES_DIR = PROJECT_ROOT / "exercises"
IS_ROOT_LINUX = modes.IS_ROOT_LINUX
SHORT = 3  # seconds: the time limit of every function but the training loops in the test rubric
TRAINING = ("ex01_perceptron.train_perceptron", "ex06_sgd.train_mlp", "ex07_torch.train_linear", "ex07_torch.train_xor")
MAIN_BATCH_BUDGET_S = 240  # generous: ~70 submissions, a dozen of them burn a full time limit or two
needs_root = pytest.mark.skipif(not IS_ROOT_LINUX, reason="needs root on Linux (namespaces, a sandbox uid)")


# ---- building submissions ----------------------------------------------------------------------

def read_modules(folder):
    return {p.stem: p.read_text() for p in exercise_files(folder)}


REFERENCE = read_modules(SOLUTIONS_DIR)
STUBS = read_modules(EXERCISES_DIR)


def splice(module_text, name, replacement):
    """module_text with the top-level def/class `name` (decorators included) replaced."""
    import ast

    for node in ast.parse(module_text).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            lines = module_text.splitlines(keepends=True)
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            return "".join(lines[:start]) + replacement.rstrip() + "\n" + "".join(lines[node.end_lineno:])
    raise KeyError(f"{name} is not defined at top level")


def attack_text(file, values):
    """The attack's source with its placeholders (__NAME__, upper case) replaced by literals."""
    text = re.sub(r"\b__([A-Z][A-Z_]*[A-Z])__\b", lambda m: repr(values[m.group(1)]) if m.group(1) in values else m.group(0),
                  (ATTACKS_DIR / file).read_text())
    leftover = re.findall(r"\b__[A-Z][A-Z_]*[A-Z]__\b", text)
    assert not leftover, f"{file}: no value for {leftover}"
    return text


def write_folder(folder, files):
    """files: {relative name: str | bytes | ("symlink", target) | ("hardlink", target) | ("dir",)}."""
    folder.mkdir(parents=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, tuple) and content[0] == "symlink":
            path.symlink_to(content[1])
        elif isinstance(content, tuple) and content[0] == "hardlink":
            os.link(content[1], path)
        elif isinstance(content, tuple) and content[0] == "dir":
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def as_files(modules):
    return {f"{m}.py": text for m, text in modules.items()}


# A derivative's finite-difference check differentiates the submission's own forward function:
# an attack on the forward function legitimately costs the derivative that check too.
FD_DEPENDENTS = {f"ex03_activations.{f}": (f"ex03_activations.{f}_derivative",) for f in ("sigmoid", "tanh", "relu", "leaky_relu", "elu")}


@dataclass
class Attack:
    name: str  # the student folder
    file: str  # tests/attacks/<file>.py
    target: str  # "module.function" (replaced) or "module" (the attack is appended at module level)
    zero: tuple = None  # functions that must score no more than the blank stubs (default: the target's)
    exempt: tuple = ()  # functions the attack may legitimately break besides `zero`
    message: str = None  # regex every check message of the zeroed functions matches
    report: bool = False  # the attack raises "ATTACK-REPORT [...]": the list must be empty
    root_only: bool = False  # meaningful only with the root layers (e.g. other uids' processes)

    def sources(self, values, base=REFERENCE):
        modules = dict(base)
        code = attack_text(f"{self.file}.py", {**values, "STUDENT": self.name})
        if "." in self.target:
            module, function = self.target.split(".")
            modules[module] = splice(modules[module], function, code)
        else:
            modules[self.target] += "\n" + code
        return modules

    def zeroed(self, functions):
        if self.zero is not None:
            return list(self.zero)
        if "." in self.target:
            return [self.target]
        return [f for f in functions if f.startswith(self.target + ".")]


ATTACKS = [
    # -- tampering in-process
    Attack("atk_patch_numpy", "patch_numpy", "ex07_torch.train_xor"),
    Attack("atk_patch_builtins", "patch_builtins", "ex07_torch.train_xor"),
    Attack("atk_patch_grader", "patch_grader", "ex03_activations.tanh"),
    Attack("atk_patch_hypothesis", "patch_hypothesis", "ex03_activations.relu"),
    Attack("atk_eq_object", "eq_object", "ex03_activations.relu_derivative"),
    Attack("atk_ndarray_subclass", "ndarray_subclass", "ex03_activations.leaky_relu"),
    Attack("atk_frame_walk", "frame_walk", "ex03_activations.leaky_relu_derivative"),
    Attack("atk_mutate_inputs", "mutate_inputs", "ex03_activations.elu", message="modified its input"),
    # -- escaping the protocol
    Attack("atk_os_exit", "os_exit", "ex03_activations.tanh_derivative", message=r"ended during .*exited with code 0"),
    Attack("atk_sys_exit", "sys_exit", "ex03_activations.relu", message="SystemExit"),
    Attack("atk_base_exception", "base_exception", "ex03_activations.elu_derivative", message="_Escape"),
    Attack("atk_module_exit", "module_exit", "ex03_activations", message=r"ended while importing ex03_activations\.py"),
    Attack("atk_print_frames", "print_frames", "ex03_activations.maxout"),
    Attack("atk_socket_garbage", "socket_garbage", "ex07_torch.train_xor"),
    Attack("atk_forge_list", "forge_list", "ex03_activations.relu_derivative"),
    Attack("atk_forge_deep", "forge_deep", "ex03_activations.leaky_relu_derivative"),
    Attack("atk_forge_overflow", "forge_overflow", "ex03_activations.elu_derivative"),
    Attack("atk_forge_pickle", "forge_pickle", "ex03_activations.maxout"),
    Attack("atk_forge_huge_shape", "forge_huge_shape", "ex03_activations.tanh"),
    Attack("atk_forge_huge_size", "forge_huge_size", "ex03_activations.tanh_derivative"),
    Attack("atk_forge_bad_outcome", "forge_bad_outcome", "ex03_activations.relu"),
    Attack("atk_forge_bogus_event", "forge_bogus_event", "ex03_activations.leaky_relu"),
    Attack("atk_forge_ready", "forge_ready", "ex01_perceptron"),
    Attack("atk_surrogate_text", "surrogate_text", "ex03_activations.maxout"),
    Attack("atk_write_results", "write_results", "ex03_activations.tanh", report=True),
    Attack("atk_huge_return", "huge_return", "ex03_activations.relu_derivative"),
    Attack("atk_big_header", "big_header", "ex03_activations.leaky_relu_derivative"),
    # -- reading what it must not
    Attack("atk_read_solutions", "read_solutions", "ex04_mlp_forward.xor_params", report=True),
    Attack("atk_read_project_tree", "read_project_tree", "ex04_mlp_forward.xor_params", report=True),
    Attack("atk_read_processes", "read_processes", "ex04_mlp_forward.xor_params", report=True),
    Attack("atk_read_env", "read_env", "ex03_activations.tanh_derivative", report=True),
    Attack("atk_read_others", "read_others", "ex03_activations.relu", report=True),
    Attack("atk_read_grader", "read_grader", "ex03_activations.leaky_relu", report=True),
    Attack("atk_userns_escape", "userns_escape", "ex04_mlp_forward.xor_params", report=True),
    Attack("atk_planted_solutions", "planted_solutions", "ex04_mlp_forward.xor_params", report=True),
    Attack("atk_find_config", "find_config", "ex03_activations.sigmoid_derivative", report=True),
    Attack("atk_stat_hidden", "stat_hidden", "ex03_activations.relu_derivative", report=True, root_only=True),
    # -- changing what it must not
    Attack("atk_change_modes", "change_modes", "ex03_activations.sigmoid", report=True),
    # -- resources
    Attack("atk_infinite_loop", "infinite_loop", "ex01_perceptron.add_bias", message=rf"^timed out after {SHORT} s$"),
    Attack("atk_sleep_forever", "sleep_forever", "ex01_perceptron.perceptron_predict", message=rf"^timed out after {SHORT} s$"),
    Attack("atk_signal_handlers", "signal_handlers", "ex03_activations.tanh", message=rf"^timed out after {SHORT} s$"),
    Attack("atk_alloc_huge", "alloc_huge", "ex03_activations.elu", message=rf"MemoryError|^timed out after {SHORT} s$"),
    Attack("atk_fork_bomb", "fork_bomb", "ex03_activations.maxout", message=rf"^timed out after {SHORT} s$"),
    Attack("atk_fork_bomb_sessions", "fork_bomb_sessions", "ex01_perceptron.add_bias", message=rf"^timed out after {SHORT} s$"),
    Attack("atk_daemon", "daemon", "ex03_activations.relu_derivative"),
    Attack("atk_threads", "threads", "ex03_activations.leaky_relu"),
    Attack("atk_fill_disk", "fill_disk", "ex03_activations.elu_derivative", report=False),
    Attack("atk_flood_stdout", "flood_stdout", "ex01_perceptron.add_bias"),
    Attack("atk_segfault", "segfault", "ex01_perceptron.perceptron_predict", message="SIGSEGV"),
    Attack("atk_kill_grader", "kill_grader", "ex03_activations.tanh_derivative", report=True),
    Attack("atk_keyring", "keyring", "ex01_perceptron.add_bias", report=True),
    Attack("atk_memfd_memory", "memfd_memory", "ex03_activations.elu",
           message=r"ATTACK-REPORT \[\]|killed by signal SIGKILL|ended during|^timed out after"),  # the cgroup's OOM kill
    # -- network
    Attack("atk_network", "network", "ex01_perceptron.add_bias", report=True),
]


@dataclass
class Bad:
    """A badly formed submission: its problems are named, everything else is graded normally."""
    name: str
    files: object  # callable(values) -> {file: content}, or "symlink-folder"
    zero: tuple = ()  # modules or functions that score no more than the blank stubs
    exempt: tuple = ()
    message: str = None  # regex found in the zeroed checks' messages or in the problems
    full: bool = False  # the whole submission keeps full marks
    every_mode: bool = False  # a matter of the sandbox (graded in every mode), not only of reading files


def _modules_with(**changes):
    def build(values):
        files = as_files(REFERENCE)
        for module, change in changes.items():
            name = f"{module}.py"
            if change is None:
                del files[name]
            elif callable(change):
                del files[name]
                files.update(change(values, name, REFERENCE[module]))
            else:
                files[name] = change
        return files
    return build


def _without(text, *names):
    for name in names:
        text = splice(text, name, "")
    return text


def _notebook(values, name, text):
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": text.splitlines(True)}]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return {name.replace(".py", ".ipynb"): json.dumps(notebook)}


def _archive(values):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in as_files(REFERENCE).items():
            archive.writestr(f"submission/{name}", text)
    return {"submission.zip": buffer.getvalue()}


BAD = [
    Bad("bad_syntax", _modules_with(ex03_activations=lambda v, n, t: {n: t.replace("def relu(z):", "def relu(z)")}),
        zero=("ex03_activations",), message=r"ex03_activations\.py.*SyntaxError|SyntaxError.*ex03_activations\.py"),
    Bad("bad_import", _modules_with(ex02_gradient_descent=lambda v, n, t: {n: "import numpy_extras_nobody_has\n" + t}),
        zero=("ex02_gradient_descent",), message=r"ex02_gradient_descent\.py.*ModuleNotFoundError"),
    Bad("bad_import_sleeps", _modules_with(ex07_torch=lambda v, n, t: {n: t + "\nimport time\ntime.sleep(10**6)\n"}),
        zero=("ex07_torch",), message=r"importing ex07_torch\.py did not finish within \d+ s"),
    Bad("bad_missing_functions", _modules_with(ex03_activations=lambda v, n, t: {n: _without(t, "relu", "tanh")}),
        zero=("ex03_activations.relu", "ex03_activations.tanh"),
        exempt=("ex03_activations.relu_derivative", "ex03_activations.tanh_derivative"), message="relu|tanh"),
    Bad("bad_signature", _modules_with(ex03_activations=lambda v, n, t: {n: t.replace("def leaky_relu(z, alpha=0.1):", "def leaky_relu(z):")}),
        zero=("ex03_activations.leaky_relu",), exempt=("ex03_activations.leaky_relu_derivative",), message="alpha"),
    Bad("bad_not_utf8", _modules_with(ex01_perceptron=lambda v, n, t: {n: ("# caf\u00e9 au lait\n" + t).encode("latin-1")}),
        zero=("ex01_perceptron",), message=r"ex01_perceptron\.py is not UTF-8"),
    Bad("bad_huge_file", _modules_with(ex02_gradient_descent=lambda v, n, t: {n: t + ("#" + "x" * 99 + "\n") * 12_000}),
        zero=("ex02_gradient_descent",), message=r"ex02_gradient_descent\.py is \d+ bytes, over the"),
    Bad("bad_null_byte", _modules_with(ex02_gradient_descent=lambda v, n, t: {n: t + "# \0\n"}),
        zero=("ex02_gradient_descent",), message=r"ex02_gradient_descent\.py"),
    Bad("bad_symlink_absolute", _modules_with(ex03_activations=lambda v, n, t: {n: ("symlink", f"{v['SOLUTIONS']}/{n}")}),
        zero=("ex03_activations",), message=r"ex03_activations\.py is a symbolic link"),
    Bad("bad_symlink_relative", _modules_with(ex01_perceptron=lambda v, n, t: {n: ("symlink", os.path.relpath(f"{v['SOLUTIONS']}/{n}", f"{v['SUBS']}/bad_symlink_relative"))}),
        zero=("ex01_perceptron",), message=r"ex01_perceptron\.py is a symbolic link"),
    Bad("bad_symlink_folder", "symlink-folder", zero=("*",), message="symbolic link"),
    Bad("bad_hardlink", _modules_with(ex07_torch=lambda v, n, t: {n: ("hardlink", f"{v['PLANTED']}/{n}")}),
        zero=("ex07_torch",), message=r"ex07_torch\.py is a hard link", every_mode=True),
    Bad("bad_notebook", _modules_with(ex07_torch=_notebook), zero=("ex07_torch",),
        message=r"ex07_torch\.ipynb has none of the release's answer cells"),
    Bad("bad_archive", _archive, full=True),
    Bad("bad_empty", lambda v: {}, zero=("*",), message="empty"),
    Bad("bad_dir_not_file", _modules_with(ex06_sgd=lambda v, n, t: {n: ("dir",)}), zero=("ex06_sgd",),
        message=r"ex06_sgd\.py is not a regular file"),
    Bad("bad_bom_utf8", _modules_with(ex01_perceptron=lambda v, n, t: {n: "\ufeff" + t}), full=True),
    Bad("bad_crlf", lambda v: {n: t.replace("\n", "\r\n").encode() for n, t in as_files(REFERENCE).items()}, full=True),
    Bad("student with spaces", lambda v: as_files(REFERENCE), full=True),
    Bad("\u00fcn\u00efc\u00f8d\u00e9-\u540d\u524d", lambda v: as_files(REFERENCE), full=True),
    Bad("-leading-dash", lambda v: as_files(REFERENCE), full=True),
]
# Cannot be written as gradebook rows / are named like the kit's own files in the output.
SKIPPED_NAMES = [os.fsdecode(b"latin1-caf\xe9"), "grades.csv", "summary.json", "report.html"]


# ---- observing processes, files, the network ---------------------------------------------------

def lane_processes(uids=None, started_before=None):
    """(pid, comm) of every live process running as one of these sandbox uids; with started_before
    (seconds since boot, see uptime), only those started by then: a uid released at the end of a
    batch may be claimed at once by another grader on the machine (another test session)."""
    found, wanted = [], set(modes.lane_uids() if uids is None else uids) - {None}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
            uids = {int(u) for u in fields["Uid"].split()}
            if uids & set(wanted) and not fields["State"].strip().startswith(("Z", "X")):
                if started_before is None or _started_s(entry) <= started_before:
                    found.append((int(entry), fields["Name"].strip()))
        except (OSError, KeyError, ValueError, IndexError):
            continue
    return found


def uptime():
    with open("/proc/uptime") as handle:
        return float(handle.read().split()[0])


def _started_s(pid):
    """When the process started, in seconds since boot."""
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")


def descendants(root=None):
    """Live descendants of this process (runners, their children, anything they left behind)."""
    root = root or os.getpid()
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                if fields[0] not in "ZX":
                    children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    found, stack = [], [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def files_of_lane_uids(*roots, since=0.0, uids=None, skip=()):
    """Files and folders owned by a sandbox uid (changed after `since`) under these roots, but for
    those under `skip` (what the grader itself writes, in the mode where its uid is the children's)."""
    found, uids = [], set(modes.lane_uids() if uids is None else uids)
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: None):
            if dirpath.startswith("/proc"):
                continue
            dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in skip]
            for name in dirnames + filenames:
                path = os.path.join(dirpath, name)
                try:
                    info = os.lstat(path)
                    if info.st_uid in uids and info.st_mtime >= since:
                        found.append(path)
                except OSError:
                    pass
    return found


class Listeners:
    """TCP and UDP on every local address, an abstract and a path unix socket: records anything that
    reaches them."""

    def __init__(self, workdir):
        self.received = []
        self.sockets = []
        self.tcp = self._bind(socket.AF_INET, socket.SOCK_STREAM, ("0.0.0.0", 0))
        self.tcp_port = self.tcp.getsockname()[1]
        self.udp = self._bind(socket.AF_INET, socket.SOCK_DGRAM, ("0.0.0.0", 0))
        self.udp_port = self.udp.getsockname()[1]
        try:
            self._bind(socket.AF_INET6, socket.SOCK_STREAM, ("::1", self.tcp_port))
        except OSError:
            pass
        name = f"nngrade-attack-{os.getpid()}-{os.urandom(4).hex()}"  # one per batch: several may be listening
        self.abstract = name
        self._bind(socket.AF_UNIX, socket.SOCK_STREAM, "\0" + self.abstract)
        run = Path("/run") if os.access("/run", os.W_OK) else Path(workdir)
        self.unix_path = str(run / f"{name}.sock")
        self._bind(socket.AF_UNIX, socket.SOCK_STREAM, self.unix_path)
        os.chmod(self.unix_path, 0o777)
        self.host_ip = self._host_ip()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _bind(self, family, kind, address):
        s = socket.socket(family, kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(address)
        if kind == socket.SOCK_STREAM:
            s.listen(16)
        s.setblocking(False)
        self.sockets.append(s)
        return s

    @staticmethod
    def _host_ip():
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing address
                return s.getsockname()[0]
        except OSError:
            return "127.0.0.1"

    def _serve(self):
        import select

        while not self.stop.is_set():
            ready, _, _ = select.select(self.sockets, [], [], 0.1)
            for s in ready:
                try:
                    if s.type == socket.SOCK_STREAM:
                        conn, peer = s.accept()
                        conn.settimeout(1)
                        self.received.append(("connection", str(peer), conn.recv(100)))
                        conn.close()
                    else:
                        self.received.append(("datagram",) + s.recvfrom(100)[::-1])
                except OSError:
                    pass

    def close(self):
        self.stop.set()
        self.thread.join()
        for s in self.sockets:
            s.close()
        Path(self.unix_path).unlink(missing_ok=True)


def workspace():
    """A folder outside /tmp (the sandbox replaces /tmp anyway, which would hide a missing
    protection), readable by everyone: only the sandbox's own hiding may keep students out."""
    base = Path("/var/lib") if IS_ROOT_LINUX else Path(tempfile.gettempdir())
    path = Path(tempfile.mkdtemp(prefix="nngrade-attacks-", dir=base))
    path.chmod(0o755)
    return path


@contextlib.contextmanager
def planted_solutions():
    """A copy of solutions/ left world-readable elsewhere on the machine, as last term's course
    checkout under /srv (under the temporary folder without root): the path of its solutions/."""
    base = Path("/srv") if os.access("/srv", os.W_OK) else Path(tempfile.gettempdir())
    root = Path(tempfile.mkdtemp(prefix="nn-course-lastterm-", dir=base))
    try:
        shutil.copytree(SOLUTIONS_DIR, root / "solutions", ignore=shutil.ignore_patterns("__pycache__"))
        for path in (root, *root.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        yield root / "solutions"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_rubric_file(folder):
    """The bundled rubric with short time limits: 3 s per function, 15 s for the training loops,
    3 s for the plot probes of a student (an attack that loops in them costs that, not 10 s)."""
    text = (PROJECT_ROOT / "grader" / "rubric.toml").read_text()
    timeouts = "[timeouts]\ndefault = %d\n%s\n" % (SHORT, "".join(f'"{f}" = 15\n' for f in TRAINING))
    text = re.sub(r"\[timeouts\]\n(?:.*\n)*?\n(?=\[)", timeouts + "\n", text, count=1)
    assert "\n[limits]\n" in text and "\nplots =" not in text
    text = text.replace("\n[limits]\n", f"\n[limits]\nplots = {SHORT}\n", 1)
    path = folder / "rubric.toml"
    path.write_text(text)
    return path


test_rubric_file.__test__ = False


# ---- the graded class ------------------------------------------------------------------------

@dataclass
class Graded:
    mode: str
    out: Path
    subs: Path
    records: dict
    functions: list
    seconds: float
    stderr: str
    values: dict
    listeners: object
    honest: list  # the students who must keep full marks
    on_reference: bool  # the attacks replace a function of the reference (else of the blank stubs)
    lane_left: list  # processes of the children's uids (or of the grader's tree) left after the batch
    free_disk_drop_mb: float
    keys_gained: dict = field(default_factory=dict)  # uid -> kernel keys it owns now and did not before
    metadata_changed: list = field(default_factory=list)  # files of the class and the kit whose mode or times changed
    output_open: list = field(default_factory=list)  # files and folders in the output others could write
    stray_files: list = field(default_factory=list)
    scratch_left: list = field(default_factory=list)
    descendants_left: list = field(default_factory=list)  # in this process only
    baseline_descendants: int = 0
    judge_rss_growth_mb: float = None  # in this process only


def _cpu_s():
    """CPU seconds of this process and of its children that have ended (the runners)."""
    import resource

    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


def _maxrss_mb():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture(scope="module", autouse=True)
def sandbox_uids():
    """The sandbox uids this module's batches use. The upper half of this session's range keeps
    these attacks (some of which kill everything their uid may signal) away from other graders
    that may be running on the same machine, e.g. another test session."""
    import grader.sandbox.client as client

    every, used = modes.lane_uids(), set()
    real_config = client.SandboxClient.config

    def spy(self, *args, **kwargs):
        config = real_config(self, *args, **kwargs)
        used.add(config.get("uid"))
        return config

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(UIDS_VARIABLE, f"{every[len(every) // 2]}-{every[-1]}")
        patch.setattr(client.SandboxClient, "config", spy)
        yield used


@pytest.fixture(scope="session")
def attack_ctx(tmp_path_factory):
    return build_context(load_checked_rubric(test_rubric_file(tmp_path_factory.mktemp("rubric"))))


STRAY_ROOTS = ("/tmp", "/var/tmp", "/dev/shm", "/run", "/var/lock", "/var/crash")
SECRET_NAME = "NNGRADE_TEST_SECRET"


def _write_class(subs, values, mode):
    """The main class of a mode; returns the students who must keep full marks. As root (in this
    process): honest students, the blank stubs, every attack on the reference, every bad submission.
    In the other modes: the attacks on the blank stubs and the bad submissions that are a matter
    of the sandbox."""
    in_process = mode == modes.ROOT
    honest = ["honest_reference", "honest_marked", "atk_fork_bomb_sessions_neighbour"]
    write_folder(subs / "honest_reference", as_files(REFERENCE))
    # Next in the queue after the fork bomb: most likely graded in the other lane while it runs.
    write_folder(subs / "atk_fork_bomb_sessions_neighbour", as_files(REFERENCE))
    write_folder(subs / "honest_marked", {n: f"# {values['MARKER']}\n" + t for n, t in as_files(REFERENCE).items()})
    write_folder(subs / "blank_stubs", as_files(STUBS))
    for attack in ATTACKS:
        if not (attack.root_only and mode == modes.USER_MODE):
            write_folder(subs / attack.name, as_files(attack.sources(values, REFERENCE if in_process else STUBS)))
    for bad in BAD:
        if not (in_process or bad.every_mode):
            continue
        if bad.files == "symlink-folder":
            (subs / bad.name).symlink_to(SOLUTIONS_DIR)
        else:
            write_folder(subs / bad.name, bad.files(values))
        honest += [bad.name] if bad.full else []
    if in_process:
        for name in SKIPPED_NAMES:
            write_folder(subs / name, as_files(REFERENCE))
    return honest


def _grade_in_process(graded, attack_ctx, uids):
    """The class graded by grade_folder in this process (as whoever runs the tests)."""
    baseline = len(descendants())
    rss_before, cpu_before = _maxrss_mb(), _cpu_s()
    os.environ[SECRET_NAME] = graded.values["SECRET"]
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr):
            grade_folder(graded.subs, graded.out, jobs=2, progress=False, ctx=attack_ctx)
    finally:
        os.environ.pop(SECRET_NAME, None)
    print(f"{graded.mode}: the grader's CPU {_cpu_s() - cpu_before:.1f} s")
    ended = uptime()
    wait_until(lambda: not lane_processes(uids, ended) and len(descendants()) <= baseline, 10)
    graded.stderr, graded.lane_left = stderr.getvalue(), lane_processes(uids, ended)
    graded.descendants_left, graded.baseline_descendants = descendants(), baseline
    graded.judge_rss_growth_mb = _maxrss_mb() - rss_before


def _grade_from_command_line(graded, work):
    """The class graded by `nngrade grade` in the mode, supervised for what outlives it."""
    report, stdout, graded.stderr = modes.grade(graded.mode, work, graded.subs, graded.out, test_rubric_file(work),
                                                env={SECRET_NAME: graded.values["SECRET"]})
    assert report["returncode"] == 0, graded.stderr[-3000:]
    print(f"{graded.mode}: the grader's CPU {report['cpu_s']:.1f} s")
    own_uid = graded.mode == modes.USER_MODE  # the children's uid is the grader's: nothing of it may be left
    graded.lane_left = report["left"] + (lane_processes(modes.sandbox_uids(graded.mode), uptime()) if own_uid else [])


@pytest.fixture(scope="module")
def root_batch(attack_ctx, sandbox_uids):
    """The main class graded as root, in this process (as whoever runs the tests, without root)."""
    yield from _graded_class(modes.ROOT, attack_ctx, sandbox_uids)


@pytest.fixture(scope="module", params=modes.mode_params(*modes.MODES))
def graded(request, attack_ctx, sandbox_uids):
    """The main class in ONE batch (jobs=2) per mode."""
    if request.param == modes.ROOT:
        yield request.getfixturevalue("root_batch")
        return
    modes.prefix(request.param)  # skips where the mode cannot be entered
    yield from _graded_class(request.param, attack_ctx, modes.sandbox_uids(request.param))


def _graded_class(mode, attack_ctx, uids):
    in_process = mode == modes.ROOT
    work = workspace()
    subs, out = work / "submissions", work / "out"
    subs.mkdir()
    kit = modes.kit_for(mode, work)
    listeners = Listeners(work)
    planted = planted_solutions()
    values = {"SOLUTIONS": str(kit / "solutions"), "PROJECT": str(kit), "SUBS": str(subs), "OUT": str(out),
              "JUDGE_PID": os.getpid(), "SECRET_NAME": SECRET_NAME, "MARKER": f"OTHER-STUDENT-MARKER-{os.urandom(6).hex()}",
              "TCP_PORT": listeners.tcp_port, "UDP_PORT": listeners.udp_port, "ABSTRACT": listeners.abstract,
              "UNIX_PATH": listeners.unix_path, "HOST_IP": listeners.host_ip, "CANARY": str(work / "pickle-canary"),
              "SECRET": f"s3cret-{os.urandom(8).hex()}", "PLANTED": str(planted.__enter__()),
              "SUBS_HEX": str(subs).encode().hex(), "OUT_HEX": str(out).encode().hex()}
    try:
        honest = _write_class(subs, values, mode)
        modes.readable_by_all(work)
        watched = (subs, *(kit / name for name in ("grader", "solutions", "exercises")))
        metadata_before = _metadata(*watched)
        scratch_before = set(Path(tempfile.gettempdir()).glob("nngrade-scratch-*"))
        free_before, keys_before = shutil.disk_usage("/").free, modes.key_counts(uids)
        started, wall_started = time.monotonic(), time.time() - 1
        graded = Graded(mode, out, subs, {}, list(attack_ctx.functions), 0.0, "", values, listeners, honest, in_process, [], 0.0)
        if in_process:
            _grade_in_process(graded, attack_ctx, uids)
        else:
            _grade_from_command_line(graded, work)
        graded.seconds = time.monotonic() - started
        graded.records = {name: read_student(out, name) for name in os.listdir(out) if (out / name).is_dir()}
        slowest = sorted((r["execution_time"], n) for n, r in graded.records.items())[-8:]
        print(f"main attack batch ({mode}): {len(os.listdir(subs))} students in {graded.seconds:.1f} s; slowest {slowest}")
        graded.free_disk_drop_mb = (free_before - shutil.disk_usage("/").free) / 2**20
        graded.keys_gained = {u: n for u, n in modes.key_counts(uids).items() if n > keys_before.get(u, 0)}
        graded.stray_files = files_of_lane_uids(*STRAY_ROOTS, str(PROJECT_ROOT), str(work), since=wall_started, uids=uids,
                                                skip=(str(out), str(work / "home")))
        graded.metadata_changed = _changed(metadata_before, _metadata(*watched))
        graded.output_open = [str(p) for p in (out, *out.rglob("*")) if p.lstat().st_mode & 0o022]
        graded.scratch_left = sorted(path for path in set(Path(tempfile.gettempdir()).glob("nngrade-scratch-*")) - scratch_before
                                     if _ours(path, uids))
        yield graded
    finally:
        listeners.close()
        planted.__exit__(None, None, None)
        if mode != modes.USER_MODE:  # never leave an attack running, whatever the outcome
            for pid, _ in lane_processes(uids):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            for path in files_of_lane_uids(*STRAY_ROOTS, str(PROJECT_ROOT), uids=uids):
                with contextlib.suppress(OSError):  # nor its litter (there is none unless a test above failed)
                    os.unlink(path)
        shutil.rmtree(work, ignore_errors=True)


def _ours(scratch, uids):
    """A scratch root of this batch's fork servers: its own or its folders' owner is one of our sandbox
    uids (another grader on the machine, e.g. a parallel test worker's, has uids of its own)."""
    def owner(path):
        try:
            return path.lstat().st_uid
        except OSError:
            return None

    try:
        inside = list(scratch.iterdir())
    except OSError:
        inside = []
    return any(owner(path) in uids for path in (scratch, *inside))


def _metadata(*roots):
    """{path: (mode, owner, modification time)} of the folders and files under the roots."""
    found = {}
    for root in roots:
        for path in (root, *root.rglob("*")):
            if "__pycache__" not in path.parts:
                info = path.lstat()
                found[path] = (info.st_mode, info.st_uid, info.st_gid, info.st_mtime_ns)
    return found


def _changed(before, after):
    return [f"{path}: {before[path]} -> {after.get(path)}" for path in before
            if after.get(path) != before[path] and not path.is_dir()] + [
            f"{path}: mode {before[path][0]:o} -> {after[path][0]:o}" for path in before
            if path.is_dir() and path in after and after[path][:3] != before[path][:3]]


def score(record, function):
    return next(f["score"] for f in record["functions"] if f["function"] == function)


def messages(record, function):
    return [c.get("message", "") for f in record["functions"] if f["function"] == function for c in f["checks"] if not c["passed"]]


def report_of(record, function):
    """The ATTACK-REPORT list an attack raised (None if it did not raise one)."""
    for text in messages(record, function):
        match = re.search(r"ATTACK-REPORT (\[.*?\])(?: \(|$)", text)
        if match:
            try:
                return json.loads(match.group(1))
            except ValueError:
                return [f"unreadable report: {match.group(1)[:200]}"]
    return None


def matches(selector, function):
    return selector == "*" or function == selector or function.startswith(selector + ".")


# ---- the main class: every attack, in every mode ------------------------------------------------

def test_honest_submissions_keep_full_marks(graded, attack_ctx):
    for name in graded.honest:
        record = graded.records.get(name)
        assert record is not None, f"{name} was not graded"
        lost = {f["function"]: messages(record, f["function"]) for f in record["functions"] if f["score"] < f["max_score"]}
        assert record["score"] == attack_ctx.rubric.max_score, f"{name} lost points: {lost}"


def test_blank_stubs_score_nothing(graded):
    assert graded.records["blank_stubs"]["score"] == 0


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_attack_gains_nothing_and_costs_only_its_target(graded, attack):
    if attack.root_only and (not IS_ROOT_LINUX or graded.mode == modes.USER_MODE):
        pytest.skip("other uids' processes are only out of reach with the root layers")
    record = graded.records.get(attack.name)
    assert record is not None, f"{attack.name} was not graded"
    assert "(grader)" not in record["problems"], f"the grader failed on it: {record['problems']}"
    blank = graded.records["blank_stubs"]
    zeroed = attack.zeroed(graded.functions)
    for function in zeroed:
        assert score(record, function) <= score(blank, function), (
            f"{function} scored {score(record, function)}: {messages(record, function)}")
        if attack.message:
            for text in messages(record, function):
                assert re.search(attack.message, text), f"{function}: {text!r} !~ {attack.message!r}"
        if attack.report:
            report = report_of(record, function)
            assert report == [], f"{function}: the attack got through: {report} ({messages(record, function)[:1]})"
    if not graded.on_reference:  # spliced into the stubs: nothing anywhere may score more than they do
        gained = {f["function"]: f["score"] for f in record["functions"] if f["score"] > score(blank, f["function"])}
        assert not gained, f"the attack scored: {gained}"
        return
    kept = {f["function"]: (f["score"], f["max_score"], messages(record, f["function"])[:1])
            for f in record["functions"] if f["function"] not in zeroed
            and f["function"] not in (*attack.exempt, *FD_DEPENDENTS.get(attack.target, ()))}
    lost = {k: v for k, v in kept.items() if v[0] < v[1]}
    assert not lost, f"functions the attack does not touch lost points: {lost}"


def test_plot_probes_that_never_end_cost_the_plots_only(graded):
    """atk_signal_handlers' tanh loops forever on any input, the plot probes' too: after the rubric's
    [limits] plots (3 s here) its page says so instead of plotting; its grade is the other tests'."""
    page = (graded.out / "atk_signal_handlers" / "feedback.html").read_text(encoding="utf-8")
    assert re.search(r"no plots: your code took too long on the plots(&#x27;|')? inputs", page), page[:2000]


def check_bad(batch, rubric, bad):
    record = batch.records.get(bad.name)
    assert record is not None, f"{bad.name} was not graded"
    if bad.full:
        assert record["score"] == rubric.max_score, {f["function"]: messages(record, f["function"])[:1]
                                                     for f in record["functions"] if f["score"] < f["max_score"]}
        return
    zeroed = [f for f in batch.functions if any(matches(s, f) for s in bad.zero)]
    assert zeroed
    texts = [*record["problems"].values()]
    for function in zeroed:
        assert score(record, function) == 0, f"{function}: {messages(record, function)}"
        texts += messages(record, function)
    if bad.message:
        assert any(re.search(bad.message, t) for t in texts), f"no message matching {bad.message!r} in {texts[:3]}"
    lost = {f["function"]: messages(record, f["function"])[:1] for f in record["functions"]
            if f["function"] not in zeroed and f["function"] not in bad.exempt and f["score"] < f["max_score"]}
    assert not lost, f"functions that are fine lost points: {lost}"


@pytest.mark.parametrize("bad", BAD, ids=lambda b: b.name)
def test_bad_submission_gets_a_clear_message_and_others_are_graded(root_batch, attack_ctx, bad):
    check_bad(root_batch, attack_ctx.rubric, bad)


@pytest.mark.parametrize("bad", [b for b in BAD if b.every_mode], ids=lambda b: b.name)
def test_bad_submission_of_the_sandbox_in_every_mode(graded, attack_ctx, bad):
    check_bad(graded, attack_ctx.rubric, bad)


def test_unwritable_student_names_are_skipped_with_a_note(root_batch):
    for name in SKIPPED_NAMES:
        assert name not in root_batch.records
        shown = os.fsencode(name).decode("utf-8", "backslashreplace")
        assert re.search(rf"note: .*{re.escape(shown)}: skipped, .*(UTF-8|grader's own files)", root_batch.stderr), (
            root_batch.stderr[-2000:])
    rows = (root_batch.out / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("student,score,max_score")
    assert {r.split(",")[0].strip('"') for r in rows[1:]} == {as_text(name) for name in root_batch.records}


@needs_root
def test_no_process_of_any_attack_survives(graded):
    assert graded.lane_left == [], f"sandbox-uid processes still running: {graded.lane_left}"
    assert len(graded.descendants_left) <= graded.baseline_descendants, f"left behind: {graded.descendants_left}"


def test_batch_finishes_within_its_budget(root_batch):
    assert root_batch.seconds < MAIN_BATCH_BUDGET_S, f"{root_batch.seconds:.0f} s"


@needs_root
def test_nothing_leaks_into_the_output(graded):
    text = "\n".join(p.read_text(errors="replace") for p in graded.out.rglob("*") if p.is_file())
    assert graded.values["SECRET"] not in text, "the grader's secret environment variable reached a student"
    marker_hits = [p for p in graded.out.rglob("*") if p.is_file() and graded.values["MARKER"] in p.read_text(errors="replace")]
    assert marker_hits == [], "another student's code reached a student's feedback"
    assert not Path(graded.values["CANARY"]).exists(), "a pickle sent by a child was loaded by the grader"


def test_no_file_of_the_class_or_the_kit_changed_its_mode_owner_or_times(graded):
    assert graded.metadata_changed == [], graded.metadata_changed[:5]


def test_the_output_is_writable_by_the_grader_only(graded):
    assert graded.output_open == [], graded.output_open[:5]
    if graded.mode == modes.ROOT:  # made by the grader (the command-line modes grade into a folder the test made)
        assert stat.S_IMODE(graded.out.stat().st_mode) == 0o700


@needs_root
def test_no_connection_left_the_sandbox(graded):
    assert graded.listeners.received == []


@needs_root
def test_files_outside_the_sandbox_are_untouched(graded):
    assert (graded.subs / "honest_reference" / "ex03_activations.py").read_text() == REFERENCE["ex03_activations"]
    assert Path(graded.values["PLANTED"], "ex04_mlp_forward.py").read_text() == REFERENCE["ex04_mlp_forward"]
    assert graded.stray_files == [], f"files written by sandboxed code: {graded.stray_files[:10]}"
    assert graded.scratch_left == [], f"private scratch folders outlived their runner: {graded.scratch_left}"
    assert graded.free_disk_drop_mb < 200, f"{graded.free_disk_drop_mb:.0f} MB of disk gone"
    csv_rows = {r.split(",")[0]: r for r in (graded.out / "grades.csv").read_text(encoding="utf-8").splitlines()}
    assert csv_rows["honest_reference"].split(",")[1] == f"{graded.records['honest_reference']['score']:g}"


@needs_root
def test_no_kernel_key_outlives_the_batch(graded):
    assert graded.keys_gained == {}, f"uids that own more kernel keys than before: {graded.keys_gained}"


def test_grader_memory_stays_bounded(root_batch):
    assert root_batch.judge_rss_growth_mb < 400, f"the grader's peak memory grew by {root_batch.judge_rss_growth_mb:.0f} MB"


@needs_root
def test_isolation_layers_are_recorded(graded):
    for name in ("honest_reference", "atk_forge_ready", "atk_patch_grader"):
        with open(graded.out / name / "results.json") as handle:
            extra = json.load(handle)["extra_data"]
        assert extra["isolation"] == modes.LAYERS[graded.mode], (name, extra["isolation"], extra["notices"])


# ---- one lane, known order: what earlier students leave behind; runners killed from outside ----

class RunnerKiller:
    """Watches for sandboxed processes named by the killme attack and SIGKILLs their runner
    (the parent of the child's fork server, checked by its name), `times` times per name."""

    OUTLIVES_AFTER_S = 3  # a daemon of a killed runner's child still running this long after: it outlived it

    def __init__(self, plan):
        self.plan, self.kills = dict(plan), {name: 0 for name in plan}
        self.orphans, self.outlived = {}, set()  # daemons ("nnk-daemon") alive when a runner was killed: pid -> when
        self.killed = set()  # runner pids
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self):
        daemons = set()
        while not self.stop.is_set():
            seen = set()
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry}/comm") as handle:
                        name = handle.read().strip()
                    if name == "nnk-daemon":
                        seen.add(int(entry))
                        if time.monotonic() - self.orphans.get(int(entry), time.monotonic()) > self.OUTLIVES_AFTER_S:
                            self.outlived.add(int(entry))
                    if self.kills.get(name, 99) >= self.plan.get(name, 0):
                        continue
                    runner = _parent(_parent(entry))  # the child's parent is the runner's fork server
                    with open(f"/proc/{runner}/comm") as handle:
                        if handle.read().strip() != "nng-runner" or runner in self.killed:
                            continue  # not a runner, or one killed already and still dying
                    os.kill(runner, signal.SIGKILL)
                    self.killed.add(runner)
                    self.kills[name] += 1
                    self.orphans.update(dict.fromkeys(daemons | seen, time.monotonic()))
                except (OSError, ValueError, IndexError):
                    continue
            daemons = seen
            time.sleep(0.02)

    def close(self):
        self.stop.set()
        self.thread.join()


def _parent(pid):
    with open(f"/proc/{pid}/stat") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[1])


def _one_lane_class():
    """{student: modules} in the lane's order (see one_lane)."""
    victim = dict(REFERENCE)
    padding = "".join(f"# notes, line {i}: " + "-" * 60 + "\n" for i in range(400))  # a size no other module has
    victim["ex04_mlp_forward"] = "# VICTIM-EX04-BEGIN\n" + REFERENCE["ex04_mlp_forward"] + padding + "# VICTIM-EX04-END\n"

    def with_killme(modules, comm):
        modules = dict(modules)
        modules["ex01_perceptron"] = splice(modules["ex01_perceptron"], "add_bias", attack_text("killme.py", {"COMM": comm}))
        return modules

    saboteur = with_killme(REFERENCE, "nnk-sabo")
    saboteur["ex01_perceptron"] += "\n" + attack_text("saboteur.py", {})
    return {
        "a1_victim": victim,
        "a2_thief": Attack("a2_thief", "steal_memory", "ex04_mlp_forward.xor_params").sources({}),
        "a3_bogus_frame": Attack("a3_bogus_frame", "forge_bogus_event", "ex03_activations.leaky_relu").sources({}),
        "a4_honest": REFERENCE,
        "b1_saboteur": saboteur,
        "b2_honest": REFERENCE,
        "c1_runner_killed_once": with_killme(REFERENCE, "nnk-once"),
        "c2_runner_killed_twice": with_killme(REFERENCE, "nnk-twice"),
        "c3_honest": REFERENCE,
        "d1_keyring_writer": Attack("d1_keyring_writer", "keyring", "ex01_perceptron.add_bias").sources({}),
        "d2_keyring_reader": Attack("d2_keyring_reader", "keyring", "ex01_perceptron.add_bias").sources({}),
    }


# What the judge alone decides, the same in every mode: graded as root only (a submission whose
# runner is killed twice fails, and the lane goes on).
ONE_LANE_JUDGE_ONLY = ("c2_runner_killed_twice", "c3_honest")
# Without CAP_SYS_ADMIN a lane holds these attacks as root's does: the same uid sweep after a dead
# runner, the same fork server, memory cgroup and system-call filter; the namespaces it lacks play
# no part in them. The ordinary user's lane has no uid sweep and shares the grader's uid.
ONE_LANE_MODES = (modes.ROOT, modes.USER_MODE)


@pytest.fixture(scope="module", params=modes.mode_params(*ONE_LANE_MODES))
def one_lane(request, attack_ctx, sandbox_uids):
    """One lane, in this order: a victim, a thief scanning its memory for the victim's code, a
    child that sends a bogus frame, an honest student; a saboteur whose runner is killed (its daemon
    must not outlive it), an honest student; a student whose runner is killed once, one whose runner
    is killed twice, an honest student; a student who leaves a key in its uid's kernel keyring, and
    the next student of the lane, who looks for it. As root in this process; in the other modes
    from the command line, without what the judge alone decides (ONE_LANE_JUDGE_ONLY)."""
    mode = request.param
    in_process = mode == modes.ROOT
    uids = sandbox_uids if in_process else modes.sandbox_uids(mode)
    if not in_process:
        modes.prefix(mode)  # skips where the mode cannot be entered
    work = workspace()
    subs, out = work / "submissions", work / "out"
    subs.mkdir()
    students = {name: modules for name, modules in _one_lane_class().items() if in_process or name not in ONE_LANE_JUDGE_ONLY}
    for name, modules in students.items():
        write_folder(subs / name, as_files(modules))
    modes.readable_by_all(work)
    plan = {"nnk-sabo": 1, "nnk-once": 1, "nnk-twice": 2 if in_process else 0}
    killer = RunnerKiller(plan)
    started = time.monotonic()
    try:
        if in_process:
            cpu_before = _cpu_s()
            grade_folder(subs, out, jobs=1, progress=False, ctx=attack_ctx)
            left = []
            print(f"{mode}: the grader's CPU {_cpu_s() - cpu_before:.1f} s")
        else:
            report, _, stderr = modes.grade(mode, work, subs, out, test_rubric_file(work), jobs=1)
            assert report["returncode"] == 0, stderr[-3000:]
            left = report["left"]
            print(f"{mode}: the grader's CPU {report['cpu_s']:.1f} s")
        seconds = time.monotonic() - started
        print(f"one-lane batch ({mode}): {len(students)} students in {seconds:.1f} s, runner kills {killer.kills}")
        ended = uptime()
        wait_until(lambda: not lane_processes(uids, ended), 10)
        yield {"mode": mode, "records": {name: read_student(out, name) for name in students}, "kills": dict(killer.kills),
               "plan": plan, "lane_left": left + lane_processes(uids, ended), "seconds": seconds,
               "outlived": sorted(killer.outlived)}
    finally:
        killer.close()
        if mode != modes.USER_MODE:
            for pid, _ in lane_processes(uids):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)


def test_a_child_cannot_read_what_earlier_students_left_in_the_runner(one_lane, attack_ctx):
    records = one_lane["records"]
    assert records["a1_victim"]["score"] == attack_ctx.rubric.max_score
    thief = records["a2_thief"]
    assert score(thief, "ex04_mlp_forward.xor_params") == 0, "the thief handed in the victim's xor_params"
    assert report_of(thief, "ex04_mlp_forward.xor_params") == [], messages(thief, "ex04_mlp_forward.xor_params")


def test_a_bogus_frame_does_not_desynchronise_the_lane(one_lane, attack_ctx):
    records = one_lane["records"]
    bogus = records["a3_bogus_frame"]
    assert score(bogus, "ex03_activations.leaky_relu") == 0
    lost = ("ex03_activations.leaky_relu", *FD_DEPENDENTS["ex03_activations.leaky_relu"])
    assert bogus["score"] == attack_ctx.rubric.max_score - sum(attack_ctx.rubric.function_points(f) for f in lost)
    assert records["a4_honest"]["score"] == attack_ctx.rubric.max_score


@needs_root
def test_a_daemon_does_not_outlive_its_dead_runner(one_lane, attack_ctx):
    assert one_lane["kills"]["nnk-sabo"] == 1
    assert one_lane["outlived"] == [], "the saboteur's daemon was still running seconds after its runner died"
    honest = one_lane["records"]["b2_honest"]
    assert honest["score"] == attack_ctx.rubric.max_score, {f["function"]: messages(honest, f["function"])[:1]
                                                              for f in honest["functions"] if f["score"] < f["max_score"]}
    assert one_lane["lane_left"] == []


def test_a_killed_runner_is_replaced_and_the_submission_retried_once(one_lane, attack_ctx):
    records = one_lane["records"]
    assert one_lane["kills"] == one_lane["plan"]
    assert records["c1_runner_killed_once"]["score"] == attack_ctx.rubric.max_score
    if "c2_runner_killed_twice" not in records:
        return  # see ONE_LANE_JUDGE_ONLY
    twice = records["c2_runner_killed_twice"]
    assert twice["score"] == 0
    assert re.search(r"grading failed twice: the sandbox runner", twice["problems"].get("(grader)", "")), twice["problems"]
    assert records["c3_honest"]["score"] == attack_ctx.rubric.max_score


def test_no_kernel_keyring_carries_anything_to_the_next_student(one_lane):
    for name in ("d1_keyring_writer", "d2_keyring_reader"):
        record = one_lane["records"][name]
        assert score(record, "ex01_perceptron.add_bias") == 0
        assert report_of(record, "ex01_perceptron.add_bias") == [], messages(record, "ex01_perceptron.add_bias")


# ---- the grader killed mid-batch, then resumed from the command line ---------------------------

RESUME_MODES = (modes.ROOT, modes.USER_MODE)  # without CAP_SYS_ADMIN, a killed judge's runners clean up as root's do


@pytest.fixture(scope="module")
def resume_class():
    """Six students and the grades.csv of their uninterrupted batch (graded once, as root)."""
    work = workspace()
    subs = work / "subs"
    for i in range(3):
        write_folder(subs / f"student_{i}_reference", as_files(REFERENCE))
    write_folder(subs / "student_3_blank", as_files(STUBS))
    partial = dict(REFERENCE)
    partial["ex03_activations"] = REFERENCE["ex03_activations"].replace("def relu(z):", "def relu(z)")
    write_folder(subs / "student_4_partial", as_files(partial))
    write_folder(subs / "student_5_stubs_and_ex01", {**as_files(STUBS), "ex01_perceptron.py": REFERENCE["ex01_perceptron"]})
    rubric = test_rubric_file(work)
    modes.readable_by_all(work)
    try:
        command, env = _grade_command(modes.ROOT, work, subs, work / "full", rubric)
        full = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd="/")
        assert full.returncode == 0, full.stderr[-3000:]
        yield work, subs, rubric, (work / "full" / "grades.csv").read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _grade_command(mode, work, subs, out, rubric):
    """(command, env) of `nngrade grade` in this mode, run directly (its pid is the judge's)."""
    modes.open_to(mode, out)
    return modes.cli(mode, work, "grade", subs, "--out", out, "--jobs", 2, "--rubric", rubric, "--no-progress")


@pytest.mark.parametrize("mode", modes.mode_params(*RESUME_MODES))
def test_sigkilled_grader_resumes_to_the_same_grades(resume_class, mode):
    """The judge killed with SIGKILL mid-batch: its runners notice, clean up after themselves and
    their children (as an ordinary user no uid sweep exists) and exit; the batch resumed from the
    command line ends with the grades of an uninterrupted one."""
    work, subs, rubric, full_grades = resume_class
    interrupted = work / f"interrupted-{mode}"
    command, env = _grade_command(mode, work, subs, interrupted, rubric)
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/")
    try:
        assert wait_until(lambda: any(interrupted.glob("*/results.json")) or proc.poll() is not None, 120)
        assert proc.poll() is None, "the run finished before it could be interrupted"
        runners = _runners_of(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not (interrupted / "grades.csv").exists()
    done_before = len(list(interrupted.glob("*/results.json")))
    assert 1 <= done_before < 6
    assert runners
    assert wait_until(lambda: not any(os.path.exists(f"/proc/{pid}") and _alive(pid) for pid in runners), 60), runners
    if mode == modes.USER_MODE:  # nothing of the grader's uid is left: fork servers, children
        assert wait_until(lambda: not lane_processes(modes.sandbox_uids(mode)), 10), lane_processes(modes.sandbox_uids(mode))

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd="/")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert re.search(rf"resumed {done_before}\b", resumed.stdout), resumed.stdout
    assert (interrupted / "grades.csv").read_bytes() == full_grades


def _runners_of(judge_pid):
    """The runner processes a judge started."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    if ppid == judge_pid and b"grader.sandbox.runner" in handle.read():
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return found


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False
