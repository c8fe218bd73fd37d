"""Re-execute the book's notebooks in place, each top to bottom in a fresh kernel.

    python tools/execute_notebooks.py                      # every chapter
    python tools/execute_notebooks.py chapters/03_*.ipynb  # some of them

The stored outputs are what nbval compares against, so run this after changing bp_lib or a
chapter and commit the notebooks it rewrites. It prints how long each notebook took.

The kernel is always this interpreter (``sys.executable -m ipykernel_launcher``), as nbval's
``--nbval-current-env`` runs it, whatever ``python3`` kernelspec comes first on the Jupyter path
(another virtualenv's ``ipykernel install --user`` leaves one behind). Consecutive printed
outputs of a cell are stored as one, however the kernel happened to flush them.
"""

import sys
import time
from pathlib import Path

import ipykernel.kernelspec
import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from traitlets import default

ROOT = Path(__file__).resolve().parent.parent


class CurrentEnvKernelSpecManager(KernelSpecManager):
    """Resolves every kernel name to an IPython kernel run by this interpreter."""

    def get_kernel_spec(self, kernel_name):
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="Python 3 (this environment)",
            language="python",
            name=kernel_name,
            resource_dir=ipykernel.kernelspec.RESOURCES,
        )


class CurrentEnvKernelManager(AsyncKernelManager):
    """nbclient's kernel manager, with the kernelspecs of :class:`CurrentEnvKernelSpecManager`."""

    @default("kernel_spec_manager")
    def _default_kernel_spec_manager(self):
        return CurrentEnvKernelSpecManager(parent=self)


def merge_streams(outputs):
    """The outputs with each run of consecutive stream outputs of one name (stdout, stderr) merged
    into the first of them. A display or an error between two prints keeps them apart."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = _text(previous["text"]) + _text(output["text"])
        else:
            merged.append(output)
    return merged


def _text(text):
    return "".join(text) if isinstance(text, list) else text


def execute(path, timeout=600):
    """Execute the notebook at ``path`` in a fresh kernel (working directory: its folder) and
    write it back with its new outputs. Returns the wall time in seconds."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_manager_class=CurrentEnvKernelManager,
        resources={"metadata": {"path": str(Path(path).parent)}},
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    nbformat.write(notebook, path)
    return elapsed


def main(argv):
    paths = [Path(p) for p in argv] or sorted((ROOT / "chapters").glob("*.ipynb"))
    total = 0.0
    for path in paths:
        elapsed = execute(path)
        total += elapsed
        shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        print(f"{elapsed:6.1f} s  {shown}", flush=True)
    print(f"{total:6.1f} s  in all ({len(paths)} notebooks)")


if __name__ == "__main__":
    main(sys.argv[1:])
