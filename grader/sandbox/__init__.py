"""Running untrusted student code: a warm runner process forks one isolated child per submission.

    judge (grader, trusted) --frames--> runner (warm, holds no answers) --fork--> child (student code)

The judge holds the reference and the expected values; the runner and its children never do.
"""
