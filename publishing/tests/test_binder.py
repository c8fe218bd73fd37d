"""Binder builds the book's exact environment: validated by repo2docker without building an image.

`repo2docker --no-build --debug .` resolves the configuration as mybinder.org would and prints the
Dockerfile it would build; these tests read it.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CHAPTERS, ROOT
from publishing import links
from publishing.notebooks import read


def requirement_lines(path):
    """The requirement lines of a pip requirements file, following `-r` the way pip does
    (relative to the including file's folder); each is returned as written."""
    lines = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = (
            raw.split("#", 1)[0].strip()
            if not raw.lstrip().startswith("-e")
            else raw.strip()
        )
        if not line:
            continue
        if line.startswith(("-r ", "--requirement ")):
            lines += requirement_lines(Path(path).parent / line.split(None, 1)[1])
        else:
            lines.append(line)
    return lines


@pytest.fixture(scope="module")
def repo2docker():
    executable = Path(sys.executable).with_name("repo2docker")
    command = [
        str(executable) if executable.exists() else shutil.which("repo2docker"),
        "--no-build",
        "--debug",
        ".",
    ]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, done.stderr


def test_repo2docker_reads_the_binder_folder(repo2docker):
    dockerfile, log = repo2docker
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in dockerfile
    assert "COPY --chown=0:0 src/binder/requirements.txt" in dockerfile


def test_binder_python_is_the_one_the_outputs_were_made_with(repo2docker):
    dockerfile, log = repo2docker
    assert "Building conda environment for python=3.11" in log
    # the conda environment's lock file for Python 3.11 (its name escaped: "." is -2e, "-" is -2d)
    assert re.search(
        r"environment-2epy-2d3-2e11-2dlinux-2d64-2elock\S* /tmp/env/environment.lock",
        dockerfile,
    )
    versions = [
        read(p).metadata.get("language_info", {}).get("version") for p in CHAPTERS
    ]
    made_with = {".".join(v.split(".")[:2]) for v in versions if v}
    assert made_with <= {"3.11"}, (
        f"the chapters' outputs were made with Python {sorted(made_with)}"
    )


def test_binder_installs_the_pins_and_bp_lib_after_copying_the_repository(repo2docker):
    """`-r ../requirements.txt` and `-e .` need the whole repository: repo2docker must install
    them after copying it (`-e .` is resolved from the repository's root, pip's working folder)."""
    dockerfile, _ = repo2docker
    copy = dockerfile.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    install = dockerfile.index(
        'pip install --no-cache-dir -r "binder/requirements.txt"'
    )
    assert copy < install
    assert "WORKDIR ${REPO_DIR}" in dockerfile

    binder = requirement_lines(ROOT / "binder" / "requirements.txt")
    pins = [
        line
        for line in requirement_lines(ROOT / "requirements.txt")
        if not line.startswith("-e")
    ]
    assert pins and all(
        re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", p) for p in pins
    ), "requirements.txt pins exactly"
    assert [line for line in binder if not line.startswith("-e")] == pins, (
        "Binder installs exactly the book's pins"
    )
    editable = [line for line in binder if line.startswith("-e")]
    assert editable == ["-e ."], (
        f"Binder must install bp_lib from the repository with `-e .`; got {editable}"
    )
    assert 'name = "bp_lib"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_binder_opens_jupyterlab():
    assert any(
        line.startswith("jupyterlab==")
        for line in requirement_lines(ROOT / "binder" / "requirements.txt")
    )
    assert "?urlpath=lab/tree/" in links.binder_url()
    assert "?urlpath=lab/tree/chapters/00_preface.ipynb" in links.binder_url(
        "chapters/00_preface.ipynb"
    )
