import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

# Property tests draw the same examples on every run: `pytest` twice in a row gives the same result.
settings.register_profile("book", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("book")
