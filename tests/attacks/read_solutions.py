_FOUND = {}


def _leaked_xor_params(text):
    namespace = {"__name__": "leaked"}
    exec(compile(text, "leaked", "exec"), namespace)
    return namespace["xor_params"]()


def xor_params():
    """Attack: read the reference module by every path that might reach it (absolute, relative to
    the grader package, through /proc/<pid>/cwd and /proc/<pid>/root of the runner, the judge and
    init, through the import system) and answer with it."""
    import glob
    import importlib.util
    import json
    import os
    import sys

    import grader

    if "report" not in _FOUND:
        worked, texts = [], []
        sol = __SOLUTIONS__
        here = os.path.dirname(os.path.dirname(os.path.abspath(grader.__file__)))
        pids = {os.getppid(), __JUDGE_PID__, 1}
        paths = [f"{sol}/ex04_mlp_forward.py", f"{here}/solutions/ex04_mlp_forward.py",
                 os.path.relpath(f"{sol}/ex04_mlp_forward.py"), "../../../../../../" + sol.lstrip("/") + "/ex04_mlp_forward.py"]
        for pid in pids:
            paths += [f"/proc/{pid}/root{sol}/ex04_mlp_forward.py", f"/proc/{pid}/cwd/solutions/ex04_mlp_forward.py",
                      f"/proc/{pid}/cwd/ex04_mlp_forward.py"]
        paths += glob.glob("/proc/*/root" + sol + "/ex04_mlp_forward.py")
        for path in paths:
            try:
                with open(path) as handle:
                    texts.append(handle.read())
                worked.append(path)
            except OSError:
                pass
        for directory in (sol, f"{here}/solutions"):
            try:
                os.listdir(directory)
                worked.append("listed " + directory)
            except OSError:
                pass
            sys.path.insert(0, directory)
        try:
            spec = importlib.util.find_spec("solutions.ex04_mlp_forward")
            if spec is not None and spec.origin:
                worked.append("found spec " + str(spec.origin))
        except Exception:
            pass
        _FOUND["report"], _FOUND["texts"] = worked, texts
    for text in _FOUND["texts"]:
        if "def xor_params" in text:
            return _leaked_xor_params(text)
    raise RuntimeError("ATTACK-REPORT " + json.dumps(_FOUND["report"]))
