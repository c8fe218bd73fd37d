"""How fast is bp_lib, and how quickly does the book execute? One run, side by side.

    python benchmarks/benchmark.py                   # everything, about 5-10 minutes
    python benchmarks/benchmark.py --quick           # 2 repeats instead of 5, 5 digits seeds, no pytest suite
    python benchmarks/benchmark.py --skip-book       # only the package: training and digits
    python benchmarks/benchmark.py --update-readme   # also rewrite README.md's benchmark table

Three parts, each a row group of one table of ratios (measured in the same run, on the same
machine, so that the ratios hold even where the machine is busy):

1. **Training throughput**: one epoch of ``Network.sgd`` (784-30-10, sigmoid, quadratic cost,
   eta 3.0) on 10,000 random MNIST-shaped columns (stored one image after another, as image
   data sets are; the same columns in the other memory order are timed too), at batch sizes
   10, 100 and 1000, against
   - the per-example loop that chapter 6 starts from (its ``backprop_by_loop``, read from the
     chapter's notebook and run as it is written there: each example's forward and backward
     pass on its own, each gradient divided by m and added up), in the same epoch as
     ``Network.sgd`` (same shuffle, one step per mini-batch);
   - PyTorch on the CPU: the same network in float64, the same cost, ``torch.optim.SGD``
     (only when ``torch`` can be imported; it is not a dependency of the book);
   - the lower bound: the same matrix products alone (forward, BP2, BP4 on the same
     shuffled mini-batches, and the end-of-epoch forward pass), no elementwise work at all.
   "One epoch" is what ``Network.sgd`` does in one: shuffle, one step per mini-batch, then the
   cost and accuracy on the training columns for the history. Every contender does the same.
2. **The digits task of chapter 6** (64-30-10, sigmoid, quadratic cost, 30 epochs, batch 10,
   eta 3.0, test accuracy recorded every epoch) against scikit-learn's ``MLPClassifier`` with
   the same architecture, solver and epochs (logistic hidden layer, plain SGD: no momentum, no
   L2, constant rate 3.0, batch 10, 30 epochs; its output layer is softmax with log-loss, so
   bp_lib's softmax-cross-entropy network is timed too, as the like-for-like model). Each
   contender runs once with each of 20 seeds (``--digits-seeds``); its time is the fastest run,
   its accuracy the mean over the seeds, with the standard error.
3. **The book**: each chapter executed in a fresh kernel (nbclient, nothing written back), the
   whole ``pytest`` suite as the README runs it, and their peak memory.

Threads: numpy's and scipy's BLAS, PyTorch's intra-op pool and its OpenMP runtime are all
limited to ``--threads`` (default 1) with threadpoolctl and ``torch.set_num_threads``. The book
part runs as a reader runs it, with the machine's defaults. Timings are the minimum over the
repeats, which are interleaved (each contender in turn), with the garbage collector paused. With
one thread (the default) the package parts are timed by the process's CPU time, which a busy
machine disturbs far less than the wall time; with more threads, by the wall time. The book is
timed by the wall time, with the CPU time of its processes beside it.

Writes the measurements (JSON) and a figure to the git-ignored ``artifacts/``; with
``--update-readme``, to ``benchmarks/results/``, where the README's figure comes from, so that the
committed table, numbers and figure are those of one run.
"""

import argparse
import functools
import gc
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"
BEGIN, END = "<!-- benchmark table -->", "<!-- end benchmark table -->"

BATCH_SIZES = (10, 100, 1000)
MNIST_SIZES = [784, 30, 10]
N_COLUMNS = 10_000
ETA = 3.0
DIGITS_SEEDS = 20  # one test accuracy varies by about 0.4 points from seed to seed: the mean of 20 by about 0.1

TARGETS = {  # (kind, bound): a ratio is met when it is >= the bound ("min") or <= it ("max")
    ("per_example", 10): ("min", 8.0),
    ("torch", 10): ("min", 2.0),
    ("torch", 100): ("min", 1.0),
    ("torch", 1000): ("min", 1.0),
    ("lower_bound", 1000): ("max", 1.5),
    "digits_speed": ("min", 3.0),
    "chapter_seconds": ("max", 15.0),
    "book_seconds": ("max", 90.0),
    "book_memory_mib": ("max", 1024.0),
}


# --- timing -------------------------------------------------------------------------------


CLOCK = {"name": "cpu"}  # "cpu" (this process's CPU time) with one thread, else "wall"


