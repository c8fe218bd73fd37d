"""The training part: every contender x batch size x thread setting, each in a fresh process.

What is measured is one epoch of each contender (see ``benchmarks.contenders``) as a reader's
own process would run it: a fresh interpreter with the thread pools that setting gives and no
other contender's libraries loaded, so that numpy's and scipy's OpenBLAS pools (and PyTorch's)
interfere exactly as they do for the reader, and no contender's spinning BLAS threads slow the
next one. Each measurement is one ``benchmarks.training_worker`` process, which times one epoch
after an untimed one.

Repeats run in rounds: round r runs every measurement once, the contenders of each batch size
and setting in an order rotated by r (and the groups in reverse order every other round), so
that a slow stretch of a busy machine falls on all of them alike. The fastest of the rounds
counts. Before the rounds, the contenders are checked to agree (``--check``, its own process);
after them, the peak memory of one bp_lib epoch is measured at batch 10 and 1000 (``--memory``).
Each thread setting is also described once (``--describe``): its thread pools and versions.
"""

import time

from benchmarks.common import run_worker

WORKER = "benchmarks.training_worker"
CONTENDERS = (
    "bp_lib",
    "bp_lib_c_order",
    "per_example",
    "torch",
    "lower_bound",
    "products_and_shuffle",
)
BATCH_SIZES = (10, 100, 1000)
MEMORY_BATCH_SIZES = (10, 1000)


class ContendersDisagree(RuntimeError):
    pass


def check(threads="1"):
    """Run the agreement check in its own process; raise if the contenders disagree."""
    result = run_worker(WORKER, ["--check"], threads)
    worst = max(result["differences"].values())
    print(
        f"  training, agreement check: largest difference {worst:.1e} (tolerance {result['tolerance']:g}; "
        f"{'with' if result['torch'] else 'without'} PyTorch)",
        flush=True,
    )
    if not result["agree"]:
        raise ContendersDisagree(
            f"the contenders do not do the same epoch: {result['differences']}"
        )
    return result


def available(contenders):
    """The contenders that can run here: PyTorch's only where ``torch`` is importable."""
    from importlib.util import find_spec

    if "torch" in contenders and find_spec("torch") is None:
        print(
            "  note: torch is not installed, so the PyTorch column is skipped "
            "(pip install torch==2.13.0 to measure it; it is not a dependency of the book)",
            flush=True,
        )
        return [c for c in contenders if c != "torch"]
    return list(contenders)


def measure(settings, batch_sizes, contenders, repeats, columns):
    """``{setting: {batch_size: {contender: {"seconds": fastest, "all": [...], "clock"}}}}``."""
    groups = [(s, b) for s in settings for b in batch_sizes]
    times = {group: {c: [] for c in contenders} for group in groups}
    clocks = {}
    for r in range(repeats):
        start = time.perf_counter()
        for setting, batch_size in groups if r % 2 == 0 else groups[::-1]:
            shift = r % len(contenders)
            for contender in contenders[shift:] + contenders[:shift]:
                result = run_worker(
                    WORKER,
                    [
                        "--contender",
                        contender,
                        "--batch",
                        batch_size,
                        "--columns",
                        columns,
                        "--seed",
                        r,
                    ],
                    setting,
                )
                times[setting, batch_size][contender].append(result["seconds"])
                clocks[setting] = result["clock"]
        print(
            f"  training, round {r + 1} of {repeats}: {len(groups) * len(contenders)} processes "
            f"in {time.perf_counter() - start:.0f} s",
            flush=True,
        )
    results = {setting: {} for setting in settings}
    for (setting, batch_size), measured in times.items():
        results[setting][batch_size] = {
            c: {"seconds": min(t), "all": t, "clock": clocks[setting]}
            for c, t in measured.items()
        }
        summary = "  ".join(f"{c} {min(t):.3f} s" for c, t in measured.items())
        print(
            f"  training, threads {setting}, batch {batch_size:>4} ({clocks[setting]} time): {summary}",
            flush=True,
        )
    return results


def memory(settings, batch_sizes, columns):
    """``{setting: {batch_size: {"peak_pss", "peak_rss", "before_pss", "before_rss"}}}``, in bytes."""
    results = {setting: {} for setting in settings}
    for setting in settings:
        for batch_size in batch_sizes:
            result = run_worker(
                WORKER,
                ["--memory", "--batch", batch_size, "--columns", columns],
                setting,
            )
            results[setting][batch_size] = {
                k: result[k]
                for k in ("peak_pss", "peak_rss", "before_pss", "before_rss")
            }
            print(
                f"  training, threads {setting}, batch {batch_size:>4}: one bp_lib epoch peaks at "
                f"{result['peak_pss'] / 2**20:.0f} MiB PSS, {result['peak_rss'] / 2**20:.0f} MiB RSS "
                f"({result['before_pss'] / 2**20:.0f} and {result['before_rss'] / 2**20:.0f} MiB before it)",
                flush=True,
            )
    return results


def describe(settings):
    """``{setting: {"versions", "threads"}}``: what each setting gives, every library loaded."""
    return {
        setting: run_worker(WORKER, ["--describe"], setting) for setting in settings
    }


def bench_training(
    settings, batch_sizes=BATCH_SIZES, contenders=None, repeats=5, columns=10_000
):
    """The whole training part, as one dict for the results file."""
    contenders = available(contenders or CONTENDERS)
    agreement = check()
    results = {
        "agreement": agreement,
        "columns": columns,
        "contenders": contenders,
        "epochs": measure(settings, batch_sizes, contenders, repeats, columns),
    }
    results["memory"] = memory(
        settings, [b for b in MEMORY_BATCH_SIZES if b in batch_sizes], columns
    )
    return results
