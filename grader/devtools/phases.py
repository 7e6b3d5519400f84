"""Where one submission's CPU goes: `python -m grader.devtools.phases [-n N] [--blank]`.

Grades a synthetic class (as `nngrade bench` writes it) through one lane of the root sandbox, with
the judge in this process's main thread, and prints per submission the CPU time of each part: the
judge's phases (its process time inside each), the lane's runner and fork server, and the sandboxed
children (reaped by the fork server: its children's time in /proc), next to the floor (the same
calls of the class's cases and plot probes, in-process). The first student is graded before
counting (first drawings, lazy imports). Linux only.

--blank: N copies of the blank stubs graded by `nngrade grade` in a fresh process, with no class
context cache: the CPU of the whole command (its start-up, imports and every process it started
included) per submission.
"""
import argparse
import collections
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from grader import EXERCISES_DIR
from grader.loader import read_sources

JUDGE_PHASES = (  # (owner, attribute, label): timed in the order a submission meets them
    ("grader.judging.grading", "open_child", "judge: open the child (round trip)"),
    ("grader.judging.stages.run", "judge_function", "judge: judging frames (own pieces included)"),
    ("grader.outputs.feedback_plots", "draw_plots", "judge: drawing the plots"),
    ("grader.outputs.reports", "write_student", "judge: writing feedback.md/.html, results.json"),
)
STAGE_LABELS = {"run": "judge: stage run (request, frames read)", "settle": "judge: stage settle",
                "shrink": "judge: stage shrink (smallest failing inputs)", "record": "judge: stage record",
                "plot": "judge: stage plot (plot probe request)"}
NESTED = {"judge: stage run (request, frames read)": "judge: judging frames (own pieces included)"}


def _timed_stages(spent, grading):
    """Each of grading.STAGES timed under its label (the pipeline is a tuple: wrap its entries)."""
    original = grading.STAGES
    grading.STAGES = tuple(_timing(spent, STAGE_LABELS.get(s.__name__, f"judge: stage {s.__name__}"), s) for s in original)
    return lambda: setattr(grading, "STAGES", original)


def _timed(spent, owner, name, label):
    original = getattr(owner, name)
    setattr(owner, name, _timing(spent, label, original))
    return lambda: setattr(owner, name, original)


def _timing(spent, label, function):
    """function, its process time added to spent[label] at each call."""
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started
    return wrapper


def _resolve(path):
    import importlib

    module, _, attribute = path.partition(":")
    owner = importlib.import_module(module)
    return getattr(owner, attribute) if attribute else owner


