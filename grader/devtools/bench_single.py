"""`nngrade bench --single`: one submission graded from a cold start, the way a platform does it.

The Gradescope bundle is unpacked into a temporary root and its setup step run once (image build
time, not measured); then, for the reference and for the blank stubs, the bundle's own
run_autograder runs as a new process tree, optionally inside a fresh cgroup with the platform's
limits (768 MB of memory, 50 % of one CPU). Measured:
  wall_s        launch to exit of run_autograder
  split         start-up (interpreter, imports, warm sandbox runner), cases (the class context,
                from the image's cache), grading, writing (results and exit: the remainder)
  peak_mb       the cgroup's peak memory (v1 memory.max_usage_in_bytes, v2 memory.peak): every
                process of the tree together, page cache charged to it included
  rss_sum_mb    the largest sum of the tree's resident sets, sampled every 50 ms: the fallback
                without a cgroup, an overestimate (shared pages count once per process)
  cold_estimate_mb  anonymous memory of every process plus the mapped files once (see _tree_memory):
                what a cold container, with nothing cached, would be charged at most
  cpu_s         CPU seconds of the whole tree (user + system): at a 50 % quota on an idle machine
                the wall time is about twice this; more when other work competes for the CPU
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from grader import EXERCISES_DIR, SOLUTIONS_DIR

MEMORY_LIMIT = 768 * 1024 * 1024
CPU_QUOTA_US, CPU_PERIOD_US = 50_000, 100_000
TARGETS = {"peak_mb": 600, "wall_s": 20}
SUBMISSIONS = {"reference": SOLUTIONS_DIR, "blank": EXERCISES_DIR}


class CgroupError(RuntimeError):
    """No writable cgroup with memory and cpu controllers: the message says what is missing."""


# ---- cgroups -----------------------------------------------------------------------------------

class Cgroup:
    """A fresh cgroup under this process's own, with the memory limit and the CPU quota."""

    def __init__(self, name):
        self.name, self.dirs = name, []
        if Path("/sys/fs/cgroup/memory/memory.limit_in_bytes").exists():
            self.version = 1
            memory, cpu = self._make("memory"), self._make("cpu")
            (memory / "memory.limit_in_bytes").write_text(str(MEMORY_LIMIT))
            (cpu / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
            (cpu / "cpu.cfs_quota_us").write_text(str(CPU_QUOTA_US))
            self.memory = memory
        elif Path("/sys/fs/cgroup/cgroup.controllers").exists():
            self.version = 2
            group = self._make(None)
            try:
                # The parent must hand the controllers down (v2 allows it only where the parent
                # itself holds no process: run the bench from a leaf made for it, e.g. systemd-run).
                (group.parent / "cgroup.subtree_control").write_text("+memory +cpu")
                (group / "memory.max").write_text(str(MEMORY_LIMIT))
                (group / "cpu.max").write_text(f"{CPU_QUOTA_US} {CPU_PERIOD_US}")
            except OSError as exc:
                self.remove()
                raise CgroupError(f"cannot set the limits in {group} ({exc.strerror}): the memory and cpu "
                                  f"controllers are not available to it (see {group.parent}/cgroup.subtree_control)") from None
            self.memory = group
        else:
            raise CgroupError("no cgroup file system at /sys/fs/cgroup")

    def _make(self, controller):
        own = _own_cgroup(controller)
        base = Path("/sys/fs/cgroup", controller) if controller else Path("/sys/fs/cgroup")
        path = base / own.lstrip("/") / self.name
        try:
            path.mkdir()
        except OSError as exc:
            raise CgroupError(f"cannot create {path} ({exc.strerror}): run as root with the {controller or 'v2'} "
                              "controller writable") from None
        self.dirs.append(path)
        return path

    def add(self, pid):
        for path in self.dirs:
            (path / "cgroup.procs").write_text(str(pid))

    def peak_bytes(self):
        name = "memory.max_usage_in_bytes" if self.version == 1 else "memory.peak"
        try:
            return int((self.memory / name).read_text())
        except (OSError, ValueError):
            return None

    def limited(self):
        """Whether the memory limit was reached (the kernel reclaimed or killed to stay under it)."""
        name, key = ("memory.failcnt", None) if self.version == 1 else ("memory.events", "max")
        try:
            text = (self.memory / name).read_text()
        except OSError:
            return None
        if key is None:
            return int(text) > 0
        return any(line.split()[0] in ("max", "oom_kill") and int(line.split()[1]) > 0 for line in text.splitlines())

    def remove(self):
        for path in self.dirs:
            for _ in range(50):
                try:
                    path.rmdir()
                    break
                except OSError:
                    time.sleep(0.1)  # the last processes of the tree are still exiting


def _own_cgroup(controller):
    """This process's cgroup path in the hierarchy of `controller` (None: the v2 unified one)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if (controller is None and controllers == "") or (controller and controller in controllers.split(",")):
            return path
    raise CgroupError(f"this process is in no {controller or 'v2'} cgroup")


# ---- memory sampling ---------------------------------------------------------------------------

def _tree_memory(root_pid):
    """(sum of resident sets, cold-container estimate) of the process tree under root_pid, in bytes.

    The estimate counts anonymous memory by its proportional share (a page the fork server and a
    child share counts once in all; anonymous pages are shared only within this tree) and mapped
    files once for the whole tree (the largest per-process figure: the sandbox's processes are
    forks of one runner and map the same libraries). A cold container is charged for those file
    pages; a cgroup on a machine that has the libraries cached already is not."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    rss = anon = files = 0
    stack = [root_pid]
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        fields = {**_kb(f"/proc/{pid}/status"), **_kb(f"/proc/{pid}/smaps_rollup")}
        rss += fields.get("VmRSS", 0)
        anon += fields.get("Pss_Anon", fields.get("RssAnon", 0)) + fields.get("Pss_Shmem", fields.get("RssShmem", 0))
        files = max(files, fields.get("RssFile", 0))
    return rss * 1024, (anon + files) * 1024


def _kb(path):
    """{field: kB} of a /proc file of "Name:   123 kB" lines ({} for a process that is gone)."""
    try:
        with open(path) as lines:
            return {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in lines if ":" in line)
                    if v.split() and v.split()[0].isdigit()}
    except (OSError, ValueError):
        return {}


