"""The book's public address is defined once, in book/_config.yml, and everything that links to
the repository agrees with it: the README's Binder badge and per-chapter Binder/Colab links, the
HTML book's launch buttons (configured from the same file) and each chapter's Colab install line.
"""

import re
import warnings

import pytest
import yaml

from conftest import CHAPTERS, ROOT
from publishing import links, readme
from publishing.notebooks import read

README = (ROOT / "README.md").read_text(encoding="utf-8")
PUBLIC_URL = "https://github.com/backprop-book/backprop-book"
LINK = re.compile(r"\]\((https?://[^)\s]+)\)")


def test_the_public_address_is_the_books():
    url, branch = links.repository()
    assert url == PUBLIC_URL
    assert branch == "main"


def test_the_book_configuration_takes_its_launch_buttons_from_the_repository():
    config = yaml.safe_load((ROOT / "book" / "_config.yml").read_text(encoding="utf-8"))
    assert config["html"]["use_repository_button"] is True
    assert config["launch_buttons"]["binderhub_url"] == links.BINDER
    assert config["launch_buttons"]["colab_url"] == links.COLAB
    assert config["launch_buttons"]["notebook_interface"] == "jupyterlab"
    assert config["repository"]["path_to_book"] in ("", None), (
        "pages must map onto the repository's paths"
    )


def test_readme_has_the_binder_badge_under_its_title():
    lines = [line for line in README.splitlines() if line.strip()]
    assert lines[0].startswith("# ")
    assert lines[1] == links.binder_badge(), "run: python -m publishing links"
    assert links.binder_url().endswith("?urlpath=lab/tree/chapters"), (
        "the badge opens JupyterLab on the chapters"
    )


def test_readme_links_to_the_repository_only_through_its_address():
    url, _ = links.repository()
    owner_name = url.removeprefix("https://github.com/")
    for target in LINK.findall(README):
        if target == "https://mybinder.org/badge_logo.svg":
            continue
        if any(
            host in target
            for host in ("github.com", "mybinder.org", "colab.research.google.com")
        ):
            assert owner_name in target, f"README.md links to {target}, not to {url}"


def test_readme_chapter_rows_launch_their_own_notebook():
    """Every Binder and Colab link in the chapter table is the one derived from the address, for
    the notebook its own row names. A row without them (a chapter just added to the table) is
    reported, not failed: `python -m publishing links` fills it in."""
    rows = readme.chapter_rows(README)
    assert rows, "the README's chapter table has no rows linking a chapter"
    missing = []
    for line, notebook in rows:
        found = [
            t
            for t in LINK.findall(line)
            if "mybinder.org" in t or "colab.research.google.com" in t
        ]
        if not found:
            missing.append(notebook)
            continue
        assert sorted(found) == sorted(
            [links.binder_url(notebook), links.colab_url(notebook)]
        ), f"the row for {notebook} launches {found}; run: python -m publishing links"
    if missing:
        warnings.warn(
            f"README rows without Binder/Colab links: {missing}; run: python -m publishing links",
            stacklevel=2,
        )


def test_readme_script_keeps_descriptions_and_handles_new_rows():
    """`python -m publishing links` on a table with a row that has its links, a new row without
    them and a description holding an escaped pipe: every description is kept, every row gets its
    links, and running it twice changes nothing."""
    text = "\n".join(
        [
            "# Title",
            "",
            "Intro.",
            "",
            "<!-- chapter list: one line per chapter -->",
            "| | chapter | what it derives and checks |",
            "| --- | --- | --- |",
            "| 0 | [Preface](chapters/00_preface.ipynb) | how to read it, with a \\| pipe |",
            "| 7 | [What the equations tell us](chapters/07_what_they_tell.ipynb) | saturation, and why |",
            "<!-- end of chapter list -->",
            "",
        ]
    )
    once = readme.updated(text)
    assert readme.updated(once) == once
    lines = once.splitlines()
    assert lines[2] == links.binder_badge()
    preface = next(line for line in lines if "00_preface.ipynb)" in line)
    assert "| how to read it, with a \\| pipe |" in preface
    assert f"[Binder]({links.binder_url('chapters/00_preface.ipynb')})" in preface
    new_row = next(line for line in lines if "07_what_they_tell.ipynb)" in line)
    assert "| saturation, and why |" in new_row
    assert f"[Colab]({links.colab_url('chapters/07_what_they_tell.ipynb')})" in new_row
    assert "| --- | --- | --- | --- |" in lines


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_installs_bp_lib_on_colab_from_the_address(path):
    first = next(c for c in read(path).cells if c.cell_type == "code")
    requirement = links.colab_install_requirement()
    assert f'"{requirement}"' in first.source, (
        f"{path.name}'s first code cell does not install {requirement!r}"
    )
    assert 'if "google.colab" in sys.modules:' in first.source, (
        "bp_lib is installed on Colab only"
    )
