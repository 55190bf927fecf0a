"""Simulated student submissions per assignment (typical mistakes and a cheat).

Each module ``aNN.py`` exports ``VARIANTS: list[Variant]`` for the assignment
whose folder starts with ``aNN_``. :func:`load_variants` finds them by
assignment id; :func:`assignments_with_variants` lists the ids that have them
(the autograder tests grade every one of these).
"""

from __future__ import annotations

import importlib
import pkgutil

from course.errors import CourseError
from course.grading.submissions import Variant

__all__ = ["Variant", "assignments_with_variants", "load_variants", "module_name"]


def module_name(assignment_id: str) -> str:
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
    name = module_name(assignment_id)
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        raise CourseError(
            f"La tarea {assignment_id!r} no tiene variantes simuladas "
            f"(falta course/grading/variants/{name}.py)."
        ) from exc
    variants = list(getattr(module, "VARIANTS", []))
    names = [v.name for v in variants]
    if len(set(names)) != len(names):
        raise CourseError(f"Nombres de variante repetidos en {name}.py: {names}.")
    return variants


def assignments_with_variants() -> list[str]:
    """Module names (``"a01"``, ...) that define variants, sorted."""
    return sorted(
        m.name for m in pkgutil.iter_modules(__path__) if m.name[:1] == "a" and m.name[1:].isdigit()
    )
