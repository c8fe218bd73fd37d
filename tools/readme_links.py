"""Write the Binder badge and the per-chapter Binder and Colab links into README.md.

    python tools/readme_links.py           # rewrite README.md in place
    python tools/readme_links.py --check   # exit 1 if README.md is not up to date

Every address comes from `repository:` in book/_config.yml (publishing/links.py). The badge goes
on the line under the title. In the chapter table (between `<!-- chapter list` and
`<!-- end of chapter list -->`) each row that links a chapter notebook gets a last column with
its Binder and Colab links; the other columns, the description among them, are kept as they
are. Run it again after adding a row.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publishing.links import binder_badge, binder_url, colab_url  # noqa: E402

README = ROOT / "README.md"
TABLE_START = "<!-- chapter list"
TABLE_END = "<!-- end of chapter list -->"
LINKS_HEADER = "run it"
BADGE = re.compile(r"^\[!\[Binder\]\([^)]*\)\]\([^)]*\)\s*$")
CELL_SPLIT = re.compile(r"(?<!\\)\|")
NOTEBOOK = re.compile(r"\]\((chapters/\d\d_[a-z0-9_]+\.ipynb)\)")


def cells(row):
    """The cells of a Markdown table row, stripped (an escaped \\| stays inside its cell)."""
    return [c.strip() for c in CELL_SPLIT.split(row.strip().strip("|"))]


def join(cells_):
    return "|" + "|".join(f" {c} " if c else " " for c in cells_) + "|"


def launch_links(notebook):
    return f"[Binder]({binder_url(notebook)}) · [Colab]({colab_url(notebook)})"


def with_badge(lines):
    """The README's lines with the Binder badge on the line under the `# ` title."""
    title = next(i for i, line in enumerate(lines) if line.startswith("# "))
    badge = binder_badge()
    rest = lines[title + 1:]
    while rest and (not rest[0].strip() or BADGE.match(rest[0])):
        rest = rest[1:]
    return lines[:title + 1] + ["", badge, ""] + rest


def with_chapter_links(lines):
    """The README's lines with a `run it` column in the chapter table, filled from each row's
    chapter link."""
    start = next(i for i, line in enumerate(lines) if line.startswith(TABLE_START))
    end = next(i for i, line in enumerate(lines) if line.startswith(TABLE_END))
    rows = [i for i in range(start + 1, end) if lines[i].lstrip().startswith("|")]
    if len(rows) < 2:
        return lines
    header, rule, body = rows[0], rows[1], rows[2:]
    head = cells(lines[header])
    width = len(head) if head[-1] == LINKS_HEADER else len(head) + 1
    out = list(lines)
    out[header] = join(head[:width - 1] + [LINKS_HEADER])
    out[rule] = join(["---"] * width)
    for i in body:
        row = cells(lines[i])
        found = NOTEBOOK.search(lines[i])
        kept = row[:width - 1] + [""] * (width - 1 - len(row))
        out[i] = join(kept + [launch_links(found.group(1)) if found else ""])
    return out


def updated(text):
    lines = with_chapter_links(with_badge(text.splitlines()))
    return "\n".join(lines) + "\n"


def main(argv):
    text = README.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in argv:
        if new != text:
            print("README.md's Binder/Colab links are not up to date: run python tools/readme_links.py")
            return 1
        print("README.md's Binder/Colab links are up to date.")
        return 0
    README.write_text(new, encoding="utf-8")
    print("README.md: Binder badge and per-chapter Binder/Colab links written.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
