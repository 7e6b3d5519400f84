"""The sandboxed child: imports one student's modules and runs the probes it is asked for.

Everything it sends back is plain data. Whatever the student's code does here (monkeypatching,
exiting, printing, forging frames) can only change what this child reports about its own
functions; expected values and scores never exist in this process.
"""
import copy
import os
import warnings

import numpy as np

from grader.forms import apply_forms
from grader.loader import describe_exception, import_sources
from grader.limits import over_caps, too_much_data
from grader.protocol import FRAME_PREFIX_BYTES, MAX_FRAME_BYTES, TooDeep, decode, encode, pack
from grader.sandbox.calls import CallRecorder
from grader.sandbox.channel import Channel
from grader.probes import ContractError, default_probe, plot_table, probe_table, run_pieces
from grader.sandbox.isolation import isolate, missing_layers
from grader.seeding import case_seed, seed_generators

LABEL = "submission"
VALUE_DEPTH = 3  # where a returned value sits in a results frame: results > a check's outcomes > outcome > value
PIECE_DEPTH = VALUE_DEPTH + 2  # a piece's value: ... > outcome > its pieces > ["ok", value]


def child_main(sock_fd, sources, config, class_cases, seeds=None):
    """Never returns: serves requests until told to exit or killed. With sources None (forked by
    the runner's fork server), the submission's sources and config arrive as the first frame.
    seeds: {check id: the seed of each class case} (seeding.class_seeds), computed before the fork."""
    try:
        channel, init = Channel(sock_fd, sock_fd), None
        if sources is None:
            init, _ = channel.recv()
            sources, config = init["sources"], init["config"]
        applied, notices = isolate(config, sock_fd)
        insecure = bool(config.get("insecure"))
        # Security: student code must find no path of the submissions, the output or the kit in this
        # process. The dict is emptied in place: the forking runner may still hold it in its frames.
        config.clear()
        config = init = None  # noqa: F841
        channel.send({"event": "isolated", "isolation": applied, "notices": notices})
        if missing_layers(applied) and not insecure:
            return  # Security: no student code without the allow-list and the network ban (see client.open)
        # Before any student code runs: the probes and piece declarations, as this child's own table.
        # Code at import may rebind what grader.probes holds; this table keeps what was captured.
        # A check no probe module names gets the default probe, made from its id and, for a standard
        # check, the plain declaration the judge sends with the job (a forward's name; no judge data).
        probes = {cid: probe_parts(probe) for cid, probe in {**probe_table(), **plot_table()}.items()}
        default = default_probe
        recorder = CallRecorder(_graded_functions(probes, class_cases))
        seeds = seeds or {}
        impl, status = import_sources(sources, LABEL, on_module=lambda name: channel.send({"event": "importing", "module": name}),
                                      keep_in_sys_modules=True, after_exec=recorder.wrap_module)
        channel.send({"event": "ready", "modules": status})
        while True:
            message, buffers = channel.recv()
            if message.get("op") != "run":
                break
            caps = [message.get("max_bytes", MAX_FRAME_BYTES), message.get("max_total", MAX_FRAME_BYTES)]
            for function in message["functions"]:  # one frame per function: the runner times each
                recorder.start(function["jobs"][0]["check"].split(":")[0] if function["jobs"] else None)
                results = [run_job(probes.get(job["check"]) or probe_parts(default(job["check"], job.get("derive"))), impl,
                                   *((decode(job["cases"], buffers), job["check"]) if "cases" in job
                                     else (class_cases[job["check"]], job["check"], seeds.get(job["check"]))))
                           for job in function["jobs"]]
                frame = _results_frame(results, *caps, called=recorder.calls())
                caps[1] -= len(frame) - FRAME_PREFIX_BYTES
                channel.send_raw(frame)
    finally:
        os._exit(0)


def probe_parts(probe):
    return probe.call, probe.pieces, probe.watch_warnings


