"""Hidden cases of chapter 0 (chapters/00_preface.ipynb).

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib, numpy or SymPy, never typed in.
"""

import numpy as np

import bp_lib
from bp_lib.exercises import check, check_function

# %% exercise 0.1
# Far out on both sides, where exp(-z) / (1 + exp(-z))**2 becomes inf / inf; a 2-D array; whole
# numbers; a negative number alone.
z_far = np.array([-1000.0, -40.0, 40.0, 1000.0])
z_grid = np.array([[-2.0, 0.0], [0.5, 3.0]])
z_whole = np.arange(-3, 4)
check_function(
    "0.1",
    sigmoid_slope,
    [((z,), bp_lib.sigmoid_prime(z)) for z in (z_far, z_grid, z_whole, -0.75)],
)

# %% exercise 0.2
# The threshold solves sigma'(z) = 1/40 through bp_lib's own sigma', and is ln(s / (1 - s)) for the
# larger root s of s**2 - s + 1/40 = 0, which numpy finds.
t = np.asarray(saturation_threshold(), dtype=float)
check(
    "0.2",
    bp_lib.sigmoid_prime(t),
    1 / 40,
    rtol=1e-9,
    what="sigma'(saturation_threshold())",
)
s_root = max(np.roots([1.0, -1.0, 1 / 40]))
check("0.2", t, np.log(s_root / (1 - s_root)), rtol=1e-9, what="saturation_threshold()")

# %% exercise 0.3
# Shapes the check's (4, 3) leaves out: a single row, a single column, and a square W, which W
# itself, not transposed, would fit too.
draw = np.random.default_rng(303)
matrices = [
    draw.standard_normal((1, 6)),
    draw.standard_normal((5, 1)),
    draw.standard_normal((3, 3)),
]
check_function("0.3", to_book_weights, [((W,), W.T) for W in matrices])