def timed(fn):
    """The time of one call of ``fn()``, with the garbage collector paused, and its result.

    With one thread per contender, the clock is this process's CPU time: it counts the work
    done and not the time spent waiting while other programs had the machine's cores, so it
    stays steady on a busy machine, and it equals the wall time on an idle one. With more
    threads it is the wall time (CPU time would add the threads' times up).
    """
    clock = time.process_time if CLOCK["name"] == "cpu" else time.perf_counter
    gc.collect()
    gc.disable()
    try:
        start = clock()
        result = fn()
        return clock() - start, result
    finally:
        gc.enable()


def interleaved(contenders, repeats):
    """Time each contender ``repeats`` times, taking turns, after one untimed call of each, and
    keep the fastest time of each.

    ``contenders`` maps a name to a function ``fn(repeat)`` that does one timed unit of work and
    returns anything; returns ``{name: (best_seconds, [all seconds], [results])}``.
    """
    times = {name: [] for name in contenders}
    results = {name: [] for name in contenders}
    names = list(contenders)
    for name in names:  # one untimed call each first: nothing is timed cold
        contenders[name](0)
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:  # rotate who goes first
            seconds, result = timed(lambda: contenders[name](r))
            times[name].append(seconds)
            results[name].append(result)
    return {name: (min(times[name]), times[name], results[name]) for name in names}


# --- 1. training throughput ---------------------------------------------------------------


def mnist_shaped_data(seed=0):
    """10,000 random columns of 784 pixels in [0, 1) and random one-hot targets of 10.

    The pixels are stored as an image data set stores them (MNIST's arrays, scikit-learn's
    digits): one image after another, a (10,000, 784) array, which the network sees transposed,
    X = images.T, one column per image. ``bench_training`` also times ``sgd`` on the same X
    copied so that each of its 784 rows is contiguous instead, from which ``sgd`` first makes one
    transposed copy.
    """
    import numpy as np

    import bp_lib

    rng = np.random.default_rng(seed)
    X = rng.random((N_COLUMNS, MNIST_SIZES[0])).T
    Y = bp_lib.one_hot(rng.integers(0, MNIST_SIZES[-1], N_COLUMNS), MNIST_SIZES[-1])
    return X, Y


@functools.lru_cache(maxsize=None)
def chapter_functions(names, notebook=ROOT / "chapters" / "06_algorithm.ipynb"):
    """The functions ``names`` (a tuple) exactly as the chapter writes them: their definitions
    are read from the notebook's code cells and executed here, so the benchmark times the
    chapter's own code and cannot drift from it. Returns a dict from name to function; cached,
    so the untimed warm-up pays for reading the notebook."""
    import ast

    import numpy as np

    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    namespace = {"np": np}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tree = ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line
                                   for line in source.splitlines()))
        wanted = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in names]
        exec(compile(ast.Module(body=wanted, type_ignores=[]), str(notebook), "exec"), namespace)
    missing = set(names) - set(namespace)
    if missing:
        raise RuntimeError(f"{notebook} no longer defines {sorted(missing)}")
    return {name: namespace[name] for name in names}


def per_example_epoch(net, X, Y, batch_size, eta, seed):
    """One epoch of SGD on the loop chapter 6 starts from (``backprop_by_loop``, read from the
    chapter): each example goes forward and backward on its own. The rest is ``Network.sgd``'s
    epoch: the same shuffle (whole rows copied, so each example's column is contiguous), one
    step per mini-batch, and the cost and accuracy on the training columns at the end."""
    import numpy as np

    backprop_by_loop = chapter_functions(("backprop_one_example", "backprop_by_loop"))["backprop_by_loop"]
    rng = np.random.default_rng(seed)
    X_rows, Y_rows = np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)
    order = rng.permutation(X.shape[1])
    for start in range(0, X.shape[1], batch_size):
        batch = order[start:start + batch_size]
        nabla_w, nabla_b = backprop_by_loop(net, X_rows[batch].T, Y_rows[batch].T)
        for w, nw in zip(net.weights, nabla_w):
            w -= eta * nw
        for b, nb in zip(net.biases, nabla_b):
            b -= eta * nb
    return _epoch_record(net.weights, net.biases, X, Y)


