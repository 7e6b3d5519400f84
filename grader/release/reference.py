"""Import the reference modules in solutions/ without leaving them in sys.modules.

The reference modules import each other by bare name (ex05 does
`from ex04_mlp_forward import ...`), exactly like the students' stubs. Left in
sys.modules they would shadow the stubs for anything imported later in the same
process (e.g. the exercises' tests), so they are removed again afterwards; the
returned module objects keep working.
"""
import importlib
import sys
from pathlib import Path

from grader import SOLUTIONS_DIR, exercise_modules


def load_reference(solutions_dir=SOLUTIONS_DIR):
    """{module name: module} for every solutions/exNN_*.py."""
    solutions_dir = Path(solutions_dir).resolve()
    names = exercise_modules(solutions_dir)
    saved = {name: sys.modules.pop(name) for name in names if name in sys.modules}
    sys.path.insert(0, str(solutions_dir))
    try:
        return {name: importlib.import_module(name) for name in names}
    finally:
        sys.path.remove(str(solutions_dir))
        for name in names:
            sys.modules.pop(name, None)
        sys.modules.update(saved)
