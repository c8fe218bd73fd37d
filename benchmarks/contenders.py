"""One training epoch of each contender, on the same data from the same starting weights.

The task: a 784-30-10 network (sigmoid, quadratic cost, eta 3.0, ``Network(..., seed=0)``'s
weights) on ``columns`` random MNIST-shaped columns. "One epoch" is what ``Network.sgd`` does in
one: shuffle the examples with ``numpy.random.default_rng(seed).permutation``, one step per
mini-batch, then the cost and accuracy on the training columns for the history. Each
contender does the same:

- ``bp_lib``: ``Network.sgd`` for one epoch (``bp_lib_c_order``: the same, given X with
  contiguous rows, from which sgd first makes one transposed copy);
- ``per_example``: the loop chapter 6 starts from, its ``backprop_by_loop`` read from the
  chapter's notebook and run as written there: each example forward and backward on its own;
- ``torch``: the same network in PyTorch on the CPU, float64, ``torch.optim.SGD``;
- ``lower_bound``: the same matrix products alone (forward, BP2's w^T delta, BP4's delta a^T,
  and the end-of-epoch forward pass) on mini-batches gathered beforehand: no elementwise work;
- ``products_and_shuffle``: the lower bound plus gathering the shuffled mini-batches, as sgd does.

``prepare(name, X, Y, batch_size)`` returns ``epoch(seed)``, which does one epoch from fresh
weights; everything before the epoch (the network, PyTorch's model) is built outside it, and
each call of ``prepare`` starts from the same fresh weights (``epoch`` called twice trains on).
Nothing in this module is imported before the worker has set its threads.
"""

import ast
import functools

import numpy as np

import bp_lib
from benchmarks.common import ROOT
from publishing import notebooks

SIZES = [784, 30, 10]
ETA = 3.0
COLUMNS = 10_000
CHAPTER = ROOT / "chapters" / "06_algorithm.ipynb"


def mnist_shaped_data(columns=COLUMNS, seed=0):
    """``columns`` random columns of 784 pixels in [0, 1) and random one-hot targets of 10.

    The pixels are stored as image data sets store them: one image after another, a
    (columns, 784) array, which the network is given transposed, X = images.T."""
    rng = np.random.default_rng(seed)
    X = rng.random((columns, SIZES[0])).T
    Y = bp_lib.one_hot(rng.integers(0, SIZES[-1], columns), SIZES[-1])
    return X, Y


def fresh_network():
    return bp_lib.Network(SIZES, activation="sigmoid", cost="quadratic", seed=0)


@functools.lru_cache(maxsize=None)
def chapter_functions(names, notebook=CHAPTER):
    """The functions ``names`` (a tuple) exactly as the chapter writes them: their definitions
    are read from the notebook's code cells and executed here, so that the benchmark times the
    chapter's own code and cannot drift from it."""
    namespace = {"np": np}
    for _, cell in notebooks.code_cells(notebooks.read(notebook)):
        wanted = [
            node
            for node in ast.parse(notebooks.python_source(cell)).body
            if isinstance(node, ast.FunctionDef) and node.name in names
        ]
        exec(
            compile(ast.Module(body=wanted, type_ignores=[]), str(notebook), "exec"),
            namespace,
        )
    missing = set(names) - set(namespace)
    if missing:
        raise RuntimeError(f"{notebook} no longer defines {sorted(missing)}")
    return {name: namespace[name] for name in names}


def epoch_record(weights, biases, X, Y):
    """The training cost and accuracy at the end of an epoch (what sgd's history records)."""
    a = X
    for w, b in zip(weights, biases):
        a = 1.0 / (1.0 + np.exp(-(w @ a + b)))
    return float(0.5 * np.sum((a - Y) ** 2) / X.shape[1]), float(
        np.mean(a.argmax(axis=0) == Y.argmax(axis=0))
    )


def per_example_epoch(net, X, Y, batch_size, seed):
    """One epoch of SGD with the chapter's ``backprop_by_loop``; the rest is sgd's epoch: the same
    shuffle (whole rows copied, so each example's column is contiguous), one step per mini-batch."""
    backprop_by_loop = chapter_functions(("backprop_one_example", "backprop_by_loop"))[
        "backprop_by_loop"
    ]
    X_rows, Y_rows = np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)
    order = np.random.default_rng(seed).permutation(X.shape[1])
    for start in range(0, X.shape[1], batch_size):
        batch = order[start : start + batch_size]
        nabla_w, nabla_b = backprop_by_loop(net, X_rows[batch].T, Y_rows[batch].T)
        for w, nw in zip(net.weights, nabla_w):
            w -= ETA * nw
        for b, nb in zip(net.biases, nabla_b):
            b -= ETA * nb
    return epoch_record(net.weights, net.biases, X, Y)


