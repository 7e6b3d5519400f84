"""nngrade: exercises and an autograder for an introductory neural-networks course."""
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS_DIR = PROJECT_ROOT / "solutions"
EXERCISES_DIR = PROJECT_ROOT / "exercises"
RELEASE_DIR = PROJECT_ROOT / "release"


def user_cache_dir():
    """Where a grader on this machine keeps its class contexts between runs
    (grader.judging.context_cache): $NNGRADE_CACHE_DIR, else $XDG_CACHE_HOME/nngrade, else
    ~/.cache/nngrade; None when NNGRADE_CACHE_DIR is set empty (no cache)."""
    chosen = os.environ.get("NNGRADE_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nngrade"


def exercise_files(folder, suffix=".py"):
    """The exercise files of a folder (exNN_name.py, or with another suffix: notebooks), in exercise order."""
    return sorted(Path(folder).glob(f"ex[0-9][0-9]_*{suffix}"))


def exercise_modules(solutions_dir=SOLUTIONS_DIR):
    """The exercise modules: one per reference file solutions/exNN_name.py. The one module list;
    everything else (specs, probes, mistakes, the notebooks) follows it."""
    return tuple(p.stem for p in exercise_files(solutions_dir))
