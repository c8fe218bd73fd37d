"""Hidden cases of chapter 7 (chapters/07_what_the_equations_tell_us.ipynb).

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib, numpy or SymPy, never typed in.
"""

import numpy as np
import sympy as sp

import bp_lib
from bp_lib.exercises import check_function

# %% exercise 7.1
# Rows whose entries cancel (a sum of 0 that is not silent) and a row of tiny entries; no silent
# row at all (an empty answer); one example; every row silent.
draw = np.random.default_rng(701)
cancelling = np.array(
    [[1.0, -1.0, 0.0], [0.0, 0.0, 0.0], [1e-300, 0.0, 0.0], [-2.0, 0.0, 2.0]]
)
batches = [
    cancelling,
    draw.uniform(0.1, 1.0, size=(4, 6)),
    np.array([[0.0], [3.0], [0.0]]),
    np.zeros((3, 5)),
]
check_function(
    "7.1",
    silent_pixels,
    [((X,), np.flatnonzero(~np.any(X != 0, axis=1))) for X in batches],
)


# %% exercise 7.2
# A single neuron; a chain of 12 (a delta near underflow); large weights and a negative input; an
# input of 0. Expected: bp_lib's BP1, then BP2 layer by layer.
def first_error(w, b, x, y):
    net = bp_lib.Network.from_parameters(
        [[[v]] for v in w], [[[v]] for v in b], activation="sigmoid"
    )
    return net.deltas(np.array([[x]]), np.array([[y]]))[0][0, 0]


long = bp_lib.Network([1] * 13, seed=72)
cases = [
    ([1.3], [-0.2], 0.5, 1.0),
    (
        [float(w[0, 0]) for w in long.weights],
        [float(b[0, 0]) for b in long.biases],
        0.8,
        0.0,
    ),
    ([6.0, -8.0, 5.0], [0.5, 1.0, -2.0], -1.5, 0.25),
    ([0.9, -1.1], [0.3, 0.2], 0.0, 1.0),
]
check_function(
    "7.2",
    chain_first_error,
    [(c, first_error(*c)) for c in cases],
    rtol=1e-10,
    atol=1e-300,
)

# %% exercise 7.3
# Just inside and just outside the threshold on both sides; |z| = 1000, where a slope computed as
# exp(-z) / (1 + exp(-z))**2 is nan; a 1-D array; whole numbers. Expected: the fraction with |z|
# beyond the threshold SymPy solves for from sigma'(z) = 1/40.
z_s = sp.Symbol("z")
threshold = float(
    sp.nsolve(sp.diff(1 / (1 + sp.exp(-z_s)), z_s) - sp.Rational(1, 40), z_s, 3)
)
draw = np.random.default_rng(703)
arrays = [
    np.array(
        [[threshold - 1e-6, threshold + 1e-6], [-threshold - 1e-6, -threshold + 1e-6]]
    ),
    np.array([-1000.0, 1000.0, 0.0]),
    4 * draw.standard_normal(101),
    np.arange(-6, 7),
]
check_function(
    "7.3",
    saturated_fraction,
    [((Z,), float(np.mean(np.abs(Z) > threshold))) for Z in arrays],
)
