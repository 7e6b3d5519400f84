"""The sandbox's refusal to grade without the file-system allow-list and the network ban (unless
--insecure), from the command line.

The three modes themselves (root; root without CAP_SYS_ADMIN, as in Docker or Gradescope; an
ordinary user) are tested with the whole attack suite in tests/sandbox/test_attacks.py, which grades every
attack, the one-lane batch and the SIGKILL resume in each of them (tests/helpers/grader_modes.py).
"""
import re
import shutil

import pytest

from helpers import grader_modes as modes
from grader.outputs.reports import read_student
from test_attacks import REFERENCE, as_files, test_rubric_file, workspace, write_folder

pytestmark = pytest.mark.slow


def test_the_grader_refuses_without_the_allow_list_unless_insecure():
    """A kernel without Landlock (here: Landlock denied by a system-call filter around the grader)."""
    if not modes.IS_ROOT_LINUX:
        pytest.skip("needs Linux (as root: the network ban still comes from the namespace)")
    work = workspace()
    try:
        subs, rubric = work / "subs", test_rubric_file(work)
        write_folder(subs / "honest_reference", as_files(REFERENCE))
        refused, _, stderr = modes.grade(modes.ROOT, work, subs, work / "out-refused", rubric, deny_landlock=True)
        assert refused["returncode"] == 2, stderr[-2000:]
        assert re.search(r"error: .*lacks the file-system allow-list.*--insecure", stderr), stderr[-2000:]
        assert "this kernel has no Landlock (ENOSYS)" in stderr, stderr[-2000:]  # the cause, not a guess
        assert not list((work / "out-refused").glob("*/results.json"))
        allowed, _, stderr = modes.grade(modes.ROOT, work, subs, work / "out-insecure", rubric, "--insecure", deny_landlock=True)
        assert allowed["returncode"] == 0, stderr[-2000:]
        result = read_student(work / "out-insecure", "honest_reference")
        assert "landlock-filesystem" not in result["isolation"]
        assert any("graded with --insecure" in n for n in result["notices"]), result["notices"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
