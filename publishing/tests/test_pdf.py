"""The PDF edition: built by the documented command (`python -m publishing build --pdf`, Jupyter
Book 1's LaTeX builder with XeLaTeX from Debian), then read back with poppler's pdftotext and
pdfimages: every chapter, every tagged equation with its tag, every figure, and nothing wider than
the page (TeX's log reports no overfull line)."""

import re
import shutil
import subprocess

import pytest

from conftest import CHAPTERS, ROOT, run_documented_build
from publishing import book
from publishing.notebooks import equation_tags, figures, read

pytestmark = pytest.mark.skipif(not CHAPTERS, reason="chapters/ holds no notebooks")
OVERFULL = re.compile(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)")


@pytest.fixture(scope="module")
def pdf(artifacts):
    missing = [
        t
        for t in ("xelatex", "latexmk", "pdftotext", "pdfimages")
        if not shutil.which(t)
    ]
    assert not missing, (
        f"{missing} not found: apt-get install {' '.join(book.TEX_PACKAGES)} poppler-utils"
    )
    elapsed = run_documented_build(
        artifacts, "--pdf", log="pdf-build.log", timeout=1800
    )
    assert book.PDF.exists()
    shutil.copyfile(book.PDF, artifacts / "book.pdf")
    print(f"\nPDF built in {elapsed:.1f} s")
    return book.PDF


def pdf_text(pdf):
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_every_chapter_and_every_tagged_equation_is_in_the_pdf(pdf):
    text = " ".join(pdf_text(pdf).split())
    for path in CHAPTERS:
        notebook = read(path)
        numbered = book.numbered(read(path), int(path.name[:2]))
        title = next(
            line[2:].strip()
            for cell in numbered.cells
            if cell.cell_type == "markdown"
            for line in cell.source.splitlines()
            if line.startswith("# ")
        )
        assert " ".join(title.split()) in text, f"{path.name}: no chapter {title!r}"
        missing = [t for t in equation_tags(notebook) if f"({t})" not in text]
        assert not missing, (
            f"{path.name}: equations without their tag in the PDF: {missing}"
        )


def test_every_figure_is_in_the_pdf(pdf):
    listed = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    images = [line for line in listed if line.split()[2] == "image"]
    stored = sum(len(figures(cell)) for path in CHAPTERS for cell in read(path).cells)
    assert len(images) >= stored, (
        f"{len(images)} images in the PDF, {stored} figures stored"
    )


def test_equations_and_code_fit_the_page(pdf):
    log = (book.LATEX / "book.log").read_text(encoding="utf-8", errors="replace")
    overfull = [float(points) for points in OVERFULL.findall(log)]
    assert not [p for p in overfull if p > 1.0], (
        f"lines wider than the page (pt): {sorted(overfull)[-10:]}; see {book.LATEX}/book.log"
    )


def test_the_readme_and_ci_name_the_tex_packages():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in book.TEX_PACKAGES:
        assert package in readme, f"the README's PDF section does not name {package}"
        assert package in ci, f".ci/run does not install {package}"
