"""Hidden cases of chapter 1 (chapters/01_gradient_descent.ipynb).

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib, numpy or SymPy, never typed in.
"""

import numpy as np
import sympy as sp

import bp_lib
from bp_lib.exercises import check_function

# %% exercise 1.1
# Three dimensions; a single number as a 0-d array; a negative zero, a tiny and a huge entry.
draw = np.random.default_rng(101)
grads = [
    draw.standard_normal((2, 3, 2)),
    np.array(-4.0),
    np.array([-0.0, 1e-300, -1e300, 7.0]),
]
check_function("1.1", step_directions, [((g,), -np.sign(g)) for g in grads])

# %% exercise 1.2
# The farthest move comes from a negative partial derivative, in the last place or deep in a long
# array; an array of one entry.
draw = np.random.default_rng(102)
long = draw.standard_normal(50)
long[37] = -(np.abs(long).max() + 1.0)
grads = [np.array([0.3, 0.2, -0.9]), long, np.array([-2.5])]
check_function("1.2", moves_most, [((g,), int(np.argmax(np.abs(g)))) for g in grads])

# %% exercise 1.3
# No hidden layer, a long chain of single neurons, a wide pair of layers, a deep narrow network.
networks = [[3, 1], [1] * 12, [1000, 1000], [2, 50, 50, 50, 1]]
check_function(
    "1.3", count_fc_parameters, [((s,), bp_lib.count_parameters(s)) for s in networks]
)

# %% exercise 1.4
# One example; large inputs (a tiny rate); negative inputs; two equal inputs (a singular Hessian).
# Expected: 2 / the largest eigenvalue of the Hessian of C = 1/(2m) sum (w x + b - y)**2, by SymPy
# (the Hessian does not depend on the targets, so y = 0 here).
w_s, b_s = sp.symbols("w b", real=True)


def bound(xs):
    cost = sum(
        sp.Rational(1, 2) * (w_s * sp.nsimplify(x) + b_s) ** 2 for x in xs
    ) / len(xs)
    return float(2 / max(sp.hessian(cost, (w_s, b_s)).eigenvals(), key=float))


input_sets = [[3.0], [100.0, 200.0], [-5.0, -1.0, -2.0], [0.5, 0.5]]
check_function("1.4", largest_stable_eta, [((xs,), bound(xs)) for xs in input_sets])
