"""The benchmarks of issue 15: portfolios built through `itpm import`, the floor app, and the
scripts that measure itpm beside it. `python -m tests.benchmarks` runs them all and prints one
table; `tests/test_benchmarks.py` keeps them working (no timing is asserted)."""
