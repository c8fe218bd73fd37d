"""Mini-batch stochastic gradient descent (chapter 1 for the idea, chapter 6 on real data)."""

import numpy as np

from bp_lib import _validate


def sgd(net, X, Y, epochs, batch_size, eta, seed=None, test_data=None):
    """Train ``net`` in place by mini-batch SGD and return its per-epoch history.

    Each epoch shuffles the m columns of X (with a generator seeded by ``seed``), cuts them into
    mini-batches of ``batch_size`` columns (the last may be smaller) and, for each, takes one
    step against the averaged gradient (``net.step``): w^l <- w^l - eta dC/dw^l,
    b^l <- b^l - eta dC/db^l.

    ``test_data`` is an optional pair ``(X_test, Y_test)``. The history is a dict of lists, one
    entry per epoch: ``epoch``, ``train_cost``, ``train_accuracy`` and, with test data,
    ``test_cost`` and ``test_accuracy``. The same network, data and seed give the same history.
    Everything (the data, the settings, the network's parameters) is checked before the first
    step; a ``ValueError`` leaves the network unchanged.
    """
    X, Y = net.check_batch(X, Y, for_training=True)
    epochs = _validate.positive_int("epochs", epochs)
    batch_size = _validate.positive_int("batch_size", batch_size)
    eta = _validate.positive_float("eta", eta)
    if test_data is not None:
        if not isinstance(test_data, (tuple, list)) or len(test_data) != 2:
            raise ValueError(
                f"test_data must be a pair (X_test, Y_test); got {type(test_data).__name__}"
            )
        X_test, Y_test = net.check_batch(*test_data, names=("X_test", "Y_test"))

    rng = np.random.default_rng(seed)
    n_examples = X.shape[1]
    history = {"epoch": [], "train_cost": [], "train_accuracy": []}
    if test_data is not None:
        history.update(test_cost=[], test_accuracy=[])

    # One example per row, contiguous in memory, so that each mini-batch gathers whole rows:
    # X[:, batch] would fetch one scattered entry from every row of X for each example.
    X_rows, Y_rows = np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n_examples)
        for start in range(0, n_examples, batch_size):
            _step(net, X_rows, Y_rows, order[start : start + batch_size], eta)
        history["epoch"].append(epoch)
        _record(net, X, Y, history, "train")
        if test_data is not None:
            _record(net, X_test, Y_test, history, "test")
    return history


def _step(net, X_rows, Y_rows, batch, eta):
    """``net.step`` on the examples whose rows are listed in ``batch``, as columns, without checking
    them again: ``sgd`` checked the data and the network once, before the first step. A function
    of its own so that the mini-batch's arrays are freed when it returns, before the next
    mini-batch is gathered: memory is then reused instead of requested anew each step."""
    net.step(X_rows[batch].T, Y_rows[batch].T, eta, check_input=False)


def _record(net, X, Y, history, prefix):
    cost, accuracy = net.evaluate(
        X, Y, check_input=False
    )  # checked before the first step
    history[f"{prefix}_cost"].append(cost)
    history[f"{prefix}_accuracy"].append(accuracy)
