"""A corpus of student answers with the verdict and the cause an instructor would give.

``tests/corpus/cases.py`` runs every answer through the real checks, the way the
notebooks call them (visible call, then the hidden call with its extras), and
prints the table of false rejections, false acceptances, generic messages,
wrong-cause messages and raw English exception text::

    python -m tests.corpus.cases
"""
