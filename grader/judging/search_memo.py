"""Hypothesis's searches for minimal failing cases, remembered across the students of a class.

A search is deterministic: derandomized hypothesis always visits the same first case, and each
next case depends only on whether the earlier ones failed. The cases one search visited, with
their outcomes, are therefore a path in a tree that the whole class shares. A later student
whose function fails and passes the same cases walks that path without running hypothesis
(no drawing, no shrinker) and ends on the same minimal case, as hypothesis itself would have.
Where its outcomes leave the known paths, hypothesis runs from the start (the cases walked so
far are answered from the grader's memory, not called again) and its path joins the tree.

The student's code is called on each new case exactly as in a plain search, through the same
`fails` (same budgets, same stops), so walking changes neither the grade nor the feedback.
"""
import threading

from grader.toolkit.cases import SearchStopped, search_minimal

MAX_NODES = 20_000  # per class: memory stays bounded however many distinct mistakes there are


class _Node:
    __slots__ = ("case", "key", "next")

    def __init__(self, case, key):
        self.case, self.key = case, key
        self.next = {}  # outcome (True: failed) -> _Node, or _End after the search's last visit


class _End:
    __slots__ = ("raised",)

    def __init__(self, raised):
        self.raised = raised  # the search ended on a failure (search_minimal returns one) or not


class SearchMemo:
    def __init__(self, max_nodes=MAX_NODES):
        self.roots, self.nodes, self.max_nodes = {}, 0, max_nodes
        self.lock = threading.Lock()
        self.walked = self.searched = 0  # searches answered by a walk / by hypothesis

    def minimal(self, check, fails, key_of):
        """search_minimal(check, fails), walking a known path when there is one.
        fails(case) -> bool may raise SearchStopped; key_of(case) -> bytes identifies a case."""
        path = []

        def recorded(case):
            entry = [case, key_of(case), None]
            path.append(entry)
            entry[2] = fails(case)
            return entry[2]

        found, ending = self._walk(check.id, fails)  # a walk needs no keys: only a new search records
        if ending is not None:
            with self.lock:
                self.walked += 1
            return found
        found, ending = _search(check, recorded)
        with self.lock:
            self.searched += 1
        self._add(check.id, path, ending)
        return found

    def _walk(self, check_id, fails):
        """(result, ending) along the tree; ending None when the outcomes leave the known paths."""
        node, last_failure = self.roots.get(check_id), None
        while isinstance(node, _Node):
            try:
                failed = fails(node.case)
            except SearchStopped:
                return last_failure, "stopped"
            if failed:
                last_failure = node.case
            node = node.next.get(failed)
        if isinstance(node, _End):
            return (last_failure if node.raised else None), "ended"
        return None, None

    def _add(self, check_id, path, ending):
        with self.lock:
            parent, outcome = None, None
            node = self.roots.get(check_id)
            for case, key, failed in path:
                if node is None or isinstance(node, _End):
                    if self.nodes >= self.max_nodes or isinstance(node, _End):
                        return
                    node = _Node(case, key)
                    self.nodes += 1
                    if parent is None:
                        self.roots[check_id] = node
                    else:
                        parent.next[outcome] = node
                elif node.key != key:  # not the same search: never mix paths (cannot happen if deterministic)
                    return
                if failed is None:  # the search stopped on this visit
                    return
                parent, outcome, node = node, failed, node.next.get(failed)
            if parent is not None and node is None and ending in ("raised", "returned"):
                parent.next[outcome] = _End(ending == "raised")


def _search(check, fails):
    """(search_minimal's result, how the search ended: "raised", "returned" or "stopped")."""
    ending = []

    def watched(case):
        try:
            return fails(case)
        except SearchStopped:
            ending.append("stopped")
            raise

    found = search_minimal(check, watched, on_end=ending.append)
    return found, (ending[0] if ending else None)
