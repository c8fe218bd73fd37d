"""Random problems shared by the tests: a batch of inputs and fitting targets for a network."""

import numpy as np

import bp_lib

ACTIVATIONS = ["sigmoid", "tanh", "relu"]
COSTS = ["quadratic", "cross_entropy", "softmax_cross_entropy"]


def batch(sizes, m, cost, seed=0):
    """X uniform in [-1, 1] of shape (sizes[0], m) and targets Y (sizes[-1], m) that the cost
    accepts: one-hot columns for the softmax cost, entries in [0, 1] otherwise."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (sizes[0], m))
    if cost == "softmax_cross_entropy":
        Y = bp_lib.one_hot(rng.integers(0, sizes[-1], m), sizes[-1])
    else:
        Y = rng.uniform(0, 1, (sizes[-1], m))
    return X, Y