def _sample_peak(proc, peak, stop):
    while not stop.is_set() and proc.poll() is None:
        peak[:] = [max(a, b) for a, b in zip(peak, _tree_memory(proc.pid))]
        stop.wait(0.05)


# ---- one run -------------------------------------------------------------------------------------

def prepare_root(folder):
    """An unpacked Gradescope bundle with its setup step done (the image build)."""
    from grader.platforms.gradescope import ROOT_ENV, build_bundle

    root = Path(folder)
    build_bundle(root / "autograder.zip")
    with zipfile.ZipFile(root / "autograder.zip") as zf:
        zf.extractall(root / "source")
    env = {**os.environ, ROOT_ENV: str(root), "PYTHONPATH": str(root / "source")}
    subprocess.run([sys.executable, "-m", "grader.platforms.gradescope", "setup"], cwd=root / "source", env=env,
                   check=True, capture_output=True)
    return root


def measure(root, files_dir, use_cgroup):
    """One cold-start grading of the files in files_dir: wall, split, peak memory, score."""
    from grader.platforms.gradescope import ROOT_ENV

    submission = root / "submission"
    shutil.rmtree(submission, ignore_errors=True)
    shutil.copytree(files_dir, submission, ignore=shutil.ignore_patterns("test_*", "conftest.py", "__pycache__", "*.ini"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({ROOT_ENV: str(root), "NNGRADE_PYTHON": sys.executable})
    group = Cgroup(f"nngrade-bench-{os.getpid()}-{time.monotonic_ns()}") if use_cgroup else None
    peak, stop = [0, 0], threading.Event()
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.Popen(["bash", str(root / "source" / "run_autograder")], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, preexec_fn=(lambda: group.add(os.getpid())) if group else None)
        sampler = threading.Thread(target=_sample_peak, args=(proc, peak, stop), daemon=True)
        sampler.start()
        log = proc.communicate()[0].decode(errors="replace")
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the tree's processes were all reaped
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        stop.set()
        sampler.join()
        cgroup_peak = group.peak_bytes() if group else None
        limited = group.limited() if group else None
    finally:
        if group:
            group.remove()
    results = json.loads((root / "results" / "results.json").read_text())
    timings = results.get("extra_data", {}).get("timings", {})
    split = {k: timings.get(k) for k in ("start-up", "cases", "grading")}
    if None not in split.values():
        split["writing"] = round(wall - sum(split.values()), 3)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "split_s": split, "score": results.get("score"),
            "peak_mb": None if cgroup_peak is None else round(cgroup_peak / 2**20, 1),
            "rss_sum_mb": round(peak[0] / 2**20, 1), "cold_estimate_mb": round(peak[1] / 2**20, 1), "memory_limit_reached": limited,
            "cases": "cached" if "class context: cached" in log else "generated", "log": log.strip()[-400:]}


def run_single(use_cgroup):
    with tempfile.TemporaryDirectory(prefix="nngrade-bench-single-", dir=_root_base()) as tmp:
        root = prepare_root(tmp)
        runs = {name: measure(root, folder, use_cgroup) for name, folder in SUBMISSIONS.items()}
    limits = f"memory {MEMORY_LIMIT // 2**20} MB, CPU {CPU_QUOTA_US / CPU_PERIOD_US:.0%}" if use_cgroup else "none"
    return {"limits": limits, "targets": TARGETS, "runs": runs}


def _root_base():
    """Not under /tmp: the sandbox gives its child a private /tmp, as it would not /autograder."""
    return "/srv" if os.geteuid() == 0 and os.access("/srv", os.W_OK) else None


def bench_single_command(args):
    try:
        result = run_single(args.cgroup)
    except CgroupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"one submission from a cold start; cgroup limits: {result['limits']}; "
          f"targets: peak <= {TARGETS['peak_mb']} MB, wall <= {TARGETS['wall_s']} s")
    print(f"{'submission':<11} {'score':>5} {'wall s':>7} {'CPU s':>6} {'peak MB':>8} {'cold est. MB':>12} {'RSS sum MB':>10}  "
          "split s (start-up / cases / grading / writing)")
    for name, run in result["runs"].items():
        split = " / ".join(f"{run['split_s'].get(k, float('nan')):.2f}" for k in ("start-up", "cases", "grading", "writing"))
        peak = "n/a" if run["peak_mb"] is None else f"{run['peak_mb']:.0f}"
        print(f"{name:<11} {run['score']:>5g} {run['wall_s']:>7.2f} {run['cpu_s']:>6.2f} {peak:>8} {run['cold_estimate_mb']:>12.0f} {run['rss_sum_mb']:>10.0f}  {split} "
              f"(cases {run['cases']}{', memory limit reached' if run['memory_limit_reached'] else ''})")
    return 0
