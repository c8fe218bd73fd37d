"""The report: the table of ratios and budgets, its header line, and the README writer.

Every row is (part, measure, measured, target, met). A ratio's target holds at every thread
setting measured: a row per setting, "1 thread" and "default threads (N)", N being the thread
counts the default gave (threadpoolctl's, read in the workers). The header line says the
machine, the versions, the thread pools each setting gave, the clocks and the load average.
"""

import os
import platform

from benchmarks.common import ROOT
from publishing.notebooks import replace_between

README = ROOT / "README.md"
BEGIN, END = "<!-- benchmark table -->", "<!-- end benchmark table -->"
TARGETS = {  # (kind, bound): met when the value is >= the bound ("min") or <= it ("max")
    ("per_example", 10): ("min", 8.0),
    ("torch", 10): ("min", 2.0),
    ("torch", 100): ("min", 1.0),
    ("torch", 1000): ("min", 1.0),
    ("lower_bound", 1000): ("max", 1.5),
    "agreement": ("max", 1e-10),
    "digits_speed": ("min", 3.0),
    "chapter_seconds": ("max", 15.0),
    "book_seconds": ("max", 90.0),
    "book_memory_mib": ("max", 1024.0),
}
RATIOS = (  # (target key, measure, numerator, denominator)
    ("per_example", "per-example loop / bp_lib", "per_example", "bp_lib"),
    ("torch", "PyTorch CPU / bp_lib", "torch", "bp_lib"),
    ("lower_bound", "bp_lib / matrix products alone", "bp_lib", "lower_bound"),
    (
        None,
        "bp_lib / (matrix products + shuffling the examples)",
        "bp_lib",
        "products_and_shuffle",
    ),
    (
        None,
        "bp_lib given X with contiguous rows (one transposed copy first) / bp_lib",
        "bp_lib_c_order",
        "bp_lib",
    ),
)
MIB = 2**20


def verdict(key, value):
    """``(target, met)`` for a value: ``(">= 8", "yes")``, or two empty cells without a target."""
    if key not in TARGETS or value is None:
        return "", ""
    kind, bound = TARGETS[key]
    met = value >= bound if kind == "min" else value <= bound
    return f"{'>=' if kind == 'min' else '<='} {bound:g}", "yes" if met else "**no**"


def setting_label(setting, pools):
    """ "1 thread", "4 threads", or "default threads (2)" with the counts the default gave."""
    if setting != "default":
        return "1 thread" if setting == "1" else f"{setting} threads"
    counts = sorted({p["num_threads"] for p in pools if p.get("num_threads")})
    return f"default threads ({'/'.join(map(str, counts)) or '?'})"


def numpy_first(pools, order=("numpy", "scipy", "scikit-learn", "torch")):
    return sorted(
        pools,
        key=lambda p: (
            order.index(p["package"]) if p["package"] in order else len(order)
        ),
    )


def pools_text(pools):
    """ "numpy's OpenBLAS, scipy's OpenBLAS, PyTorch's intra-op pool: 2 threads each": the pools
    threadpoolctl found, numpy's first, with their thread counts."""
    names = {
        "openblas": "OpenBLAS",
        "openmp": "OpenMP",
        "mkl": "MKL",
        "blis": "BLIS",
        "intra-op": "intra-op pool",
    }
    pools = numpy_first(pools)
    named = [
        f"{'PyTorch' if p['package'] == 'torch' else p['package']}'s {names.get(p['api'], p['api'])}"
        for p in pools
    ]
    counts = {p["num_threads"] for p in pools}
    if len(counts) == 1:
        count = counts.pop()
        return (
            f"{', '.join(named)}: {count} thread{'s each' if count != 1 else ' each'}"
        )
    return ", ".join(f"{name} {p['num_threads']}" for name, p in zip(named, pools))


