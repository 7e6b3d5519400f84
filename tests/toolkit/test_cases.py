"""The class's cases and a search's smallest input depend on the check alone, not on which local
modules the grading process happened to import (hypothesis draws constants from those)."""
import importlib
import sys

import numpy as np
from hypothesis import strategies as st

from grader.specs import Check
from grader.toolkit.cases import generate_cases, search_minimal

CONSTANTS = (31337.25, 271828.5, 4242.125, -9119.75)  # numbers no kit module holds


def _check():
    return Check("ex99_demo.f", "matches_reference", lambda got, expected, case: None,
                 cases=st.fixed_dictionaries({"x": st.floats(-1e6, 1e6, allow_nan=False)}), max_examples=60)


def _import_local_module_with_constants(folder, monkeypatch):
    from hypothesis.internal.conjecture import providers

    # hypothesis scans only modules whose id() it has not seen, and only when sys.modules changed
    # length: a new module at the address of one collected earlier would be skipped (flaky)
    monkeypatch.setattr(providers, "_seen_modules", set())
    monkeypatch.setattr(providers, "_sys_modules_len", None)
    module = folder / "lots_of_constants.py"
    module.write_text("".join(f"C{i} = {value!r}\n" for i, value in enumerate(CONSTANTS)))
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.chdir(folder)  # hypothesis counts a module under the working folder as local
    importlib.import_module("lots_of_constants")
    monkeypatch.setitem(sys.modules, "lots_of_constants", sys.modules["lots_of_constants"])


def test_importing_a_module_full_of_constants_changes_no_case_and_no_search(tmp_path, monkeypatch):
    check = _check()
    before = generate_cases(check)
    smallest_before = search_minimal(check, lambda case: case["x"] > 1000.0)
    _import_local_module_with_constants(tmp_path, monkeypatch)
    from hypothesis.internal.conjecture import providers

    pool = providers._get_local_constants()  # hypothesis does see the module's constants
    assert set(CONSTANTS) <= set(pool.floats), "the test no longer reaches hypothesis's local constants"
    after = generate_cases(check)
    assert [c["x"] for c in after] == [c["x"] for c in before]
    assert not {c["x"] for c in after} & set(CONSTANTS)
    assert search_minimal(check, lambda case: case["x"] > 1000.0) == smallest_before
    assert np.isfinite(smallest_before["x"])
