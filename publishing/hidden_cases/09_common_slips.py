"""Hidden cases of chapter 9 (chapters/09_common_slips.ipynb). Exercises 9.1, 9.2 and 9.3 have
none yet.

The grader (publishing/coursework.py) runs each block below, after the exercise's own check cell,
in a copy of the chapter's namespace, this preamble first; the student edition leaves this folder
out. Every expected value is computed here, by bp_lib, numpy or SymPy, never typed in.
"""

import numpy as np

import bp_lib
from bp_lib.exercises import check_function

# %% exercise 9.4
# A negative c larger than 1 in size; c near 0; a huge c; a negative c smaller than 1 in size; c
# just below 1. Expected: bp_lib's relative error between c g and g for a random g.
g = np.random.default_rng(94).standard_normal((2, 5))
check_function("9.4", fingerprint, [((c,), bp_lib.relative_error(c * g, g)) for c in (-3.0, 1e-6, 1e6, -0.5, 0.999)])
