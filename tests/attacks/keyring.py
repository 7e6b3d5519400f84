_FOUND = {}
KEY_SPEC_USER_KEYRING, KEY_SPEC_SESSION_KEYRING = -4, -3
KEYCTL_SEARCH, KEYCTL_READ = 10, 11
SYS_ADD_KEY, SYS_KEYCTL = 248, 250  # x86_64


def add_bias(X):
    """Attack: state that outlives the child. Look for a key an earlier student left in this uid's
    kernel keyrings and read it; then leave one (user and session keyrings) for the next student
    of the lane. Reports every key operation that worked."""
    import ctypes
    import json

    if "report" not in _FOUND:
        libc = ctypes.CDLL(None, use_errno=True)
        worked = []
        for ring in (KEY_SPEC_USER_KEYRING, KEY_SPEC_SESSION_KEYRING):
            key = libc.syscall(SYS_KEYCTL, KEYCTL_SEARCH, ring, b"user", b"nngrade-attack-note", 0)
            if key > 0:
                buffer = ctypes.create_string_buffer(200)
                size = libc.syscall(SYS_KEYCTL, KEYCTL_READ, key, buffer, 200)
                worked.append(f"read a key left before: {buffer.raw[:max(size, 0)].decode(errors='replace')}")
        note = __STUDENT__.encode()
        for ring in (KEY_SPEC_USER_KEYRING, KEY_SPEC_SESSION_KEYRING):
            if libc.syscall(SYS_ADD_KEY, b"user", b"nngrade-attack-note", note, len(note), ring) > 0:
                worked.append(f"added a key to keyring {ring}")
        _FOUND["report"] = worked
    raise RuntimeError("ATTACK-REPORT " + json.dumps(_FOUND["report"]))
