import matplotlib.pyplot as plt
import numpy as np
import pytest

import bp_lib
from bp_lib import plotting


def test_book_style_is_applied():
    plotting.use_book_style()
    assert plt.rcParams["axes.grid"] is True
    assert tuple(plt.rcParams["figure.figsize"]) == (7.0, 4.0)


def test_saturated_intervals_of_the_sigmoid():
    z = np.linspace(-8, 8, 1601)
    intervals = plotting.saturated_intervals(z, bp_lib.sigmoid_prime, fraction=0.1)
    assert len(intervals) == 2
    (lo1, hi1), (lo2, hi2) = intervals
    assert lo1 == -8 and hi2 == 8
    assert hi1 == pytest.approx(-3.637, abs=0.011) and lo2 == pytest.approx(
        3.637, abs=0.011
    )  # sigma'(z) = 1/40 at |z| = 3.637
    assert plotting.saturated_intervals(z, bp_lib.identity_prime) == []


def test_figure_helpers_draw_on_the_axes():
    fig, ax = plt.subplots()
    plotting.plot_with_derivative(
        ax, np.linspace(-3, 3, 61), bp_lib.tanh, bp_lib.tanh_prime, "tanh"
    )
    assert len(ax.lines) == 2
    history = {
        "epoch": [1, 2],
        "train_cost": [1.0, 0.5],
        "train_accuracy": [0.5, 0.8],
        "test_cost": [1.1, 0.6],
        "test_accuracy": [0.4, 0.7],
    }
    axes = plotting.plot_learning_curves(history)
    assert [len(a.lines) for a in axes] == [2, 2]
    fig, ax = plt.subplots()
    positions = plotting.draw_network(
        ax,
        [2, 3, 1],
        node_values=[np.zeros(2), np.array([1.0, -1.0, 0.5]), np.ones(1)],
        edge_widths=[np.ones((3, 2)), np.ones((1, 3))],
        node_labels=[["a", "b"], ["c", "d", "e"], ["f"]],
    )
    assert [len(layer) for layer in positions] == [2, 3, 1]
    assert len(ax.lines) == 2 * 3 + 3 * 1
    plt.close("all")
