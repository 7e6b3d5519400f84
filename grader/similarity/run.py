"""`nngrade similarity SUBMISSIONS [--archive DIR ...] --out DIR`: similarity.json and similarity.html."""
import json
import os
import sys
import time
from pathlib import Path

from grader.batch import BatchError
from grader.atomic import atomic_write
from grader.similarity import intake, score
from grader.similarity.page import similarity_html

JSON_NAME = "similarity.json"
HTML_NAME = "similarity.html"
ABOUT = ("Pairs and groups of students whose code shares unusual regions, ranked by evidence: the weighted "
         "number of normalised tokens they share (names, numbers, comments and spacing do not count; the "
         "stubs, docstrings and the kit's given code never count; code that many students write alike "
         "counts less, and nothing once a tenth of everyone compared, and at least 8 students, share it). "
         "It is evidence for a person to look at, never a verdict: independent students can write the same "
         "code, and no score changes.")


def compare(current, archived=None, kit_sources=None, settings=None, jobs=None):
    """The report's data from {student: {module: source}} of this class and of earlier terms."""
    settings = settings or score.Settings()
    archived = archived or {}
    vocab = score.Vocabulary()
    boilerplate = score.boilerplate_hashes(intake.kit_sources() if kit_sources is None else kit_sources, vocab, settings)
    everyone = {**archived, **current}
    prints = score.fingerprint_class(everyone, boilerplate, settings, jobs or os.cpu_count() or 1)
    candidates, weights = score.shared_pairs(prints, set(current), settings)
    pairs, archive_pairs, ranked = [], [], []
    for (a, b), hashes in sorted(candidates.items()):
        if a not in current:  # the current student first
            a, b = b, a
        if not score.could_reach(prints[a], prints[b], hashes, weights, settings):
            continue
        matches = score.pair_evidence(prints[a], prints[b], hashes, weights, settings)
        evidence = round(sum(m["evidence"] for m in matches), 1)
        ranked.append({"students": [a, b], "evidence": evidence})
        if evidence >= settings.min_pair:
            entry = {"students": [a, b], "evidence": evidence,
                     "matches": [_match(m, everyone[a], everyone[b]) for m in matches]}
            (pairs if b in current else archive_pairs).append(entry)
    for found in (pairs, archive_pairs, ranked):
        found.sort(key=lambda p: (-p["evidence"], p["students"]))
    return {"about": ABOUT, "students": len(current), "archived_students": len(archived),
            "settings": {"k": settings.k, "window": settings.window, "chance": settings.chance,
                         "min_pair": settings.min_pair,
                         "common_at": settings.common_at or score.common_threshold(len(everyone))},
            "pairs": pairs, "clusters": score.clusters(pairs), "archive_pairs": archive_pairs,
            "compared": ranked}


def _match(m, sources_a, sources_b):
    return {"evidence": round(m["evidence"], 1),
            "a": _side(m["a"], m["regions_a"], sources_a), "b": _side(m["b"], m["regions_b"], sources_b)}


def _side(unit, regions, sources):
    lines = sources[unit.module].splitlines()
    shared = [[unit.rows[start], unit.rows[end - 1]] for start, end, _ in regions]
    return {"function": unit.label, "first_line": unit.first_line,
            "code": "\n".join(lines[unit.first_line - 1:unit.last_line]), "shared_lines": shared}


def write_report(out_dir, data):
    out = Path(out_dir)
    atomic_write(out / JSON_NAME, json.dumps(data, indent=1, sort_keys=True) + "\n")
    atomic_write(out / HTML_NAME, similarity_html(data))
    _link_from_class_report(out)


def _link_from_class_report(out):
    """A class report already in the folder is written again, now with its link to this page."""
    from grader.outputs.class_report import REPORT, SUMMARY, report_html

    if (out / REPORT).is_file() and (out / SUMMARY).is_file():
        try:
            summary = json.loads((out / SUMMARY).read_text(encoding="utf-8"))
            atomic_write(out / REPORT, report_html(summary, similarity=True))
        except (ValueError, KeyError, TypeError, OSError) as exc:
            print(f"note: {out / REPORT} left as it was ({exc})", file=sys.stderr)


def similarity_command(args):
    started = time.perf_counter()
    try:
        current = intake.read_class(args.submissions)
        archived = intake.Class()
        for label, folder in _archive_labels(args.archive or []):
            term = intake.read_class(folder, prefix=f"{label}/")
            archived.sources.update(term.sources)
            archived.problems.update(term.problems)
    except BatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not current.sources:
        print(f"error: {args.submissions}: no student folder with exercise files to compare", file=sys.stderr)
        return 2
    data = compare(current.sources, archived.sources, jobs=getattr(args, "jobs", None))
    data["problems"] = [{"student": s, "problem": p} for s, p in sorted({**current.problems, **archived.problems}.items())]
    write_report(args.out, data)
    seconds = time.perf_counter() - started
    print(f"{data['students']} students compared ({data['archived_students']} from earlier terms) in {seconds:.1f} s: "
          f"{len(data['pairs'])} pairs and {len(data['clusters'])} groups with shared unusual code, "
          f"{len(data['archive_pairs'])} pairs with earlier terms; not read: {len(data['problems'])}")
    print(f"evidence to look at, not a verdict: {Path(args.out) / HTML_NAME} (and {JSON_NAME})")
    return 0


def _archive_labels(folders):
    """(label, folder) per --archive: the folder's name, numbered when two share one."""
    seen, out = {}, []
    for folder in folders:
        name = Path(folder).resolve().name or "archive"
        seen[name] = seen.get(name, 0) + 1
        out.append((name if seen[name] == 1 else f"{name}-{seen[name]}", folder))
    return out
