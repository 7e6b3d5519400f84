"""Seeds for the student's unseeded randomness, derived from the case being run (child side).

A student who draws from np.random, random or torch without seeding them would otherwise get a
different "got" on every regrade. Before each graded call the child seeds numpy's legacy global
generator, Python's `random` and (when the student's code imported it) torch's default generator
from a digest of the check id and the case, so the same case gives the same draws on every run,
whatever ran before it (searches and batching change the order of cases, not their seeds).
"""
import hashlib
import json
import random
import sys

import numpy as np

from grader.protocol import encode


def case_seed(check_id, case):
    """A 32-bit seed that depends only on the check id and the case's values."""
    tree, buffers = encode(case)
    digest = hashlib.sha256(str(check_id).encode())
    digest.update(json.dumps(tree, sort_keys=True).encode())
    for buffer in buffers:
        digest.update(buffer)
    return int.from_bytes(digest.digest()[:4], "big")


def class_seeds(class_cases):
    """{check id: [case_seed of each of its cases]}: computed once where the class's inputs arrive
    (the runner, before forking), so that a child does not digest the same cases for every student."""
    return {check_id: [case_seed(check_id, case) for case in cases] for check_id, cases in class_cases.items()}


def seed_generators(seed):
    """Seed every global generator a student's code may draw from without seeding it."""
    random.seed(seed)
    np.random.seed(seed)
    torch = sys.modules.get("torch")  # not imported here: a student who never imports torch pays nothing
    if torch is not None:
        seed_torch(torch, seed)


def seed_torch(torch, seed):
    """torch's default generator seeded: the CPU generator alone, what torch.manual_seed seeds on a
    CPU build, without its lazy seeding of absent accelerators, which records a stack trace (reading
    source files) on each call."""
    torch.default_generator.manual_seed(seed)
