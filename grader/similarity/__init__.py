"""Shared code between students: evidence for a person to look at, never a verdict.

intake.py reads a class as grading does (folders, notebooks' answer cells, zips); normalise.py cuts
every module into its functions and turns each into a token stream with identifiers and literals
normalised and the kit's given code left out; score.py fingerprints the streams (copydetect's
winnowing) and weighs every shared fingerprint by how rare it is across the class; page.py writes
similarity.html from the same data as similarity.json. Nothing here runs student code or changes a
score.
"""
