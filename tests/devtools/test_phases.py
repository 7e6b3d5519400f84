"""`python -m grader.devtools.phases` measures where a submission's CPU goes: every part is
measured (not assumed) and the table adds up (timings themselves are the benchmark's, not the test's)."""
import os
import subprocess
import sys

import pytest

from grader import PROJECT_ROOT
from grader.devtools import phases


def test_the_table_lists_each_part_per_submission_largest_first_with_the_total():
    text = phases.table({"judge: drawing the plots": 0.2, "children: student code": 1.0, "runner: relaying": 0.0}, 4, floor_s=0.8)
    rows = [line.split(" | ") for line in text.splitlines()[2:]]
    assert [r[0].strip("| ") for r in rows[:3]] == ["children: student code", "judge: drawing the plots", "runner: relaying"]
    assert [float(r[1]) for r in rows[:3]] == [250.0, 50.0, 0.0]
    assert rows[3][1] == "**300.0**" and "floor" in rows[4][0] and float(rows[4][1]) == 200.0


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0 or not os.path.isdir("/proc"), reason="measures the root sandbox's processes in /proc")
def test_a_blank_class_is_measured_part_by_part():
    out = subprocess.run([sys.executable, "-m", "grader.devtools.phases", "-n", "3", "--blank", "--no-floor"],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ")[1] for line in out.stdout.splitlines() if line.startswith("| ")}
    for part in ("children: student code and the harness around it", "judge: writing feedback.md/.html, results.json",
                 "fork server: forks and sweeps", "runner: relaying frames"):
        assert part in rows, part
    assert float(rows["children: student code and the harness around it"]) > 0  # the blank stubs still run (and raise)
    assert float(rows["judge: writing feedback.md/.html, results.json"]) > 0
