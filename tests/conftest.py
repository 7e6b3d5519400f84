"""Shared fixtures for the kit's own tests."""
import pytest

from grader.reference import build_context


@pytest.fixture(scope="session")
def ctx():
    """The class context (inputs and reference outputs), built once per test session."""
    return build_context()
