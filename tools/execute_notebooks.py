"""Re-execute the book's notebooks in place, each top to bottom in a fresh kernel.

    python tools/execute_notebooks.py                      # every chapter
    python tools/execute_notebooks.py chapters/03_*.ipynb  # some of them

The stored outputs are what nbval compares against, so run this after changing bp_lib or a
chapter and commit the notebooks it rewrites. It prints how long each notebook took.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path, timeout=600):
    """Execute the notebook at ``path`` in a fresh kernel (working directory: its folder) and
    write it back with its new outputs. Returns the wall time in seconds."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(Path(path).parent)}},
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nbformat.write(notebook, path)
    return elapsed


def main(argv):
    paths = [Path(p) for p in argv] or sorted((ROOT / "chapters").glob("*.ipynb"))
    total = 0.0
    for path in paths:
        elapsed = execute(path)
        total += elapsed
        print(f"{elapsed:6.1f} s  {path.relative_to(ROOT) if path.is_absolute() else path}", flush=True)
    print(f"{total:6.1f} s  in all ({len(paths)} notebooks)")


if __name__ == "__main__":
    main(sys.argv[1:])
