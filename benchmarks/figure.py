"""The figure: one epoch per contender and batch size at each thread setting, the digits task,
and each chapter's execution time, in a grid two panels wide, in the book's style.

The training panels share their y-axis (log scale), so that the thread settings compare at a
glance; each panel's title states its finding, from the same numbers as the table.
"""

from benchmarks.report import TARGETS, setting_label

TRAINING_BARS = (
    ("per_example", "per-example loop", "neutral"),
    ("torch", "PyTorch CPU", "fourth"),
    ("bp_lib", "bp_lib", "function"),
    ("lower_bound", "matrix products alone", "third"),
)


def _training_panel(ax, per_setting, label, clock, colors):
    import numpy as np

    batch_sizes = sorted(per_setting, key=int)
    bars = [bar for bar in TRAINING_BARS if bar[0] in per_setting[batch_sizes[0]]]
    x, width = np.arange(len(batch_sizes)), 0.8 / len(bars)
    for i, (key, name, color) in enumerate(bars):
        ax.bar(
            x + (i - (len(bars) - 1) / 2) * width,
            [per_setting[b][key]["seconds"] for b in batch_sizes],
            width,
            label=name,
            color=colors[color],
        )
    ax.set_xticks(x, [str(b) for b in batch_sizes])
    ax.set_xlabel("mini-batch size $m$")
    ax.set_ylabel(f"one epoch (s, {clock} time)")
    ax.set_yscale("log")
    small, large = per_setting[batch_sizes[0]], per_setting[batch_sizes[-1]]
    findings = []
    if "per_example" in small and "bp_lib" in small:
        findings.append(
            f"{small['per_example']['seconds'] / small['bp_lib']['seconds']:.1f}x as fast as the "
            f"loop at m = {batch_sizes[0]}"
        )
    if "lower_bound" in large and "bp_lib" in large:
        findings.append(
            f"{large['bp_lib']['seconds'] / large['lower_bound']['seconds']:.1f}x the time of the "
            f"products alone at m = {batch_sizes[-1]}"
        )
    ax.set_title(
        f"{label}: bp_lib\n" + ",\n".join(findings) if findings else label, fontsize=10
    )
    ax.legend(fontsize=8, ncol=2, loc="upper right")


def _digits_panel(ax, digits, label, colors):
    entries = [
        ("bp_lib", "bp_lib\nquadratic"),
        ("bp_lib_softmax", "bp_lib\nsoftmax"),
        ("sklearn", "MLPClassifier"),
    ]
    bars = ax.bar(
        [name for _, name in entries],
        [digits[k]["seconds"] for k, _ in entries],
        color=[colors["function"], colors["function"], colors["derivative"]],
    )
    for bar, (key, _) in zip(bars, entries):
        ax.annotate(
            f"{digits[key]['accuracy']:.1%}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
    ax.set_ylabel(f"30 epochs of the digits (s, {digits['clock']} time)")
    speedup = digits["sklearn"]["seconds"] / digits["bp_lib"]["seconds"]
    ax.set_title(
        f"Digits, {label}: bp_lib {speedup:.1f}x as fast as\nMLPClassifier (bars: time; labels: mean test accuracy)"
    )


def _book_panel(ax, book, colors):
    chapters = {k: v for k, v in book["chapters"].items() if not v.get("failed")}
    names = list(chapters)[::-1]
    ax.barh(
        [n.removesuffix(".ipynb") for n in names],
        [chapters[n]["seconds"] for n in names],
        color=colors["function"],
    )
    ax.axvline(
        TARGETS["chapter_seconds"][1],
        color=colors["derivative"],
        ls="--",
        label="15 s per chapter",
    )
    ax.set_xlabel("execution in a fresh kernel (s, wall time)")
    ax.set_title(
        f"The book: {len(chapters)} chapters,\n{sum(v['seconds'] for v in chapters.values()):.0f} s one after another"
    )
    ax.legend(fontsize=9)


def draw_figure(results, path):
    """Draw the figure of ``results`` (as ``benchmark.py`` collects them) into ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bp_lib.plotting import COLORS, use_book_style

    use_book_style()
    labels = {s: setting_label(s, d["threads"]) for s, d in results["describe"].items()}
    epochs = (results.get("training") or {}).get("epochs", {})
    panels = [("training", setting) for setting in epochs]
    panels += [(part, None) for part in ("digits", "book") if results.get(part)]
    if not panels:
        return
    columns = min(2, len(panels))
    rows = -(-len(panels) // columns)
    fig, axes = plt.subplots(
        rows, columns, figsize=(5.4 * columns, 4.4 * rows), squeeze=False
    )
    training_axes = []
    for ax, (part, setting) in zip(axes.flat, panels):
        if part == "training":
            per_setting = {int(b): measured for b, measured in epochs[setting].items()}
            clock = next(iter(per_setting[min(per_setting)].values()))["clock"]
            _training_panel(ax, per_setting, labels[setting], clock, COLORS)
            training_axes.append(ax)
        elif part == "digits":
            _digits_panel(
                ax, results["digits"], labels[results["digits"]["threads"]], COLORS
            )
        else:
            _book_panel(ax, results["book"], COLORS)
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    if (
        training_axes
    ):  # one scale for every thread setting, with room for the legend above the bars
        low = min(ax.get_ylim()[0] for ax in training_axes)
        high = max(ax.get_ylim()[1] for ax in training_axes)
        for ax in training_axes:
            ax.set_ylim(low, high * 6)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