def cpu_ticks(pid, children=False):
    """CPU seconds of a live process (or of its reaped children) from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[13]) + int(fields[14]) if children else int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def write_blank_class(folder, n, exercises_dir=EXERCISES_DIR):
    stubs = read_sources(exercises_dir)
    for i in range(n):
        (Path(folder) / f"b{i:04d}").mkdir(parents=True)
        for module, text in stubs.items():
            (Path(folder) / f"b{i:04d}" / f"{module}.py").write_text(text)
    return Path(folder)


def blank_class_cpu(class_dir, out_dir):
    """CPU seconds of `nngrade grade class_dir` in a fresh process, without a context cache: the
    command and every process it waited for (runners, their fork servers and children)."""
    import resource
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "grader.cli", "grade", str(class_dir), "--out", str(out_dir), "--no-progress"],
                          env={**os.environ, "NNGRADE_CACHE_DIR": ""}, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"nngrade grade failed: {done.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(class_dir, out_dir, calls_dir=None):
    """{part: CPU seconds} over the class's students but the first, and how many were counted.
    calls_dir: where to record each submission's calls beyond the class's cases (bench.CallRecorder)."""
    from grader.devtools.bench import CallRecorder
    from grader.intake.entries import read_entry
    from grader.judging import grading
    from grader.judging.reference import build_context
    from grader.outputs import feedback_plots, reports
    from grader.sandbox.client import SandboxClient

    ctx = build_context()
    students = sorted(Path(class_dir).iterdir())
    client = SandboxClient(0, hide=[str(class_dir), str(out_dir)])
    client.cases = ctx.cases
    lane = CallRecorder(client, calls_dir) if calls_dir else client

    def grade(folder):
        reports.write_student(out_dir, grading.grade_submission(ctx, lane, read_entry(folder, ctx.rubric.modules), draw=feedback_plots.draw_plots))

    spent, restore = collections.Counter(), []
    try:
        grade(students[0])
        restore = [_timed(spent, _resolve(owner), name, label) for owner, name, label in JUDGE_PHASES
                   if hasattr(_resolve(owner), name)]  # a phase renamed since: counted in "the rest"
        restore.append(_timed_stages(spent, grading))
        runner = client.proc.pid
        server = client._fork_server or runner  # without a fork server the runner forks and reaps the children

        def now():
            return (cpu_ticks(runner), cpu_ticks(server) if server != runner else 0.0, cpu_ticks(server, children=True),
                    time.process_time())

        before = now()
        for folder in students[1:]:
            grade(folder)
        after = now()
    finally:
        for undo in restore:
            undo()
        client.stop()
    parts = dict(spent)
    for outer, inner in NESTED.items():
        parts[outer] = parts.get(outer, 0.0) - parts.get(inner, 0.0)
    parts["judge: the rest"] = after[3] - before[3] - sum(parts.values())
    parts["runner: relaying frames"] = after[0] - before[0]
    parts["fork server: forks and sweeps"] = after[1] - before[1]
    parts["children: student code and the harness around it"] = after[2] - before[2]
    return parts, len(students) - 1, ctx


def floor_cpu(class_dir, ctx, calls_dir=None):
    """CPU seconds of the floor's calls (class cases and plot probes, in-process) over the students
    but the first; with calls_dir (see measure), the searches' extra calls too, as in the children."""
    from grader.devtools.bench import floor_worker
    from grader.protocol import encode, pack

    folders = sorted(str(p) for p in Path(class_dir).iterdir())
    with tempfile.NamedTemporaryFile(suffix=".bin") as handle:
        handle.write(pack(*encode(ctx.cases)))
        handle.flush()
        floor_worker(handle.name, folders[:1], time.perf_counter(), calls_dir)
        started = time.process_time()
        floor_worker(handle.name, folders[1:], time.perf_counter(), calls_dir)
        return time.process_time() - started


def table(parts, n, floor_s=None):
    """The markdown table: ms of CPU per submission and share of the total, largest first."""
    total = sum(parts.values())
    lines = ["| where | ms of CPU per submission | share |", "|---|---|---|"]
    lines += [f"| {name} | {seconds / n * 1000:.1f} | {seconds / total * 100:.0f} % |"
              for name, seconds in sorted(parts.items(), key=lambda kv: -kv[1])]
    lines.append(f"| **total** | **{total / n * 1000:.1f}** | 100 % |")
    if floor_s is not None:
        lines.append(f"| floor: the same calls in-process (not in the total) | {floor_s / n * 1000:.1f} | |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader.devtools.phases", description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=40, help="class size, the first student not counted (default: 40)")
    parser.add_argument("--blank", action="store_true",
                        help="N copies of the blank stubs graded by `nngrade grade`: CPU per submission, start-up included")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor's measurement")
    args = parser.parse_args(argv)
    if args.n < 2:
        parser.error("-n must be at least 2 (the first student is not counted)")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory(prefix="nngrade-phases-") as tmp:
        class_dir, out = Path(tmp) / "class", Path(tmp) / "out"
        if args.blank:
            write_blank_class(class_dir, args.n)
            seconds = blank_class_cpu(class_dir, out)
            print(f"{args.n} blank submissions (the released stubs) graded by `nngrade grade` without a context cache: "
                  f"{seconds / args.n * 1000:.0f} ms of CPU per submission, start-up included ({seconds:.2f} s in all)")
            return 0
        from grader.devtools.bench import write_synthetic_class

        write_synthetic_class(class_dir, args.n)
        calls = Path(tmp) / "calls"
        out.mkdir(mode=0o700)
        calls.mkdir()
        parts, n, ctx = measure(class_dir, out, calls)
        floor_s = None if args.no_floor else floor_cpu(class_dir, ctx, calls)
        shutil.rmtree(out, ignore_errors=True)
    print(f"{n} submissions (synthetic class), one lane:")
    print(table(parts, n, floor_s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
