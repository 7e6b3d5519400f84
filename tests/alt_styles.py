"""The correct alternatives in other styles (tests/alt_impls/<style>/), optional per module.

A style need not cover every module (a new module needs none): completed(style, dest) is a copy of
the style's folder with the reference's file for each module it leaves out, so it can be graded or
tested as a whole submission."""
import shutil
from pathlib import Path

from grader import SOLUTIONS_DIR, exercise_files, exercise_modules

ALT_IMPLS = Path(__file__).parent / "alt_impls"
STYLES = sorted(p.name for p in ALT_IMPLS.iterdir() if p.is_dir()) if ALT_IMPLS.is_dir() else []


def completed(style, dest):
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for path in exercise_files(ALT_IMPLS / style):
        shutil.copy(path, dest / path.name)
    for module in exercise_modules():
        if not (dest / f"{module}.py").exists():
            shutil.copy(SOLUTIONS_DIR / f"{module}.py", dest / f"{module}.py")
    return dest
