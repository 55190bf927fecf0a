"""Simulated students: test and demo support, not instructor code.

``course demo`` grades a simulated class and ``autograder_tests/`` proves that
each assignment grades right with the same students. :mod:`.submissions` builds
their notebooks from an assignment's source (the blank release, the solution, a
:class:`~course.simulated.submissions.Variant` with a typical mistake or a
cheat); each module ``aNN.py`` exports ``VARIANTS: list[Variant]`` for the
assignment whose folder starts with ``aNN_``, found by :func:`load_variants`.

The grader never imports this package, and the copy of ``course`` that a
sandboxed kernel sees leaves it out (it holds edits of the solutions).
"""

from __future__ import annotations

import importlib

from course.errors import CourseError
from course.simulated.submissions import Variant

__all__ = ["Variant", "load_variants"]


def _module_name(assignment_id: str) -> str:
    """``"a01_perceptron"`` -> ``"a01"``: the variant module of an assignment."""
    prefix = assignment_id.split("_", 1)[0]
    if len(prefix) != 3 or not prefix.startswith("a") or not prefix[1:].isdigit():
        raise CourseError(
            f"Identificador de tarea no válido: {assignment_id!r}. "
            "Debe empezar por 'aNN_' (por ejemplo 'a01_perceptron')."
        )
    return prefix


def load_variants(assignment_id: str) -> list[Variant]:
    """The ``VARIANTS`` of an assignment (raises if it has none)."""
    name = _module_name(assignment_id)
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        raise CourseError(
            f"La tarea {assignment_id!r} no tiene variantes simuladas "
            f"(falta course/simulated/{name}.py)."
        ) from exc
    variants = list(getattr(module, "VARIANTS", []))
    names = [v.name for v in variants]
    if len(set(names)) != len(names):
        raise CourseError(f"Nombres de variante repetidos en {name}.py: {names}.")
    return variants
