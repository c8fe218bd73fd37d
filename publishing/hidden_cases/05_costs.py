"""Hidden cases of chapter 5 (chapters/05_costs.ipynb).

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib, numpy or SymPy, never typed in.
"""

import numpy as np
import sympy as sp

import bp_lib
from bp_lib.exercises import check_function


def softmax_symbols(K):
    """SymPy's z_1..z_K, t_1..t_K and q = softmax(z) from its definition."""
    z_s, y_s = sp.symbols(f"z1:{K + 1}"), sp.symbols(f"t1:{K + 1}")
    return z_s, y_s, [sp.exp(zj) / sum(sp.exp(zk) for zk in z_s) for zj in z_s]


# %% exercise 5.1
# Both signs far from 0, where the ratio is in the millions, and a small z: (5.5) / (5.1) is
# 1 / sigma'(z), with bp_lib's sigma'.
check_function(
    "5.1",
    error_ratio,
    [((z,), 1 / bp_lib.sigmoid_prime(z)) for z in (-15.0, 15.0, 0.25, -1e-8)],
)

# %% exercise 5.2
# Two classes; ten classes; an almost certain right answer (a cost near 0); a target spread over
# three classes. Expected: bp_lib's softmax cross-entropy of z = ln q.
draw = np.random.default_rng(502)
softmax_ce = bp_lib.SoftmaxCrossEntropyCost()
cases = [
    (np.array([0.3, 0.7]), np.array([0.0, 1.0])),
    (bp_lib.softmax(draw.normal(size=10)), np.eye(10)[6]),
    (bp_lib.softmax(np.array([30.0, 0.0, 0.0])), np.array([1.0, 0.0, 0.0])),
    (np.array([0.2, 0.5, 0.3]), np.array([0.2, 0.3, 0.5])),
]
check_function(
    "5.2",
    softmax_cross_entropy,
    [((q, y), softmax_ce.value(np.log(q)[:, None], y[:, None])) for q, y in cases],
)


# %% exercise 5.3
# Targets adding up to 3 and to 0; z = (800, 0, -800), where exp(800) overflows a softmax
# computed as written; five classes. Expected: SymPy's derivative of -sum y_i ln q_i, ln q_i written
# z_i - ln sum_k e^(z_k), at z - max(z).
def expected_gradient(z, y):
    z_s, y_s, _ = softmax_symbols(len(z))
    log_q = [zi - sp.log(sum(sp.exp(zk) for zk in z_s)) for zi in z_s]
    cost = -sum(y_s[i] * log_q[i] for i in range(len(z)))
    derivative = sp.lambdify([*z_s, *y_s], [sp.diff(cost, zj) for zj in z_s])
    return np.array(derivative(*(z - z.max()), *y), dtype=float)


draw = np.random.default_rng(503)
cases = [
    (np.array([0.3, -0.4]), np.array([2.0, 1.0])),
    (draw.normal(size=3), np.zeros(3)),
    (np.array([800.0, 0.0, -800.0]), np.array([0.0, 1.0, 0.0])),
    (draw.normal(size=5), np.array([0.1, 0.2, 0.3, 0.0, 0.9])),
]
check_function(
    "5.3", softmax_ce_gradient, [((z, y), expected_gradient(z, y)) for z, y in cases]
)

# %% exercise 5.4
# The largest entry last (a shift by z[0] overflows); very negative entries, tied; a large value
# of each sign; (1000, -1000), whose mean is 0 (a shift by the mean overflows). Expected: exact, in SymPy.
cases = [
    (0.0, 1000.0),
    (-5000.0, -5000.0, -5001.0),
    (750.5, -750.5),
    (709.0, 709.0, 709.0, 709.0),
    (1000.0, -1000.0),
]
check_function(
    "5.4",
    log_sum_exp,
    [
        (
            (np.array(z),),
            float(sp.log(sum(sp.exp(sp.nsimplify(v)) for v in z)).evalf(30)),
        )
        for z in cases
    ],
    rtol=1e-12,
)


# %% exercise 5.5
# One class (the Jacobian is [[0]]); four classes; z = (1000, 0, -1000), where exp(1000)
# overflows. Expected: SymPy's Jacobian of softmax's definition, at z - max(z).
def expected_jacobian(z):
    z_s, _, q = softmax_symbols(len(z))
    jacobian = sp.lambdify([z_s], sp.Matrix(q).jacobian(sp.Matrix(z_s)), "numpy")
    return np.array(jacobian(z - z.max()), dtype=float).reshape(len(z), len(z))


draw = np.random.default_rng(505)
cases = [np.array([0.7]), draw.normal(size=4), np.array([1000.0, 0.0, -1000.0])]
check_function(
    "5.5", softmax_jacobian_matrix, [((z,), expected_jacobian(z)) for z in cases]
)
