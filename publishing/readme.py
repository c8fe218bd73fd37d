"""Write the Binder badge and the per-chapter Binder and Colab links into README.md.

    python -m publishing links           # rewrite README.md in place
    python -m publishing links --check   # exit 1 if README.md is not up to date

Every address comes from `repository:` in book/_config.yml (publishing/links.py). The badge goes
on the line under the title. In the chapter table (between `<!-- chapter list` and
`<!-- end of chapter list -->`) each row that links a chapter notebook gets a last column with
its Binder and Colab links; the other columns, the description among them, are kept as they
are. Run it again after adding a row.
"""

import re

from publishing import notebooks
from publishing.links import binder_badge, binder_url, colab_url

README = notebooks.ROOT / "README.md"
TABLE_START = "<!-- chapter list"
TABLE_END = "<!-- end of chapter list -->"
LINKS_HEADER = "run it"
BADGE = re.compile(r"^\[!\[Binder\]\([^)]*\)\]\([^)]*\)\s*$")
CELL_SPLIT = re.compile(r"(?<!\\)\|")
NOTEBOOK = re.compile(
    rf"\]\((chapters/{notebooks.CHAPTER_NAME.pattern})\)"
)  # a link to a chapter


def cells(row):
    """The cells of a Markdown table row, stripped (an escaped \\| stays inside its cell)."""
    return [c.strip() for c in CELL_SPLIT.split(row.strip().strip("|"))]


def join(cells_):
    return "|" + "|".join(f" {c} " if c else " " for c in cells_) + "|"


def launch_links(notebook):
    return f"[Binder]({binder_url(notebook)}) · [Colab]({colab_url(notebook)})"


def chapter_rows(text):
    """``[(row, notebook)]``: each row of the README's chapter table that links a chapter, with the
    notebook's path in the repository (``chapters/00_preface.ipynb``)."""
    rows = []
    for line in notebooks.between(text, TABLE_START, TABLE_END).splitlines():
        found = NOTEBOOK.search(line)
        if line.lstrip().startswith("|") and found:
            rows.append((line, found.group(1)))
    return rows


def with_badge(text):
    """The README with the Binder badge on the line under the `# ` title."""
    lines = text.splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("# "))
    rest = lines[title + 1 :]
    while rest and (not rest[0].strip() or BADGE.match(rest[0])):
        rest = rest[1:]
    return "\n".join(lines[: title + 1] + ["", binder_badge(), ""] + rest) + "\n"


def with_chapter_links(text):
    """The README with a `run it` column in the chapter table, filled from each row's chapter
    link."""
    lines = notebooks.between(text, TABLE_START, TABLE_END).splitlines()
    rows = [i for i, line in enumerate(lines) if line.lstrip().startswith("|")]
    if len(rows) < 2:
        return text
    header, rule, body = rows[0], rows[1], rows[2:]
    head = cells(lines[header])
    width = len(head) if head[-1] == LINKS_HEADER else len(head) + 1
    lines[header] = join(head[: width - 1] + [LINKS_HEADER])
    lines[rule] = join(["---"] * width)
    for i in body:
        row = cells(lines[i])
        found = NOTEBOOK.search(lines[i])
        kept = row[: width - 1] + [""] * (width - 1 - len(row))
        lines[i] = join(kept + [launch_links(found.group(1)) if found else ""])
    return notebooks.replace_between(text, TABLE_START, TABLE_END, "\n".join(lines))


def updated(text):
    return with_chapter_links(with_badge(text))


def main(check=False):
    """Rewrite README.md's links, or with ``check`` only say whether they are up to date (the exit
    status: 0 if they are)."""
    text = README.read_text(encoding="utf-8")
    new = updated(text)
    if check:
        if new != text:
            print(
                "README.md's Binder/Colab links are not up to date: run python -m publishing links"
            )
            return 1
        print("README.md's Binder/Colab links are up to date.")
        return 0
    README.write_text(new, encoding="utf-8")
    print("README.md: Binder badge and per-chapter Binder/Colab links written.")
    return 0
