"""Mini-batch stochastic gradient descent (chapter 1 for the idea, chapter 6 on real data)."""

import numpy as np
from scipy.linalg.blas import dgemm

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
            _step(net, X_rows, Y_rows, order[start:start + batch_size], eta)
        history["epoch"].append(epoch)
        _record(net, X, Y, history, "train")
        if test_data is not None:
            _record(net, X_test, Y_test, history, "test")
    return history


def _step(net, X_rows, Y_rows, batch, eta):
    """One step on the m examples whose rows are listed in ``batch``, with each delta^l from
    BP1 and BP2 (one column per example):

        w^l <- w^l - (eta/m) sum_x delta^l_x (a^(l-1)_x)^T     (BP4, times eta)
        b^l <- b^l - (eta/m) sum_x delta^l_x                   (BP3, times eta)

    A function of its own so that the mini-batch's arrays are freed when it returns, before the
    next mini-batch is gathered: memory is then reused instead of requested anew each step.
    """
    X_batch, Y_batch = X_rows[batch].T, Y_rows[batch].T  # the examples as columns
    zs, activations = net._forward(X_batch)
    deltas = net._backward(zs, activations, Y_batch)
    for w, b, delta, a in zip(net.weights, net.biases, deltas, activations):
        step = (eta / len(batch)) * delta  # eta/m on n_l numbers per example, not on the product
        _subtract_product(w, step, a)
        b -= step.sum(axis=1, keepdims=True)


def _subtract_product(w, delta, a):
    """w -= delta @ a.T, in place.

    One BLAS call adds the product straight into w (dgemm with alpha = -1 and beta = 1), where
    numpy would first build it as a new (n_l, n_(l-1)) array and then subtract that array in a
    second pass; at batch 10 that saves about a tenth of a step. dgemm works on column-major
    arrays, and a C-ordered w seen as w.T is one, so w.T -= a @ delta.T updates w itself.
    Any other w (another dtype, a strided view) takes the numpy route.
    """
    if w.dtype == np.float64 and w.flags.c_contiguous:
        dgemm(-1.0, a, delta, beta=1.0, c=w.T, trans_b=True, overwrite_c=True)
    else:
        w -= delta @ a.T


def _record(net, X, Y, history, prefix):
    zs, activations = net._forward(X)
    history[f"{prefix}_cost"].append(net.cost.value(zs[-1], Y))
    history[f"{prefix}_accuracy"].append(net._accuracy(activations[-1], Y))
