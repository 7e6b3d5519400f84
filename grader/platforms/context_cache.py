"""The class context's inputs and expected values, computed once (at image build time) and kept
in a file next to the kit, so that grading one submission pays only for itself.

The file holds the reference's outputs: it must live where only the judge can read it (the kit's
root-only folder). It is keyed by the kit's fingerprint (grader code, reference, rubric) and the
versions of the libraries that make the cases and the expected values; a stale or unreadable file
is ignored and the context is computed afresh.
"""
import hashlib
import sys
from importlib import metadata
from pathlib import Path

from grader import PROJECT_ROOT, SOLUTIONS_DIR
from grader.protocol import ProtocolError, decode, encode, pack, unpack_bytes
from grader.judging.reference import build_context
from grader.rubric import DEFAULT_RUBRIC

CACHE_NAME = "class_context.bin"
LIBRARIES = ("hypothesis", "numpy", "torch")  # what makes the cases and the reference's outputs


def cache_key(rubric_path=None, solutions_dir=SOLUTIONS_DIR):
    """What the cached values depend on, and nothing else: the kit's files (grader code, reference,
    rubric), the libraries that make the cases and the expected values, and Python's minor version.
    Not its patch version: PrairieLearn's cache is made where the question is built, and the
    image's Python 3.11.x seldom has the same patch."""
    versions = [f"python={sys.version_info.major}.{sys.version_info.minor}"]
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return f"{kit_digest(rubric_path, solutions_dir)};{';'.join(versions)}"


def kit_digest(rubric_path=None, solutions_dir=SOLUTIONS_DIR):
    digest = hashlib.sha256()
    code = [(p.relative_to(PROJECT_ROOT).as_posix(), p) for p in sorted((PROJECT_ROOT / "grader").rglob("*.py"))]
    data = [(f"solutions/{p.name}", p) for p in sorted(Path(solutions_dir).glob("*.py"))]
    for name, path in [*code, *data, ("rubric", Path(rubric_path or DEFAULT_RUBRIC))]:
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def write_cache(path, rubric_path=None, solutions_dir=SOLUTIONS_DIR):
    """Compute the class context and store its cases and expected values; returns the context."""
    ctx = build_context(rubric_path, solutions_dir)
    tree, buffers = encode({"key": cache_key(rubric_path, solutions_dir), "cases": ctx.cases, "expected": ctx.expected})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(pack(tree, buffers))
    tmp.chmod(0o600)
    tmp.replace(path)
    return ctx


def read_cache(path, rubric_path=None, solutions_dir=SOLUTIONS_DIR):
    """{"cases", "expected"} if `path` holds them for this kit and these libraries, else None."""
    try:
        header, buffers = unpack_bytes(Path(path).read_bytes())
        data = decode(header, buffers)
    except (OSError, ProtocolError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("key") != cache_key(rubric_path, solutions_dir):
        return None
    return {"cases": data["cases"], "expected": data["expected"]}


def load_context(cache_path=None, rubric_path=None, solutions_dir=SOLUTIONS_DIR):
    """(context, "cached" | "generated"): from the cache when it is current, else computed."""
    cached = read_cache(cache_path, rubric_path, solutions_dir) if cache_path else None
    if cached is not None:
        return build_context(rubric_path, solutions_dir, cached=cached), "cached"
    return build_context(rubric_path, solutions_dir), "generated"
