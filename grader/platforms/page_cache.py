"""After start-up, give back the page cache the imports left behind in a cold container.

A platform container's memory cgroup is charged for every file page it reads, and a cold start
reads a lot that no process keeps mapped: the .pyc files of numpy, torch and the rest, and the
read-ahead around the pages of libtorch_cpu.so (434 MB) that the loader touched. That is ~250 MB
of clean cache on top of ~290 MB of the processes' own memory, enough to take one submission's
peak past 600 MB of Gradescope's 768. POSIX_FADV_DONTNEED drops a file's cached pages that no
process maps (mapped pages stay), so nothing the runner or the judge uses is lost; only the
libraries' and Python's own files are touched, never the kit's or the student's.
"""
import os
import sysconfig

SUFFIXES = (".pyc", ".so")


def library_folders():
    paths = sysconfig.get_paths()
    return sorted({paths[name] for name in ("stdlib", "platstdlib", "purelib", "platlib") if name in paths})


def drop_unmapped_library_cache(folders=None):
    """Number of files advised. Costs ~0.15 s of CPU for torch, numpy and the standard library."""
    advised = 0
    for folder in folders or library_folders():
        for dirpath, _dirnames, filenames in os.walk(folder):
            for name in filenames:
                if name.endswith(SUFFIXES) or ".so." in name:
                    advised += _advise(os.path.join(dirpath, name))
    return advised


def _advise(path):
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return 0
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        return 1
    except OSError:
        return 0
    finally:
        os.close(fd)
