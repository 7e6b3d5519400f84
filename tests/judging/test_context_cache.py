"""The class context kept between runs of `nngrade grade` (grader.judging.context_cache.class_context):
made once per kit state, read back as the same values, only from a folder nobody else may enter,
and hidden from every child."""
import os
import pwd

import pytest

from grader import user_cache_dir
from grader.judging import context_cache
from grader.judging.fingerprint import fingerprint
from grader.judging.reference import cached_parts
from grader.protocol import encode, pack
from grader.sandbox.client import kit_folders


@pytest.fixture
def builds(monkeypatch):
    """The contexts class_context computes (not read): [(rubric, solutions_dir, cached)]."""
    made, real = [], context_cache.build_context

    def counted(rubric=None, solutions_dir=None, cached=None, key=None):
        made.append(cached)
        return real(rubric, solutions_dir, cached=cached, key=key)

    monkeypatch.setattr(context_cache, "build_context", counted)
    return made


def _same(a, b):
    """The same cases, expected values and reference plots (all a cache file keeps)."""
    return pack(*encode(cached_parts(a))) == pack(*encode(cached_parts(b)))


def test_the_second_run_reads_what_the_first_computed(tmp_path, builds):
    folder = tmp_path / "cache"
    first = context_cache.class_context(folder=folder)
    assert builds == [None] and oct(folder.stat().st_mode & 0o777) == "0o700"
    [path] = folder.iterdir()
    assert path.name == f"class_context-{fingerprint()}.bin" and oct(path.stat().st_mode & 0o777) == "0o600"
    second = context_cache.class_context(folder=folder)
    assert builds[1] is not None and _same(first, second)  # read back: the very cases and expected values


def test_a_stale_or_damaged_file_is_computed_again(tmp_path, builds):
    folder = tmp_path / "cache"
    context_cache.class_context(folder=folder)
    [path] = folder.iterdir()
    path.write_bytes(path.read_bytes()[:1000])  # cut short
    context_cache.class_context(folder=folder)
    assert builds == [None, None]
    os.chmod(path, 0o600)
    forged = pack(*encode({"key": "another kit", "cases": {}, "expected": {}}))
    path.write_bytes(forged)
    context_cache.class_context(folder=folder)
    assert builds == [None, None, None]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the folder or the file to another user")
def test_a_folder_or_file_others_may_change_is_never_read(tmp_path, builds, capsys):
    folder = tmp_path / "cache"
    context_cache.class_context(folder=folder)
    [path] = folder.iterdir()
    os.chmod(path, 0o666)  # anyone could have written these expected values
    context_cache.class_context(folder=folder)
    assert builds == [None, None]
    os.chmod(path, 0o600)
    os.chown(path, pwd.getpwnam("nobody").pw_uid, -1)
    context_cache.class_context(folder=folder)
    assert builds == [None, None, None]
    open_folder = tmp_path / "open"
    open_folder.mkdir(mode=0o755)
    os.chmod(open_folder, 0o755)
    context_cache.class_context(folder=open_folder)
    assert builds[-1] is None and not list(open_folder.iterdir())  # neither read nor written
    assert f"{open_folder} is not a folder only this user may enter" in capsys.readouterr().err


def test_the_folder_is_chosen_by_the_environment_and_hidden_from_every_child(tmp_path, monkeypatch):
    monkeypatch.setenv("NNGRADE_CACHE_DIR", str(tmp_path / "mine"))
    assert user_cache_dir() == tmp_path / "mine" and str(tmp_path / "mine") in kit_folders()
    monkeypatch.delenv("NNGRADE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache_dir() == tmp_path / "xdg" / "nngrade"
    monkeypatch.setenv("NNGRADE_CACHE_DIR", "")
    assert user_cache_dir() is None


def test_without_a_cache_folder_every_run_computes(monkeypatch, builds):
    monkeypatch.setenv("NNGRADE_CACHE_DIR", "")
    context_cache.class_context()
    context_cache.class_context()
    assert builds == [None, None]


def test_old_kit_states_are_pruned(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    for i in range(context_cache.USER_CACHE_KEEP + 3):
        old = folder / f"{context_cache.USER_CACHE_PREFIX}{i:04d}.bin"
        old.write_bytes(b"x")
        os.utime(old, (i, i))
    context_cache.class_context(folder=folder)
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == context_cache.USER_CACHE_KEEP and f"{context_cache.USER_CACHE_PREFIX}{fingerprint()}.bin" in kept
    assert f"{context_cache.USER_CACHE_PREFIX}0000.bin" not in kept  # the oldest went first
