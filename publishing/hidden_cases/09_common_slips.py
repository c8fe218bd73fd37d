"""Hidden cases of chapter 9 (chapters/09_common_slips.ipynb).

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib, numpy or SymPy, never typed in. The networks
here are not the chapter's: a 2-4-3 one and a square 4-4-4 one, with their own batches.
"""

import numpy as np

import bp_lib
from bp_lib.exercises import check_function


def with_slip(net, slip):
    """``net.backprop`` with one of chapter 9's slips planted: "factor 2", "no 1/m", "sign",
    "s'(a)" (sigma' at a^l), "inverse" (w^-1 for w^T in BP2), "W layout" (dC/dw transposed)."""

    def backprop(X, Y):
        zs, activations = net.forward(X)
        m = X.shape[1]
        delta = (activations[-1] - Y) * bp_lib.sigmoid_prime(zs[-1])  # BP1
        delta = {"factor 2": 2 * delta, "sign": -delta}.get(slip, delta)
        deltas = [delta]
        for l in range(len(net.weights) - 2, -1, -1):
            w_next = net.weights[l + 1]
            back = (
                np.linalg.inv(w_next) @ delta if slip == "inverse" else w_next.T @ delta
            )
            delta = back * bp_lib.sigmoid_prime(
                activations[l + 1] if slip == "s'(a)" else zs[l]
            )  # BP2
            deltas.insert(0, delta)
        scale = 1.0 if slip == "no 1/m" else 1.0 / m
        nabla_b = [scale * d.sum(axis=1, keepdims=True) for d in deltas]  # BP3
        nabla_w = [scale * d @ a.T for d, a in zip(deltas, activations[:-1])]  # BP4
        return ([g.T for g in nabla_w] if slip == "W layout" else nabla_w), nabla_b

    return backprop


draw = np.random.default_rng(90)
net_a = bp_lib.Network([2, 4, 3], activation="sigmoid", cost="quadratic", seed=91)
X_a, Y_a = draw.normal(size=(2, 7)), draw.uniform(size=(3, 7))
net_b = bp_lib.Network([4, 4, 4], activation="sigmoid", cost="quadratic", seed=92)
X_b, Y_b = draw.normal(size=(4, 3)), draw.uniform(size=(4, 3))

# %% exercise 9.1
# Each slip on the side the public cases leave it off, on other networks; a sign slip; the slip
# on both sides is not asked. Expected: the side with the slip.
cases = [
    ((net_a, X_a, Y_a, net_a.backprop, with_slip(net_a, "s'(a)")), "b"),
    ((net_b, X_b, Y_b, with_slip(net_b, "inverse"), net_b.backprop), "a"),
    ((net_a, X_a, Y_a, net_a.backprop, with_slip(net_a, "factor 2")), "b"),
    ((net_b, X_b, Y_b, with_slip(net_b, "W layout"), net_b.backprop), "a"),
    ((net_a, X_a, Y_a, with_slip(net_a, "sign"), net_a.backprop), "a"),
]
check_function("9.1", slipped, cases)

# %% exercise 9.2
# Elementwise maps (the identity, sin, a leaky ReLU away from 0), one input (always diagonal), and
# maps that mix their inputs (softmax elsewhere, a running sum, a reversal). Expected: from the
# structure of each map, which the cases are chosen to make exact.
z = np.random.default_rng(920).normal(size=5)
leaky = lambda v: np.where(v > 0, v, 0.1 * v)  # noqa: E731
cases = [
    ((lambda v: v, z), True),
    ((np.sin, z), True),
    ((leaky, z), True),
    ((bp_lib.softmax, np.array([0.3])), True),
    ((bp_lib.softmax, 3 * z), False),
    ((np.cumsum, z), False),
    ((lambda v: v[::-1], z), False),
]
check_function("9.2", sum_collapses, cases)


# %% exercise 9.3
# Other networks and batch sizes; a sign slip (c = -1); the factor 2 and the missing 1/m together
# (c = 2 m). Expected: the factor each slip plants.
def both(net):
    slipped_twice = with_slip(net, "no 1/m")
    return lambda X, Y: tuple([2 * g for g in grads] for grads in slipped_twice(X, Y))


cases = [
    ((net_a, X_a, Y_a, with_slip(net_a, "no 1/m")), 7.0),
    ((net_b, X_b, Y_b, with_slip(net_b, "factor 2")), 2.0),
    ((net_a, X_a, Y_a, with_slip(net_a, "sign")), -1.0),
    ((net_b, X_b, Y_b, both(net_b)), 6.0),
    ((net_b, X_b, Y_b, net_b.backprop), 1.0),
]
check_function("9.3", gradient_factor, cases, rtol=1e-6)

# %% exercise 9.4
# A negative c larger than 1 in size; c near 0; a huge c; a negative c smaller than 1 in size; c
# just below 1. Expected: bp_lib's relative error between c g and g for a random g.
g = np.random.default_rng(94).standard_normal((2, 5))
check_function(
    "9.4",
    fingerprint,
    [((c,), bp_lib.relative_error(c * g, g)) for c in (-3.0, 1e-6, 1e6, -0.5, 0.999)],
)
