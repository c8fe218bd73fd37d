"""Mini-batch stochastic gradient descent (chapter 1 for the idea, chapter 6 on real data)."""

import numpy as np

from bp_lib import _validate


def sgd(net, X, Y, epochs, batch_size, eta, seed=None, test_data=None):
    """Train ``net`` in place by mini-batch SGD and return its per-epoch history.

    Each epoch shuffles the m columns of X (with a generator seeded by ``seed``), cuts them into
    mini-batches of ``batch_size`` columns (the last may be smaller) and, for each, takes one
    step against the averaged gradient: w^l <- w^l - eta dC/dw^l, b^l <- b^l - eta dC/db^l.

    ``test_data`` is an optional pair ``(X_test, Y_test)``. The history is a dict of lists, one
    entry per epoch: ``epoch``, ``train_cost``, ``train_accuracy`` and, with test data,
    ``test_cost`` and ``test_accuracy``. The same network, data and seed give the same history.
    """
    X, Y = net._check_batch(X, Y)
    epochs = _validate.positive_int("epochs", epochs)
    batch_size = _validate.positive_int("batch_size", batch_size)
    eta = _validate.positive_float("eta", eta)
    if test_data is not None:
        if not isinstance(test_data, (tuple, list)) or len(test_data) != 2:
            raise ValueError(f"test_data must be a pair (X_test, Y_test); got {type(test_data).__name__}")
        X_test, Y_test = net._check_batch(*test_data, x_name="X_test", y_name="Y_test")

    rng = np.random.default_rng(seed)
    m = X.shape[1]
    history = {"epoch": [], "train_cost": [], "train_accuracy": []}
    if test_data is not None:
        history.update(test_cost=[], test_accuracy=[])

    # One example per row, contiguous in memory, so that shuffling copies whole rows: X[:, order]
    # gathers one scattered entry from every row of X for each example, 2-5 times slower. Both give
    # X_epoch the same column-major layout, so every product, and so every result, is unchanged.
    X_rows, Y_rows = np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(m)
        X_epoch, Y_epoch = X_rows[order].T, Y_rows[order].T  # the columns of X and Y, shuffled
        for start in range(0, m, batch_size):
            X_batch = X_epoch[:, start:start + batch_size]
            Y_batch = Y_epoch[:, start:start + batch_size]
            nabla_w, nabla_b = net._backprop(X_batch, Y_batch)
            for w, nw in zip(net.weights, nabla_w):
                w -= eta * nw
            for b, nb in zip(net.biases, nabla_b):
                b -= eta * nb
        history["epoch"].append(epoch)
        _record(net, X, Y, history, "train")
        if test_data is not None:
            _record(net, X_test, Y_test, history, "test")
    return history


def _record(net, X, Y, history, prefix):
    zs, activations = net._forward(X)
    history[f"{prefix}_cost"].append(net.cost.value(zs[-1], Y))
    history[f"{prefix}_accuracy"].append(net._accuracy(activations[-1], Y))
