"""The book part: each chapter executed in a fresh kernel, and the whole pytest suite.

    python -m benchmarks.book --execute-notebook chapters/00_preface.ipynb   # prints {"seconds": ...}

- **Each chapter** runs as ``python -m publishing execute`` runs it
  (``publishing.notebooks.execute``): nbclient, a fresh kernel of this interpreter, 600 s per
  cell, nothing written back. The time is the wall time of the execution alone (the client's
  start-up is not in it), with the CPU time of the client and its kernel beside it.
- **The pytest suite**, as the README runs it: ``python -m pytest`` from the repository's
  folder (the unit tests and every chapter under nbval, on every core), by wall time, with
  the CPU time of all its processes and its closing line.
- **Peak memory** of each (see ``benchmarks.memory``): the largest sum of the PSS of the
  process and all its descendants (client + kernel; pytest + its xdist workers + their
  kernels), and the largest peak RSS of any one process.

Both run as a reader runs them, with the machine's default threads, one after another.
"""

import argparse
import json
import sys
from pathlib import Path

from benchmarks.common import ROOT
from publishing import notebooks


def execute_notebook(path):
    """Execute one notebook in a fresh kernel without writing it back; print its seconds as JSON."""
    path = Path(path).resolve()
    print(json.dumps({"seconds": notebooks.execute(notebooks.read(path), path.parent)}))


def bench_book(run_suite):
    """``{"chapters": {name: {...}}, "suite": {...}}``; a chapter that fails is ``{"failed": True}``."""
    from benchmarks.memory import run_measured

    results = {"chapters": {}}
    for path in notebooks.chapters(ROOT):
        run = run_measured(
            [sys.executable, "-m", "benchmarks.book", "--execute-notebook", str(path)],
            cwd=ROOT,
        )
        if run["exit_code"] != 0:
            print(
                f"  book, {path.name}: FAILED to execute\n{run['output'][-2000:]}",
                flush=True,
            )
            results["chapters"][path.name] = {"failed": True}
            continue
        seconds = json.loads(run["output"].strip().splitlines()[-1])["seconds"]
        results["chapters"][path.name] = {
            "seconds": seconds,
            "cpu": run["cpu"],
            "peak_pss": run["peak_pss"],
            "peak_process": run["peak_process"],
        }
        print(
            f"  book, {path.name}: {seconds:.1f} s ({run['cpu']:.1f} s CPU), "
            f"peak {run['peak_pss'] / 2**20:.0f} MiB",
            flush=True,
        )
    if run_suite:
        run = run_measured([sys.executable, "-m", "pytest"], cwd=ROOT)
        lines = [line for line in run["output"].strip().splitlines() if line.strip()]
        summary = lines[-1].strip("= ") if lines else ""
        results["suite"] = {
            "seconds": run["wall"],
            "cpu": run["cpu"],
            "exit_code": run["exit_code"],
            "summary": summary,
            "peak_pss": run["peak_pss"],
            "peak_process": run["peak_process"],
        }
        print(
            f"  book, pytest suite: {run['wall']:.1f} s ({run['cpu']:.1f} s CPU), exit code {run['exit_code']} "
            f"({summary}), peak {run['peak_pss'] / 2**20:.0f} MiB",
            flush=True,
        )
        if run["exit_code"] != 0:
            print(run["output"][-3000:], flush=True)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--execute-notebook", required=True, help="the notebook to execute"
    )
    execute_notebook(parser.parse_args(argv).execute_notebook)


if __name__ == "__main__":
    main()
