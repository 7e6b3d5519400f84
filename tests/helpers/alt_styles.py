"""The correct alternatives in other styles (tests/alt_impls/<style>/), optional per module and per
function.

A style need not cover every module nor every function of a module it covers (a new module or a
new function needs no edit here): completed(style, dest) is a copy of the style's folder in which
each module the style leaves out is the reference's file, and each module it covers starts with the
reference's source, so that the functions the style does not define are the reference's and the
style's own definitions, coming after, replace the others. It can be graded or tested as a whole
submission."""
import ast
import shutil
from pathlib import Path

from grader import SOLUTIONS_DIR, exercise_files, exercise_modules

ALT_IMPLS = Path(__file__).parent.parent / "alt_impls"
STYLES = sorted(p.name for p in ALT_IMPLS.iterdir() if p.is_dir()) if ALT_IMPLS.is_dir() else []


def completed(style, dest, solutions=SOLUTIONS_DIR):
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for path in exercise_files(ALT_IMPLS / style):
        reference = Path(solutions) / path.name
        own = path.read_text()
        missing = _top_level_names(reference.read_text()) - _top_level_names(own) if reference.is_file() else set()
        public = {name for name in missing if not name.startswith("_")}
        (dest / path.name).write_text(f"{reference.read_text()}\n\n{own}" if public else own)
    for module in exercise_modules(solutions):
        if not (dest / f"{module}.py").exists():
            shutil.copy(Path(solutions) / f"{module}.py", dest / f"{module}.py")
    return dest


def _top_level_names(source):
    """The functions and classes a module defines at its top level."""
    return {node.name for node in ast.parse(source).body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
