"""The benchmark of bp_lib and of the book, in parts with one job each.

- ``benchmark``: the entry point, ``python benchmarks/benchmark.py`` (runs the parts, writes the results)
- ``common``: the thread settings, the clock, and running a worker in a fresh process
- ``contenders``: one training epoch of each contender (bp_lib, the chapter's loop, PyTorch, the matrix products)
- ``training_worker``: one contender, batch size and thread setting, timed in a process of its own
- ``training``: the training part: the workers in interleaved rounds, the fastest of each
- ``digits``: the digits task of chapter 6, bp_lib against scikit-learn's ``MLPClassifier``
- ``book``: each chapter in a fresh kernel and the whole pytest suite, timed, with their memory
- ``memory``: peak memory (PSS and RSS) of a process or a process tree, sampled with psutil
- ``report``: the table, its header line and the README writer
- ``figure``: the figure

Nothing here is imported by the book or by bp_lib, and nothing here imports numpy at module
level, so that a worker can set its thread count before numpy loads its BLAS.
"""