def torch_parts(X, Y):
    """``(fresh_model, epoch)`` for PyTorch: ``fresh_model()`` is the network with bp_lib's starting
    weights, ``epoch(model, batch_size, seed)`` trains it one epoch and returns cost and accuracy."""
    import torch

    X_rows = torch.from_numpy(
        np.ascontiguousarray(X.T)
    )  # PyTorch's layout: one example per row
    Y_rows = torch.from_numpy(np.ascontiguousarray(Y.T))
    start_net = fresh_network()

    def fresh_model():
        layers = []
        for w, b in zip(start_net.weights, start_net.biases):
            linear = torch.nn.Linear(w.shape[1], w.shape[0], dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(w))
                linear.bias.copy_(torch.from_numpy(b.ravel()))
            layers += [linear, torch.nn.Sigmoid()]
        return torch.nn.Sequential(*layers)

    def quadratic_cost(a, y):
        return (
            0.5 * ((a - y) ** 2).sum() / a.shape[0]
        )  # C = (1/m) sum_x 1/2 ||a - y||^2

    def epoch(model, batch_size, seed):
        optimizer = torch.optim.SGD(model.parameters(), lr=ETA)
        order = torch.from_numpy(
            np.random.default_rng(seed).permutation(X_rows.shape[0])
        )
        X_epoch, Y_epoch = X_rows[order], Y_rows[order]
        for start in range(0, X_epoch.shape[0], batch_size):
            optimizer.zero_grad()
            quadratic_cost(
                model(X_epoch[start : start + batch_size]),
                Y_epoch[start : start + batch_size],
            ).backward()
            optimizer.step()
        with torch.no_grad():
            a = model(X_rows)
            return float(quadratic_cost(a, Y_rows)), float(
                (a.argmax(1) == Y_rows.argmax(1)).double().mean()
            )

    return fresh_model, epoch


def matrix_products(weights, X_batches, X):
    """The matrix products of one epoch of sgd and nothing else: for each mini-batch the forward
    products, BP2's w^T delta and BP4's delta a^T (the weighted inputs stand in for the
    activations and errors), then the end-of-epoch forward pass over all the columns."""
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


def shuffled_batches(X, batch_size, seed):
    """The examples gathered into shuffled mini-batches as sgd gathers them: one copy of X with
    the examples as rows, then each mini-batch's rows, seen as columns."""
    X_rows = np.ascontiguousarray(X.T)
    order = np.random.default_rng(seed).permutation(X.shape[1])
    return (
        X_rows[order[s : s + batch_size]].T for s in range(0, X.shape[1], batch_size)
    )


def prepare(name, X, Y, batch_size):
    """``epoch(seed)``: one epoch of the contender ``name``, its setup already done."""
    if name == "bp_lib":
        net = fresh_network()
        return lambda seed: net.sgd(
            X, Y, epochs=1, batch_size=batch_size, eta=ETA, seed=seed
        )
    if name == "bp_lib_c_order":
        X_c = np.ascontiguousarray(X)
        net = fresh_network()
        return lambda seed: net.sgd(
            X_c, Y, epochs=1, batch_size=batch_size, eta=ETA, seed=seed
        )
    if name == "per_example":
        chapter_functions(
            ("backprop_one_example", "backprop_by_loop")
        )  # read the notebook now
        net = fresh_network()
        return lambda seed: per_example_epoch(net, X, Y, batch_size, seed)
    if name == "torch":
        fresh_model, epoch = torch_parts(X, Y)
        model = fresh_model()
        return lambda seed: epoch(model, batch_size, seed)
    if name == "lower_bound":
        weights = fresh_network().weights
        X_batches = list(
            shuffled_batches(X, batch_size, seed=0)
        )  # gathered outside the timing
        return lambda seed: matrix_products(weights, X_batches, X)
    if name == "products_and_shuffle":
        weights = fresh_network().weights
        return lambda seed: matrix_products(
            weights, shuffled_batches(X, batch_size, seed), X
        )
    raise ValueError(
        f"no contender {name!r}; see this module's docstring for the contenders"
    )
