"""Hidden folders the sandbox uids cannot traverse, where no mount namespace hides them.

As root without CAP_SYS_ADMIN (Docker, Gradescope) the children get no mount namespace: Landlock
keeps them from reading the hidden folders (the reference, the kit, the submissions, the output)
but not from looking up what is inside, and `stat` would tell the sizes and times of the
reference and of classmates' modules and results. For the batch, each hidden folder gets an entry
in its POSIX access-control list per sandbox uid, with no rights: those uids cannot traverse it,
so nothing inside can be looked up. Nothing else changes (the mode bits and every other user's
access stay as they were), and the entries are removed when the batch ends (a later run also
removes any that a killed run left behind).
"""
import errno
import os
import struct

ACL_XATTR = "system.posix_acl_access"
ACL_VERSION = 2
USER_OBJ, USER, GROUP_OBJ, GROUP, MASK, OTHER = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
NO_ID = 0xFFFFFFFF
ENTRY = struct.Struct("<HHI")  # tag, permissions, id
HEADER = struct.Struct("<I")


def deny(folders, uids):
    """Add a no-rights entry for each uid to each folder's ACL. Returns (the folders changed,
    notices for those that could not be)."""
    changed, notices = [], []
    for folder in dict.fromkeys(map(str, folders)):
        if not os.path.isdir(folder):
            continue
        try:
            entries = _without(_entries(folder), uids)
            _write(folder, entries + [(USER, 0, uid) for uid in uids])
            changed.append(folder)
        except OSError as exc:
            notices.append(f"{folder}: its metadata stays visible to the sandbox ({exc.strerror or exc})")
    return changed, notices


def allow(folders, uids):
    """Remove the uids' entries again (the ACL as it was before deny)."""
    for folder in folders:
        try:
            _write(folder, _without(_entries(folder), uids))
        except OSError:
            pass  # gone, or no longer ours to change: nothing to restore


def _entries(folder):
    """The folder's ACL as (tag, permissions, id) entries; from its mode bits when it has none."""
    try:
        data = os.getxattr(folder, ACL_XATTR, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.ENODATA, getattr(errno, "ENOATTR", errno.ENODATA)):
            raise
        mode = os.stat(folder, follow_symlinks=False).st_mode
        return [(USER_OBJ, mode >> 6 & 7, NO_ID), (GROUP_OBJ, mode >> 3 & 7, NO_ID), (OTHER, mode & 7, NO_ID)]
    if len(data) < HEADER.size or HEADER.unpack_from(data)[0] != ACL_VERSION or (len(data) - HEADER.size) % ENTRY.size:
        raise OSError(errno.EINVAL, "an access-control list this grader cannot read")
    return [ENTRY.unpack_from(data, offset) for offset in range(HEADER.size, len(data), ENTRY.size)]


def _without(entries, uids):
    return [e for e in entries if not (e[0] == USER and e[2] in uids)]


def _write(folder, entries):
    """Write the ACL, in the order the kernel requires; without named entries, the plain mode bits."""
    named = [e for e in entries if e[0] in (USER, GROUP)]
    if not named:
        try:
            os.removexattr(folder, ACL_XATTR, follow_symlinks=False)
        except OSError as exc:
            if exc.errno not in (errno.ENODATA, getattr(errno, "ENOATTR", errno.ENODATA)):
                raise
        return
    if not any(e[0] == MASK for e in entries):  # the mask a named entry needs: the group's own rights, unchanged
        entries = entries + [(MASK, next(e[1] for e in entries if e[0] == GROUP_OBJ), NO_ID)]
    entries = sorted(entries, key=lambda e: (e[0], e[2]))
    data = HEADER.pack(ACL_VERSION) + b"".join(ENTRY.pack(*e) for e in entries)
    os.setxattr(folder, ACL_XATTR, data, follow_symlinks=False)
