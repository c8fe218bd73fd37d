"""Hidden cases of chapter 4 (chapters/04_four_equations.ipynb).

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib, numpy or SymPy, never typed in.
"""

import numpy as np
import sympy as sp

import bp_lib
from bp_lib.exercises import check_function


def network_quantities(sizes, m, seed):
    """A sigmoid network of these sizes on a random batch of m examples: bp_lib's z^l, a^l,
    delta^l and averaged dC/dw^l (lists counting layers from 1 at index 0; a^0 = X first)."""
    net = bp_lib.Network(sizes, activation="sigmoid", seed=seed)
    draw = np.random.default_rng(seed)
    X, Y = draw.normal(size=(sizes[0], m)), draw.uniform(size=(sizes[-1], m))
    zs, activations = net.forward(X)
    nabla_w, _ = net.backprop(X, Y)
    return net, zs, activations, net.deltas(X, Y), nabla_w


# %% exercise 4.1
# One neuron and one example, shape (1, 1); saturated outputs (z = +-40); targets equal to the
# outputs (delta = 0); a wide batch.
draw = np.random.default_rng(401)
z_far = np.array([[40.0, -40.0, 35.0]])
z_wide = draw.normal(size=(3, 10))
cases = [
    (np.array([[0.3]]), np.array([[1.0]])),
    (z_far, np.array([[0.0, 1.0, 0.5]])),
    (z_wide, bp_lib.sigmoid(z_wide)),
    (z_wide, draw.uniform(size=(3, 10))),
]
quadratic = bp_lib.QuadraticCost()
check_function(
    "4.1",
    output_error,
    [((z, y), quadratic.delta(z, bp_lib.sigmoid(z), y)) for z, y in cases],
)

# %% exercise 4.2
# Square layers (3-3-3), where a missing transpose still has the right shape; a layer of one
# neuron and a single example; a 5-4-4-2 network with a square w^3.
cases = []
for sizes, m, seed in (
    ([3, 3, 3], 4, 421),
    ([2, 1, 4], 1, 422),
    ([5, 4, 4, 2], 3, 423),
):
    net, zs, _, deltas, _ = network_quantities(sizes, m, seed)
    cases += [
        ((net.weights[k + 1], deltas[k + 1], zs[k]), deltas[k])
        for k in range(len(sizes) - 2)
    ]
check_function("4.2", backpropagate_error, cases)

# %% exercise 4.3
# A single example; square layers with as many examples as neurons, where a transposed product
# still has the right shape; a batch of 40.
cases = []
for sizes, m, seed in (([3, 3, 2], 1, 431), ([4, 4, 4], 4, 432), ([2, 5, 1], 40, 433)):
    _, _, activations, deltas, nabla_w = network_quantities(sizes, m, seed)
    cases += [((deltas[k], activations[k]), nabla_w[k]) for k in range(len(sizes) - 1)]
check_function("4.3", weight_gradient, cases)


# %% exercise 4.4
# Two classes; five classes with a target spread over several; z = (1000, 999, 0), where
# exp(1000) overflows a softmax computed as written. Expected: SymPy's derivative of
# 1/2 ||softmax(z) - y||^2, evaluated at z - max(z) (softmax is unchanged by that shift).
def expected_error(z, y):
    K = z.shape[0]
    z_s, y_s = sp.symbols(f"z1:{K + 1}"), sp.symbols(f"t1:{K + 1}")
    q = [sp.exp(zj) / sum(sp.exp(zk) for zk in z_s) for zj in z_s]
    cost = sp.Rational(1, 2) * sum((q[j] - y_s[j]) ** 2 for j in range(K))
    derivative = sp.lambdify([*z_s, *y_s], [sp.diff(cost, zj) for zj in z_s])
    return np.reshape(
        np.array(derivative(*(z - z.max()).ravel(), *y.ravel()), dtype=float), (K, 1)
    )


draw = np.random.default_rng(404)
cases = [
    (np.array([[0.4], [-1.1]]), np.array([[0.0], [1.0]])),
    (draw.normal(size=(5, 1)), np.array([[0.1], [0.0], [0.6], [0.3], [0.0]])),
    (np.array([[1000.0], [999.0], [0.0]]), np.array([[0.0], [1.0], [0.0]])),
]
check_function(
    "4.4", softmax_quadratic_error, [((z, y), expected_error(z, y)) for z, y in cases]
)
