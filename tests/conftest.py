import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

# Property tests draw the same examples on every run: `pytest` twice in a row gives the same result.
settings.register_profile("book", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("book")

# Under `pytest -n auto` one worker per core executes the chapters, each in a kernel of its own. A
# kernel with the machine's default BLAS threads keeps idle OpenBLAS threads spinning on the core
# the other worker needs; one thread per kernel gives the suite the cores it has. (The kernels
# inherit this environment; results do not depend on the thread count.)
if os.environ.get("PYTEST_XDIST_WORKER"):
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
