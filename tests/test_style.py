"""The code is formatted by ruff and passes its checks: the package, the tests, the tools and every
chapter's code cells (ruff reads notebooks). The settings are pyproject.toml's ``[tool.ruff]``;
chapters/ruff.toml holds the chapters' comments and strings to the formatter's 88 columns, which
is what the HTML book's code blocks show at a laptop's width without a sideways scrollbar.

To fix what these tests report: ``ruff format . && ruff check --fix .`` (ruff is pinned in
requirements.txt), then wrap by hand what ``ruff check`` still lists.
"""

import subprocess
from pathlib import Path

import pytest

ruff = pytest.importorskip(
    "ruff", reason="ruff is in requirements.txt, not in the floors' set"
)
ROOT = Path(__file__).resolve().parents[1]


def run_ruff(*args):
    return subprocess.run(
        [ruff.find_ruff_bin(), *args, "--no-cache", str(ROOT)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_file_and_chapter_is_formatted_by_ruff():
    done = run_ruff("format", "--check")
    assert done.returncode == 0, "run `ruff format .`:\n" + done.stdout + done.stderr


def test_ruff_check_passes():
    done = run_ruff("check", "--output-format", "concise")
    assert done.returncode == 0, (
        "fix what `ruff check .` lists:\n" + done.stdout[-6000:]
    )
