"""The figures more than one chapter draws, in one style.

``use_book_style()`` once per chapter; then the helpers take a matplotlib Axes and draw on it,
so a chapter composes them into its own figures and sets its own title (one that states the
finding).
"""

import matplotlib.pyplot as plt
import numpy as np

COLORS = {
    "function": "#1f4e79",  # a function, a forward value, a first curve
    "derivative": "#c0504d",  # its derivative, a backward error, a second curve
    "third": "#4f8a3c",
    "fourth": "#8064a2",
    "saturated": "#f2c14e",  # regions where a derivative is nearly 0
    "neutral": "#7f7f7f",
}

BOOK_STYLE = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "axes.prop_cycle": plt.cycler(
        color=[COLORS[k] for k in ("function", "derivative", "third", "fourth")]
    ),
}


def use_book_style():
    """Apply the book's matplotlib settings (sizes, grid, colours)."""
    plt.rcParams.update(BOOK_STYLE)


def saturated_intervals(z, fprime, fraction=0.1):
    """The intervals of the sorted grid ``z`` where |f'(z)| is below ``fraction`` of its largest
    value on the grid: where a neuron with this activation barely learns. A list of (lo, hi)."""
    z = np.asarray(z, dtype=np.float64)
    slope = np.abs(fprime(z))
    flat = slope < fraction * slope.max()
    intervals, start = [], None
    for zi, is_flat in zip(z, flat):
        if is_flat and start is None:
            start = zi
        if not is_flat and start is not None:
            intervals.append((start, zi))
            start = None
    if start is not None:
        intervals.append((start, z[-1]))
    return intervals


def plot_with_derivative(ax, z, f, fprime, name, fraction=0.1):
    """Draw f and f' on ``ax`` over the grid ``z``, shading where f' is below ``fraction`` of its
    peak (the saturated regions). Returns the saturated intervals."""
    intervals = saturated_intervals(z, fprime, fraction)
    for k, (lo, hi) in enumerate(intervals):
        ax.axvspan(
            lo,
            hi,
            color=COLORS["saturated"],
            alpha=0.25,
            lw=0,
            label=f"saturated: |{name}'| < {fraction:g} max" if k == 0 else None,
        )
    ax.plot(z, f(z), color=COLORS["function"], lw=2, label=f"{name}(z)")
    ax.plot(
        z, fprime(z), color=COLORS["derivative"], lw=2, ls="--", label=f"{name}'(z)"
    )
    ax.set_xlabel("weighted input z")
    ax.legend(loc="best")
    return intervals


def plot_learning_curves(history, axes=None, label=None):
    """Cost and accuracy per epoch from a history returned by ``Network.sgd``, on two Axes."""
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    cost_ax, acc_ax = axes
    prefix = f"{label}, " if label else ""
    epochs = history["epoch"]
    for part, style in (("train", "-"), ("test", "--")):
        if f"{part}_cost" in history:
            cost_ax.plot(
                epochs, history[f"{part}_cost"], ls=style, label=f"{prefix}{part}"
            )
            acc_ax.plot(
                epochs, history[f"{part}_accuracy"], ls=style, label=f"{prefix}{part}"
            )
    cost_ax.set(xlabel="epoch", ylabel="cost C")
    acc_ax.set(xlabel="epoch", ylabel="accuracy")
    cost_ax.legend()
    acc_ax.legend()
    return axes


def draw_network(
    ax,
    sizes,
    node_values=None,
    edge_widths=None,
    node_labels=None,
    cmap="coolwarm",
    backward_arrows=False,
):
    """Draw a layered network: layer l at x = l, its neurons stacked vertically.

    - ``node_values``: optional list, one array of length sizes[l] per layer, coloured with
      ``cmap`` on a symmetric scale (e.g. each layer's deltas).
    - ``edge_widths``: optional list, one (sizes[l+1], sizes[l]) array per weight matrix, in
      points (e.g. proportional to |w| or to how much error flows along each weight).
    - ``node_labels``: optional list of lists of strings drawn beside each neuron.
    - ``backward_arrows``: if true, an arrowhead in the middle of every edge points from layer
      l back to layer l-1, sized with the edge: the error flowing backward (chapter 4, BP2).
    Returns the positions: a list per layer of (x, y) pairs.
    """
    tallest = max(sizes)
    positions = [[(l, (n - 1) / 2 - j) for j in range(n)] for l, n in enumerate(sizes)]
    for l in range(len(sizes) - 1):
        for j, (x1, y1) in enumerate(positions[l + 1]):
            for k, (x0, y0) in enumerate(positions[l]):
                width = 0.6 if edge_widths is None else float(edge_widths[l][j, k])
                ax.plot(
                    [x0, x1],
                    [y0, y1],
                    color=COLORS["neutral"],
                    lw=width,
                    alpha=0.6,
                    zorder=1,
                )
    if backward_arrows:
        for l in range(1, len(sizes)):
            for j, (x1, y1) in enumerate(positions[l]):
                for k, (x0, y0) in enumerate(positions[l - 1]):
                    width = (
                        0.6 if edge_widths is None else float(edge_widths[l - 1][j, k])
                    )
                    ax.annotate(
                        "",
                        xy=(x0 + 0.42 * (x1 - x0), y0 + 0.42 * (y1 - y0)),
                        xytext=(x0 + 0.58 * (x1 - x0), y0 + 0.58 * (y1 - y0)),
                        zorder=3,
                        arrowprops=dict(
                            arrowstyle="-|>",
                            color=COLORS["derivative"],
                            lw=0.3 + 0.35 * width,
                            mutation_scale=6 + 2.2 * width,
                        ),
                    )
    scale = 1.0
    if node_values is not None:
        scale = max(float(np.max(np.abs(v))) for v in node_values) or 1.0
    colormap = plt.get_cmap(cmap)
    for l, layer in enumerate(positions):
        for j, (x, y) in enumerate(layer):
            face = (
                "white"
                if node_values is None
                else colormap(0.5 + 0.5 * node_values[l][j] / scale)
            )
            ax.scatter(
                [x],
                [y],
                s=500,
                color=face,
                edgecolors=COLORS["function"],
                linewidths=1.5,
                zorder=2,
            )
            if node_labels is not None:
                ax.annotate(
                    node_labels[l][j],
                    (x, y),
                    xytext=(0, 17),
                    textcoords="offset points",
                    ha="center",
                    fontsize=9,
                )
    ax.set_xticks(range(len(sizes)), [f"layer {l}" for l in range(len(sizes))])
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_ylim(-(tallest + 1) / 2, (tallest + 1) / 2)
    return positions


