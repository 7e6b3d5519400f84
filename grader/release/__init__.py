"""Everything generated from the reference solutions: stubs, notebooks, the student bundle."""
