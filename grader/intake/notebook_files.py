"""Reading files from a student's folder in an nbgrader course's submitted/ without trusting it.

What a student (or a careless collect) leaves there may be a symbolic link into the course's
source/ (the solutions), a hard link to some other file, a FIFO that blocks its reader forever,
a device, a folder named like a notebook, or a file far too large to read. Each is refused, with
what it is, before a byte is read: the entry is checked with lstat, opened relative to an
already opened folder without following links (so no path component can be swapped for a link
in between), checked again on the open descriptor, and read up to the size limit only.
"""
import os
import stat


_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


class RefusedFile(ValueError):
    """An entry that is not read; the message says what it is (the caller names the file)."""


class UnreadFolder(ValueError):
    """A folder on the way to the files that cannot be opened; the message names it and why."""


def _kind(info):
    return next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")


def _describe(info, name, dir_fd):
    if stat.S_ISLNK(info.st_mode):
        try:
            target = os.readlink(name, dir_fd=dir_fd)
        except OSError:
            target = "?"
        return f"a symbolic link (to {os.fsdecode(target)!r})"
    return _kind(info)


def open_folder(name, dir_fd=None):
    """A descriptor of the real folder `name` (relative to dir_fd); RefusedFile if it is anything
    else (a link to a folder included); FileNotFoundError if it does not exist."""
    info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    if not stat.S_ISDIR(info.st_mode):
        raise RefusedFile(f"is {_describe(info, name, dir_fd)}, not a folder")
    fd = os.open(name, _OPEN_FLAGS | os.O_DIRECTORY, dir_fd=dir_fd)
    if not _same(os.fstat(fd), info):
        os.close(fd)
        raise RefusedFile("was replaced while it was opened")
    return fd


def read_files(dir_fd, path, limits, where):
    """{name: bytes, or the RefusedFile or OSError that kept it unread} of the files that limits
    ({name: max bytes}) names, in the folder reached from dir_fd (shown as `where`) through the
    folders of `path` (a tuple of names, each opened with open_folder). None if the last folder
    does not exist; UnreadFolder naming the folder if one cannot be opened."""
    fd = dir_fd
    try:
        for depth, name in enumerate(path, 1):
            shown = "/".join((where, *path[:depth]))
            try:
                folder = open_folder(name, fd)
            except RefusedFile as exc:
                raise UnreadFolder(f"{shown}: refused: it {exc}") from None
            except OSError as exc:
                if isinstance(exc, FileNotFoundError) and depth == len(path):
                    return None
                raise UnreadFolder(f"{shown}: cannot open it: {exc.strerror}") from None
            if fd != dir_fd:
                os.close(fd)
            fd = folder
        return {name: _read_or_why(name, fd, max_bytes) for name, max_bytes in limits.items()}
    finally:
        if fd != dir_fd:
            os.close(fd)


def _read_or_why(name, dir_fd, max_bytes):
    try:
        return read_regular_file(name, dir_fd, max_bytes)
    except (RefusedFile, OSError) as exc:
        return exc


def read_regular_file(name, dir_fd, max_bytes):
    """The bytes of the regular file `name` in the folder dir_fd: refused if it is a link of
    either kind, not a regular file, or over max_bytes (by its size, before reading)."""
    info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    _check_regular(info, name, dir_fd, max_bytes)
    # O_NONBLOCK: should the entry have become a FIFO since the lstat, opening it does not hang.
    fd = os.open(name, _OPEN_FLAGS | os.O_NONBLOCK | os.O_NOCTTY, dir_fd=dir_fd)
    try:
        opened = os.fstat(fd)
        if not _same(opened, info):
            raise RefusedFile("was replaced while it was opened")
        _check_regular(opened, name, dir_fd, max_bytes)
        return _read_at_most(fd, max_bytes)
    finally:
        os.close(fd)


def _same(a, b):
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _check_regular(info, name, dir_fd, max_bytes):
    if not stat.S_ISREG(info.st_mode):
        raise RefusedFile(f"is {_describe(info, name, dir_fd)}: submit the notebook file itself")
    if info.st_nlink > 1:
        raise RefusedFile(f"has {info.st_nlink} hard links, so it is also some other file (perhaps the course's "
                          "own notebook): submit a copy of your notebook")
    if info.st_size > max_bytes:
        raise RefusedFile(f"is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit: clear the outputs "
                          "(Kernel > Restart & Clear Output) and submit again")


def _read_at_most(fd, max_bytes):
    chunks, size = [], 0
    while True:
        chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise RefusedFile(f"grew over the {max_bytes:,}-byte limit while it was read")
