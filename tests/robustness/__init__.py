"""The robustness harness of issue 14: fuzzers and kill -9 runs against the real `itpm` CLI.

`python -m tests.robustness [--full] [--seed N] [--only cli,json,...]` prints the figures the
issue asks to keep at zero; `tests/test_robustness.py` runs the same checks small and seeded.
"""