def _epoch_record(weights, biases, X, Y):
    """The training cost and accuracy at the end of an epoch (what sgd's history records)."""
    import numpy as np

    from bp_lib import sigmoid

    a = X
    for w, b in zip(weights, biases):
        a = sigmoid(w @ a + b)
    cost = 0.5 * np.sum((a - Y) ** 2) / X.shape[1]
    accuracy = np.mean(a.argmax(axis=0) == Y.argmax(axis=0))
    return float(cost), float(accuracy)


def torch_contender(net, X, Y, eta):
    """The same network in PyTorch (float64, CPU): ``epoch(batch_size, seed)`` trains one epoch
    from ``net``'s weights with torch.optim.SGD and returns the cost and accuracy."""
    import numpy as np
    import torch

    X_rows = torch.from_numpy(np.ascontiguousarray(X.T))  # PyTorch's layout: one example per row
    Y_rows = torch.from_numpy(np.ascontiguousarray(Y.T))

    def fresh_model():
        layers = []
        for w, b in zip(net.weights, net.biases):
            linear = torch.nn.Linear(w.shape[1], w.shape[0], dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(w))
                linear.bias.copy_(torch.from_numpy(b.ravel()))
            layers += [linear, torch.nn.Sigmoid()]
        return torch.nn.Sequential(*layers)

    def quadratic_cost(a, y):
        return 0.5 * ((a - y) ** 2).sum() / a.shape[0]  # C = (1/m) sum_x 1/2 ||a - y||^2

    def epoch(model, batch_size, seed):
        optimizer = torch.optim.SGD(model.parameters(), lr=eta)
        order = torch.from_numpy(np.random.default_rng(seed).permutation(X_rows.shape[0]))
        X_epoch, Y_epoch = X_rows[order], Y_rows[order]
        for start in range(0, X_epoch.shape[0], batch_size):
            x, y = X_epoch[start:start + batch_size], Y_epoch[start:start + batch_size]
            optimizer.zero_grad()
            quadratic_cost(model(x), y).backward()
            optimizer.step()
        with torch.no_grad():
            a = model(X_rows)
            return float(quadratic_cost(a, Y_rows)), float((a.argmax(1) == Y_rows.argmax(1)).double().mean())

    return fresh_model, epoch


def matmul_lower_bound(net, X_batches, X):
    """The matrix products of one epoch of ``Network.sgd`` and nothing else: for each mini-batch
    the forward products, BP2's w^T delta and BP4's delta a^T (the weighted inputs stand in for
    the activations and errors), then the end-of-epoch forward pass over all the columns."""
    weights = net.weights
    for x in X_batches:
        activations = [x]
        for w in weights:
            activations.append(w @ activations[-1])
        delta = activations[-1]
        for l in range(len(weights) - 1, -1, -1):
            delta_w = delta @ activations[l].T  # BP4's product  # noqa: F841
            if l > 0:
                delta = weights[l].T @ delta  # BP2's product
    a = X
    for w in weights:
        a = w @ a
    return None


def products_and_shuffle(net, X, batch_size, seed):
    """The lower bound plus the copying that SGD cannot avoid: the examples gathered into
    shuffled mini-batches, as ``Network.sgd`` gathers them (one copy of X with the examples as
    rows, then each mini-batch's rows). Not a target; it shows what the rest of bp_lib costs."""
    import numpy as np

    X_rows = np.ascontiguousarray(X.T)
    order = np.random.default_rng(seed).permutation(X.shape[1])
    batches = (X_rows[order[s:s + batch_size]].T for s in range(0, X.shape[1], batch_size))
    return matmul_lower_bound(net, batches, X)


def check_contenders_agree(net, X, Y, fresh_torch_model):
    """Before timing anything: one step from the same weights on the same mini-batch gives the
    same weights in bp_lib, the per-example loop and PyTorch (to 1e-10)."""
    import numpy as np

    X_small, Y_small = X[:, :10], Y[:, :10]
    reference = net.copy()
    reference.sgd(X_small, Y_small, epochs=1, batch_size=10, eta=ETA, seed=0)
    looped = net.copy()
    per_example_epoch(looped, X_small, Y_small, batch_size=10, eta=ETA, seed=0)
    for w, w_ref in zip(looped.weights + looped.biases, reference.weights + reference.biases):
        assert np.allclose(w, w_ref, rtol=1e-10, atol=1e-12), "the per-example loop disagrees with bp_lib"
    if fresh_torch_model is not None:
        import torch

        fresh_model, _ = fresh_torch_model
        model = fresh_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=ETA)
        x = torch.from_numpy(np.ascontiguousarray(X_small.T))
        y = torch.from_numpy(np.ascontiguousarray(Y_small.T))
        (0.5 * ((model(x) - y) ** 2).sum() / x.shape[0]).backward()
        optimizer.step()
        linears = [layer for layer in model if isinstance(layer, torch.nn.Linear)]
        for layer, w_ref, b_ref in zip(linears, reference.weights, reference.biases):
            assert np.allclose(layer.weight.detach().numpy(), w_ref, rtol=1e-10, atol=1e-12), "PyTorch disagrees"
            assert np.allclose(layer.bias.detach().numpy(), b_ref.ravel(), rtol=1e-10, atol=1e-12), "PyTorch disagrees"


