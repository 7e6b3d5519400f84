"""`nngrade bench`: how fast a synthetic class grades, against the floor of the same calls in-process.

Measured, never assumed:
  wall_s        `grade_folder` on N submissions (class set-up included: inputs, reference, runners)
  floor_s       the same student calls on the same inputs, in-process, no isolation, no comparison,
                split over as many worker processes as lanes, at most one per core (each pays its own imports)
  overhead_ratio  wall_s / floor_s
  p50_s, p95_s  seconds per submission inside the grader (execution_time of each result)
  p95_overhead_s  95th percentile of (per-submission seconds - that submission's floor seconds)
  searches_run / searches_walked  minimal-case searches hypothesis ran / walked from memory
  frames_judged / frames_reused  per-function results frames decoded and judged / byte-identical to
                one judged before, whose verdicts were reused
  peak_rss_mb   peak resident memory of the grading process and of its largest runner
  nbgrader_s    `nbgrader autograde` of the same class as notebooks (measured on a sample of
                students, scaled to N), and speedup_vs_nbgrader = nbgrader_s / wall_s
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import PROJECT_ROOT, SOLUTIONS_DIR
from grader.loader import read_sources


def write_synthetic_class(folder, n, solutions_dir=SOLUTIONS_DIR):
    """n students: every other one the reference, the rest cycling through the typical mistakes."""
    from grader.devtools.mistakes import MISTAKES, mutated_sources

    folder = Path(folder)
    reference = read_sources(solutions_dir)
    for i in range(n):
        if i % 2 == 0:
            name, sources = f"s{i:04d}_correct", {f"{m}.py": t for m, t in reference.items()}
        else:
            mistake = MISTAKES[(i // 2) % len(MISTAKES)]
            name, sources = f"s{i:04d}_{mistake.name}", mutated_sources(mistake, solutions_dir)
        (folder / name).mkdir(parents=True)
        for filename, text in sources.items():
            (folder / name / filename).write_text(text)
    return folder


def _python(code, *args, timeout=3600):
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, env=env, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"bench step failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


GRADE = """
import json, resource, sys, time
from grader.batch import grade_folder
from grader.devtools.bench import CallRecorder
t = time.perf_counter()
summary = grade_folder(sys.argv[1], sys.argv[2], jobs=int(sys.argv[3]), progress=False,
                       wrap_client=lambda client: CallRecorder(client, sys.argv[4]))
wall = time.perf_counter() - t
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"wall_s": wall, "grader_rss_mb": own, "runner_rss_mb": kids, "searches": summary["searches"], "frames": summary["frames"]}))
"""

FLOOR = """
import json, sys, time
t0 = time.perf_counter()
from grader.devtools.bench import floor_worker
print(json.dumps(floor_worker(sys.argv[1], sys.argv[3:], t0, sys.argv[2])))
"""


class CallRecorder:
    """A lane's sandbox client, recording the calls grading makes beyond the class's cases (the
    searches for a smallest failing input) into calls_dir/<sources key>.bin, one file per
    submission, so that the floor makes the same calls. Everything else is the client's own."""

    def __init__(self, client, calls_dir):
        self._client, self._calls_dir = client, Path(calls_dir)
        self._key, self._calls = None, []

    def __getattr__(self, name):
        return getattr(self._client, name)

    def warm(self):  # grading a submission starts here
        self._key, self._calls = None, []
        return self._client.warm()

    def open(self, sources, *args, **kwargs):
        self._key = self._key or sources_key(sources)  # the first open of a submission has all its modules
        return self._client.open(sources, *args, **kwargs)

    def run(self, jobs, *args, **kwargs):
        self._calls.extend([check_id, case] for check_id, cases in jobs for case in cases)
        return self._client.run(jobs, *args, **kwargs)

    def close(self):
        self._client.close()
        if self._key is not None:
            from grader.protocol import encode, pack

            (self._calls_dir / f"{self._key}.bin").write_bytes(pack(*encode(self._calls)))


def sources_key(sources):
    """A file name for a submission's {module: source text}: students with the same files make the same calls."""
    import hashlib

    digest = hashlib.sha256()
    for name in sorted(sources):
        digest.update(f"{name}\0{sources[name]}\0".encode())
    return digest.hexdigest()[:24]


def floor_worker(cases_file, folders, started, calls_dir=None):
    """Run every probe on every class case for each folder, in this process: the floor. With calls_dir,
    also the extra calls grading made for that student (its shrinking search), so the floor makes
    exactly the student calls grading made."""
    import warnings

    import numpy as np  # noqa: F401 - imports are part of what the floor pays
    import torch

    warnings.simplefilter("ignore")  # as in the sandbox, where only checks about warnings record them
    torch.set_num_threads(1)
    from grader.loader import import_sources
    from grader.forms import apply_forms
    from grader.probes import plot_table, probe_for, probe_table, run_probe
    from grader.protocol import decode, unpack_bytes

    message, buffers = unpack_bytes(Path(cases_file).read_bytes())
    cases = decode(message, buffers)
    # what the child runs: the probes with their piece calls, and the plot probes (the student's code too)
    probes = {**probe_table(), **plot_table()}
    from grader.specs import all_checks

    derive = {cid: check.derive for cid, check in all_checks().items()}  # probes derived from the specs
    per_student = {}
    for folder in folders:
        t = time.perf_counter()
        sources = read_sources(folder)
        impl, _ = import_sources(sources, "floor")
        calls = [(cid, case) for cid, check_cases in cases.items() for case in check_cases]
        extra = Path(calls_dir or "", f"{sources_key(sources)}.bin")
        if calls_dir and extra.is_file():
            message, buffers = unpack_bytes(extra.read_bytes())
            calls += [tuple(call) for call in decode(message, buffers)]
        for cid, case in calls:
            try:
                run_probe(probe_for(cid, probes, derive.get(cid)), impl, apply_forms(case))
            except Exception:  # noqa: BLE001 - a mistake may raise; the call still counts
                pass
        per_student[Path(folder).name] = time.perf_counter() - t
    return {"per_student": per_student, "wall_s": time.perf_counter() - started}


