"""`python -m grader.devtools.phases` measures where a submission's CPU goes: every part is
measured (not assumed) and the table adds up (timings themselves are the benchmark's, not the test's)."""
import re
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
def test_a_blank_class_is_measured_with_its_start_up():
    out = subprocess.run([sys.executable, "-m", "grader.devtools.phases", "-n", "3", "--blank"],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    found = re.search(r"^3 blank submissions .*: (\d+) ms of CPU per submission, start-up included \(([\d.]+) s in all\)$",
                      out.stdout, re.M)
    assert found, out.stdout
    per, total = int(found[1]), float(found[2])
    # The command's own CPU, counted: not zero, and it adds up (the total is printed to 10 ms, the share to 1 ms).
    assert per > 0 and abs(per - total / 3 * 1000) <= 0.005 / 3 * 1000 + 0.5