def bench_training(repeats, have_torch):
    import numpy as np

    from bp_lib import Network

    X, Y = mnist_shaped_data()
    X_c_order = np.ascontiguousarray(X)
    net = Network(MNIST_SIZES, activation="sigmoid", cost="quadratic", seed=0)
    torch_parts = torch_contender(net, X, Y, ETA) if have_torch else None
    check_contenders_agree(net, X, Y, torch_parts)

    results = {}
    for batch_size in BATCH_SIZES:
        # the lower bound multiplies the same shuffled mini-batches, gathered beforehand
        order = np.random.default_rng(0).permutation(N_COLUMNS)
        X_rows = np.ascontiguousarray(X.T)
        X_batches = [X_rows[order[s:s + batch_size]].T for s in range(0, N_COLUMNS, batch_size)]

        contenders = {
            "bp_lib": lambda r: net.copy().sgd(X, Y, epochs=1, batch_size=batch_size, eta=ETA, seed=r),
            "bp_lib_c_order": lambda r: net.copy().sgd(X_c_order, Y, epochs=1, batch_size=batch_size, eta=ETA, seed=r),
            "per_example": lambda r: per_example_epoch(net.copy(), X, Y, batch_size, ETA, seed=r),
            "lower_bound": lambda r: matmul_lower_bound(net, X_batches, X),
            "products_and_shuffle": lambda r: products_and_shuffle(net, X, batch_size, seed=r),
        }
        if have_torch:
            fresh_model, epoch = torch_parts
            models = [fresh_model() for _ in range(repeats)]  # built outside the timing
            contenders["torch"] = lambda r: epoch(models[r], batch_size, seed=r)
        measured = interleaved(contenders, repeats)
        results[batch_size] = {name: {"seconds": best, "all": all_times} for name, (best, all_times, _) in measured.items()}
        summary = "  ".join(f"{name} {best:.3f} s" for name, (best, _, _) in measured.items())
        print(f"  training, batch {batch_size:>4}: {summary}", flush=True)
    return results


# --- 2. the digits task ---------------------------------------------------------------------


