"""Timing a computation as the chapters do: the shortest of a few runs (chapters 6 and 10).

The shortest run is the one least disturbed by the rest of the machine; the chapters that time
tag their cells ``nbval-ignore-output``, since a time honestly varies, and assert only orderings
that no machine can flip.
"""

import time


def best_time(run, repeats=5):
    """The shortest wall time, in seconds (``time.perf_counter``), of ``repeats`` calls of
    ``run()``, a function of no arguments. Raises ``ValueError`` unless ``repeats`` is a
    positive whole number."""
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be a whole number >= 1; got {repeats!r}")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


__all__ = ["best_time"]
