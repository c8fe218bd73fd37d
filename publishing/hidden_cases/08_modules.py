"""Hidden cases of chapter 8 (chapters/08_modules.ipynb).

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib, numpy or SymPy, never typed in.
"""

import numpy as np
import sympy as sp

from bp_lib.autodiff import Value
from bp_lib.exercises import check_function
from bp_lib.modules import Elementwise, Linear


def linear_case(n_in, n_out, m, draw):
    """(dz, a_prev) for a Linear module of these sizes, and the dC/dw it computes itself."""
    module = Linear(
        draw.standard_normal((n_out, n_in)), draw.standard_normal((n_out, 1))
    )
    a_prev, dz = draw.standard_normal((n_in, m)), draw.standard_normal((n_out, m))
    module.forward(a_prev)
    module.backward(dz)
    return (dz, a_prev), module.nabla_w


# %% exercise 8.1
# Square (n_in = n_out), where a transposed product has the right shape; one input; a batch of 30.
draw = np.random.default_rng(801)
check_function(
    "8.1",
    linear_weight_gradient,
    [linear_case(*sizes, draw) for sizes in ((3, 3, 5), (1, 4, 2), (6, 2, 30))],
)

# %% exercise 8.2
# Square W, where a missing transpose has the right shape; one input; one output and one example.
draw = np.random.default_rng(802)
cases = [linear_case(*sizes, draw) for sizes in ((3, 3, 2), (1, 5, 4), (4, 1, 1))]
check_function(
    "8.2",
    weight_gradient_other_convention,
    [(args, nabla_w.T) for args, nabla_w in cases],
)

# %% exercise 8.3
# Saturated neurons (z = +-30, +-12); one neuron and one example; no incoming gradient (da = 0).
draw = np.random.default_rng(803)
cases = []
for z, da in (
    (np.array([[30.0, -30.0], [12.0, -12.0]]), draw.standard_normal((2, 2))),
    (np.array([[0.4]]), np.array([[-1.3]])),
    (draw.uniform(-4, 4, (3, 2)), np.zeros((3, 2))),
):
    module = Elementwise("sigmoid")
    a = module.forward(z)
    cases.append(((a, da), module.backward(da)))
check_function("8.3", sigmoid_backward_from_output, cases)

# %% exercise 8.4
# u = -750, where a slope written 1 / (1 + e^-u) overflows; u = -36.5, where ln(1 + e^u) written as
# it reads loses every digit; a small u; u = 35.25. The node is used twice after softplus, and the
# input Value must keep its data. Expected: SymPy, in 30 digits.
u_s = sp.Symbol("u")
softplus_s = sp.log(1 + sp.exp(u_s))


def softplus_value_slope_and_input(u0):
    """[softplus(u0), its slope from backward() through a node used twice, the input's data after]."""
    leaf = Value(u0)
    out = softplus(leaf)
    if not isinstance(out, Value):
        raise TypeError(f"softplus must return a Value, not {type(out).__name__}")
    (out + out).backward()
    return [out.data, leaf.grad / 2.0, leaf.data]


cases = []
for u0 in (-750.0, -36.5, 1e-3, 35.25):
    u_exact = sp.nsimplify(u0)
    expected = [
        float(softplus_s.subs(u_s, u_exact).evalf(30)),
        float(sp.diff(softplus_s, u_s).subs(u_s, u_exact).evalf(30)),
        u0,
    ]
    cases.append(((u0,), expected))
check_function("8.4", softplus_value_slope_and_input, cases, rtol=1e-12, atol=1e-300)
