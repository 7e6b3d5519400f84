"""The sandboxed child: imports one student's modules and runs the probes it is asked for.

Everything it sends back is plain data. Whatever the student's code does here (monkeypatching,
exiting, printing, forging frames) can only change what this child reports about its own
functions; expected values and scores never exist in this process.
"""
import copy
import os
import warnings

import numpy as np

from grader.loader import describe_exception, import_sources
from grader.protocol import decode, encode
from grader.sandbox.channel import Channel
from grader.sandbox.isolation import isolate
from grader.specs import ContractError, all_checks

LABEL = "submission"


def child_main(sock_fd, sources, config):
    """Never returns: serves requests until told to exit or killed."""
    try:
        applied, notices = isolate(config, sock_fd)
        channel = Channel(sock_fd, sock_fd)
        channel.send({"event": "isolated", "isolation": applied, "notices": notices})
        impl, status = import_sources(sources, LABEL, on_module=lambda name: channel.send({"event": "importing", "module": name}),
                                      keep_in_sys_modules=True)
        channel.send({"event": "ready", "modules": status})
        checks = all_checks()
        while True:
            message, buffers = channel.recv()
            if message.get("op") != "run":
                break
            results = [_run_job(checks[job["check"]], impl, decode(job["cases"], buffers)) for job in message["jobs"]]
            tree, arrays = encode(results)
            channel.send({"event": "done", "results": tree}, arrays)
    finally:
        os._exit(0)


def _run_job(check, impl, cases):
    return [_run_case(check, impl, case) for case in cases]


def _run_case(check, impl, case):
    pristine = copy.deepcopy(case)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = check.probe(impl, case)
        except ContractError as exc:
            return {"contract": str(exc)[:500]}
        except BaseException as exc:  # noqa: BLE001 - exits and interrupts are the student's errors too
            return {"error": describe_exception(exc, LABEL)}
    outcome = {"value": value}
    try:
        encode(value)
    except BaseException as exc:  # noqa: BLE001
        return {"error": f"the returned value could not be read: {describe_exception(exc)}"}
    mutated = [k for k in pristine if not _same(pristine[k], case.get(k))]
    if mutated:
        outcome["mutated"] = mutated
    messages = []
    for w in caught[:3]:
        try:
            messages.append(f"{w.category.__name__}: {w.message}"[:200])
        except BaseException:  # noqa: BLE001
            messages.append("a warning")
    if messages:
        outcome["warnings"] = messages
    return outcome


def _same(a, b):
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return isinstance(b, type(a)) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b
