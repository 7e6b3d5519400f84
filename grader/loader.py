"""Import exercise modules from source text, so that `import ex04_mlp_forward` inside ex05
resolves to the same set of sources (a student's, or the reference's) and nothing else."""
import importlib.abc
import importlib.util
import re
import sys
from pathlib import Path

from grader import exercise_files

MODULE_NAME = re.compile(r"^ex\d\d_\w+$")


class SourceFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves module names from a {name: source text} mapping; `label` prefixes their file names.
    after_exec(module), if given, runs once each module has executed, before any module importing
    it goes on (the child wraps the graded functions there: grader/sandbox/calls.py)."""

    def __init__(self, sources, label, after_exec=None):
        self.sources = sources
        self.label = label
        self.after_exec = after_exec

    def find_spec(self, fullname, path=None, target=None):
        if fullname in self.sources:
            return importlib.util.spec_from_loader(fullname, self, origin=f"{self.label}/{fullname}.py")
        if MODULE_NAME.match(fullname):  # an exercise module this submission lacks: never look elsewhere
            raise ModuleNotFoundError(f"No module named {fullname!r} in {self.label}", name=fullname)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        name = module.__name__
        module.__file__ = f"{self.label}/{name}.py"
        code = compile(self.sources[name], module.__file__, "exec", dont_inherit=True)
        exec(code, module.__dict__)
        if self.after_exec is not None:
            self.after_exec(module)


class Impl:
    """Attribute access to a set of loaded exercise modules: impl.ex03_activations.sigmoid."""

    def __init__(self, modules):
        self._modules = dict(modules)

    def __getattr__(self, name):
        try:
            return self._modules[name]
        except KeyError:
            raise AttributeError(f"module {name} is missing") from None

    def has(self, name):
        return name in self._modules


def read_sources(folder):
    """{module name: text} for the exNN_*.py files of a trusted folder (the reference)."""
    return {p.stem: p.read_text() for p in exercise_files(folder)}


def import_sources(sources, label, on_module=None, keep_in_sys_modules=False, after_exec=None):
    """Import every module in `sources`; returns (Impl of the ones that imported, {name: error or None}).

    on_module(name) is called before each import (the sandbox reports progress with it, so a
    module that hangs at import time can be named); after_exec: see SourceFinder.
    """
    finder = SourceFinder(sources, label, after_exec)
    for name in sources:
        sys.modules.pop(name, None)
    sys.meta_path.insert(0, finder)
    modules, status = {}, {}
    try:
        for name in sorted(sources):
            if on_module:
                on_module(name)
            try:
                modules[name] = importlib.import_module(name)
                status[name] = None
            except BaseException as exc:  # noqa: BLE001 - SystemExit and friends are the student's errors too
                status[name] = describe_exception(exc, label)
                sys.modules.pop(name, None)
    finally:
        if not keep_in_sys_modules:
            sys.meta_path.remove(finder)
            for name in sources:
                sys.modules.pop(name, None)
    return Impl(modules), status


def describe_exception(exc, label=None):
    """One line: the exception and, when known, the student's file and line it came from."""
    try:
        text = f"{type(exc).__name__}: {exc}"
    except BaseException:  # noqa: BLE001 - a hostile __str__
        text = type(exc).__name__
    text = text[:500]
    where = None if isinstance(exc, SyntaxError) else _student_frame(exc, label)
    return f"{text} ({where})" if where else text


def _student_frame(exc, label):
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{Path(exc.filename).name}, line {exc.lineno}"
    tb, found = exc.__traceback__, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if label and filename.startswith(f"{label}/"):
            found = f"{Path(filename).name}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return found
