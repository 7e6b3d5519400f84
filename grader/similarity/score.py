"""Pairs of students sharing unusual code, with the evidence in tokens.

Every unit's normalised tokens are cut into k-grams and winnowed (copydetect); the kit's given
code never counts. A fingerprint found in `df` students weighs 1 when only two share it, less
the more students share it, and nothing from `common_at` students on: code many independent
students write alike is expected. A shared region counts with its weighted length less CHANCE
tokens, so a short standard formula (`1 / (1 + np.exp(-z))`) is never enough; a pair's evidence
is the sum over its shared regions, a cluster is a group of at least three students joined by
reported pairs.
"""
import math
import zlib
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from copydetect.utils import get_copied_slices, winnow

from grader.similarity.normalise import module_units

K = 10  # tokens per k-gram
WINDOW = 4  # winnowing window: every shared run of K + WINDOW - 1 tokens is found
CHANCE = 30  # weighted tokens of a shared region that independent students may well write alike
MIN_PAIR = 25  # evidence a pair needs to be reported
PARALLEL_FROM = 60  # students from which fingerprinting is split over worker processes
HASH_BITS = 52  # hashes stay exact in copydetect's float comparison buffer
BASE = np.uint64(1_000_003)


@dataclass
class Fingerprinted:
    units: list  # [Unit]
    positions: dict = field(default_factory=dict)  # {hash: [(unit index, token index)]}, the kit's code left out
    per_unit: list = field(default_factory=list)  # per unit {hash: [token index]}, the kit's code included


@dataclass
class Settings:
    k: int = K
    window: int = WINDOW
    chance: float = CHANCE
    min_pair: float = MIN_PAIR
    common_at: int = 0  # 0: chosen from the class size (common_threshold)


def common_threshold(population):
    """Students sharing a fingerprint from which on it counts for nothing: a tenth of everyone
    compared, and never fewer than 8 (a small class)."""
    return max(8, math.ceil(population / 10))


def weight(df, common_at):
    """1 for a fingerprint two students share, falling (log-scale) to 0 at common_at students."""
    if df <= 2:
        return 1.0
    return max(0.0, 1.0 - math.log(df / 2) / math.log(common_at / 2))


class Vocabulary(dict):
    """Token text to a number that is the same in every process (CRC-32), so that students
    fingerprinted in different worker processes compare."""

    def ids(self, tokens):
        return np.fromiter((self[t] if t in self else self.setdefault(t, zlib.crc32(t.encode()) + 1) for t in tokens),
                           dtype=np.uint64, count=len(tokens))


def kgram_hashes(ids, k):
    """A polynomial hash of every k-gram of the id array (deterministic, unlike Python's hash)."""
    n = len(ids) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * BASE + ids[j:j + n]
    return (h >> np.uint64(64 - HASH_BITS)).astype(np.int64)


def boilerplate_hashes(kit_sources, vocab, settings):
    """Every k-gram of the kit's given code (not winnowed: all of them are removed)."""
    out = set()
    for module, source in kit_sources:
        for unit in module_units(module, source):
            out.update(kgram_hashes(vocab.ids(unit.tokens), settings.k).tolist())
    return out


