"""nngrade: exercises and an autograder for an introductory neural-networks course."""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS_DIR = PROJECT_ROOT / "solutions"
EXERCISES_DIR = PROJECT_ROOT / "exercises"
RELEASE_DIR = PROJECT_ROOT / "release"
