"""The book's tools: its notebook conventions, and publishing it. `python -m publishing --help`
lists the commands (``__main__``).

- ``notebooks``: the chapters, cells, exercises, executing a notebook, marked blocks of a file
- ``links``: the book's public address and every link derived from it
- ``readme``: the README's Binder badge and per-chapter Binder/Colab links (``links``)
- ``edition``: the student edition (``student-edition``), with ``student_conftest.py`` as its
  conftest.py
- ``coursework``: grading a class by the book's own checks and the hidden cases of
  ``hidden_cases/`` (``grade``, ``check-cases``)
- ``book``: the HTML book, in the publishing environment (``build``)
- ``grading``: the pytest plugin that grades one student's chapters the same way,
  ``python -m pytest -c publishing/grading.ini path/to/chapters/``
"""
