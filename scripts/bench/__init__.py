"""Helpers of ``scripts/bench.py``: the synthetic corpus, the three site variants, the measurements."""