def bench_digits(seeds):
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from bp_lib import Network, load_digits

    digits = load_digits()
    epochs, batch_size = 30, 10

    def bp_lib_run(cost):
        def run(seed):
            net = Network([64, 30, 10], activation="sigmoid", cost=cost, seed=seed)
            history = net.sgd(digits.X_train, digits.Y_train, epochs=epochs, batch_size=batch_size, eta=ETA,
                              seed=seed, test_data=(digits.X_test, digits.Y_test))
            return history["test_accuracy"][-1]
        return run

    def sklearn_run(seed):
        clf = MLPClassifier(hidden_layer_sizes=(30,), activation="logistic", solver="sgd", alpha=0.0,
                            batch_size=batch_size, learning_rate="constant", learning_rate_init=ETA,
                            momentum=0.0, nesterovs_momentum=False, max_iter=epochs, shuffle=True,
                            random_state=seed, tol=0.0, n_iter_no_change=epochs + 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # it stops at max_iter, as asked
            clf.fit(digits.X_train.T, digits.labels_train)
        assert clf.n_iter_ == epochs
        return clf

    measured = interleaved({
        "bp_lib": bp_lib_run("quadratic"),
        "bp_lib_softmax": bp_lib_run("softmax_cross_entropy"),
        "sklearn": sklearn_run,
    }, seeds)
    results = {}
    for name, (best, all_times, outcomes) in measured.items():
        if name == "sklearn":
            outcomes = [clf.score(digits.X_test.T, digits.labels_test) for clf in outcomes]
        results[name] = {"seconds": best, "all": all_times, "accuracies": [float(a) for a in outcomes],
                         "accuracy": float(np.mean(outcomes)),
                         "accuracy_sem": float(np.std(outcomes, ddof=1) / np.sqrt(len(outcomes)))}
        print(f"  digits, {name}: {best:.2f} s, test accuracy {np.mean(outcomes):.4f} "
              f"(seeds 0-{seeds - 1}: {', '.join(f'{a:.3f}' for a in outcomes)})", flush=True)
    return results


# --- 3. the book ----------------------------------------------------------------------------


def execute_notebook(path):
    """Execute one notebook in a fresh kernel, as tools/execute_notebooks.py does, without
    writing it back; print the seconds it took as JSON."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    start = time.perf_counter()
    client.execute()
    print(json.dumps({"seconds": time.perf_counter() - start}))


def _process_tree(root_pid):
    """``root_pid`` and all its descendants now alive."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier.extend(children)
    return tree


def _status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


def _memory_sample(root_pid):
    """(the tree's summed proportional set size, the largest peak resident size of any one of
    its processes), in bytes. PSS splits shared pages between their sharers, so the sum is the
    memory the tree really holds; VmHWM is each process's own high-water mark."""
    total, largest = 0, 0
    for pid in _process_tree(root_pid):
        try:
            largest = max(largest, _status_kib(pid, "VmHWM") * 1024)
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total, largest


def run_measured(command, cwd=ROOT):
    """Run ``command`` and measure it: a dict with its wall and CPU seconds (user + system, over
    all its processes), exit code, output, the peak of its processes' summed memory (PSS) and
    the largest peak of any one of them (sampled every 0.2 s from /proc)."""
    peaks = [0, 0]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    done = threading.Event()

    def sample():
        while not done.wait(0.2):
            total, largest = _memory_sample(process.pid)
            peaks[0], peaks[1] = max(peaks[0], total), max(peaks[1], largest)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # includes every descendant it waited for
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "exit_code": process.returncode,
            "output": output, "peak_pss": peaks[0], "peak_process": peaks[1]}


def bench_book(run_suite):
    chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
    results = {"chapters": {}}
    for path in chapters:
        run = run_measured([sys.executable, str(Path(__file__).resolve()), "--execute-notebook", str(path)])
        if run["exit_code"] != 0:
            print(f"  book, {path.name}: FAILED to execute\n{run['output'][-2000:]}", flush=True)
            results["chapters"][path.name] = {"failed": True}
            continue
        seconds = json.loads(run["output"].strip().splitlines()[-1])["seconds"]
        results["chapters"][path.name] = {"seconds": seconds, "cpu": run["cpu"], "peak_pss": run["peak_pss"],
                                          "peak_process": run["peak_process"]}
        print(f"  book, {path.name}: {seconds:.1f} s ({run['cpu']:.1f} s CPU), "
              f"peak {run['peak_pss'] / 2**20:.0f} MiB", flush=True)
    if run_suite:
        run = run_measured([sys.executable, "-m", "pytest"])
        lines = [line for line in run["output"].strip().splitlines() if line.strip()]
        summary = lines[-1].strip("= ") if lines else ""
        results["suite"] = {"seconds": run["wall"], "cpu": run["cpu"], "exit_code": run["exit_code"],
                            "summary": summary, "peak_pss": run["peak_pss"], "peak_process": run["peak_process"]}
        print(f"  book, pytest suite: {run['wall']:.1f} s ({run['cpu']:.1f} s CPU), exit code {run['exit_code']} "
              f"({summary}), peak {run['peak_pss'] / 2**20:.0f} MiB", flush=True)
        if run["exit_code"] != 0:
            print(run["output"][-3000:], flush=True)
    return results


# --- the table ------------------------------------------------------------------------------


def verdict(key, value):
    if key not in TARGETS or value is None:
        return "", ""
    kind, bound = TARGETS[key]
    met = value >= bound if kind == "min" else value <= bound
    sign = ">=" if kind == "min" else "<="
    return f"{sign} {bound:g}", "yes" if met else "**no**"


