"""Hidden cases of chapter 2 (chapters/02_chain_rule.ipynb).

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib, numpy or SymPy, never typed in.
"""

import numpy as np

import bp_lib
from bp_lib.exercises import check_function


def chain(weights, activation="identity"):
    """bp_lib's chain 1 -> 1 -> ... -> 1 with these weights and zero biases, as chapter 2 builds it."""
    return bp_lib.Network.from_parameters(
        [[[w]] for w in weights],
        [[[0.0]] for _ in weights],
        activation=activation,
        cost="quadratic",
        output_activation=activation,
    )


def column(value):
    return np.array([[value]])


# %% exercise 2.1
# A zero weight in the middle; a negative input; a long chain; no weight at all (x_0 alone).
draw = np.random.default_rng(201)
cases = [
    (1.5, [2.0, 0.0, 5.0]),
    (-2.0, [0.5, -3.0]),
    (0.9, draw.uniform(-1.5, 1.5, 25).tolist()),
    (4.0, []),
]
expected = [x0 * np.concatenate([[1.0], np.cumprod(weights)]) for x0, weights in cases]
check_function("2.1", chain_forward, list(zip(cases, expected)))

# %% exercise 2.2
# A zero first weight (x_n = 0); weights that differ at every step, so a reversed order shows; an
# output equal to its target; a long chain.
draw = np.random.default_rng(202)
cases = [
    (0.5, 2.0, [0.0, 2.0, 3.0]),
    (-2.0, -1.0, [0.5, 2.0, -3.0, 4.0]),
    (1.0, 1.0, [1.0]),
    (0.3, 0.6, draw.uniform(-1.5, 1.5, 10).tolist()),
]


def deltas(x0, y, weights):
    layer_deltas = chain(weights).deltas(column(x0), column(y))
    return np.array([d[0, 0] for d in layer_deltas[::-1]])  # delta_0 = delta^L first


check_function("2.2", chain_deltas, [(case, deltas(*case)) for case in cases])

# %% exercise 2.3
# One example through four weights; a batch holding zeros, with a zero weight; one weight and a
# batch of 50.
draw = np.random.default_rng(203)
cases = [
    (draw.uniform(-2, 2, (1, 1)), draw.uniform(-2, 2, (1, 1)), [0.5, -1.2, 0.8, 1.1]),
    (
        np.array([[0.0, 1.0, -2.0, 0.0, 0.5, 3.0, -1.0, 0.0]]),
        draw.uniform(-2, 2, (1, 8)),
        [1.3, 0.0],
    ),
    (draw.uniform(-2, 2, (1, 50)), draw.uniform(-2, 2, (1, 50)), [-0.7]),
]


def gradient(X, Y, weights):
    nabla_w, _ = chain(weights).backprop(X, Y)
    return np.array([g[0, 0] for g in nabla_w])


check_function("2.3", chain_gradient, [(case, gradient(*case)) for case in cases])

# %% exercise 2.4
# A zero input (the first gradient is 0); large weights that saturate the sigmoids; one weight and
# a negative input; a chain of eight.
draw = np.random.default_rng(204)
cases = [
    (0.0, 0.3, [1.2, -0.8, 0.5]),
    (1.0, 0.2, [20.0, -15.0, 30.0]),
    (-2.0, 0.1, [-1.5]),
    (0.6, 0.9, draw.uniform(-3, 3, 8).tolist()),
]


def sigmoid_gradient(x0, y, weights):
    nabla_w, _ = chain(weights, "sigmoid").backprop(column(x0), column(y))
    return np.array([g[0, 0] for g in nabla_w])


check_function(
    "2.4", sigmoid_chain_gradient, [(case, sigmoid_gradient(*case)) for case in cases]
)
