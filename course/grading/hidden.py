"""nbgrader's hidden-test regions, read in one place.

A test cell of a source notebook may hold a region between ``### BEGIN HIDDEN
TESTS`` and ``### END HIDDEN TESTS``: nbgrader removes it from the student's
version and runs it when grading. Everything in the course that needs to find,
quote or remove those regions (scoring's leak scan, the feedback preprocessor,
the release check) uses the functions here.
"""

from __future__ import annotations

#: The delimiters nbgrader recognises (a line containing them, any comment prefix).
BEGIN = "BEGIN HIDDEN TESTS"
END = "END HIDDEN TESTS"

#: What replaces a hidden region in anything shown to the student (Spanish).
REPLACEMENT = "# (Aquí hay pruebas ocultas: se ejecutaron al calificar y no se muestran.)"


def has_hidden_tests(text: str) -> bool:
    """True if ``text`` (a cell's source, a notebook, a page) holds a hidden-test delimiter."""
    return BEGIN in text or END in text


def hidden_test_lines(source: str, minimum: int = 12) -> list[str]:
    """The distinctive lines (at least ``minimum`` characters, stripped) of the hidden regions."""
    lines: list[str] = []
    inside = False
    for line in source.splitlines():
        if BEGIN in line:
            inside = True
        elif END in line:
            inside = False
        elif inside and len(line.strip()) >= minimum:
            lines.append(line.strip())
    return lines


def strip_hidden_tests(
    source: str, replacement: str = REPLACEMENT, begin: str = BEGIN, end: str = END
) -> str:
    """``source`` with each hidden region replaced by ``replacement`` (indented as the region)."""
    kept: list[str] = []
    inside = False
    for line in source.split("\n"):
        if begin in line:
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            kept.append(indent + replacement)
        elif end in line:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept)
