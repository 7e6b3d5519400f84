"""Grading-time nbgrader support: reading submitted notebooks, rebuilding them into modules, writing
the gradebook (the course and release notebooks are built in grader/release/)."""
