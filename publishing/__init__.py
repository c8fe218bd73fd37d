"""The book's tools: its notebook conventions, and publishing it. `python -m publishing --help`
lists the commands (``__main__``).

- ``notebooks``: the chapters, cells, exercises, executing a notebook, marked blocks of a file
- ``links``: the book's public address and every link derived from it
- ``readme``: the README's Binder badge and per-chapter Binder/Colab links (``links``)
- ``edition``: the student edition (``student-edition``)
- ``book``: the HTML book, in the publishing environment (``build``)
- ``grading``: the pytest plugin that grades a student's copy, ``python -m pytest -p publishing.grading``
"""
