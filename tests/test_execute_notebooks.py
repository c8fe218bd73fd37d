"""`python -m publishing execute` runs the kernel in the environment that runs it
(publishing.notebooks.execute, which the grading plugin and the benchmark use too).

Another virtualenv's `ipykernel install --user` leaves a `python3` kernelspec ahead of this
environment's on the Jupyter path; a tool that asks for the kernel by that name would then store
outputs computed by another environment's packages. Here such a decoy (a real, working kernel of
another virtualenv) is planted in a temporary Jupyter path and a one-cell notebook is executed.
"""

import json
import site
import subprocess
import sys
import venv
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager

from publishing import notebooks


def make_decoy_interpreter(folder):
    """A virtualenv of its own (its own sys.executable) that can still import ipykernel: a .pth
    file puts this environment's site-packages on its path, so the decoy kernel starts and runs."""
    venv.EnvBuilder(with_pip=False, symlinks=sys.platform != "win32").create(folder)
    python = folder / (
        "Scripts/python.exe" if sys.platform == "win32" else "bin/python"
    )
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "this_environment.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n"
    )
    return python


def test_the_kernel_is_this_interpreter_whatever_python3_kernelspec_comes_first(
    tmp_path, monkeypatch
):
    decoy_python = make_decoy_interpreter(tmp_path / "other-venv")
    kernels = tmp_path / "jupyter" / "kernels" / "python3"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    str(decoy_python),
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                "display_name": "Python 3 (another virtualenv)",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))
    # The decoy is what the name `python3` now means on the Jupyter path.
    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == str(decoy_python)

    notebook = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            }
        }
    )
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            "import sys\n"
            "from IPython.display import display\n"
            "print(sys.executable, flush=True)\n"
            "print('printed twice', flush=True)\n"
            "display('a display between prints')\n"
            "print('printed after the display')"
        )
    )
    path = tmp_path / "tiny.ipynb"
    nbformat.write(notebook, path)

    # The command, as the README runs it; the decoy's Jupyter path is in its environment.
    done = subprocess.run(
        [sys.executable, "-m", "publishing", "execute", str(path)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    outputs = nbformat.read(path, as_version=4).cells[0].outputs
    executable = outputs[0].text.splitlines()[0]
    assert executable != str(decoy_python), (
        "the notebook ran in the decoy's interpreter"
    )
    assert Path(executable) == Path(sys.executable), (
        f"the kernel ran {executable}, not {sys.executable}"
    )
    # The two flushed prints arrived as two messages and are stored as one output; the print
    # after the display stays after it.
    assert [(o.output_type, o.get("text")) for o in outputs] == [
        ("stream", f"{executable}\nprinted twice\n"),
        ("display_data", None),
        ("stream", "printed after the display\n"),
    ]


def test_merge_streams_merges_only_consecutive_outputs_of_one_name():
    out = lambda text, name="stdout": nbformat.v4.new_output(
        "stream", name=name, text=text
    )  # noqa: E731
    display = nbformat.v4.new_output("display_data", data={"text/plain": "x"})
    merged = notebooks.merge_streams(
        [
            out("a\n"),
            out("b\n"),
            out("!\n", "stderr"),
            out("c\n"),
            display,
            out("d\n"),
            out("e\n"),
        ]
    )
    assert [(o.output_type, o.get("name"), o.get("text")) for o in merged] == [
        ("stream", "stdout", "a\nb\n"),
        ("stream", "stderr", "!\n"),
        ("stream", "stdout", "c\n"),
        ("display_data", None, None),
        ("stream", "stdout", "d\ne\n"),
    ]