def training_rows(training, labels):
    rows = []
    check = training.get("agreement")
    if check:
        worst = max(check["differences"].values())
        who = (
            "the per-example loop and PyTorch"
            if check["torch"]
            else "the per-example loop"
        )
        rows.append(
            (
                "training",
                f"largest relative difference of the parameters after one epoch, bp_lib vs {who} "
                f"({check['columns']:,} columns, batch 10 and 100)",
                f"{worst:.1e}",
                *verdict("agreement", worst),
            )
        )
    epochs = training["epochs"]
    batch_sizes = sorted(
        {int(b) for per_setting in epochs.values() for b in per_setting}
    )
    for batch_size in batch_sizes:
        part = f"training, batch {batch_size}"
        for key, measure, top, bottom in RATIOS:
            for setting, per_setting in epochs.items():
                measured = per_setting.get(batch_size) or per_setting.get(
                    str(batch_size)
                )
                label = f"{measure}, {labels[setting]}"
                if top not in measured or bottom not in measured:
                    if "torch" in (top, bottom) and "bp_lib" in measured:
                        rows.append(
                            (
                                part,
                                label,
                                "not measured: torch is not installed",
                                "",
                                "",
                            )
                        )
                    continue
                a, b = measured[top]["seconds"], measured[bottom]["seconds"]
                rows.append(
                    (
                        part,
                        label,
                        f"{a / b:.2f}x ({a:.3f} s / {b:.3f} s)",
                        *verdict((key, batch_size), a / b),
                    )
                )
        for setting, per_setting in training.get("memory", {}).items():
            memory = per_setting.get(batch_size) or per_setting.get(str(batch_size))
            if memory:
                rows.append(
                    (
                        part,
                        f"peak memory of one bp_lib epoch, PSS / RSS, {labels[setting]}",
                        f"{memory['peak_pss'] / MIB:.0f} / {memory['peak_rss'] / MIB:.0f} MiB (before it, with "
                        f"Python, numpy, bp_lib and the data: {memory['before_pss'] / MIB:.0f} / "
                        f"{memory['before_rss'] / MIB:.0f} MiB)",
                        "",
                        "",
                    )
                )
    return rows


def digits_rows(digits, label):
    """The chapter's task carries the targets; the softmax network, the same model as
    MLPClassifier's (softmax output, log-loss), is there for reference."""
    rows, sk, part = [], digits["sklearn"], f"digits, 30 epochs, {label}"
    for name, model, judged in (
        ("bp_lib", "the chapter's quadratic cost", True),
        ("bp_lib_softmax", "softmax cross-entropy, for reference", False),
    ):
        bp = digits[name]
        ratio = sk["seconds"] / bp["seconds"]
        rows.append(
            (
                part,
                f"MLPClassifier / bp_lib, {model}",
                f"{ratio:.2f}x ({sk['seconds']:.2f} s / {bp['seconds']:.2f} s)",
                *(verdict("digits_speed", ratio) if judged else ("", "")),
            )
        )
        difference = bp["accuracy"] - sk["accuracy"]
        error = (
            bp["accuracy_sem"] ** 2 + sk["accuracy_sem"] ** 2
        ) ** 0.5  # standard error of the difference
        rows.append(
            (
                part,
                f"test accuracy, bp_lib ({model}) - MLPClassifier",
                f"{100 * difference:+.2f} ± {100 * error:.2f} points ({bp['accuracy']:.4f} vs {sk['accuracy']:.4f}, "
                f"means of {len(bp['accuracies'])} seeds ± standard error)",
                *(
                    (">= 0", "yes" if difference >= 0 else "**no**")
                    if judged
                    else ("", "")
                ),
            )
        )
    return rows


