"""Hidden cases of chapter 10 (chapters/10_why_backprop_is_fast.ipynb).

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib, numpy or SymPy, never typed in.
"""

import numpy as np
import sympy as sp

import bp_lib
from bp_lib.autodiff import Dual, Value, as_values, grads
from bp_lib.checkpoint import backprop_checkpointed
from bp_lib.exercises import check_function


def sympy_gradient(expr, symbols, theta):
    """Every d expr / d symbol at theta, by SymPy, as floats."""
    at = dict(zip(symbols, theta))
    return np.array([float(sp.diff(expr, s).subs(at)) for s in symbols])


def layer_case(n_out, n_in, draw, scale=1.0):
    """(w, b, x, direction) of a sigmoid layer; b and x scaled to reach saturation."""
    w, b = draw.normal(size=(n_out, n_in)), scale * draw.normal(size=(n_out, 1))
    x = scale * draw.normal(size=(n_in, 1))
    return w, b, x


# %% exercise 10.1
# One input; five inputs, one used three times; a quotient and a power, where a tangent rule
# applied in the wrong order shows. Expected: SymPy's derivatives of the same formulas.
p = sp.symbols("p1:6")
functions = [  # (f on Duals, theta, the same f in SymPy)
    (lambda q: (q[0] * q[0]).sigmoid() * 3, [0.4], 3 / (1 + sp.exp(-(p[0] ** 2)))),
    (
        lambda q: (q[0] * q[1] - q[2] / (1 + q[3] * q[3])) ** 3 + q[4].tanh() * q[0],
        [0.5, -0.3, 1.2, 0.7, -0.9],
        (p[0] * p[1] - p[2] / (1 + p[3] ** 2)) ** 3 + sp.tanh(p[4]) * p[0],
    ),
    (
        lambda q: (q[0].exp() + q[1] ** 2).log() / q[2],
        [0.2, -1.5, 2.5],
        sp.log(sp.exp(p[0]) + p[1] ** 2) / p[2],
    ),
]
cases = [
    ((f, np.array(theta)), sympy_gradient(expr, p[: len(theta)], theta))
    for f, theta, expr in functions
]
check_function("10.1", forward_mode_gradient, cases, rtol=1e-10)

# %% exercise 10.2
# One neuron from one input; a saturated layer (|z| up to about 30), where sigma'(z) is tiny and
# sigma(z) is not; a wide layer. Expected: one pass of Duals, the input seeded with its
# tangent x_dot (the argument u).
draw = np.random.default_rng(1002)
sigmoid_duals = np.frompyfunc(Dual.sigmoid, 1, 1)
cases = []
for n_out, n_in, scale in [(1, 1, 1.0), (3, 2, 6.0), (2, 7, 1.0)]:
    w, b, x = layer_case(n_out, n_in, draw, scale)
    u = draw.normal(size=(n_in, 1))
    seeded = np.array([[Dual(xi, ui)] for xi, ui in zip(x.ravel(), u.ravel())])
    a = sigmoid_duals(w @ seeded + b)
    cases.append(((w, b, x, u), np.array([[ai.tangent] for ai in a.ravel()])))
check_function("10.2", layer_jvp, cases, atol=1e-14)

# %% exercise 10.3
# One neuron from one input; a saturated layer; a narrow output from a wide input (n_1 = 1).
# Expected: one backward pass of Values from g^T a, the output's gradient g = dC/da being the
# argument v.
draw = np.random.default_rng(1003)
cases = []
for n_out, n_in, scale in [(1, 1, 1.0), (3, 2, 6.0), (1, 6, 1.0)]:
    w, b, x = layer_case(n_out, n_in, draw, scale)
    v = draw.normal(size=(n_out, 1))
    leaves = as_values(x)
    a = np.frompyfunc(Value.sigmoid, 1, 1)(w @ leaves + b)
    sum((v * a).ravel()).backward()
    cases.append(((w, b, x, v), grads(leaves)))
check_function("10.3", layer_vjp, cases, atol=1e-14)

# %% exercise 10.4
# k not dividing L (a short last segment), k larger than L, one layer. Expected: the counts of
# bp_lib.checkpoint itself.
cases = []
for L, k in [(10, 4), (7, 3), (3, 5), (1, 1), (25, 6)]:
    net = bp_lib.Network([2] * (L + 1), seed=L)
    *_, counts = backprop_checkpointed(net, np.ones((2, 1)), np.zeros((2, 1)), every=k)
    cases.append(((L, k), counts.recomputed_layers))
check_function("10.4", recomputed_layers, cases)