def build_rows(results):
    """One row per measured ratio or budget: (part, measure, measured, target, met)."""
    rows = []
    training = results.get("training")
    if training:
        for batch_size, measured in training.items():
            bp = measured["bp_lib"]["seconds"]
            part = f"training, batch {batch_size}"
            for other, label in (("per_example", "per-example loop / bp_lib"), ("torch", "PyTorch CPU / bp_lib")):
                if other in measured:
                    ratio = measured[other]["seconds"] / bp
                    rows.append((part, label, f"{ratio:.2f}x ({measured[other]['seconds']:.3f} s / {bp:.3f} s)",
                                 *verdict((other, int(batch_size)), ratio)))
                elif other == "torch":
                    rows.append((part, label, "not measured: torch is not installed", "", ""))
            lower = measured["lower_bound"]["seconds"]
            ratio = bp / lower
            rows.append((part, "bp_lib / matrix products alone", f"{ratio:.2f}x ({bp:.3f} s / {lower:.3f} s)",
                         *verdict(("lower_bound", int(batch_size)), ratio)))
            shuffled = measured["products_and_shuffle"]["seconds"]
            rows.append((part, "bp_lib / (matrix products + shuffling the examples)",
                         f"{bp / shuffled:.2f}x ({bp:.3f} s / {shuffled:.3f} s)", "", ""))
            if "bp_lib_c_order" in measured:
                c_order = measured["bp_lib_c_order"]["seconds"]
                rows.append((part, "bp_lib given X with contiguous rows (one transposed copy first) / bp_lib",
                             f"{c_order / bp:.2f}x ({c_order:.3f} s / {bp:.3f} s)", "", ""))
    digits = results.get("digits")
    if digits:
        sk = digits["sklearn"]
        # the chapter's task carries the targets; the softmax network, the same model as
        # MLPClassifier's (softmax output, log-loss), is there for reference
        for name, label, judged in (("bp_lib", "the chapter's quadratic cost", True),
                                    ("bp_lib_softmax", "softmax cross-entropy, for reference", False)):
            bp = digits[name]
            ratio = sk["seconds"] / bp["seconds"]
            rows.append(("digits, 30 epochs", f"MLPClassifier / bp_lib, {label}",
                         f"{ratio:.2f}x ({sk['seconds']:.2f} s / {bp['seconds']:.2f} s)",
                         *(verdict("digits_speed", ratio) if judged else ("", ""))))
            difference = bp["accuracy"] - sk["accuracy"]
            error = (bp["accuracy_sem"] ** 2 + sk["accuracy_sem"] ** 2) ** 0.5  # standard error of the difference
            rows.append(("digits, 30 epochs", f"test accuracy, bp_lib ({label}) - MLPClassifier",
                         f"{100 * difference:+.2f} ± {100 * error:.2f} points ({bp['accuracy']:.4f} vs "
                         f"{sk['accuracy']:.4f}, means of {len(bp['accuracies'])} seeds ± standard error)",
                         *((">= 0", "yes" if difference >= 0 else "**no**") if judged else ("", ""))))
    book = results.get("book")
    if book:
        total, cpu, pss, largest = 0.0, 0.0, 0, 0
        for name, measured in book["chapters"].items():
            if measured.get("failed"):
                rows.append(("book", f"`{name}` execution", "failed to execute", "<= 15 s", "**no**"))
                continue
            total, cpu = total + measured["seconds"], cpu + measured["cpu"]
            pss, largest = max(pss, measured["peak_pss"]), max(largest, measured["peak_process"])
            rows.append(("book", f"`{name}` execution, fresh kernel",
                         f"{measured['seconds']:.1f} s ({measured['cpu']:.1f} s CPU)",
                         *verdict("chapter_seconds", measured["seconds"])))
        rows.append(("book", f"all {len(book['chapters'])} chapters, one after another", f"{total:.1f} s ({cpu:.1f} s CPU)",
                     *verdict("book_seconds", total)))
        rows.append(("book", "peak memory executing one chapter (kernel + client, PSS)", f"{pss / 2**20:.0f} MiB",
                     *verdict("book_memory_mib", pss / 2**20)))
        suite = book.get("suite")
        if suite:
            rows.append(("book", f"`pytest`: unit tests + every chapter under nbval, on {os.cpu_count()} cores",
                         f"{suite['seconds']:.1f} s ({suite['cpu']:.1f} s CPU; {suite['summary']})",
                         *verdict("book_seconds", suite["seconds"])))
            largest = max(largest, suite["peak_process"])
            rows.append(("book", "peak memory of `pytest`, all its processes together (PSS)",
                         f"{suite['peak_pss'] / 2**20:.0f} MiB", *verdict("book_memory_mib", suite["peak_pss"] / 2**20)))
        rows.append(("book", "peak memory of the largest single process", f"{largest / 2**20:.0f} MiB",
                     *verdict("book_memory_mib", largest / 2**20)))
    return rows