def fingerprint_class(everyone, boilerplate, settings, jobs=1):
    """{student: Fingerprinted}; a large class is split over `jobs` worker processes."""
    students = sorted(everyone)
    if jobs <= 1 or len(students) < PARALLEL_FROM:
        return dict(zip(students, _fingerprint_many([everyone[s] for s in students], boilerplate, settings)))
    chunks = [students[i::jobs] for i in range(jobs)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        done = pool.map(_fingerprint_many, [[everyone[s] for s in chunk] for chunk in chunks],
                        [boilerplate] * jobs, [settings] * jobs)
        return {s: p for chunk, prints in zip(chunks, done) for s, p in zip(chunk, prints)}


def _fingerprint_many(sources_list, boilerplate, settings):
    vocab, cache = Vocabulary(), {}
    return [fingerprint(sources, vocab, boilerplate, settings, cache) for sources in sources_list]


def fingerprint(sources, vocab, boilerplate, settings, cache=None):
    """One student's {module: source} as Fingerprinted; `cache` ({(module, source): units}) saves
    normalising a file many students left as it was."""
    cache = {} if cache is None else cache
    units, positions, per_unit = [], defaultdict(list), []
    for module in sorted(sources):
        key = (module, sources[module])
        if key not in cache:
            cache[key] = _winnowed(module_units(module, sources[module]), vocab, settings)
        for unit, selected in cache[key]:
            index = len(units)
            units.append(unit)
            here = defaultdict(list)
            for h, i in selected:
                here[h].append(i)
                if h not in boilerplate:
                    positions[h].append((index, i))
            per_unit.append(dict(here))
    return Fingerprinted(units, dict(positions), per_unit)


def _winnowed(units, vocab, settings):
    """[(unit, [(hash, token index)])] for the units long enough for one k-gram."""
    out = []
    for unit in units:
        hashes = kgram_hashes(vocab.ids(unit.tokens), settings.k)
        if len(hashes):
            selected, idx = winnow(hashes, settings.window, remove_duplicates=False)
            out.append((unit, list(zip(selected.tolist(), idx.tolist()))))
    return out


def shared_pairs(prints, current, settings):
    """{(a, b): [hash]} for every two students sharing a fingerprint that is not common, at
    least one of them in `current` (pairs of two archived students are not compared); and the
    weights {hash: w}."""
    holders = defaultdict(list)
    for student in sorted(prints):
        for h in prints[student].positions:
            holders[h].append(student)
    common_at = settings.common_at or common_threshold(len(prints))
    pairs, weights = defaultdict(list), {}
    for h, students in holders.items():
        w = weight(len(students), common_at) if len(students) > 1 else 0.0
        if w <= 0.0:
            continue
        weights[h] = w
        for i, a in enumerate(students):
            for b in students[i + 1:]:
                if a in current or b in current:
                    pairs[(a, b)].append(h)
    return pairs, weights


def could_reach(a, b, hashes, weights, settings):
    """False when the pair's evidence is certainly below min_pair: every weighted token of a region
    lies under a k-gram of weight at least its own, so a side's weighted tokens are at most k times
    its fingerprints' weights, and a pair needs min_pair beyond one region's chance."""
    bound = settings.k * sum(weights[h] * len(a.positions[h]) for h in hashes)
    return bound >= settings.min_pair + settings.chance


def pair_evidence(a, b, hashes, weights, settings):
    """The shared regions of two students per pair of units, found from their uncommon shared
    fingerprints. A region runs over every fingerprint both units share (common code and the kit's
    included, so a common line inside a copied function does not cut it in two) and its evidence
    is its tokens weighted by rarity, less `chance`; a unit pair's evidence is the smaller of the
    two sides' sums."""
    unit_pairs = set()
    for h in hashes:
        for ua, _ in a.positions[h]:
            for ub, _ in b.positions[h]:
                unit_pairs.add((ua, ub))
    matches = []
    for ua, ub in unit_pairs:
        left, right = a.per_unit[ua], b.per_unit[ub]
        shared = left.keys() & right.keys()
        regions_a = _regions(left, shared, weights, settings)
        if not regions_a:
            continue
        regions_b = _regions(right, shared, weights, settings)
        evidence = min(sum(r[2] for r in regions_a), sum(r[2] for r in regions_b))
        if evidence > 0:
            matches.append({"a": a.units[ua], "b": b.units[ub], "evidence": evidence,
                            "regions_a": regions_a, "regions_b": regions_b})
    matches.sort(key=lambda m: (-m["evidence"], m["a"].label, m["b"].label))
    return _one_partner_each(matches)


def _regions(unit_hashes, shared, weights, settings):
    """[(first token, end token, evidence)] of the runs of shared k-grams in one unit whose
    rarity-weighted tokens exceed chance."""
    k = settings.k
    pairs = [(p, weights.get(h, 0.0)) for h in shared for p in unit_hashes[h]]
    if not any(w for _, w in pairs):
        return []
    positions = np.fromiter((p for p, _ in pairs), dtype=np.int64, count=len(pairs))
    ws = np.fromiter((w for _, w in pairs), dtype=float, count=len(pairs))
    coverage = np.zeros(int(positions.max()) + k)
    np.maximum.at(coverage, (positions[:, None] + np.arange(k)).ravel(), np.repeat(ws, k))
    total = np.concatenate([[0.0], np.cumsum(coverage)])
    starts, ends = get_copied_slices(positions, k)
    out = []
    for start, end in zip(starts.tolist(), ends.tolist()):
        evidence = float(total[end] - total[start]) - settings.chance
        if evidence > 0:
            out.append((int(start), int(end), evidence))
    return out


def _one_partner_each(matches):
    """Each unit counted once on either side (its best match): a function shared once is one
    piece of evidence, however many look-alikes the other side has."""
    used_a, used_b, kept = set(), set(), []
    for m in matches:
        if id(m["a"]) in used_a or id(m["b"]) in used_b:
            continue
        used_a.add(id(m["a"]))
        used_b.add(id(m["b"]))
        kept.append(m)
    return kept


def clusters(pairs):
    """Groups of at least three students joined by reported pairs, largest evidence first."""
    parent = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        a, b = pair["students"]
        parent[root(a)] = root(b)
    groups = defaultdict(list)
    for pair in pairs:
        groups[root(pair["students"][0])].append(pair)
    out = []
    for members in groups.values():
        students = sorted({s for p in members for s in p["students"]})
        if len(students) < 3:
            continue
        functions = sorted({f for p in members for m in p["matches"] for f in (m["a"]["function"], m["b"]["function"])})
        out.append({"students": students, "evidence": round(sum(p["evidence"] for p in members), 1),
                    "pairs": len(members), "functions": functions})
    out.sort(key=lambda c: (-c["evidence"], c["students"]))
    return out
