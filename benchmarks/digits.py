"""The digits task of chapter 6: bp_lib against scikit-learn's ``MLPClassifier``, over seeds.

    python -m benchmarks.digits --seeds 20 --threads 1      # prints JSON

The chapter's task: 64-30-10, sigmoid, quadratic cost, 30 epochs, batch 10, eta 3.0, the test
accuracy recorded every epoch, on ``bp_lib.load_digits()``. Against it, ``MLPClassifier`` with the
same architecture, solver and epochs: logistic hidden layer, plain SGD (no momentum, no L2),
constant rate 3.0, batch 10, 30 epochs, no early stopping. Its output layer is softmax with
log-loss, so bp_lib's softmax-cross-entropy network is timed too, as the like-for-like model.

Each contender runs once with each seed, the contenders taking turns (rotated each seed), after
one untimed run each; its time is the fastest run (CPU time with one thread, else wall time,
garbage collector paused), its accuracy the mean over the seeds with the standard error. All
three share one process: they use the same numpy, and at one thread (the setting the table
uses) no BLAS pool runs beside them. The process is a fresh one, with its thread setting
applied before numpy is imported.
"""

import argparse
import functools
import json
import warnings

from benchmarks.common import (
    apply_threads,
    clock_name,
    run_worker,
    thread_report,
    thread_setting,
    timed,
)

EPOCHS, BATCH_SIZE, ETA = 30, 10, 3.0


def contenders():
    """``{name: run(seed)}``; each run trains one model and returns a function that gives its test
    accuracy (bp_lib's from the history it recorded, MLPClassifier's by scoring, after the timing)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from bp_lib import Network, load_digits

    digits = load_digits()

    def bp_lib_run(cost):
        def run(seed):
            net = Network([64, 30, 10], activation="sigmoid", cost=cost, seed=seed)
            history = net.sgd(
                digits.X_train,
                digits.Y_train,
                epochs=EPOCHS,
                batch_size=BATCH_SIZE,
                eta=ETA,
                seed=seed,
                test_data=(digits.X_test, digits.Y_test),
            )
            return lambda: history["test_accuracy"][-1]

        return run

    def sklearn_run(seed):
        clf = MLPClassifier(
            hidden_layer_sizes=(30,),
            activation="logistic",
            solver="sgd",
            alpha=0.0,
            batch_size=BATCH_SIZE,
            learning_rate="constant",
            learning_rate_init=ETA,
            momentum=0.0,
            nesterovs_momentum=False,
            max_iter=EPOCHS,
            shuffle=True,
            random_state=seed,
            tol=0.0,
            n_iter_no_change=EPOCHS + 1,
        )
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore", ConvergenceWarning
            )  # it stops at max_iter, as asked
            clf.fit(digits.X_train.T, digits.labels_train)
        assert clf.n_iter_ == EPOCHS
        return lambda: clf.score(digits.X_test.T, digits.labels_test)

    return {
        "bp_lib": bp_lib_run("quadratic"),
        "bp_lib_softmax": bp_lib_run("softmax_cross_entropy"),
        "sklearn": sklearn_run,
    }


def measure(seeds, clock):
    """``{name: {"seconds", "all", "accuracies", "accuracy", "accuracy_sem"}}`` over ``seeds`` seeds."""
    import numpy as np

    runs = contenders()
    names = list(runs)
    for name in names:  # one untimed run each: nothing is timed cold
        runs[name](0)
    times, accuracies = {n: [] for n in names}, {n: [] for n in names}
    for seed in range(seeds):
        for name in names[seed % len(names) :] + names[: seed % len(names)]:
            seconds, accuracy = timed(functools.partial(runs[name], seed), clock)
            times[name].append(seconds)
            accuracies[name].append(float(accuracy()))
    return {
        name: {
            "seconds": min(times[name]),
            "all": times[name],
            "accuracies": accuracies[name],
            "accuracy": float(np.mean(accuracies[name])),
            "accuracy_sem": float(np.std(accuracies[name], ddof=1) / np.sqrt(seeds))
            if seeds > 1
            else 0.0,
        }
        for name in names
    }


def bench_digits(seeds, threads="1"):
    """The digits part, run in a fresh process at this thread setting; prints a line per contender."""
    result = run_worker("benchmarks.digits", ["--seeds", seeds], threads)
    for name, measured in result["contenders"].items():
        print(
            f"  digits, threads {threads}, {name}: {measured['seconds']:.2f} s ({result['clock']} time), "
            f"test accuracy {measured['accuracy']:.4f} (seeds 0-{seeds - 1}: "
            f"{', '.join(f'{a:.3f}' for a in measured['accuracies'])})",
            flush=True,
        )
    return {
        "threads": threads,
        "clock": result["clock"],
        "thread_pools": result["threads"],
        **result["contenders"],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--threads", type=thread_setting, default="1")
    args = parser.parse_args(argv)
    apply_threads(args.threads)  # before numpy is imported
    clock = clock_name(args.threads)
    result = {"clock": clock, "contenders": measure(args.seeds, clock)}
    result["threads"] = thread_report()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