def book_rows(book):
    rows, total, cpu, pss, largest = [], 0.0, 0.0, 0, 0
    for name, measured in book["chapters"].items():
        if measured.get("failed"):
            rows.append(
                ("book", f"`{name}` execution", "failed to execute", "<= 15", "**no**")
            )
            continue
        total, cpu = total + measured["seconds"], cpu + measured["cpu"]
        pss, largest = (
            max(pss, measured["peak_pss"]),
            max(largest, measured["peak_process"]),
        )
        rows.append(
            (
                "book",
                f"`{name}` execution, fresh kernel",
                f"{measured['seconds']:.1f} s ({measured['cpu']:.1f} s CPU)",
                *verdict("chapter_seconds", measured["seconds"]),
            )
        )
    rows.append(
        (
            "book",
            f"all {len(book['chapters'])} chapters, one after another",
            f"{total:.1f} s ({cpu:.1f} s CPU)",
            *verdict("book_seconds", total),
        )
    )
    rows.append(
        (
            "book",
            "peak memory executing one chapter (kernel + client, PSS)",
            f"{pss / MIB:.0f} MiB",
            *verdict("book_memory_mib", pss / MIB),
        )
    )
    suite = book.get("suite")
    if suite:
        rows.append(
            (
                "book",
                f"`pytest`: unit tests + every chapter under nbval, on {os.cpu_count()} cores",
                f"{suite['seconds']:.1f} s ({suite['cpu']:.1f} s CPU; {suite['summary']})",
                *verdict("book_seconds", suite["seconds"]),
            )
        )
        largest = max(largest, suite["peak_process"])
        rows.append(
            (
                "book",
                "peak memory of `pytest`, all its processes together (PSS)",
                f"{suite['peak_pss'] / MIB:.0f} MiB",
                *verdict("book_memory_mib", suite["peak_pss"] / MIB),
            )
        )
    rows.append(
        (
            "book",
            "peak memory of the largest single process (RSS)",
            f"{largest / MIB:.0f} MiB",
            *verdict("book_memory_mib", largest / MIB),
        )
    )
    return rows


def build_rows(results):
    """One row per measured ratio or budget: (part, measure, measured, target, met)."""
    labels = {s: setting_label(s, d["threads"]) for s, d in results["describe"].items()}
    rows = training_rows(results["training"], labels) if results.get("training") else []
    if results.get("digits"):
        rows += digits_rows(results["digits"], labels[results["digits"]["threads"]])
    return rows + (book_rows(results["book"]) if results.get("book") else [])


def markdown_table(rows):
    lines = [
        "| part | measure | measured | target | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    return "\n".join(lines + [f"| {' | '.join(row)} |" for row in rows])


def machine():
    """ "Intel Xeon, 2 cores, 24 GiB, Linux", read without importing numpy."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(
                line.split(":", 1)[1].strip()
                for line in f
                if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    try:
        memory = f", {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        memory = ""
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()}"


def header(results):
    """The line above the table: the machine, versions, the thread settings and clocks, the load."""
    describe = results["describe"]
    versions = next(iter(describe.values()))["versions"]
    pools = next(iter(describe.values()))["threads"]
    blas = "; ".join(
        f"{p['package']} {versions.get(p['package'], '')} with {p['api']} {p['version']} ({p['architecture']})"
        for p in numpy_first(pools)
        if p["package"] in ("numpy", "scipy")
        and p["api"] in ("openblas", "mkl", "blis")
    )
    torch = (
        f"PyTorch {versions['torch']}"
        if versions.get("torch")
        else "PyTorch not installed"
    )
    settings = "; ".join(
        f"{setting_label(s, d['threads'])}: {pools_text(d['threads'])}, timed by "
        f"{'CPU' if s == '1' else 'wall'} time"
        for s, d in describe.items()
    )
    digits = results.get("digits")
    digits_text = (
        f"; the digits task at {setting_label(digits['threads'], describe[digits['threads']]['threads'])}"
        if digits
        else ""
    )
    return (
        f"{machine()}; Python {versions['python']}; {blas}; scikit-learn {versions['scikit-learn']}; {torch}. "
        f"Each training measurement in a fresh process, at each thread setting ({settings}){digits_text}; "
        f"the book with the machine's defaults, timed by wall time. Load average at the start: {results['load']}."
    )


def update_readme(block):
    text = README.read_text(encoding="utf-8")
    try:
        new = replace_between(text, BEGIN, END, block)
    except ValueError as missing:
        raise SystemExit(f"README.md: {missing}") from None
    README.write_text(new, encoding="utf-8")
