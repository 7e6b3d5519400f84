def tanh(z):
    """Attack: report the judge-side modules this child holds (the grader's answers)."""
    import sys

    # the child-side modules the kit declares (tests/specs/test_specs.py CHILD_SIDE): no judge, no answers
    allowed = ("grader.probes", "grader.sandbox", "grader.protocol", "grader.loader", "grader.limits", "grader.forms",
               "grader.seeding")
    judge = sorted(m for m in sys.modules if m.startswith("grader.") and not m.startswith(allowed))
    judge += sorted(m for m in sys.modules if m.startswith("solutions"))
    raise RuntimeError("ATTACK-REPORT " + __import__("json").dumps(judge))