def _graded_functions(*tables):
    """module.function of every check the child may run (explicit probes and the class's cases)."""
    functions = {cid.split(":")[0] for table in tables for cid in table or {}}
    return {name for name in functions if "." in name}


def _results_frame(results, function_cap, student_left, called=()):
    """The results frame, within the judge's byte caps: over them, every case says so instead.
    (The runner enforces the caps whatever a child sends, by closing it: this spares an honest child
    that returned too much a restart.) called: the graded functions the function under test called."""
    frame = pack(*encode_results(results, called))
    over = over_caps(len(frame) - FRAME_PREFIX_BYTES, function_cap, student_left)
    if over is None:
        return frame
    message = too_much_data(len(frame) - FRAME_PREFIX_BYTES, *over)
    return pack(*encode_results([[{"contract": message} for _ in outcomes] for outcomes in results], called))


def encode_results(results, called=()):
    """The results frame; a value that cannot be read becomes that case's error, not a crash."""
    try:
        tree, arrays = encode(results)
    except BaseException:  # noqa: BLE001 - find the culprits case by case
        for outcomes in results:
            for outcome in outcomes:
                try:
                    encode(outcome.get("value"), depth=VALUE_DEPTH)
                except TooDeep as exc:  # the judge would refuse the whole frame: this case's error instead
                    outcome.clear()
                    outcome["contract"] = f"the returned value is {exc}"
                except BaseException as exc:  # noqa: BLE001
                    outcome.clear()
                    outcome["error"] = f"the returned value could not be read: {describe_exception(exc)}"
                for piece in outcome.get("pieces", ()):
                    try:
                        encode(piece[1], depth=PIECE_DEPTH)
                    except BaseException:  # noqa: BLE001 - an unreadable piece earns no own-piece credit
                        piece[:] = ["error", "unreadable"]
        tree, arrays = encode(results)
    return {"event": "done", "results": tree, "called": list(called)}, arrays


def run_job(probe, impl, cases, check_id="", seeds=None):
    """The outcomes of one check's cases; seeds: their case seeds if known (else computed here)."""
    call, pieces, watch_warnings = probe
    seeds = seeds if seeds is not None and len(seeds) == len(cases) else [None] * len(cases)
    if watch_warnings:
        return [_run_case(call, pieces, impl, case, check_id=check_id, seed=seed) for case, seed in zip(cases, seeds)]
    with warnings.catch_warnings():  # warnings only matter to checks that fail on them
        warnings.simplefilter("ignore")
        return [_run_case(call, pieces, impl, case, watch_warnings=False, check_id=check_id, seed=seed)
                for case, seed in zip(cases, seeds)]


def _run_case(call, pieces, impl, pristine, watch_warnings=True, check_id="", seed=None):
    """{"value": ..., "pieces": [...] if the probe declares piece calls} (or "error" / "contract"),
    plus "mutated" and "warnings" when there are any. The global generators are seeded from the
    case first (seed: case_seed(check_id, pristine), if already known), so unseeded random code
    gives the same value on every run."""
    seed = case_seed(check_id, pristine) if seed is None else seed
    pristine = apply_forms(pristine)  # each argument in the form the case names (a float, a list, ...)
    case = _copy(pristine)  # the student gets a copy; the original tells whether it was modified
    caught = []
    try:
        # inside the try: code that rebound np.random.seed or torch.manual_seed fails its own case
        seed_generators(seed)
        if watch_warnings:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                value = call(impl, case)
        else:
            value = call(impl, case)
        outputs = run_pieces(impl, pieces(case), value) if pieces is not None else None
    except ContractError as exc:
        return {"contract": str(exc)[:500]}
    except BaseException as exc:  # noqa: BLE001 - exits and interrupts are the student's errors too
        return {"error": describe_exception(exc, LABEL)}
    outcome = {"value": value}
    if outputs is not None:
        outcome["pieces"] = outputs
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
