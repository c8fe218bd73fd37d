"""Hidden cases of chapter 11 (chapters/11_new_layers.ipynb).

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib's modules, never typed in.
"""

import numpy as np

from bp_lib.exercises import check_function
from bp_lib.modules import (
    BatchNorm,
    Dropout,
    Elementwise,
    Linear,
    QuadraticLoss,
    Residual,
    Sequential,
    TransposedLinear,
)


def batch_norm_arguments(u, dv, gamma):
    """(dv, u_hat, gamma, s) for the batch u, and BatchNorm's dC/du."""
    module = BatchNorm(u.shape[0])
    module.gamma[:] = gamma
    module.forward(u)
    s = np.sqrt(u.var(axis=1, keepdims=True) + module.eps)
    u_hat = (u - u.mean(axis=1, keepdims=True)) / s
    return (dv, u_hat, module.gamma.copy(), s), module.backward(dv)


def tied_arguments(w, x):
    """(w, x) and dC/dw from a Linear and a TransposedLinear sharing w."""
    n_h, n_in = w.shape
    encoder, decoder = (
        Linear(w, np.zeros((n_h, 1))),
        TransposedLinear(w, np.zeros((n_in, 1))),
    )
    model = Sequential([encoder, Elementwise("sigmoid"), decoder], QuadraticLoss())
    model.loss(x, x)
    model.backward()
    return (w, x), encoder.nabla_w + decoder.nabla_w


# %% exercise 11.1
# One neuron (n = 1); two examples, the smallest batch; a row that is constant (s_B = sqrt(eps),
# u_hat = 0); a negative gamma; a batch of 40.
draw = np.random.default_rng(1101)
check_function(
    "11.1",
    batch_norm_backward,
    [
        batch_norm_arguments(
            draw.normal(0, 3, (1, 6)), draw.standard_normal((1, 6)), 1.5
        ),
        batch_norm_arguments(
            draw.normal(0, 1, (3, 2)), draw.standard_normal((3, 2)), 0.8
        ),
        batch_norm_arguments(
            np.vstack([np.full((1, 5), 2.0), draw.standard_normal((1, 5))]),
            draw.standard_normal((2, 5)),
            np.array([[1.0], [2.0]]),
        ),
        batch_norm_arguments(
            draw.normal(5, 2, (4, 40)), draw.standard_normal((4, 40)), -0.7
        ),
    ],
)

# %% exercise 11.2
# p other than 1/2, where 1/(1 - p) and 1/p differ: 0.2 and 0.8; p = 0, where nothing is dropped;
# one entry.
draw = np.random.default_rng(1102)
cases = []
for p, shape, seed in [
    (0.2, (3, 5), 1),
    (0.8, (4, 4), 2),
    (0.0, (2, 3), 3),
    (0.3, (1, 1), 4),
]:
    module = Dropout(p, seed=seed)
    module.forward(draw.standard_normal(shape))
    dv = draw.standard_normal(shape)
    cases.append(((dv, module.mask.copy(), p), module.backward(dv)))
check_function("11.2", dropout_backward, cases)

# %% exercise 11.3
# A non-symmetric w with large weights (saturated tanh); one neuron; one example; w = 0, where only
# the identity path is left.
draw = np.random.default_rng(1103)
cases = []
for w, m in [
    (4 * draw.standard_normal((3, 3)), 4),
    (draw.standard_normal((1, 1)), 6),
    (draw.standard_normal((4, 4)), 1),
    (np.zeros((2, 2)), 3),
]:
    n = w.shape[0]
    b, u, dv = (draw.standard_normal(shape) for shape in [(n, 1), (n, m), (n, m)])
    module = Residual([Linear(w, b), Elementwise("tanh")])
    module.forward(u)
    cases.append(((w, b, u, dv), module.backward(dv)))
check_function("11.3", residual_input_gradient, cases)

# %% exercise 11.4
# A square w, where the decoder's use not transposed back still has the shape of w; one example;
# one hidden neuron; a batch of 25.
draw = np.random.default_rng(1104)
check_function(
    "11.4",
    tied_weight_gradient,
    [
        tied_arguments(draw.standard_normal((3, 3)), draw.uniform(-1, 1, (3, 4))),
        tied_arguments(draw.standard_normal((2, 4)), draw.uniform(-1, 1, (4, 1))),
        tied_arguments(draw.standard_normal((1, 3)), draw.uniform(-1, 1, (3, 5))),
        tied_arguments(draw.standard_normal((4, 6)), draw.uniform(-1, 1, (6, 25))),
    ],
)
