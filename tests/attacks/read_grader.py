def leaky_relu(z, alpha=0.1):
    """Attack: read the grader's own files (its code, the rubric, the kit's tests) and the
    installed package's metadata pointing at them."""
    import glob
    import json
    import os

    worked = []
    for pattern in (f"{__PROJECT__}/grader/*.py", f"{__PROJECT__}/grader/*.toml", f"{__PROJECT__}/grader/specs/*.py",
                    f"{__PROJECT__}/tests/*.py", f"{__PROJECT__}/tests/attacks/*.py"):
        for path in glob.glob(pattern)[:3]:
            try:
                with open(path) as handle:
                    handle.read(100)
                worked.append(path[len(__PROJECT__):])
            except OSError:
                pass
    for directory in (f"{__PROJECT__}/grader", f"{__PROJECT__}/tests"):
        try:
            if os.listdir(directory):
                worked.append("listed " + directory[len(__PROJECT__):])
        except OSError:
            pass
    raise RuntimeError("ATTACK-REPORT " + json.dumps(worked[:8]))
