"""Self-assessment quizzes ("Autoevaluación") that close each lecture notebook.

A quiz is a few multiple-choice questions answered together in one dictionary::

    respuestas = {"p1": "b", "p2": "c", "p3": "a"}
    practica.autoevaluacion.check(respuestas)

It is an :class:`~course.checks.Exercise` (same Correct / Incorrect / NotAttempted
results, hint and solution), kept apart from the notebook's 2-4 practice exercises:
the check reports how many answers are right and, for each wrong one, a hint that
points back to the lesson without giving the letter away.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from course.checks import Correct, Exercise, Incorrect, is_placeholder, not_attempted

__all__ = ["Question", "SelfAssessment"]


@dataclass(frozen=True)
class Question:
    """One multiple-choice question: its options (letter -> text), key and a hint."""

    options: Mapping[str, str]
    key: str
    hint: str


class SelfAssessment(Exercise):
    """3-5 multiple-choice questions checked together from a ``{"p1": "a", ...}`` dict."""

    def __init__(self, questions: Sequence[Question], *, title: str) -> None:
        if not 3 <= len(questions) <= 5:
            raise ValueError("Una autoevaluación tiene entre 3 y 5 preguntas.")
        for question in questions:
            if question.key not in question.options:
                raise ValueError(f"La clave {question.key!r} no es una de las opciones.")
        self.questions = {f"p{i}": q for i, q in enumerate(questions, start=1)}
        solution = "respuestas = {\n" + "".join(
            f'    "{name}": "{q.key}",  # {q.options[q.key]}\n'
            for name, q in self.questions.items()
        )
        super().__init__(
            "autoevaluacion",
            self._check_answers,
            title=title,
            hint=[f"{name}: {q.hint}" for name, q in self.questions.items()],
            solution=solution + "}\n",
        )

    def _check_answers(self, answers: Any) -> Correct:
        names = list(self.questions)
        what = "tus respuestas de la autoevaluación"
        if not isinstance(answers, Mapping):
            raise Incorrect(
                what,
                f"un valor de tipo `{type(answers).__name__}`",
                f"un diccionario con las claves {', '.join(names)}",
                'Completa el diccionario de la celda: `{"p1": "a", ...}`.',
            )
        missing = [name for name in names if name not in answers]
        if missing:
            raise Incorrect(
                what,
                f"faltan las claves {', '.join(missing)}",
                f"las claves {', '.join(names)}",
                "No cambies las claves del diccionario: rellena solo los valores.",
            )
        blank = [name for name in names if is_placeholder(answers[name])]
        if blank:
            raise not_attempted(
                ("la pregunta " if len(blank) == 1 else "las preguntas ") + ", ".join(blank),
                fix="Escribe entre comillas la letra de cada respuesta en lugar de `None`.",
            )
        wrong = []
        for name, question in self.questions.items():
            given = str(answers[name]).strip().lower()
            if given not in question.options:
                raise Incorrect(
                    f"la respuesta a {name}",
                    repr(answers[name]),
                    f"una de las letras {', '.join(question.options)}",
                    "Escribe solo la letra de la opción, entre comillas.",
                )
            if given != question.key:
                wrong.append(name)
        if wrong:
            first = self.questions[wrong[0]]
            raise Incorrect(
                what,
                f"{len(names) - len(wrong)} de {len(names)} bien; revisa {', '.join(wrong)}",
                f"las {len(names)} bien",
                f"Pista para {wrong[0]}: {first.hint}",
            )
        return Correct(what, f"las {len(names)} bien", f"las {len(names)} bien")
