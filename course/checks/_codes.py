"""Stable codes for the mistakes the checks recognise (mistake analytics).

A recognised mistake is declared once, next to the check that recognises it, as
a :class:`Mistake`: the Spanish message the student reads, with a stable code
and a short Spanish label attached. A ``Mistake`` *is* its message (a ``str``
subclass), so every place that shows or compares the text keeps working; the
check that picks it also records it on the failing result (:func:`tag`), and
the grader reads the code from there::

    NEURON = (
        (lambda x, w, b, act: act(w @ x),
         mistake("sin_sesgo", "olvida el sesgo", "Has olvidado el sesgo: ...")),
    )

Codes are short slugs, unique within the registry (:data:`REGISTRY`, code ->
label); declaring a code twice with a different label is an author's error
(:class:`~course.checks.CheckSpecError`). The grader qualifies a code with the
assignment and the exercise that recognised it (``a01.ej3.sin_sesgo``): only
the trusted grading process does that, from the result of its own check.

Outcomes that are not a recognised mistake have fixed codes: :data:`CORRECT`,
:data:`OTHER` (wrong for a reason the checks do not name), :data:`NOT_ANSWERED`,
:data:`RUN_ERROR` (the student's code raised or the cell could not run),
:data:`PARTIAL` and :data:`UNCONFIRMED` (held for review).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "CORRECT",
    "GENERIC",
    "NOT_ANSWERED",
    "OTHER",
    "PARTIAL",
    "REGISTRY",
    "RUN_ERROR",
    "UNCONFIRMED",
    "Mistake",
    "label_of",
    "mistake",
    "tag",
]

#: code -> short Spanish label of every declared mistake.
REGISTRY: dict[str, str] = {}

CORRECT = "correcto"
OTHER = "otro"
NOT_ANSWERED = "sin_responder"
RUN_ERROR = "error_ejecucion"
PARTIAL = "parcial"
UNCONFIRMED = "no_confirmada"

#: The outcomes that are not a recognised mistake, with their Spanish labels.
GENERIC: dict[str, str] = {
    CORRECT: "correcto",
    PARTIAL: "puntuación parcial",
    OTHER: "otro error (no catalogado)",
    NOT_ANSWERED: "sin responder",
    RUN_ERROR: "error de ejecución",
    UNCONFIRMED: "no confirmada (en revisión)",
}

_SLUG = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


class Mistake(str):
    """A student-facing message that names a recognised mistake.

    The string value is the message; ``code`` and ``label`` identify the mistake
    in the grade report.
    """

    code: str
    label: str

    def __new__(cls, code: str, label: str, text: str) -> Mistake:
        obj = super().__new__(cls, text)
        obj.code = code
        obj.label = label
        return obj

    def __getnewargs__(self) -> tuple[str, str, str]:  # type: ignore[override]
        return (self.code, self.label, str(self))


def mistake(code: str, label: str, text: str) -> Mistake:
    """Declare a recognised mistake: its stable ``code``, short ``label`` and message."""
    from course.checks._results import CheckSpecError

    if not _SLUG.match(code) or code in GENERIC:
        raise CheckSpecError(
            f"El código de error {code!r} no es válido: usa minúsculas, cifras y `_` "
            "(y no un código reservado)."
        )
    known = REGISTRY.get(code)
    if known is not None and known != label:
        raise CheckSpecError(
            f"El código de error {code!r} ya está declarado con otra etiqueta ({known!r}): "
            "usa otro código o la misma etiqueta."
        )
    REGISTRY[code] = label
    return Mistake(code, label, text)


def tag(result: Any, text: Any) -> Any:
    """Record on ``result`` the mistake ``text`` names, if it is a :class:`Mistake`."""
    if isinstance(text, Mistake):
        result.mistake = text
    return result


def label_of(code: str) -> str:
    """The Spanish label of an outcome code (qualified or not); the code itself if unknown."""
    if code in GENERIC:
        return GENERIC[code]
    return REGISTRY.get(code.rsplit(".", 1)[-1], code)
