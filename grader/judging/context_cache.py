"""The class context's inputs and expected values, computed once and kept in a file, so that a run
pays only for its students: the platforms' kit carries one made at image build time; `nngrade grade`
keeps one per kit state in the user's cache folder (grader.user_cache_dir).

The file holds the reference's outputs: it must live where only the judge can read it (the kit's
root-only folder; a cache folder of mode 0700 owned by the grader, which the sandbox's allow-list
leaves out and its uids cannot enter). It is keyed by the kit's fingerprint (grader code, reference,
rubric) and the versions of the libraries that make the cases and the expected values; a stale,
unreadable or untrusted file is ignored and the context is computed afresh.
"""
import os
import stat
import sys
from pathlib import Path

from grader import SOLUTIONS_DIR, user_cache_dir
from grader.atomic import atomic_write
from grader.protocol import ProtocolError, decode, encode, pack, unpack_bytes
from grader.judging.fingerprint import fingerprint
from grader.judging.reference import build_context, cached_parts

CACHE_NAME = "class_context.bin"
USER_CACHE_PREFIX = "class_context-"
USER_CACHE_KEEP = 8  # kit states kept in the user's cache folder (a few MB each), newest first


def cache_key(rubric=None, solutions_dir=SOLUTIONS_DIR):
    """The kit's fingerprint, portable across Python patch versions: a cache written under another
    is stale. rubric: a checked Rubric (grader.rubric.load_checked_rubric; None: the bundled one)."""
    return fingerprint(rubric, solutions_dir, portable=True)


def _pack(ctx, key):
    tree, buffers = encode({"key": key, **cached_parts(ctx)})
    return pack(tree, buffers)


def write_cache(path, rubric=None, solutions_dir=SOLUTIONS_DIR):
    """Compute the class context and store its cases and expected values; returns the context."""
    ctx = build_context(rubric, solutions_dir)
    atomic_write(path, _pack(ctx, cache_key(rubric, solutions_dir)), mode=0o600)
    return ctx


def read_cache(path, rubric=None, solutions_dir=SOLUTIONS_DIR):
    """{"cases", "expected", "plots"} if `path` holds them for this kit and these libraries, else None."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return _unpacked(data, cache_key(rubric, solutions_dir))


def _unpacked(data, key):
    """{"cases", "expected", "plots"} of a cache file's bytes if they were made for `key`, else None."""
    try:
        found = decode(*unpack_bytes(data))
    except (ProtocolError, ValueError, TypeError):
        return None
    if not isinstance(found, dict) or found.get("key") != key:
        return None
    return {"cases": found["cases"], "expected": found["expected"], "plots": found.get("plots")}


def load_context(cache_path=None, rubric=None, solutions_dir=SOLUTIONS_DIR):
    """(context, "cached" | "generated"): from the cache when it is current, else computed."""
    cached = read_cache(cache_path, rubric, solutions_dir) if cache_path else None
    if cached is not None:
        return build_context(rubric, solutions_dir, cached=cached), "cached"
    return build_context(rubric, solutions_dir), "generated"


# ---- the user's cache folder: `nngrade grade` run after run ----

def class_context(rubric=None, solutions_dir=SOLUTIONS_DIR, key=None, folder=None):
    """The class context of a run on this machine: read from the user's cache folder when it holds
    this kit state (key: its fingerprint), else computed and stored there for the next run.
    folder: the cache folder (default user_cache_dir()). A folder that is not private to this user
    is neither read nor written (its file could be forged to change grades)."""
    key = key or fingerprint(rubric, solutions_dir)
    folder = _private_folder(folder or user_cache_dir())
    path = folder / f"{USER_CACHE_PREFIX}{key}.bin" if folder else None
    data = _read_private(path) if path else None
    cached = _unpacked(data, key) if data else None
    if cached is not None:
        return build_context(rubric, solutions_dir, cached=cached, key=key)
    ctx = build_context(rubric, solutions_dir, key=key)
    if path:
        try:
            atomic_write(path, _pack(ctx, key), mode=0o600)
            _prune(folder)
        except OSError as exc:
            print(f"note: the class context was not cached in {folder}: {exc.strerror or exc}", file=sys.stderr)
    return ctx


def _private_folder(folder):
    """folder, created 0700 if missing, when it is a real folder of this user that nobody else may
    enter; else None (with a note)."""
    if folder is None:
        return None
    folder = Path(folder)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError as exc:
        print(f"note: no class context cache in {folder}: {exc.strerror or exc}", file=sys.stderr)
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        print(f"note: {folder} is not a folder only this user may enter (mode 0700): the class context "
              f"is not cached there", file=sys.stderr)
        return None
    return folder


def _read_private(path):
    """The file's bytes if it is a regular file of this user that nobody else may write, else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def _prune(folder):
    """Keep the USER_CACHE_KEEP newest contexts: each change of the grader or the reference makes one."""
    found = sorted(folder.glob(f"{USER_CACHE_PREFIX}*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in found[USER_CACHE_KEEP:]:
        old.unlink(missing_ok=True)
