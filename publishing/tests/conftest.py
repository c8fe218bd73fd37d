"""What the publishing checks share: the repository, its chapters, the book's Python, artifacts."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from publishing.notebooks import chapters

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHAPTERS = chapters(ROOT)
STARTED = pytest.StashKey[float]()


def book_python():
    """The Python of the book's environment (requirements.txt), which runs the notebooks:
    $BOOK_PYTHON, else the README's .venv, else this Python if it has nbval and bp_lib.

    A relative $BOOK_PYTHON (the README's `BOOK_PYTHON=.venv/bin/python`) is taken from the
    repository, since the tests run it from other folders (a student edition); a bare name
    (`python3`) is looked up on PATH. Symbolic links are kept: a virtualenv's python is one."""
    given = os.environ.get("BOOK_PYTHON")
    if given:
        if os.sep not in given and "/" not in given:
            return shutil.which(given) or given
        return os.path.abspath(ROOT / given)  # ROOT / an absolute path is that path
    venv = ROOT / ".venv" / "bin" / "python"
    if venv.exists():
        return str(venv)
    probe = subprocess.run(
        [sys.executable, "-c", "import nbval, bp_lib"], capture_output=True
    )
    if probe.returncode == 0:
        return sys.executable
    pytest.fail(
        "set BOOK_PYTHON to the python of the book's environment (pip install -r requirements.txt)"
    )


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def run_documented_build(artifacts, *flags, log, timeout):
    """``python -m publishing build *flags``, timed, its output kept in artifacts/``log``; the
    seconds it took. Fails the test with the output's end if the command fails."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "publishing", "build", *flags],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    elapsed = time.perf_counter() - start
    (artifacts / log).write_text(done.stdout + done.stderr, encoding="utf-8")
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return elapsed


def pytest_report_header(config):
    return f"chapters: {', '.join(p.stem for p in CHAPTERS) or 'none'}"


def pytest_sessionstart(session):
    session.config.stash[STARTED] = time.time()


def pytest_terminal_summary(terminalreporter, config):
    """The book's build time and the browser's findings per chapter, at the end of the run."""
    for name, title in (
        ("book-build-time.txt", "book build"),
        ("browser-report.txt", "chapters in Chromium"),
    ):
        path = ARTIFACTS / name
        if path.exists() and path.stat().st_mtime >= config.stash.get(STARTED, 0):
            terminalreporter.write_sep("-", title)
            terminalreporter.write_line(path.read_text(encoding="utf-8").rstrip())
