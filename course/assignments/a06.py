"""Visible checks of assignment a06 (multiple-choice quiz on Keras).

Each question ``p01`` ... ``p10`` is answered in the notebook as a variable
holding one letter (``"a"``, ``"b"``, ``"c"`` or ``"d"``). The visible test only
checks the format; the answer key, and the explanation shown for each wrong
option, live in the hidden tests of ``source_assignments/`` (``key=`` and
``mistakes=``), never in this package.
"""

from __future__ import annotations

from course.checks import ChoiceExercise

__all__ = ["OPTIONS", "QUESTIONS", *(f"p{i:02d}" for i in range(1, 11))]

OPTIONS = ("a", "b", "c", "d")
QUESTIONS = tuple(f"p{i:02d}" for i in range(1, 11))


def _question(number: int) -> ChoiceExercise:
    name = f"p{number:02d}"
    return ChoiceExercise(
        name,
        OPTIONS,
        what=f"la respuesta `{name}`",
        title=f"Pregunta {number}",
        hint="Escribe solo la letra de la opción, entre comillas: por ejemplo `'b'`.",
        graded=True,
    )


p01 = _question(1)
p02 = _question(2)
p03 = _question(3)
p04 = _question(4)
p05 = _question(5)
p06 = _question(6)
p07 = _question(7)
p08 = _question(8)
p09 = _question(9)
p10 = _question(10)
