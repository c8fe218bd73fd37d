"""The book's public address and every link derived from it.

The address is defined once, as ``repository: url`` (and ``branch``) in ``book/_config.yml``; the
README's Binder badge and per-chapter Binder/Colab links, the HTML book's launch buttons and the
chapters' Colab install line are all checked against what this module derives from it.
"""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "book" / "_config.yml"
BINDER = "https://mybinder.org"
COLAB = "https://colab.research.google.com"


def repository(config=CONFIG):
    """``(url, branch)`` of the book's public repository, from the book's configuration."""
    settings = yaml.safe_load(Path(config).read_text(encoding="utf-8"))["repository"]
    url = settings["url"].rstrip("/")
    if not url.startswith("https://github.com/") or url.count("/") != 4:
        raise ValueError(
            f"repository.url in {config} must be https://github.com/OWNER/NAME; got {url!r}"
        )
    return url, settings.get("branch", "main")


def _owner_name(url):
    return url.removeprefix("https://github.com/")


def binder_url(notebook=None, config=CONFIG):
    """The Binder launch of the whole book in JupyterLab (on the chapters folder), or of one
    notebook given by its path in the repository (``chapters/00_preface.ipynb``)."""
    url, branch = repository(config)
    target = notebook if notebook is not None else "chapters"
    return f"{BINDER}/v2/gh/{_owner_name(url)}/{branch}?urlpath=lab/tree/{target}"


def binder_badge(config=CONFIG):
    """The README's Binder badge for the whole book, in Markdown."""
    return (
        f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_url(config=config)})"
    )


def colab_url(notebook, config=CONFIG):
    """Google Colab's page for one notebook of the repository, opened from GitHub."""
    url, branch = repository(config)
    return f"{COLAB}/github/{_owner_name(url)}/blob/{branch}/{notebook}"


def colab_install_requirement(config=CONFIG):
    """What a chapter's first code cell pip-installs on Colab: bp_lib from the repository."""
    url, _ = repository(config)
    return f"bp_lib @ git+{url}"
