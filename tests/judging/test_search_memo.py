"""Remembered searches give exactly what hypothesis's own search gives, for every behaviour."""
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from grader.toolkit.cases import SearchStopped, search_minimal
from grader.judging.search_memo import SearchMemo
from grader.toolkit.strategies import array


@dataclass
class FakeCheck:
    id: str
    cases: object
    max_examples: int = 15


CHECK = FakeCheck("m.f:matches", st.fixed_dictionaries({"x": array((3,)), "k": st.integers(0, 9)}))


def key_of(case):
    return case["x"].tobytes() + bytes([case["k"]])


def behaviour(threshold, budget=None):
    """fails(case) for a student whose function is wrong when sum(x) + k > threshold; with a
    budget, stops the search (as the grader does) after that many distinct cases."""
    seen = {}

    def fails(case):
        key = key_of(case)
        if key not in seen:
            if budget is not None and len(seen) >= budget:
                raise SearchStopped()
            seen[key] = float(np.sum(case["x"])) + case["k"] > threshold
        return seen[key]

    return fails


def as_key(case):
    return None if case is None else key_of(case)


def test_a_walk_ends_on_the_case_hypothesis_would_find():
    memo = SearchMemo()
    thresholds = [3.0, 8.0, 3.0, -20.0, 8.0, 30.0, 3.0, 0.5, 0.5]
    for threshold in thresholds:
        expected = search_minimal(CHECK, behaviour(threshold))
        got = memo.minimal(CHECK, behaviour(threshold), key_of)
        assert as_key(got) == as_key(expected), threshold
    assert memo.walked >= 4  # each repeated behaviour walked instead of searching
    assert memo.searched <= len(set(thresholds))


def test_a_stopped_search_stops_at_the_same_case_when_walked():
    memo = SearchMemo()
    for threshold, budget in [(3.0, 4), (3.0, 4), (3.0, 40), (3.0, 4), (8.0, 2)]:
        expected = search_minimal(CHECK, behaviour(threshold, budget))
        got = memo.minimal(CHECK, behaviour(threshold, budget), key_of)
        assert as_key(got) == as_key(expected), (threshold, budget)


def test_a_full_memo_still_answers_by_searching():
    memo = SearchMemo(max_nodes=0)
    for threshold in (3.0, 3.0):
        assert as_key(memo.minimal(CHECK, behaviour(threshold), key_of)) == as_key(search_minimal(CHECK, behaviour(threshold)))
    assert memo.nodes == 0 and memo.walked == 0 and memo.searched == 2