def markdown_table(rows):
    lines = ["| part | measure | measured | target | met |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines)


def machine_description(threads):
    import numpy
    from threadpoolctl import threadpool_info

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        memory = f", {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    except (ValueError, OSError):
        pass
    pools = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    pools.sort(key=lambda i: "numpy" not in i.get("filepath", ""))  # numpy's own BLAS first
    blas = f"{pools[0].get('internal_api')} {pools[0].get('version')} ({pools[0].get('architecture')})" if pools else "unknown BLAS"
    versions = [f"Python {platform.python_version()}", f"numpy {numpy.__version__} with {blas}"]
    try:
        import sklearn
        versions.append(f"scikit-learn {sklearn.__version__}")
    except ImportError:
        pass
    try:
        import torch
        versions.append(f"PyTorch {torch.__version__}")
    except ImportError:
        versions.append("PyTorch not installed")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()}; {'; '.join(versions)}. "
            f"BLAS and PyTorch limited to {threads} thread{'s' if threads != 1 else ''} each for the "
            f"package parts, timed by {'CPU' if threads == 1 else 'wall'} time; the book with the machine's "
            f"defaults, timed by wall time. Load average at the start: {load}.")


# --- the figure -----------------------------------------------------------------------------


def draw_figure(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from bp_lib.plotting import COLORS, use_book_style

    use_book_style()
    parts = [p for p in ("training", "digits", "book") if results.get(p)]
    fig, axes = plt.subplots(1, len(parts), figsize=(5.2 * len(parts), 4.2), squeeze=False)
    for ax, part in zip(axes[0], parts):
        if part == "training":
            names = [("per_example", "per-example loop", COLORS["neutral"]), ("torch", "PyTorch CPU", COLORS["fourth"]),
                     ("bp_lib", "bp_lib", COLORS["function"]), ("lower_bound", "matrix products alone", COLORS["third"])]
            names = [n for n in names if n[0] in results["training"][BATCH_SIZES[0]]]
            x = np.arange(len(BATCH_SIZES))
            width = 0.8 / len(names)
            for i, (key, label, color) in enumerate(names):
                ax.bar(x + (i - (len(names) - 1) / 2) * width,
                       [results["training"][b][key]["seconds"] for b in BATCH_SIZES], width, label=label, color=color)
            ax.set_xticks(x, [str(b) for b in BATCH_SIZES])
            ax.set_xlabel("mini-batch size $m$")
            ax.set_ylabel(f"one epoch (s, {CLOCK['name']} time)")
            ax.set_yscale("log")
            ax.set_ylim(top=ax.get_ylim()[1] * 6)  # room for the legend above the bars
            small, large = results["training"][BATCH_SIZES[0]], results["training"][BATCH_SIZES[-1]]
            ax.set_title(f"bp_lib: {small['per_example']['seconds'] / small['bp_lib']['seconds']:.1f}x as fast as the "
                         f"per-example loop at m = {BATCH_SIZES[0]};\n{large['bp_lib']['seconds'] / large['lower_bound']['seconds']:.1f}x "
                         f"the time of the matrix products alone at m = {BATCH_SIZES[-1]}")
            ax.legend(fontsize=8, ncol=2, loc="upper right")
        elif part == "digits":
            entries = [("bp_lib", "bp_lib\nquadratic"), ("bp_lib_softmax", "bp_lib\nsoftmax"), ("sklearn", "MLPClassifier")]
            seconds = [results["digits"][k]["seconds"] for k, _ in entries]
            bars = ax.bar([label for _, label in entries], seconds,
                          color=[COLORS["function"], COLORS["function"], COLORS["derivative"]])
            for bar, (key, _) in zip(bars, entries):
                ax.annotate(f"{results['digits'][key]['accuracy']:.1%}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                            xytext=(0, 3), textcoords="offset points", ha="center", fontsize=9)
            ax.set_ylabel(f"30 epochs of the digits (s, {CLOCK['name']} time)")
            speedup = results["digits"]["sklearn"]["seconds"] / results["digits"]["bp_lib"]["seconds"]
            ax.set_title(f"Digits: bp_lib {speedup:.1f}x as fast as MLPClassifier\n(bars: time; labels: mean test accuracy)")
        else:
            chapters = {k: v for k, v in results["book"]["chapters"].items() if not v.get("failed")}
            names = list(chapters)[::-1]
            ax.barh([n.removesuffix(".ipynb") for n in names], [chapters[n]["seconds"] for n in names],
                    color=COLORS["function"])
            ax.axvline(TARGETS["chapter_seconds"][1], color=COLORS["derivative"], ls="--", label="15 s per chapter")
            ax.set_xlabel("execution in a fresh kernel (s, wall time)")
            total = sum(v["seconds"] for v in chapters.values())
            ax.set_title(f"The book: {len(chapters)} chapters,\n{total:.0f} s one after another")
            ax.legend(fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)


# --- main -----------------------------------------------------------------------------------


def update_readme(block):
    text = README.read_text()
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no {BEGIN} ... {END} block to rewrite")
    README.write_text(pattern.sub(lambda _: f"{BEGIN}\n{block}\n{END}", text))


def limit_threads(threads):
    """The same thread budget for every contender: numpy's and scipy's BLAS, PyTorch's pool and
    its OpenMP runtime. Returns whether PyTorch can be imported."""
    try:
        import torch
        torch.set_num_threads(threads)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:
            pass
        have_torch = True
    except ImportError:
        have_torch = False
    import numpy  # noqa: F401  (loads the BLAS that threadpoolctl then limits)
    import scipy.special  # noqa: F401
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads)
    return have_torch


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 repeats instead of 5, 5 digits seeds, no pytest suite")
    parser.add_argument("--repeats", type=int, help="timed repeats per contender (default 5, or 2 with --quick)")
    parser.add_argument("--digits-seeds", type=int, help="seeds of the digits task, each run once by every "
                        f"contender (default {DIGITS_SEEDS}, or 5 with --quick)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS and PyTorch threads for the package parts")
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument("--skip-digits", action="store_true")
    parser.add_argument("--skip-book", action="store_true")
    parser.add_argument("--skip-suite", action="store_true", help="time the chapters, not the whole pytest suite")
    parser.add_argument("--update-readme", action="store_true", help="rewrite README.md's benchmark table")
    parser.add_argument("--figure", type=Path, help="where the figure goes (default: benchmarks/results/ with "
                        "--update-readme, else the git-ignored artifacts/)")
    parser.add_argument("--json", type=Path, help="where the measurements go (same defaults as --figure)")
    parser.add_argument("--execute-notebook", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.execute_notebook:
        return execute_notebook(args.execute_notebook)
    skipped = args.skip_training or args.skip_digits or args.skip_book or args.skip_suite or args.quick
    if args.update_readme and skipped:
        parser.error("--update-readme needs a full run: no --quick and no --skip-* options")
    repeats = args.repeats or (2 if args.quick else 5)
    digits_seeds = args.digits_seeds or (5 if args.quick else DIGITS_SEEDS)
    # the committed figure and numbers are those of the run that wrote README.md's table
    results_dir = RESULTS if args.update_readme else ROOT / "artifacts"
    args.figure = args.figure or results_dir / "benchmark.png"
    args.json = args.json or results_dir / "benchmark.json"

    have_torch = limit_threads(args.threads)
    CLOCK["name"] = "cpu" if args.threads == 1 else "wall"
    machine = machine_description(args.threads)
    print(machine, flush=True)
    if not have_torch:
        print("note: torch is not importable, so the PyTorch column is skipped "
              "(pip install torch==2.13.0 to measure it; it is not a dependency of the book)", flush=True)
    results = {"machine": machine, "threads": args.threads, "repeats": repeats, "date": date.today().isoformat()}
    if not args.skip_training:
        results["training"] = bench_training(repeats, have_torch)
    if not args.skip_digits:
        results["digits"] = bench_digits(digits_seeds)
    if not args.skip_book:
        results["book"] = bench_book(run_suite=not (args.skip_suite or args.quick))

    table = markdown_table(build_rows(results))
    print()
    print(table)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, default=str))
    draw_figure(results, args.figure)
    print(f"\nwrote {args.json} and {args.figure}")
    if args.update_readme:
        update_readme(f"Measured on {results['date']} by `python benchmarks/benchmark.py --update-readme` "
                      f"({repeats} repeats, fastest of each; the digits task {digits_seeds} seeds): "
                      f"{machine}\n\n{table}")
        print("rewrote the benchmark table in README.md")


if __name__ == "__main__":
    sys.exit(main())
