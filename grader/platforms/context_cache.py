"""The class context's inputs and expected values, computed once (at image build time) and kept
in a file next to the kit, so that grading one submission pays only for itself.

The file holds the reference's outputs: it must live where only the judge can read it (the kit's
root-only folder). It is keyed by the kit's fingerprint (grader code, reference, rubric) and the
versions of the libraries that make the cases and the expected values; a stale or unreadable file
is ignored and the context is computed afresh.
"""
from pathlib import Path

from grader import SOLUTIONS_DIR
from grader.atomic import atomic_write
from grader.protocol import ProtocolError, decode, encode, pack, unpack_bytes
from grader.judging.fingerprint import fingerprint
from grader.judging.reference import build_context

CACHE_NAME = "class_context.bin"


def cache_key(rubric=None, solutions_dir=SOLUTIONS_DIR):
    """The kit's fingerprint, portable across Python patch versions: a cache written under another
    is stale. rubric: a checked Rubric (grader.rubric.load_checked_rubric; None: the bundled one)."""
    return fingerprint(rubric, solutions_dir, portable=True)


def write_cache(path, rubric=None, solutions_dir=SOLUTIONS_DIR):
    """Compute the class context and store its cases and expected values; returns the context."""
    ctx = build_context(rubric, solutions_dir)
    tree, buffers = encode({"key": cache_key(rubric, solutions_dir), "cases": ctx.cases, "expected": ctx.expected})
    atomic_write(path, pack(tree, buffers), mode=0o600)
    return ctx


def read_cache(path, rubric=None, solutions_dir=SOLUTIONS_DIR):
    """{"cases", "expected"} if `path` holds them for this kit and these libraries, else None."""
    try:
        header, buffers = unpack_bytes(Path(path).read_bytes())
        data = decode(header, buffers)
    except (OSError, ProtocolError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("key") != cache_key(rubric, solutions_dir):
        return None
    return {"cases": data["cases"], "expected": data["expected"]}


def load_context(cache_path=None, rubric=None, solutions_dir=SOLUTIONS_DIR):
    """(context, "cached" | "generated"): from the cache when it is current, else computed."""
    cached = read_cache(cache_path, rubric, solutions_dir) if cache_path else None
    if cached is not None:
        return build_context(rubric, solutions_dir, cached=cached), "cached"
    return build_context(rubric, solutions_dir), "generated"
