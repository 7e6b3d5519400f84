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
from grader.sandbox.isolation import isolate, missing_layers
from grader.specs import ContractError, all_checks

LABEL = "submission"


def child_main(sock_fd, sources, config, class_cases):
    """Never returns: serves requests until told to exit or killed. With sources None (forked by
    the runner's fork server), the submission's sources and config arrive as the first frame."""
    try:
        channel = Channel(sock_fd, sock_fd)
        if sources is None:
            init, _ = channel.recv()
            sources, config = init["sources"], init["config"]
        applied, notices = isolate(config, sock_fd)
        channel.send({"event": "isolated", "isolation": applied, "notices": notices})
        if missing_layers(applied) and not config.get("insecure"):
            return  # Security: no student code without the allow-list and the network ban (see client.open)
        impl, status = import_sources(sources, LABEL, on_module=lambda name: channel.send({"event": "importing", "module": name}),
                                      keep_in_sys_modules=True)
        channel.send({"event": "ready", "modules": status})
        checks = all_checks()
        while True:
            message, buffers = channel.recv()
            if message.get("op") != "run":
                break
            for function in message["functions"]:  # one frame per function: the runner times each
                results = [_run_job(checks[job["check"]], impl,
                                    decode(job["cases"], buffers) if "cases" in job else class_cases[job["check"]])
                           for job in function["jobs"]]
                channel.send(*_encode_results(results))
    finally:
        os._exit(0)


def _encode_results(results):
    """The results frame; a value that cannot be read becomes that case's error, not a crash."""
    try:
        tree, arrays = encode(results)
    except BaseException:  # noqa: BLE001 - find the culprits case by case
        for outcomes in results:
            for outcome in outcomes:
                try:
                    encode(outcome.get("value"))
                except BaseException as exc:  # noqa: BLE001
                    outcome.clear()
                    outcome["error"] = f"the returned value could not be read: {describe_exception(exc)}"
        tree, arrays = encode(results)
    return {"event": "done", "results": tree}, arrays


def _run_job(check, impl, cases):
    if check.fail_on_warnings:
        return [_run_case(check, impl, case) for case in cases]
    with warnings.catch_warnings():  # warnings only matter to checks that fail on them
        warnings.simplefilter("ignore")
        return [_run_case(check, impl, case, watch_warnings=False) for case in cases]


def _run_case(check, impl, pristine, watch_warnings=True):
    case = _copy(pristine)  # the student gets a copy; the original tells whether it was modified
    caught = []
    try:
        if watch_warnings:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                value = check.probe(impl, case)
        else:
            value = check.probe(impl, case)
    except ContractError as exc:
        return {"contract": str(exc)[:500]}
    except BaseException as exc:  # noqa: BLE001 - exits and interrupts are the student's errors too
        return {"error": describe_exception(exc, LABEL)}
    outcome = {"value": value}
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


def _copy(value):
    if type(value) is np.ndarray:  # the common case first
        return value.copy()
    if type(value) is dict:
        return {k: v.copy() if type(v) is np.ndarray else _copy(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    return copy.copy(value)


def _same(a, b):
    if (type(a) is np.ndarray and type(b) is np.ndarray and a.shape == b.shape and a.dtype == b.dtype
            and a.tobytes() == b.tobytes()):
        return True  # speed: the common case (the same bytes are the same values; else compare values below)
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return isinstance(b, type(a)) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b
