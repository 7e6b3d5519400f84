"""The quick checks of the nn_basics notebooks: `from grader.notebook_checks import check`."""
