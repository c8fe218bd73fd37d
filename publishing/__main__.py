"""The book's tools, one command each, from the repository's folder:

    python -m publishing execute [NOTEBOOK ...]    # re-execute chapters in place (default: all)
    python -m publishing links [--check]           # the README's Binder badge and Binder/Colab links
    python -m publishing student-edition [FOLDER]  # the book with the solutions stubbed
    python -m publishing grade SUBMISSIONS --out gradebook.csv   # grade a class
    python -m publishing check-cases [DIR]         # hidden cases run on the book's own solutions
    python -m publishing ledger                    # the claims ledger: proved, checked, bound
    python -m publishing build                     # the HTML book (the publishing environment)

execute, links, student-edition, grade and check-cases run in the book's environment (requirements.txt), build in
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
        shown = (
            path.resolve().relative_to(notebooks.ROOT)
            if path.resolve().is_relative_to(notebooks.ROOT)
            else path
        )
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


def grade(args):
    from publishing import coursework

    if args.cases is not None and not args.cases.is_dir():
        sys.exit(f"--cases {args.cases}: no such folder")
    try:
        coursework.grade_class(
            args.submissions,
            args.out,
            feedback_folder=args.feedback,
            cases_folder=args.cases
            if args.cases is not None
            else coursework.HIDDEN_CASES,
            time_limit=args.time_limit,
        )
    except ValueError as problem:
        sys.exit(str(problem))
    return 0


def check_cases(args):
    from publishing import coursework

    folder = args.folder if args.folder is not None else coursework.HIDDEN_CASES
    if not folder.is_dir():
        sys.exit(f"{folder}: no such folder")
    problems, _ = coursework.check_cases(folder)
    return 1 if problems else 0


def ledger(args):
    from publishing import notebooks

    rows = notebooks.ledger(notebooks.chapters())
    print(
        f"{'chapter':36} {'tags':>5} {'proved':>7} {'checked':>8} {'bound':>6} {'unbound':>8}"
    )
    for row in rows:
        print(
            f"{row.chapter:36} {row.tags:5} {row.proved:7} {row.checked_only:8} "
            f"{row.bound:6} {len(row.unbound):8}"
        )
    total = {k: sum(getattr(r, k) for r in rows) for k in ("tags", "proved", "bound")}
    checked = sum(r.checked_only for r in rows)
    unbound = sum(len(r.unbound) for r in rows)
    print(
        f"{'all':36} {total['tags']:5} {total['proved']:7} {checked:8} {total['bound']:6} "
        f"{unbound:8}   ({total['bound'] / max(total['tags'], 1):.0%} bound)"
    )
    print("\nunbound, and why:")
    for row in rows:
        for tag, why in row.unbound.items():
            print(f"  ({tag}) {row.chapter}: {why}")
    return 0


def build(args):
    from publishing import book

    if args.pdf:
        book.build_pdf()
    else:
        book.build()
    return 0


def parser():
    from publishing.coursework import TIME_LIMIT

    top = argparse.ArgumentParser(
        prog="python -m publishing",
        description="The book's tools: re-execute the chapters, write the README's links, make the "
        "student edition, build the HTML book. Run from the repository's folder.",
    )
    commands = top.add_subparsers(title="commands", metavar="COMMAND", required=True)

    command = commands.add_parser(
        "execute",
        help="re-execute notebooks in place, each top to bottom in a fresh kernel",
        description="Re-execute notebooks in place, each top to bottom in a fresh kernel of this "
        "interpreter, and print how long each took. Run it after changing a chapter or "
        "bp_lib, and commit the notebooks it rewrites: nbval compares their stored outputs.",
    )
    command.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        metavar="NOTEBOOK",
        help="the notebooks to execute (default: every chapter)",
    )
    command.set_defaults(run=execute)

    command = commands.add_parser(
        "links",
        help="write the README's Binder badge and per-chapter Binder/Colab links",
        description="Write the README's Binder badge and the Binder and Colab links of each row of "
        "its chapter table, from `repository:` in book/_config.yml.",
    )
    command.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit with status 1 if README.md is not up to date",
    )
    command.set_defaults(run=links)

    command = commands.add_parser(
        "student-edition",
        help="copy the book with every solution cell stubbed",
        description="Copy the repository with every cell tagged `solution` stubbed: each function "
        "keeps its signature and docstring and raises NotImplementedError.",
    )
    command.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=None,
        help="a new folder (default: build/student-edition/, replaced)",
    )
    command.set_defaults(run=student_edition)

    command = commands.add_parser(
        "grade",
        help="grade a class: the book's own checks and hidden cases, a gradebook CSV, feedback",
        description="Grade every student's folder in SUBMISSIONS (one folder per student, named after "
        "them, holding the chapters/*.ipynb they hand in): each exercise is graded by the book's "
        "own check cell and its hidden cases, run on the student's solution cells in a fresh "
        "kernel of this interpreter, whatever their check cells say. Writes the gradebook CSV "
        "(a row per student, 1 or 0 per exercise, the total) and a markdown feedback file per student.",
    )
    command.add_argument(
        "submissions",
        type=Path,
        metavar="SUBMISSIONS",
        help="a folder holding one folder per student",
    )
    command.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="CSV",
        help="the gradebook CSV to write",
    )
    command.add_argument(
        "--feedback",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to write <student>.md (default: the CSV's folder)",
    )
    command.add_argument(
        "--cases",
        type=Path,
        default=None,
        metavar="DIR",
        help="a folder of hidden cases in the format of publishing/hidden_cases/, one "
        "NN_name.py per chapter, used instead of the book's (keep yours private)",
    )
    command.add_argument(
        "--time-limit",
        type=float,
        default=TIME_LIMIT,
        metavar="SECONDS",
        help="seconds each solution, check and hidden-cases cell may run before the rest of its "
        f"chapter fails (default: {TIME_LIMIT})",
    )
    command.set_defaults(run=grade)

    command = commands.add_parser(
        "check-cases",
        help="run every hidden case on the book's own solutions",
        description="Run every block of hidden cases (publishing/hidden_cases/, or your own folder in its "
        "format) on the book's own solution, in this process; print what fails and which "
        "exercises have no hidden cases. Exits with status 1 if a block fails or names no exercise.",
    )
    command.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=None,
        metavar="DIR",
        help="the folder of hidden cases (default: publishing/hidden_cases/)",
    )
    command.set_defaults(run=check_cases)

    command = commands.add_parser(
        "ledger",
        help="print the claims ledger: per chapter, tagged equations proved, checked, bound",
        description="Per chapter: the tagged equations, how many are proved for every value or "
        "only checked on samples, how many are bound to their proof (printed from the SymPy "
        "that proves them, bp_lib.claims), and why each of the others is not.",
    )
    command.set_defaults(run=ledger)

    command = commands.add_parser(
        "build",
        help="build the HTML book (or with --pdf the PDF edition) with Jupyter Book 1",
        description="Build the HTML book from the chapters' stored outputs into build/book/ with "
        "Jupyter Book 1; needs the publishing environment (publishing/requirements.txt) and npm. "
        "With --pdf, build the PDF edition into build/book.pdf instead, with Jupyter Book 1's "
        "LaTeX builder and XeLaTeX (the Debian packages it needs: README).",
    )
    command.add_argument(
        "--pdf", action="store_true", help="the PDF edition: build/book.pdf"
    )
    command.set_defaults(run=build)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
