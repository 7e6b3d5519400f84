"""The student stubs in exercises/ are generated from solutions/, leak nothing, and raise clearly."""
import importlib
import importlib.abc
import importlib.util
import inspect
import keyword
import re
import sys

import pytest

from grader import EXERCISES_DIR, SOLUTIONS_DIR, exercise_files
from grader.regions import STUB_HINT, find_regions, solution_lines, stub_source
from grader.release.stubs import expected_stubs, reference_modules, write_stubs

EXERCISE_NAME = re.compile(r"ex\d\d_\w+")
STUBS = expected_stubs()

def _trivial(line):
    """Lines too generic to give anything away: only punctuation and keywords (e.g. 'else:', ')')."""
    words = re.findall(r"[A-Za-z_]\w*", line)
    return all(keyword.iskeyword(w) for w in words)


def test_committed_stubs_equal_the_generated_ones():
    committed = {p.name for p in exercise_files(EXERCISES_DIR)}
    assert committed == set(STUBS), f"exercises/ holds {sorted(committed)}, solutions/ gives {sorted(STUBS)}: run `nngrade stubs`"
    stale = [name for name, text in STUBS.items() if (EXERCISES_DIR / name).read_text() != text]
    assert not stale, f"exercises/{', exercises/'.join(stale)} out of sync with solutions/: run `nngrade stubs`"


def test_generator_is_idempotent(tmp_path):
    assert sorted(write_stubs(SOLUTIONS_DIR, tmp_path)) == sorted(STUBS)
    assert write_stubs(SOLUTIONS_DIR, tmp_path) == []
    for name, text in STUBS.items():
        assert stub_source(text, name) == text, f"{name}: a stub must be a fixed point of the generator"


@pytest.mark.parametrize("solution", reference_modules(), ids=lambda p: p.name)
def test_no_solution_line_appears_in_any_stub(solution):
    secret = {line for line in solution_lines(solution.read_text()) if not _trivial(line)}
    assert secret, f"{solution.name}: no solution lines found"
    for stub_name, text in STUBS.items():
        visible = {line.strip() for line in text.splitlines()}
        leaked = secret & visible
        assert not leaked, f"exercises/{stub_name} shows solution lines of solutions/{solution.name}: {sorted(leaked)}"


def test_the_triviality_filter_keeps_real_code():
    assert _trivial("else:") and _trivial(")") and _trivial("return")
    assert not _trivial("return w") and not _trivial("s = sigmoid(z)")


class _FolderFinder(importlib.abc.MetaPathFinder):
    def __init__(self, folder):
        self.folder = folder

    def find_spec(self, fullname, path=None, target=None):
        if EXERCISE_NAME.fullmatch(fullname):
            return importlib.util.spec_from_file_location(fullname, self.folder / f"{fullname}.py")
        return None


@pytest.fixture(scope="module")
def stub_modules():
    """The committed stubs imported in-process; their cross-imports resolve to exercises/ too."""
    saved = {n: sys.modules.pop(n) for n in list(sys.modules) if EXERCISE_NAME.fullmatch(n)}
    finder = _FolderFinder(EXERCISES_DIR)
    sys.meta_path.insert(0, finder)
    try:
        yield {name[:-3]: importlib.import_module(name[:-3]) for name in STUBS}
    finally:
        sys.meta_path.remove(finder)
        for name in [n for n in sys.modules if EXERCISE_NAME.fullmatch(n)]:
            del sys.modules[name]
        sys.modules.update(saved)


def _owners():
    for path in reference_modules():
        for region in find_regions(path.read_text(), str(path)):
            yield path.stem, region.owner


@pytest.mark.parametrize("module, owner", list(_owners()), ids=lambda v: v)
def test_every_stub_raises_not_implemented_with_its_name(stub_modules, module, owner):
    obj = stub_modules[module]
    for part in owner.split("."):
        obj = getattr(obj, part)
    if owner.endswith(".__init__"):
        call = lambda: getattr(stub_modules[module], owner.split(".")[0])()  # noqa: E731
    else:
        required = [p for p in inspect.signature(obj).parameters.values() if p.default is p.empty]
        call = lambda: obj(*[None] * len(required))  # noqa: E731
    with pytest.raises(NotImplementedError) as info:
        call()
    assert str(info.value) == f"{owner}: {STUB_HINT}"
