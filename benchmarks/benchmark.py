"""How fast is bp_lib, and how quickly does the book execute? One run, side by side.

    python benchmarks/benchmark.py                   # everything, about 15 minutes
    python benchmarks/benchmark.py --quick           # 2 rounds instead of 5, 5 digits seeds, no pytest suite
    python benchmarks/benchmark.py --skip-book       # only the package: training and digits
    python benchmarks/benchmark.py --update-readme   # a full run that also rewrites README.md's table

Three parts, each a row group of one table (measured in the same run, on the same machine):

1. **Training throughput** (``benchmarks.training``): one epoch of ``Network.sgd`` (784-30-10,
   sigmoid, quadratic cost) on 10,000 random MNIST-shaped columns at batch sizes 10, 100 and
   1000, against the per-example loop of chapter 6, PyTorch on the CPU (float64, plain SGD;
   when ``torch`` is installed) and the same matrix products alone (``benchmarks.contenders``).
   Every contender x batch size x thread setting runs in a fresh process of its own, at one
   thread and at the machine's default threads (``--threads``); the fastest of the rounds
   counts. Also: the contenders' agreement, and the peak memory of one bp_lib epoch.
2. **The digits task of chapter 6** (``benchmarks.digits``): time and test accuracy against
   scikit-learn's ``MLPClassifier`` with the same architecture, solver and epochs, over 20 seeds,
   in a fresh process at one thread.
3. **The book** (``benchmarks.book``): each chapter in a fresh kernel, the whole ``pytest``
   suite, and their peak memory (``benchmarks.memory``), with the machine's defaults.

``benchmarks.report`` makes the table and ``benchmarks.figure`` the figure. Writes the
measurements (JSON) and the figure to the git-ignored ``artifacts/``; with ``--update-readme``,
to ``benchmarks/results/``, where the README's figure comes from, so that the committed table,
numbers and figure are those of one run.
"""

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

if __package__ in (
    None,
    "",
):  # run as a script: import ``benchmarks`` from the repository's folder,
    sys.path[0] = str(
        Path(__file__).resolve().parent.parent
    )  # not its modules from benchmarks/ as top-level ones

from benchmarks import book, digits, report, training  # noqa: E402
from benchmarks.common import ROOT, thread_setting  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
DIGITS_SEEDS = 20  # one test accuracy varies by about 0.4 points from seed to seed: the mean of 20 by about 0.1


def thread_settings(value):
    """``--threads``: "both" (1 and default), "1", "default" or a count."""
    return (
        ["1", "default"] if value.strip().lower() == "both" else [thread_setting(value)]
    )


def comma_list(kind):
    return lambda value: [kind(item) for item in value.split(",") if item.strip()]


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="2 rounds instead of 5, 5 digits seeds, no pytest suite",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        help="rounds of the training part (each contender once per round; "
        "default 5, or 2 with --quick)",
    )
    parser.add_argument(
        "--digits-seeds",
        type=int,
        help="seeds of the digits task, each run once by every "
        f"contender (default {DIGITS_SEEDS}, or 5 with --quick)",
    )
    parser.add_argument(
        "--threads",
        type=thread_settings,
        default=["1", "default"],
        help="thread settings of the training part: both (default; 1 and default), 1, default or a count",
    )
    parser.add_argument(
        "--batch-sizes",
        type=comma_list(int),
        default=list(training.BATCH_SIZES),
        help="training batch sizes, comma-separated (default 10,100,1000)",
    )
    parser.add_argument(
        "--contenders",
        type=comma_list(str),
        default=list(training.CONTENDERS),
        help=f"training contenders, comma-separated (default {','.join(training.CONTENDERS)})",
    )
    parser.add_argument(
        "--columns",
        type=int,
        default=10_000,
        help="training columns per epoch (default 10000)",
    )
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument("--skip-digits", action="store_true")
    parser.add_argument("--skip-book", action="store_true")
    parser.add_argument(
        "--skip-suite",
        action="store_true",
        help="time the chapters, not the whole pytest suite",
    )
    parser.add_argument(
        "--update-readme",
        action="store_true",
        help="rewrite README.md's benchmark table",
    )
    parser.add_argument(
        "--figure",
        type=Path,
        help="where the figure goes (default: benchmarks/results/ with "
        "--update-readme, else the git-ignored artifacts/)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        help="where the measurements go (same defaults as --figure)",
    )
    args = parser.parse_args(argv)
    unknown = set(args.contenders) - set(training.CONTENDERS)
    if unknown:
        parser.error(
            f"no contender {', '.join(sorted(unknown))}; the contenders are {', '.join(training.CONTENDERS)}"
        )
    partial = (
        args.quick
        or args.skip_training
        or args.skip_digits
        or args.skip_book
        or args.skip_suite
        or args.threads != ["1", "default"]
        or args.batch_sizes != list(training.BATCH_SIZES)
        or args.contenders != list(training.CONTENDERS)
        or args.columns != 10_000
    )
    if args.update_readme and partial:
        parser.error(
            "--update-readme needs a full run: no --quick, --skip-*, --threads, --batch-sizes, "
            "--contenders or --columns"
        )
    args.repeats = args.repeats or (2 if args.quick else 5)
    args.digits_seeds = args.digits_seeds or (5 if args.quick else DIGITS_SEEDS)
    results_dir = RESULTS if args.update_readme else ROOT / "artifacts"
    args.figure = args.figure or results_dir / "benchmark.png"
    args.json = args.json or results_dir / "benchmark.json"
    return args


def main(argv=None):
    args = parse(argv)
    settings = args.threads
    digits_setting = "1" if "1" in settings else settings[0]
    results = {
        "date": date.today().isoformat(),
        "repeats": args.repeats,
        "digits_seeds": args.digits_seeds,
        "settings": settings,
        "load": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    results["describe"] = training.describe(settings)  # digits_setting is one of them
    print(report.header(results), flush=True)
    if not args.skip_training:
        results["training"] = training.bench_training(
            settings, args.batch_sizes, args.contenders, args.repeats, args.columns
        )
    if not args.skip_digits:
        results["digits"] = digits.bench_digits(args.digits_seeds, digits_setting)
    if not args.skip_book:
        results["book"] = book.bench_book(run_suite=not (args.skip_suite or args.quick))

    table = report.markdown_table(report.build_rows(results))
    print()
    print(table)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, default=str))
    from benchmarks.figure import (
        draw_figure,
    )  # matplotlib and numpy, only now that nothing is timed

    draw_figure(results, args.figure)
    print(f"\nwrote {args.json} and {args.figure}")
    if args.update_readme:
        report.update_readme(
            f"Measured on {results['date']} by `python benchmarks/benchmark.py --update-readme` "
            f"({args.repeats} rounds, fastest of each; the digits task {args.digits_seeds} seeds): "
            f"{report.header(results)}\n\n{table}"
        )
        print("rewrote the benchmark table in README.md")


if __name__ == "__main__":
    sys.exit(main())
