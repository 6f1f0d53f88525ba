"""Helpers of ``scripts/benchmark.py``: the synthetic corpus, the site variants, the measurements."""
