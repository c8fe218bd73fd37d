"""What every part of the benchmark shares: the thread settings, the clock, and workers.

A *thread setting* is ``"1"`` (or any count n) or ``"default"``. A count is set in a worker's
environment before numpy is imported (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS,
VECLIB_MAXIMUM_THREADS), so that every BLAS the process loads (numpy's OpenBLAS, scipy's own
OpenBLAS, PyTorch's OpenMP pool) starts with that many threads, and PyTorch is told the same
with ``torch.set_num_threads``. ``"default"`` leaves the environment as it is: what a reader's
laptop or Binder gives. Each worker reports, from threadpoolctl, how many threads that was.

With one thread the clock is the process's CPU time, which counts the work done and not the
time spent waiting for a core that another program had, so it stays steady on a busy machine
(and equals the wall time on an idle one). With more threads it must be the wall time: CPU time
would add the threads' times up.

Nothing here imports numpy: a worker imports this module before it has set its threads.
"""

import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)


def thread_setting(value):
    """``"1"``, ``"4"``, ``"default"``: a thread setting, checked (an argparse type)."""
    value = str(value).strip().lower()
    if value == "default":
        return value
    if value.isdigit() and int(value) > 0:
        return str(int(value))
    raise ValueError(
        f"a thread setting is a positive count or 'default', not {value!r}"
    )


def clock_name(threads):
    """``"cpu"`` with one thread, else ``"wall"`` (see the module's docstring)."""
    return "cpu" if threads == "1" else "wall"


def environment(threads, base=None):
    """The environment of a worker at this thread setting: ``base`` (default: this process's),
    with the thread variables set to the count, or left as they are for ``"default"``."""
    env = dict(os.environ if base is None else base)
    if threads != "default":
        env.update({name: threads for name in THREAD_VARIABLES})
    return env


def apply_threads(threads):
    """In a worker, before numpy is imported: set this process's own thread variables."""
    if "numpy" in sys.modules:
        raise RuntimeError(
            "apply_threads must run before numpy is imported, or its BLAS keeps its threads"
        )
    os.environ.update(environment(threads))


def limit_torch_threads(torch, threads):
    """PyTorch's intra-op pool (and, for a count, its inter-op pool: one) at this setting."""
    if threads != "default":
        torch.set_num_threads(int(threads))
        try:
            torch.set_num_interop_threads(1)
        except (
            RuntimeError
        ):  # already started: it keeps its size, which the report shows
            pass


def thread_report():
    """The thread pools loaded in this process, from threadpoolctl: a list of dicts with the
    package that ships the library, its file name, API, version and ``num_threads``; PyTorch's
    own intra-op count when PyTorch is loaded."""
    from threadpoolctl import threadpool_info

    pools = [
        {
            "package": _package(info["filepath"]),
            "library": Path(info["filepath"]).name,
            "api": info.get("internal_api"),
            "version": info.get("version"),
            "architecture": info.get("architecture"),
            "num_threads": info.get("num_threads"),
        }
        for info in threadpool_info()
    ]
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        pools.append(
            {
                "package": "torch",
                "library": "torch",
                "api": "intra-op",
                "version": torch.__version__,
                "architecture": None,
                "num_threads": torch.get_num_threads(),
            }
        )
    return pools


def _package(filepath):
    """The package that ships a library: ``.../site-packages/numpy.libs/libopenblas.so`` -> numpy."""
    parts = Path(filepath).parts
    for i, part in enumerate(parts[:-2]):
        if part in ("site-packages", "dist-packages"):
            return (
                parts[i + 1]
                .removesuffix(".libs")
                .replace("scikit_learn", "scikit-learn")
            )
    return "the system"


def timed(fn, clock):
    """The seconds one call of ``fn()`` takes on ``clock`` ("cpu" or "wall"), with the garbage
    collector paused, and its result."""
    now = time.process_time if clock == "cpu" else time.perf_counter
    gc.collect()
    gc.disable()
    try:
        start = now()
        result = fn()
        return now() - start, result
    finally:
        gc.enable()


def run_worker(module, arguments, threads):
    """Run ``python -m module arguments --threads threads`` in a fresh process whose environment
    has this thread setting, from the repository's folder, and return the JSON object its last
    line of output prints."""
    command = [sys.executable, "-m", module, *map(str, arguments), "--threads", threads]
    run = subprocess.run(
        command, cwd=ROOT, env=environment(threads), capture_output=True, text=True
    )
    if run.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command[1:])} (threads {threads}) failed with exit code "
            f"{run.returncode}:\n{run.stderr[-3000:]}"
        )
    return json.loads(run.stdout.strip().splitlines()[-1])
