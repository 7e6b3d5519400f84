"""The kit's fingerprint: what a graded record was graded with (resume key, context cache key)."""
import hashlib
import sys
from importlib import metadata
from pathlib import Path

from grader import PROJECT_ROOT, SOLUTIONS_DIR
from grader.rubric import DEFAULT_RUBRIC


def fingerprint(rubric=None, solutions_dir=SOLUTIONS_DIR, portable=False):
    """Changes whenever the grader's code, the reference, the rubric (a Rubric: the file it was read
    from; None: the bundled one) or a library the grading depends on changes (resume key: a student
    graded before any such change is graded again).
    portable: Python's minor version only, not its patch, for a cache made on another machine
    (PrairieLearn's is made where the question is built; the image's 3.11.x seldom matches)."""
    digest = hashlib.sha256(_versions(portable))
    code = [(p.relative_to(PROJECT_ROOT).as_posix(), p) for p in sorted((PROJECT_ROOT / "grader").rglob("*.py"))]
    data = [(f"solutions/{p.name}", p) for p in sorted(Path(solutions_dir).glob("*.py"))]
    for name, path in [*code, *data]:
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes())
    digest.update(b"rubric\0" + (rubric.raw if rubric is not None else DEFAULT_RUBRIC.read_bytes()))
    return digest.hexdigest()[:16]


# Besides the kit's own code: what generates the class's cases and runs the checks.
FINGERPRINT_LIBRARIES = ("numpy", "torch", "hypothesis")


def _versions(portable):
    python = ".".join(map(str, sys.version_info[:2 if portable else 3]))
    found = [f"python={python}"]
    for name in FINGERPRINT_LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return " ".join(found).encode()
