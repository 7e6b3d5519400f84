"""The one way the kit writes a file that others read: whole or not at all (a temporary file in the
same folder, flushed to disk, then renamed over the target), so that an interrupted grading never
leaves half a feedback page, gradebook or notebook behind."""
import os
import tempfile
from pathlib import Path


def _umask():
    mask = os.umask(0o022)  # os.umask only tells by setting: read once, at import, and put back
    os.umask(mask)
    return mask


# mkstemp creates 0600 files; the output gets the mode open() would give it (0666 less the umask),
# never writable by the group or others (a resumed run trusts these files, see
# grader.outputs.reports.refuse_untrusted_output).
FILE_MODE = 0o644 & ~_umask()
FOLDER_MODE = 0o755  # less the umask


def atomic_write(path, data, mode=FILE_MODE):
    """Write `data` (text, as UTF-8 with the newlines as given, or bytes) to `path`, atomically."""
    path = Path(path)
    path.parent.mkdir(FOLDER_MODE, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
