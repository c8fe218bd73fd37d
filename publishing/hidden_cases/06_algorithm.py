"""Hidden cases of chapter 6 (chapters/06_algorithm.ipynb).

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib, numpy, SymPy or scikit-learn, never typed in.
"""

import warnings

import numpy as np
import sympy as sp
from sklearn.metrics import confusion_matrix

from bp_lib.exercises import check, check_function


# %% exercise 6.1
# A large step; a kink (|theta| at 0); a negative step, which gives the same quotient; a small step
# on cos. Expected: the quotient itself, worked out by SymPy in 30 digits.
def quotient(f, theta, h):
    theta, h = sp.nsimplify(theta), sp.nsimplify(h)
    return float(sp.N((f(theta + h) - f(theta - h)) / (2 * h), 30))


def square(v):
    return v**2


check_function(
    "6.1",
    central_difference,
    [
        ((np.exp, -2.0, 0.5), quotient(sp.exp, -2.0, 0.5)),
        ((abs, 0.0, 0.1), quotient(sp.Abs, 0.0, 0.1)),
        ((square, 3.0, -0.25), quotient(square, 3.0, -0.25)),
        ((np.cos, 2.0, 1e-4), quotient(sp.cos, 2.0, 1e-4)),
    ],
)

# %% exercise 6.2
# A 1-D w; a step so large that (1 - eta lambda / n) < 0; a single number; and w left as it was.
# Expected: w - eta (nabla_w + (lambda / n) w), the gradient step on C_0 + lambda/(2n) sum w^2.
draw = np.random.default_rng(602)
cases = [
    (draw.standard_normal(5), draw.standard_normal(5), 0.1, 2.0, 50),
    (draw.standard_normal((2, 2)), draw.standard_normal((2, 2)), 3.0, 1000.0, 100),
    (-1.5, 0.25, 0.5, 5.0, 10),
]
check_function(
    "6.2",
    weight_decay_step,
    [(c, c[0] - c[2] * (c[1] + c[3] / c[4] * np.asarray(c[0]))) for c in cases],
)
w_given = draw.standard_normal((2, 3))
w_kept = w_given.copy()
weight_decay_step(w_given, draw.standard_normal((2, 3)), 0.5, 5.0, 100)
check(
    "6.2",
    bool(np.array_equal(w_given, w_kept)),
    True,
    what="whether w is left as it was by weight_decay_step(w, ...)",
)

# %% exercise 6.3
# A single example; one class only; every prediction in one class (many repeated pairs); a class
# that is never a true label. Expected: scikit-learn's confusion_matrix.
draw = np.random.default_rng(603)
labels_many = draw.integers(0, 4, size=200)
cases = [
    (np.array([1]), np.array([0]), 2),
    (np.zeros(5, dtype=int), np.zeros(5, dtype=int), 1),
    (labels_many, np.full(200, 3), 4),
    (np.zeros(6, dtype=int), np.array([0, 1, 2, 1, 0, 2]), 3),
]


def expected_counts(t, p, n):
    with (
        warnings.catch_warnings()
    ):  # one class only: scikit-learn warns that it found a single label
        warnings.simplefilter("ignore")
        return confusion_matrix(t, p, labels=range(n))


check_function(
    "6.3",
    confusion_counts,
    [((t, p, n), expected_counts(t, p, n)) for t, p, n in cases],
)

# %% exercise 6.4
# m a multiple of the batch size; a batch larger than m; a million examples; no epoch at all.
# Expected: the mini-batches bp_lib.training.sgd makes, one per start in range(0, m, batch_size).
cases = [(1000, 10, 3), (5, 8, 4), (10**6, 7, 2), (60, 1, 0)]
check_function(
    "6.4", sgd_steps, [((m, b, e), e * len(range(0, m, b))) for m, b, e in cases]
)
