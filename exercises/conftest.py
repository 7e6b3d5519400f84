"""pytest setup for the exercise tests: which implementation folder is tested, and helpers.

    pytest exercises                        # tests your files (the folder of this conftest)
    pytest exercises --impl path/to/folder  # tests the exNN_*.py files of another folder

Every module named like ``ex04_mlp_forward`` is loaded from that folder, also
when one exercise imports another (``from ex04_mlp_forward import ...`` inside
ex05), so a folder is always tested as a whole and never mixed with this one.
Tests get the modules from the fixtures ``ex01``, ``ex02``, ... (one per module) and assertion
helpers from the fixture ``check``.

Self-contained on purpose (it ships to students with the exercises): it imports
only the standard library, numpy, pytest, hypothesis and torch.
"""
import ast
import importlib
import importlib.abc
import importlib.util
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, settings

HERE = Path(__file__).resolve().parent
EXERCISE_NAME = re.compile(r"ex\d\d_\w+")
# The exercises are the exNN_*.py files next to this conftest (the stubs it ships with).
MODULES = tuple(sorted(p.stem for p in HERE.glob("ex[0-9][0-9]_*.py") if EXERCISE_NAME.fullmatch(p.stem)))

# Same examples on every run (no flaky results), no example database written
# into the students' folders, no per-example deadline (a loop-based solution
# is slow, not wrong), and few examples so the whole suite runs in seconds.
# No "explain" phase: it costs seconds per failing test and adds little here.
settings.register_profile(
    "nngrade",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=25,
    print_blob=False,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("nngrade")


# --------------------------------------------------------------------------
# --impl: where the exercise modules come from
# --------------------------------------------------------------------------


def pytest_addoption(parser):
    parser.addoption(
        "--impl",
        metavar="DIR",
        default=None,
        help="folder holding the exNN_*.py files to test (default: the exercises folder itself)",
    )


class ExerciseFinder(importlib.abc.MetaPathFinder):
    """Resolve every ``exNN_name`` import to ``folder/exNN_name.py`` and nowhere else.

    It sits first on sys.meta_path, so the folders pytest puts on sys.path
    (e.g. exercises/, the rootdir of the test files) can never shadow it.
    """

    def __init__(self, folder):
        self.folder = folder

    def find_spec(self, fullname, path=None, target=None):
        if not EXERCISE_NAME.fullmatch(fullname):
            return None
        source = self.folder / f"{fullname}.py"
        if not source.is_file():
            raise ModuleNotFoundError(f"No module named {fullname!r} in --impl folder {self.folder}", name=fullname)
        return importlib.util.spec_from_file_location(fullname, source)


FINDER_KEY = pytest.StashKey[ExerciseFinder]()


def _forget_exercise_modules():
    """Drop exercise modules imported earlier, so the next import reads the chosen folder."""
    for name in [n for n in sys.modules if EXERCISE_NAME.fullmatch(n)]:
        del sys.modules[name]


def _impl_folder(config):
    raw = config.getoption("--impl")
    if raw is None:
        return HERE
    folder = Path(raw).expanduser()
    if not folder.is_absolute():
        folder = Path.cwd() / folder  # relative to where pytest was started
    folder = folder.resolve()
    if not folder.is_dir():
        raise pytest.UsageError(f"--impl {raw}: folder {folder} does not exist")
    missing = [f"{name}.py" for name in MODULES if not (folder / f"{name}.py").is_file()]
    if missing:
        raise pytest.UsageError(
            f"--impl {raw}: folder {folder} lacks {', '.join(missing)} "
            "(point --impl at a folder holding all the exNN_*.py exercise files)"
        )
    return folder


def pytest_configure(config):
    # Hypothesis imports libcst to suggest @example patches for failing tests;
    # its DeprecationWarnings are noise for students.
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:libcst")
    finder = ExerciseFinder(_impl_folder(config))
    _forget_exercise_modules()
    sys.meta_path.insert(0, finder)
    config.stash[FINDER_KEY] = finder


def pytest_unconfigure(config):
    finder = config.stash.get(FINDER_KEY, None)
    if finder in sys.meta_path:
        sys.meta_path.remove(finder)
    _forget_exercise_modules()


def pytest_report_header(config):
    finder = config.stash.get(FINDER_KEY, None)
    if finder is not None:
        return f"nngrade: testing the exercise files in {finder.folder}"
    return None


def _module(name):
    # Imported when a test first asks for it (not at collection), so a file
    # with a syntax error shows up in its own tests instead of stopping the run.
    return importlib.import_module(name)


def _module_fixture(name):
    return pytest.fixture(scope="session", name=name[:4])(lambda: _module(name))


# One fixture per exercise, named by its number: ex01 is ex01_perceptron, ex08 would be ex08_...
for _name in MODULES:
    globals()[_name[:4]] = _module_fixture(_name)


# --------------------------------------------------------------------------
# check: assertion helpers whose messages say the input, the expected and the actual value
# --------------------------------------------------------------------------


def fmt(value):
    """Short, readable text for a number or an array."""
    if isinstance(value, (list, tuple)) or isinstance(value, np.ndarray):
        try:
            value = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return repr(value)
        return np.array2string(value, precision=6, threshold=40, separator=", ", max_line_width=120)
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    return repr(value)


class Check:
    """Helpers for the tests (the ``check`` fixture): each raises AssertionError with a clear message."""

    fmt = staticmethod(fmt)

    def __repr__(self):  # hypothesis prints the test's arguments: no "<conftest.Check object at 0x...>"
        return "check"

    @staticmethod
    def array(value, what):
        """value as a float array (lists and tuples are fine), or a failure saying what came back."""
        __tracebackhide__ = True  # a failure points at the test's line, not at this helper
        if value is None:
            raise AssertionError(f"{what}: expected numbers, got None (is a return statement missing?)")
        try:
            return np.asarray(value, dtype=float)
        except (TypeError, ValueError) as exc:
            raise AssertionError(f"{what}: expected numbers (an array or a list), got {value!r}") from exc

    def shape(self, got, shape, what):
        __tracebackhide__ = True
        arr = self.array(got, what)
        if arr.shape != tuple(shape):
            raise AssertionError(f"{what}: expected shape {tuple(shape)}, got shape {arr.shape} (value {fmt(arr)})")
        return arr

    def close(self, got, expected, what, rtol=1e-4, atol=1e-7):
        """got == expected up to atol + rtol * (largest |expected|): float32 arithmetic passes, mistakes do not."""
        __tracebackhide__ = True
        expected = np.asarray(expected, dtype=float)
        arr = self.shape(got, expected.shape, what)
        tolerance = atol + rtol * float(np.max(np.abs(expected), initial=0.0))
        bad = ~(np.abs(arr - expected) <= tolerance)  # also catches nan
        if np.any(bad):
            where = ""
            if arr.ndim:
                first = tuple(int(i) for i in np.argwhere(bad)[0])
                where = f"\n  first difference at index {first}: expected {fmt(expected[first])}, got {fmt(arr[first])}"
            raise AssertionError(f"{what}:\n  expected {fmt(expected)}\n  got      {fmt(arr)}{where}")
        return arr

    def close_either(self, got, expected, alternative, what, rtol=1e-4, atol=1e-7):
        """got == expected, or got == alternative() where that differs from expected. No double
        failure: a function right given your own wrong pieces passes (alternative: what your pieces
        imply), as does a right derivative of your wrong forward function (expected: finite
        differences of yours, alternative: the true derivative); the pieces' own tests fail."""
        __tracebackhide__ = True
        try:
            return self.close(got, expected, what, rtol, atol)
        except AssertionError:
            if not _the_alternative(got, expected, alternative, rtol, atol):
                raise
            return np.asarray(got, dtype=float)

    @staticmethod
    def quietly(what, function, *args, **kwargs):
        """Call function(*args, **kwargs); any warning (e.g. numpy's overflow) becomes a failure."""
        __tracebackhide__ = True
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                return function(*args, **kwargs)
            except Warning as warning:
                raise AssertionError(
                    f"{what} emitted {type(warning).__name__}: {warning} "
                    "- it must stay finite and warning-free (avoid computing exp of a large positive number)"
                ) from None

    def same_in_every_form(self, function, calls, expected=None):
        """Try every input form the docstrings declare for the arguments of `function` ("Input forms
        of x: ..." in its own docstring or its module's): each argument alone in each of its forms,
        then all of them at once in each form they share, on the first of `calls` ({argument: value})
        whose values the form can hold (a scalar, a vector, a matrix). The result must equal
        expected(**call) on the same values as float64 arrays (by default the function's own result
        there): a function that works on float64 arrays only fails here."""
        __tracebackhide__ = True
        name = getattr(function, "__name__", "the function")
        params = _contract_docs(function)[2]
        declared = {a: _declared_forms(function, a) for a in params}
        declared = {a: forms for a, forms in declared.items() if forms}
        if not declared:
            raise AssertionError(f"the docstring of {name} lists no input forms")
        tries = [([a], form) for a, forms in declared.items() for form in forms]
        if len(declared) > 1:
            tries += [(list(declared), f) for f in _input_forms() if all(f in forms for forms in declared.values())]
        for arguments, form in tries:
            given, plain = _in_form(calls, list(declared), arguments, form)
            shown = ", ".join(f"{a} = {given[a]!r}" for a in arguments)
            what = f"{name}(...) with {shown} ({'a' if len(arguments) == 1 else 'each a'} {form}, listed in the docstring)"
            want = _call(f"{name} on float64 arrays of the same values", expected or function, plain, params)
            got = _call(what, function, given, params)
            self.same_result(got, want, what)

    def same_result(self, got, want, what):
        """got == want, part by part for a tuple or a dict of results."""
        __tracebackhide__ = True
        if isinstance(want, (tuple, dict)):
            if not isinstance(got, (tuple, list, dict)) or len(got) != len(want):
                raise AssertionError(f"{what}: expected {len(want)} results, got {got!r}")
            keys = list(want) if isinstance(want, dict) else range(len(want))
            for key in keys:
                if isinstance(want, dict) and (not isinstance(got, dict) or key not in got):
                    raise AssertionError(f"{what}: the result has no {key!r}")
                self.same_result(got[key], want[key], f"{what}, result {key!r}")
            return
        self.close(got, want, what)

    @staticmethod
    def numeric_gradient(f, x, h):
        """Central differences (f(x + h e_i) - f(x - h e_i)) / 2h of the scalar function f at the array x."""
        x = np.array(x, dtype=float)
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            step = np.zeros_like(x)
            step[i] = h
            grad[i] = (float(f(x + step)) - float(f(x - step))) / (2 * h)
        return grad


def _input_forms():
    """{form: (fits(float array), convert(float array))}: the forms a contract may list (the
    grader's vocabulary, grader/forms.py; the kit's tests keep the two alike)."""
    def integral(a):
        return np.array_equal(a, np.round(a))

    return {
        "Python float": (lambda a: a.ndim == 0, float),
        "Python int": (lambda a: a.ndim == 0 and integral(a), int),
        "numpy float64 scalar": (lambda a: a.ndim == 0, np.float64),
        "numpy float32 scalar": (lambda a: a.ndim == 0, np.float32),
        "float64 array": (lambda a: True, lambda a: np.array(a, dtype=np.float64)),
        "float32 array": (lambda a: True, lambda a: np.array(a, dtype=np.float32)),
        "int array": (integral, lambda a: np.array(a, dtype=np.int64)),
        "list": (lambda a: a.ndim == 1, lambda a: a.tolist()),
        "nested list": (lambda a: a.ndim >= 2, lambda a: a.tolist()),
    }


def _declared_forms(function, argument):
    """The forms "Input forms of ARGUMENT ...: a, b, c." lists for `function`, read from the exercise
    file beside this conftest (the contract, whatever the tested code's own docstrings say): the
    function's own line first, then its module's ("Input forms of x, y and z: ..." names several)."""
    function_doc, module_doc, _ = _contract_docs(function)
    for names, listed in re.findall(DECLARATION, function_doc + "\n\n" + module_doc, re.S):
        if argument in re.split(r",\s*|\s+and\s+", names):
            forms = [" ".join(form.split()) for form in listed.split(",")]
            unknown = [form for form in forms if form not in _input_forms()]
            if unknown:
                raise AssertionError(f"the docstring lists unknown input forms {unknown} of {argument}")
            return forms
    return []


_DOCS = {}


def _contract_docs(function):
    """(the function's docstring, its module's docstring, its parameters) in the exercise files beside this conftest:
    of the module the function comes from, or, for a function defined elsewhere (a notebook's cell),
    of the first exercise file defining that name (ex04's sigmoid is a given copy of ex03's)."""
    if not _DOCS:
        for module in MODULES:
            tree = ast.parse((HERE / f"{module}.py").read_text(encoding="utf-8"))
            for node in tree.body:
                if isinstance(node, ast.FunctionDef):
                    params = [a.arg for a in node.args.posonlyargs + node.args.args]
                    docs = (ast.get_docstring(node) or "", ast.get_docstring(tree) or "", params)
                    _DOCS[(module, node.name)] = docs
                    _DOCS.setdefault(node.name, docs)
    name = getattr(function, "__name__", None)
    return _DOCS.get((getattr(function, "__module__", None), name)) or _DOCS.get(name, ("", "", []))


DECLARATION = r"Input forms of (\w+(?:(?:,\s*|\s+and\s+)\w+)*)[^:\n]*:\s*(.+?)\.(?:\s*\n\s*\n|\s*$)"


def _in_form(calls, declared, arguments, form):
    """(the first call whose `arguments` the form can hold, with them in the form; the same call with
    every `declared` argument a float64 array)."""
    __tracebackhide__ = True
    fits, convert = _input_forms()[form]
    for call in calls:
        plain = {a: np.asarray(v, dtype=float) if a in declared else v for a, v in call.items()}
        for a in arguments:
            if "float32" in form:
                plain[a] = plain[a].astype(np.float32).astype(float)
        if all(fits(plain[a]) for a in arguments):
            return {**plain, **{a: convert(plain[a]) for a in arguments}}, plain
    raise AssertionError(f"no test input can hold {', '.join(arguments)} as a {form}")


def _call(what, function, kwargs, params):
    """function(*args) with the contract's parameters in order (whatever the code names them); an
    exception other than NotImplementedError becomes a failure naming the call."""
    __tracebackhide__ = True
    try:
        return function(*[kwargs[p] for p in params if p in kwargs])
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - the failure names the form that broke
        raise AssertionError(f"{what} raised {type(exc).__name__}: {exc}") from None


def _the_alternative(got, expected, alternative, rtol, atol):
    """alternative() differs from expected and got is alternative()."""
    try:
        implied, got = np.asarray(alternative(), dtype=float), np.asarray(got, dtype=float)
    except Exception:  # noqa: BLE001 - pieces that fail or values that are no numbers imply nothing
        return False
    scale = float(np.max(np.abs(implied), initial=0.0))
    return (implied.shape == got.shape == np.shape(expected) and not np.allclose(implied, expected, rtol, atol)
            and bool(np.all(np.abs(got - implied) <= atol + rtol * scale)))


@pytest.fixture(scope="session")
def check():
    return Check()


# --------------------------------------------------------------------------
# reports a beginner can read: one line per test of an untouched function, short tracebacks
# --------------------------------------------------------------------------

NOT_IMPLEMENTED = pytest.StashKey[list]()


def _not_implemented(call):
    """The stub's message when the test failed because a function is still the untouched stub."""
    excinfo = call.excinfo
    if excinfo is None or not excinfo.errisinstance(NotImplementedError):
        return None
    return str(excinfo.value).splitlines()[0] if str(excinfo.value) else "not implemented yet"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when != "call" or not report.failed:
        return report
    message = _not_implemented(call)
    if message is not None:
        report.longrepr = f"NotImplementedError: {message}"
        report.nngrade_not_implemented = message
    elif item.config.getoption("tbstyle") == "auto":
        # the student's assertion message and the line of their test, without the helpers' source
        report.longrepr = item._repr_failure_py(call.excinfo, style="short")
    return report


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    """Untouched functions take one line per test, after the real failures (which keep their
    tracebacks); they still count as failed."""
    failed = terminalreporter.stats.get("failed", [])
    stubs = [r for r in failed if getattr(r, "nngrade_not_implemented", None)]
    if stubs:
        terminalreporter.stats["failed"] = [r for r in failed if r not in stubs]
    try:
        return (yield)
    finally:
        if stubs:
            terminalreporter.write_sep("=", f"not implemented yet: {len(stubs)} test{'' if len(stubs) == 1 else 's'}")
            for report in stubs:
                terminalreporter.write_line(f"{report.nodeid.rsplit('/', 1)[-1]} - {report.nngrade_not_implemented}")
            terminalreporter.stats["failed"] = failed
