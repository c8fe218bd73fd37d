"""One contender, one batch size, one thread setting, in a process of its own; prints JSON.

    python -m benchmarks.training_worker --contender bp_lib --batch 100 --threads 1
    python -m benchmarks.training_worker --contender bp_lib --batch 10 --threads default --memory
    python -m benchmarks.training_worker --check
    python -m benchmarks.training_worker --describe --threads default

The thread setting is applied before numpy is imported (see ``benchmarks.common``), so the
process has exactly the thread pools a reader's process would have: numpy's OpenBLAS, scipy's
own OpenBLAS if bp_lib loads it, PyTorch's pool only for PyTorch.

- Timing (the default): the data and the contender are set up, one untimed epoch is run (so
  that nothing is timed cold: lazy imports, first-touch page faults, BLAS buffers, PyTorch's
  kernels), then one epoch from fresh weights is timed, by CPU time with one thread and by
  wall time otherwise, with the garbage collector paused. Prints ``{"seconds", "clock", "threads"}``.
- ``--memory``: one ``Network.sgd`` epoch, the first of the process as a reader's would be,
  under a 1 ms psutil sampler: the peak PSS and RSS while it ran and both just before it
  (the interpreter, numpy, bp_lib and the data). Not timed: the sampler slows it.
- ``--check``: bp_lib, the per-example loop and PyTorch (when installed) each train one epoch on
  1,000 random MNIST-shaped columns, at batch 10 and at batch 100, from the same weights with
  the same shuffle; their weights and biases must then agree to 1e-10 (relative difference).
- ``--describe``: the thread pools and versions this setting gives, with every library loaded.
"""

import argparse
import json
import platform

from benchmarks.common import (
    apply_threads,
    clock_name,
    limit_torch_threads,
    thread_report,
    thread_setting,
    timed,
)

CHECK_COLUMNS, CHECK_BATCHES, TOLERANCE = 1_000, (10, 100), 1e-10


def time_epoch(contender, batch_size, threads, columns, seed):
    from benchmarks import contenders

    X, Y = contenders.mnist_shaped_data(columns)
    contenders.prepare(contender, X, Y, batch_size)(
        seed + 1_000
    )  # the untimed warm-up epoch
    epoch = contenders.prepare(
        contender, X, Y, batch_size
    )  # fresh weights for the timed one
    seconds, _ = timed(lambda: epoch(seed), clock_name(threads))
    return {"seconds": seconds, "clock": clock_name(threads)}


def epoch_memory(batch_size, columns, seed):
    from benchmarks import contenders
    from benchmarks.memory import measure_stretch

    X, Y = contenders.mnist_shaped_data(columns)
    epoch = contenders.prepare("bp_lib", X, Y, batch_size)
    _, memory = measure_stretch(lambda: epoch(seed))
    return memory


def check_agreement():
    """The largest difference between bp_lib's parameters after one epoch and the loop's and
    PyTorch's, per batch size; ``agree`` when every one is within the tolerance."""
    import numpy as np

    from benchmarks import contenders

    X, Y = contenders.mnist_shaped_data(CHECK_COLUMNS)
    try:
        fresh_model, torch_epoch = contenders.torch_parts(X, Y)
    except ImportError:
        fresh_model = None
    differences = {}
    for batch_size in CHECK_BATCHES:
        reference = contenders.fresh_network()
        reference.sgd(X, Y, epochs=1, batch_size=batch_size, eta=contenders.ETA, seed=0)
        expected = reference.weights + [b.ravel() for b in reference.biases]
        looped = contenders.fresh_network()
        contenders.per_example_epoch(looped, X, Y, batch_size, seed=0)
        found = {"per_example": looped.weights + [b.ravel() for b in looped.biases]}
        if fresh_model is not None:
            model = fresh_model()
            torch_epoch(model, batch_size, seed=0)
            linears = [layer for layer in model if hasattr(layer, "weight")]
            found["torch"] = [layer.weight.detach().numpy() for layer in linears] + [
                layer.bias.detach().numpy() for layer in linears
            ]
        for name, parameters in found.items():
            differences[f"{name}, batch {batch_size}"] = max(
                float(np.max(np.abs(p - e) / (1.0 + np.abs(e))))
                for p, e in zip(parameters, expected)
            )
    return {
        "agree": all(d <= TOLERANCE for d in differences.values()),
        "tolerance": TOLERANCE,
        "columns": CHECK_COLUMNS,
        "differences": differences,
        "torch": fresh_model is not None,
    }


def describe():
    """Versions and thread pools, with everything a contender may load loaded."""
    import numpy
    import scipy
    import sklearn

    import bp_lib  # noqa: F401  (loads whatever BLAS bp_lib uses)

    versions = {
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
    }
    try:
        import torch

        versions["torch"] = torch.__version__
    except ImportError:
        versions["torch"] = None
    return {"versions": versions}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contender", default="bp_lib")
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--threads", type=thread_setting, default="1")
    parser.add_argument("--columns", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0, help="the timed epoch's shuffle")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--memory", action="store_true")
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--describe", action="store_true")
    args = parser.parse_args(argv)

    apply_threads(args.threads)  # before numpy is imported
    if args.contender == "torch" or args.check or args.describe:
        try:
            import torch

            limit_torch_threads(torch, args.threads)
        except ImportError:
            if args.contender == "torch":
                raise SystemExit(
                    "torch is not installed: pip install torch==2.13.0 to measure it"
                ) from None
    if args.check:
        result = check_agreement()
    elif args.describe:
        result = describe()
    elif args.memory:
        result = epoch_memory(args.batch, args.columns, args.seed)
    else:
        result = time_epoch(
            args.contender, args.batch, args.threads, args.columns, args.seed
        )
    result["threads"] = thread_report()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
