"""How the suite is shared out between pytest-xdist's workers (tests/helpers/work_units.py)."""
import subprocess
import sys
import types
from pathlib import Path

from helpers import work_units


def test_files_sharing_a_class_fixture_are_one_unit_transitively():
    uses = {"tests/a.py": {"graded_class"}, "tests/b.py": {"graded_class", "small_class_once"},
            "tests/c.py": {"small_class_once"}, "tests/d.py": {"runs"}, "tests/e.py": {"runs"}, "tests/f.py": set()}
    unit = work_units.units(uses)
    assert unit["tests/a.py"] == unit["tests/b.py"] == unit["tests/c.py"] == "tests/a.py"
    assert unit["tests/d.py"] == unit["tests/e.py"] == "tests/d.py"
    assert unit["tests/f.py"] == "tests/f.py"


def test_units_start_longest_first_and_keep_their_order_otherwise(monkeypatch):
    monkeypatch.setattr(work_units, "WALL_SECONDS", {"tests/long.py": 100, "tests/half_a.py": 60, "tests/half_b.py": 60})
    items = [types.SimpleNamespace(nodeid=f"{file}::test_{i}") for i, file in
             enumerate(["tests/short.py", "tests/half_a.py", "tests/long.py", "tests/other.py", "tests/half_b.py"])]
    unit = {"tests/short.py": "tests/short.py", "tests/long.py": "tests/long.py", "tests/other.py": "tests/other.py",
            "tests/half_a.py": "tests/half_a.py", "tests/half_b.py": "tests/half_a.py"}  # 120 s together
    ordered = [work_units.file_of(item.nodeid) for item in work_units.order(items, unit)]
    assert ordered == ["tests/half_a.py", "tests/half_b.py", "tests/long.py", "tests/short.py", "tests/other.py"]


CONFTEST = """
import os, sys
import pytest
sys.path.insert(0, {tests!r})
from helpers import work_units
from helpers.work_units import pytest_configure, pytest_xdist_make_scheduler


def pytest_collection_modifyitems(items):
    items[:] = work_units.group_items(items)


@pytest.fixture(scope="session")
def graded_class():
    with open("built.txt", "a") as handle:
        handle.write(os.environ.get("PYTEST_XDIST_WORKER", "-") + "\\n")
"""


def test_a_class_fixture_is_built_once_under_two_workers(tmp_path):
    """Three files read a session fixture, three do not: pytest-xdist with two workers builds it once."""
    (tmp_path / "conftest.py").write_text(CONFTEST.format(tests=str(Path(__file__).parent)))
    for name in "abc":
        (tmp_path / f"test_{name}.py").write_text("".join(f"def test_{i}(graded_class):\n    pass\n" for i in range(4)))
    for name in "def":
        (tmp_path / f"test_{name}.py").write_text("".join(f"def test_{i}():\n    pass\n" for i in range(4)))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile", "-p", "no:cacheprovider", "-q"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "24 passed" in proc.stdout
    assert len((tmp_path / "built.txt").read_text().split()) == 1, proc.stdout
