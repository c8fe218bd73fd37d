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
    fig, ax = plt.subplots()
    plotting.draw_network(ax, [2, 3, 1], backward_arrows=True)
    assert len(ax.texts) == 2 * 3 + 3 * 1  # one arrowhead per edge
    plt.close("all")


def test_draw_graph_draws_one_box_per_node_and_one_labelled_arrow_per_edge():
    from bp_lib.autodiff import Value, topological_order

    x, w, b = Value(1.5, label="x"), Value(0.8, label="w"), Value(-0.5, label="b")
    C = 0.5 * ((w * x + b).sigmoid() - 1.0) ** 2
    C.backward()
    order = topological_order(C)
    n_edges = sum(len(node.parents) for node in order)
    fig, ax = plt.subplots()
    drawn = plotting.draw_graph(ax, C)
    assert len(drawn["nodes"]) == len(order) == 11
    assert len(drawn["edges"]) == len(drawn["edge_labels"]) == n_edges == 10
    assert len(ax.texts) == len(order) + 2 * n_edges  # boxes, arrows, labels
    assert drawn["nodes"][-1].get_text() == "(*) = 0.0550\ngrad 1.0000"
    assert {t.get_text() for t in drawn["edge_labels"]} >= {"1.5", "0.8", "0.5"}
    assert all(t.get_fontsize() >= 9 for t in ax.texts if t.get_text())
    plt.close(fig)


def test_draw_graph_refuses_what_it_cannot_draw():
    from bp_lib.autodiff import Value

    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="bp_lib.autodiff.Value; got float"):
        plotting.draw_graph(ax, 3.0)
    big = sum((Value(float(i)) for i in range(30)), Value(0.0))
    with pytest.raises(ValueError, match="the graph has 61 nodes, more than max_nodes"):
        plotting.draw_graph(ax, big)
    plt.close(fig)
