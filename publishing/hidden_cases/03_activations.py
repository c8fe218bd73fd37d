"""Hidden cases of chapter 3 (chapters/03_activations.ipynb).

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib, numpy or SymPy, never typed in.
"""

import numpy as np

import bp_lib
from bp_lib.exercises import check_function


def chain(weights, biases, activation):
    """bp_lib's chain of single neurons with these weights and biases (sigmoid output layer)."""
    return bp_lib.Network.from_parameters(
        [[[w]] for w in weights],
        [[[b]] for b in biases],
        activation=activation,
        cost="quadratic",
    )


def column(value):
    return np.array([[value]])


# %% exercise 3.1
# A 2-D array; outputs at +-1 exactly (tanh of +-20), where the slope is 0; a one-entry array.
z_grid = np.array([[-1.5, 0.25], [3.0, -0.1]])
cases = [
    ((np.tanh(z_grid),), bp_lib.tanh_prime(z_grid)),
    ((float(np.tanh(-20.0)),), float(bp_lib.tanh_prime(-20.0))),
    ((float(np.tanh(20.0)),), float(bp_lib.tanh_prime(20.0))),
    ((np.tanh(np.array([-0.3])),), bp_lib.tanh_prime(np.array([-0.3]))),
]
check_function("3.1", tanh_slope_from_output, cases)


# %% exercise 3.2
# x = 0 (dC0/dw = 0); a = y (both 0); negative x and w with y = 1; a saturated neuron.
def twice_bp_lib(x, w, b, y):
    nabla_w, nabla_b = chain([w], [b], "sigmoid").backprop(column(x), column(y))
    return 2 * np.array([nabla_w[0][0, 0], nabla_b[0][0, 0]])


cases = [
    (0.0, 0.9, -0.4, 0.2),
    (2.5, 0.0, 0.0, 0.5),
    (-3.0, -2.5, 1.5, 1.0),
    (1.0, 12.0, 0.0, 0.0),
]
check_function("3.2", squared_error_gradients, [(c, twice_bp_lib(*c)) for c in cases])


# %% exercise 3.3
# A fraction near 1 (z near 0), a tiny fraction far out in the tail, for both activations; each
# expected z found by bisection on bp_lib's own slopes, not by the inverse functions.
def where_slope_falls(activation, fraction):
    slope = {"sigmoid": bp_lib.sigmoid_prime, "tanh": bp_lib.tanh_prime}[activation]
    target, low, high = fraction * slope(0.0), 0.0, 40.0
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if slope(middle) > target else (low, middle)
    return (low + high) / 2


cases = [
    ("tanh", 0.99),
    ("sigmoid", 0.999),
    ("tanh", 1e-6),
    ("sigmoid", 1e-6),
    ("tanh", 0.25),
    ("sigmoid", 0.3),
]
check_function(
    "3.3", saturation_start, [(c, where_slope_falls(*c)) for c in cases], rtol=1e-7
)


# %% exercise 3.4
# No hidden layer (the sigmoid output alone); a first hidden neuron that is off (z^1 < 0); z^2 = 0
# exactly at the second hidden layer; a negative input through five layers.
def relu_gradients(x, y, weights, biases):
    nabla_w, _ = chain(weights, biases, "relu").backprop(column(x), column(y))
    return np.array([g[0, 0] for g in nabla_w])


cases = [
    (1.0, 0.4, [0.7], [0.2]),
    (1.0, 0.0, [-1.0, 0.8, 0.5], [0.2, 0.1, -0.3]),
    (2.0, 1.0, [0.5, 1.0, -1.5], [0.0, -1.0, 0.2]),
    (-0.5, 0.9, [-2.0, 1.5, 0.5, -1.0, 2.0], [0.3, -0.2, 0.1, 0.4, -0.1]),
]
check_function(
    "3.4", relu_chain_weight_gradients, [(c, relu_gradients(*c)) for c in cases]
)
