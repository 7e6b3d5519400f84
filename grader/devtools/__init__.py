"""Tools for the kit's developers, not used when grading: the benchmarks (bench, bench_single), the demo class (demo), the catalogue of typical mistakes (mistakes)."""