def draw_graph(ax, root, max_nodes=40):
    """Draw the computational graph of a ``bp_lib.autodiff.Value`` on ``ax`` (chapter 8).

    The inputs are at the top and ``root`` (the output) at the bottom: a node sits in the row
    given by its depth (the longest path from an input to it), and an input in the row just above
    its first use. Each node is a box showing its label or operation, its value and its ``grad``
    (so call ``root.backward()`` first to show the backward pass); each edge is an arrow from a
    parent to the node made from it, labelled with its local derivative, equation (8.10).
    Read upward, the ``grad`` of a node is the sum, over the edges leaving it, of the ``grad`` at
    the far end times the edge's label: equation (8.11).

    - ``ax``: the matplotlib Axes to draw on (its axis is turned off).
    - ``root``: the output Value whose graph is drawn.
    - ``max_nodes``: a larger graph is refused, since its boxes could not be read.

    Returns a dict with the node boxes (``"nodes"``, one Text per node in topological order),
    the arrows (``"edges"``) and the edge labels (``"edge_labels"``), one per edge.
    """
    from bp_lib.autodiff import Value, topological_order

    if not isinstance(root, Value):
        raise ValueError(
            "draw_graph draws the graph of a bp_lib.autodiff.Value; "
            f"got {type(root).__name__}"
        )
    order = topological_order(root)
    if len(order) > max_nodes:
        raise ValueError(
            f"the graph has {len(order)} nodes, more than max_nodes = {max_nodes} that "
            "can be drawn readably; draw a smaller expression"
        )
    children = {id(node): [] for node in order}
    for node in order:
        for p in node.parents:
            children[id(p)].append(node)
    depth = {}
    for node in order:  # inputs first: one more than the deepest parent
        depth[id(node)] = 1 + max((depth[id(p)] for p in node.parents), default=-1)
    for node in reversed(order):  # an input goes to the row just before its first use
        if not node.parents and children[id(node)]:
            depth[id(node)] = min(depth[id(c)] for c in children[id(node)]) - 1
    rows = {}
    for node in order:
        rows.setdefault(depth[id(node)], []).append(node)
    boxes = {}
    for d, row in rows.items():
        # the operations on a vertical spine, each row's inputs to their right
        ops = [node for node in row if node.parents]
        leaves = [node for node in row if not node.parents]
        first = -(len(ops) - 1) / 2 if ops else -(len(leaves) - 1) / 2
        for i, node in enumerate(ops + leaves):
            name = node.label or f"({node.op})"
            if node.label and node.op:
                name = f"{node.label} ({node.op})"
            leaf = not node.parents
            boxes[id(node)] = ax.text(
                2.6 * (first + i),
                -1.6 * d,
                f"{name} = {node.data:.4f}\ngrad {node.grad:.4f}",
                ha="center",
                va="center",
                fontsize=9,
                zorder=3,
                bbox=dict(
                    boxstyle="round",
                    fc="white" if leaf else "#eef3f8",
                    ec=COLORS["neutral"] if leaf else COLORS["function"],
                ),
            )
    nodes = [boxes[id(node)] for node in order]
    edges, edge_labels = [], []
    ax.figure.canvas.draw()  # lay the boxes out, so that the arrows stop at their edges
    for node in order:
        for p, local in zip(node.parents, node.local_grads):
            start, end = boxes[id(p)], boxes[id(node)]
            edges.append(
                ax.annotate(
                    "",
                    xy=end.get_position(),
                    xytext=start.get_position(),
                    zorder=4,
                    arrowprops=dict(
                        arrowstyle="-|>",
                        color=COLORS["neutral"],
                        lw=1,
                        mutation_scale=12,
                        patchA=start.get_bbox_patch(),
                        patchB=end.get_bbox_patch(),
                    ),
                )
            )
            (x0, y0), (x1, y1) = start.get_position(), end.get_position()
            vertical = x0 == x1  # on the spine: the label beside the arrow, not on it
            edge_labels.append(
                ax.annotate(
                    f"{local:.3g}",
                    ((x0 + x1) / 2, (y0 + y1) / 2),
                    xytext=(5 if vertical else 0, 0),
                    textcoords="offset points",
                    ha="left" if vertical else "center",
                    va="center",
                    fontsize=9,
                    color=COLORS["derivative"],
                    zorder=5,
                    bbox=None
                    if vertical
                    else dict(boxstyle="square,pad=0.1", fc="white", ec="none"),
                )
            )
    xs = [box.get_position()[0] for box in nodes]
    ys = [box.get_position()[1] for box in nodes]
    ax.set_xlim(min(xs) - 1.4, max(xs) + 1.4)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.axis("off")
    return {"nodes": nodes, "edges": edges, "edge_labels": edge_labels}
