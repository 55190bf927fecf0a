"""nbgrader's hidden-test regions, read in one place.

A test cell of a source notebook may hold a region between ``### BEGIN HIDDEN
TESTS`` and ``### END HIDDEN TESTS``: nbgrader removes it from the student's
version and runs it when grading. Everything in the course that needs to find,
quote or remove those regions (scoring's leak scan, the feedback preprocessor,
the release check, the kernel's scrubbed test cells, the trusted process) uses
the functions here.
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


def split_hidden_tests(source: str) -> tuple[str, str]:
    """``(visible, hidden)``: the cell's code outside and inside the hidden regions.

    Lines keep their place (the other part's lines become empty), so line
    numbers in a traceback still match the cell. A region left open runs to the
    end of the cell.
    """
    visible: list[str] = []
    hidden: list[str] = []
    inside = False
    for line in source.splitlines():
        if BEGIN in line:
            inside = True
            visible.append("")
            hidden.append("")
        elif END in line and inside:
            inside = False
            visible.append("")
            hidden.append("")
        elif inside:
            visible.append("")
            hidden.append(line)
        else:
            visible.append(line)
            hidden.append("")
    return "\n".join(visible).rstrip() + "\n", "\n".join(hidden).rstrip() + "\n"


def scrub_hidden_tests(source: str) -> str:
    """The cell without its hidden-test regions (what the student's kernel runs)."""
    lines = split_hidden_tests(source)[0].splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)
