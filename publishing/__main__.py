"""The book's tools, one command each, from the repository's folder:

    python -m publishing execute [NOTEBOOK ...]    # re-execute chapters in place (default: all)
    python -m publishing links [--check]           # the README's Binder badge and Binder/Colab links
    python -m publishing student-edition [FOLDER]  # the book with the solutions stubbed
    python -m publishing build                     # the HTML book (the publishing environment)

execute, links and student-edition run in the book's environment (requirements.txt), build in
the publishing environment (publishing/requirements.txt). Each command imports only what it
needs, so that neither environment needs the other's packages.
"""

import argparse
import sys
from pathlib import Path


def execute(args):
    from publishing import notebooks

    paths = args.notebooks or notebooks.chapters()
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        sys.exit(f"no such notebook: {', '.join(missing)}")
    total = 0.0
    for path in paths:
        notebook = notebooks.read(path)
        seconds = notebooks.execute(notebook, path.resolve().parent)
        notebooks.write(notebook, path)
        total += seconds
        shown = path.resolve().relative_to(notebooks.ROOT) if path.resolve().is_relative_to(notebooks.ROOT) else path
        print(f"{seconds:6.1f} s  {shown}", flush=True)
    print(f"{total:6.1f} s  in all ({len(paths)} notebooks)")
    return 0


def links(args):
    from publishing import readme

    return readme.main(check=args.check)


def student_edition(args):
    from publishing import edition

    edition.make(args.folder if args.folder is not None else edition.DEFAULT_OUT)
    return 0


def build(args):
    from publishing import book

    book.build()
    return 0


def parser():
    top = argparse.ArgumentParser(
        prog="python -m publishing",
        description="The book's tools: re-execute the chapters, write the README's links, make the "
                    "student edition, build the HTML book. Run from the repository's folder.",
    )
    commands = top.add_subparsers(title="commands", metavar="COMMAND", required=True)

    command = commands.add_parser(
        "execute", help="re-execute notebooks in place, each top to bottom in a fresh kernel",
        description="Re-execute notebooks in place, each top to bottom in a fresh kernel of this "
                    "interpreter, and print how long each took. Run it after changing a chapter or "
                    "bp_lib, and commit the notebooks it rewrites: nbval compares their stored outputs.")
    command.add_argument("notebooks", nargs="*", type=Path, metavar="NOTEBOOK",
                         help="the notebooks to execute (default: every chapter)")
    command.set_defaults(run=execute)

    command = commands.add_parser(
        "links", help="write the README's Binder badge and per-chapter Binder/Colab links",
        description="Write the README's Binder badge and the Binder and Colab links of each row of "
                    "its chapter table, from `repository:` in book/_config.yml.")
    command.add_argument("--check", action="store_true",
                         help="change nothing; exit with status 1 if README.md is not up to date")
    command.set_defaults(run=links)

    command = commands.add_parser(
        "student-edition", help="copy the book with every solution cell stubbed",
        description="Copy the repository with every cell tagged `solution` stubbed: each function "
                    "keeps its signature and docstring and raises NotImplementedError.")
    command.add_argument("folder", nargs="?", type=Path, default=None,
                         help="a new folder (default: build/student-edition/, replaced)")
    command.set_defaults(run=student_edition)

    command = commands.add_parser(
        "build", help="build the HTML book with Jupyter Book 1 (the publishing environment)",
        description="Build the HTML book from the chapters' stored outputs into build/book/ with "
                    "Jupyter Book 1; needs the publishing environment (publishing/requirements.txt) and npm.")
    command.set_defaults(run=build)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