def measure_floor(class_dir, jobs, cases, calls_dir):
    """Wall time of `jobs` plain worker processes sharing the class, each importing what it needs."""
    from grader.protocol import encode, pack

    folders = sorted(str(p) for p in Path(class_dir).iterdir())
    with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as handle:
        tree, buffers = encode(cases)
        handle.write(pack(tree, buffers))
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "OMP_NUM_THREADS": "1"}
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", FLOOR, handle.name, str(calls_dir), *folders[i::jobs]],
                              stdout=subprocess.PIPE, text=True, env=env)
             for i in range(jobs)]
    results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    wall = time.perf_counter() - started
    os.unlink(handle.name)
    per_student = {k: v for r in results for k, v in r["per_student"].items()}
    return wall, per_student


def percentile(values, q):
    values = sorted(values)
    if not values:
        return None
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def run_bench(n, jobs, with_nbgrader=True):
    from grader.toolkit.cases import class_cases
    from grader.outputs.reports import read_student
    from grader.specs import all_checks

    with tempfile.TemporaryDirectory(prefix="nngrade-bench-") as tmp:
        class_dir = write_synthetic_class(Path(tmp) / "class", n)
        calls_dir = Path(tmp) / "calls"
        calls_dir.mkdir()
        graded = _python(GRADE, class_dir, Path(tmp) / "out", jobs, calls_dir)
        # The floor's best: more workers than cores only slow plain processes down (and would flatter the ratio).
        floor_s, floor_per = measure_floor(class_dir, max(1, min(jobs, os.cpu_count() or 1)), class_cases(all_checks().values()),
                                           calls_dir)
        times, overheads = [], []
        for folder in sorted(class_dir.iterdir()):
            record = read_student(Path(tmp) / "out", folder.name)
            times.append(record["execution_time"])
            overheads.append(record["execution_time"] - floor_per[folder.name])
        nbgrader_s = nbgrader_time(class_dir, n, Path(tmp)) if with_nbgrader else None
    wall = graded["wall_s"]
    return {
        "submissions": n, "jobs": jobs, "wall_s": round(wall, 2), "per_second": round(n / wall, 2),
        "p50_s": round(percentile(times, 0.5), 3), "p95_s": round(percentile(times, 0.95), 3),
        "p95_overhead_s": round(percentile(overheads, 0.95), 3),
        "peak_rss_mb": round(max(graded["grader_rss_mb"], graded["runner_rss_mb"]), 1),
        "grader_rss_mb": round(graded["grader_rss_mb"], 1), "runner_rss_mb": round(graded["runner_rss_mb"], 1),
        "floor_s": round(floor_s, 2), "overhead_ratio": round(wall / floor_s, 3),
        "floor_median_s": round(statistics.median(floor_per.values()), 3),
        "searches_run": graded["searches"]["run"], "searches_walked": graded["searches"]["walked"],
        "frames_judged": graded["frames"]["judged"], "frames_reused": graded["frames"]["reused"],
        "nbgrader_s": None if nbgrader_s is None else round(nbgrader_s, 1),
        "speedup_vs_nbgrader": None if nbgrader_s is None else round(nbgrader_s / wall, 1),
    }


def nbgrader_time(class_dir, n, tmp, sample=None):
    """Seconds nbgrader's autograde would take for the class: measured on a sample, scaled to n."""
    try:
        from grader.release.autograde_bench import autograde_seconds
    except ImportError:
        return None
    sample = sample or min(n, 4)
    students = sorted(Path(class_dir).iterdir())[:sample]
    seconds = autograde_seconds(students, tmp / "nbgrader")
    return seconds * n / sample if seconds is not None else None


def bench_command(args):
    result = run_bench(args.submissions, args.jobs, with_nbgrader=not args.no_nbgrader)
    if args.json:
        print(json.dumps(result))
        return 0
    rows = [
        ("submissions", result["submissions"]), ("jobs", result["jobs"]),
        ("grading wall time (s)", result["wall_s"]), ("submissions per second", result["per_second"]),
        ("p50 s per submission", result["p50_s"]), ("p95 s per submission", result["p95_s"]),
        ("p95 overhead beyond own compute (s)", result["p95_overhead_s"]),
        ("peak RSS (MB): grader / largest runner", f"{result['grader_rss_mb']} / {result['runner_rss_mb']}"),
        ("floor: same calls in-process (s)", result["floor_s"]), ("overhead ratio wall / floor", result["overhead_ratio"]),
        ("hypothesis searches: run / walked from memory", f"{result['searches_run']} / {result['searches_walked']}"),
        ("results frames: judged / reused from memory", f"{result['frames_judged']} / {result['frames_reused']}"),
        ("nbgrader autograde, same class (s)", result["nbgrader_s"] if result["nbgrader_s"] is not None else "n/a"),
        ("speed-up vs nbgrader", result["speedup_vs_nbgrader"] if result["speedup_vs_nbgrader"] is not None else "n/a"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0
