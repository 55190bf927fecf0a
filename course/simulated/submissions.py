"""Simulated student submissions built from an assignment's source notebook.

Used by ``autograder_tests/`` (to prove that each assignment grades right) and
by ``course demo`` (to simulate a class). Three kinds of submission:

- the *blank* one: the released notebook, unchanged;
- the *solution* one (:func:`solution_submission`): the released notebook with
  every solution cell filled from the source's solution region, i.e. exactly
  what a student who solved everything would hand in (no hidden tests);
- a *variant* (:class:`Variant`): the solution submission with small edits
  (:func:`apply_edits`) that reproduce a typical mistake or a cheat, together
  with the score nbgrader must give it per test cell and the words the
  student's message must contain.

Variant modules live beside this one in :mod:`course.simulated` (``aNN.py``
exporting ``VARIANTS``). nbformat is imported lazily; nothing here imports TensorFlow.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from course.errors import CourseError

if TYPE_CHECKING:  # pragma: no cover
    from nbformat import NotebookNode

__all__ = [
    "Variant",
    "apply_edits",
    "autograded_points",
    "grade_id",
    "read_notebook",
    "solution_submission",
    "strip_solution_markers",
    "variant_submission",
    "write_notebook",
]

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"

Edit = tuple[str, str, str]


@dataclass(frozen=True)
class Variant:
    """A simulated student: the solution with a few edits, and its expected grade.

    Attributes:
        name: short identifier, also used as the simulated student id
            (lowercase letters, digits and ``_``).
        description: what the student did wrong, in Spanish (shown by ``course demo``).
        edits: ``(grade_id of a SOLUTION cell, old substring, new substring)``
            applied in order to the solution submission; ``old`` must occur in
            that cell.
        expected: ``grade_id`` of an autograded TEST cell -> points expected.
            Cells not listed are expected to score full marks.
        message_words: ``grade_id`` of a test cell -> Spanish words (case
            insensitive) that the cell's output must contain, so the student's
            message names the mistake.
        cheat: ``True`` for the submission that hard-codes the visible expected
            values; it must lose the hidden-test points.
    """

    name: str
    description: str
    edits: list[Edit]
    expected: dict[str, float]
    message_words: dict[str, list[str]] = field(default_factory=dict)
    cheat: bool = False

    def __post_init__(self) -> None:
        if (
            not self.name
            or not self.name.replace("_", "").isalnum()
            or self.name.lower() != self.name
        ):
            raise CourseError(
                f"Nombre de variante no válido: {self.name!r}. Usa minúsculas, dígitos y '_' "
                "(es también el identificador del estudiante simulado)."
            )
        if not self.edits:
            raise CourseError(
                f"La variante {self.name!r} no tiene ediciones: sería idéntica a la solución. "
                "Añade al menos una edición (grade_id, texto viejo, texto nuevo)."
            )

    def expected_scores(self, max_points: Mapping[str, float]) -> dict[str, float]:
        """Expected points of every autograded cell (unlisted cells: full marks)."""
        unknown = sorted(set(self.expected) - set(max_points))
        if unknown:
            raise CourseError(
                f"La variante {self.name!r} espera puntos para celdas que no son de prueba "
                f"autocalificada: {unknown}. Celdas válidas: {sorted(max_points)}."
            )
        return {gid: float(self.expected.get(gid, pts)) for gid, pts in max_points.items()}


# --------------------------------------------------------------------------
# notebook helpers
# --------------------------------------------------------------------------


def read_notebook(path: str | Path) -> NotebookNode:
    """Read a notebook (nbformat 4) from ``path``."""
    import nbformat

    path = Path(path)
    if not path.is_file():
        raise CourseError(f"No existe el cuaderno {path}. Comprueba la ruta.")
    return nbformat.read(str(path), as_version=4)


def write_notebook(nb: NotebookNode, path: str | Path) -> Path:
    """Write ``nb`` to ``path`` (creating its folder) and return the path."""
    import nbformat

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def _meta(cell: Mapping[str, Any]) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def grade_id(cell: Mapping[str, Any]) -> str | None:
    """The nbgrader ``grade_id`` of a cell, or ``None``."""
    return _meta(cell).get("grade_id")


def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def autograded_points(nb: NotebookNode) -> dict[str, float]:
    """``grade_id`` -> points of every autograded test cell, in notebook order.

    An autograded test cell is a code cell with ``grade: true`` and
    ``solution: false`` (nbgrader's "Autograder tests").
    """
    points: dict[str, float] = {}
    for cell in nb.cells:
        meta = _meta(cell)
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            points[meta["grade_id"]] = float(meta.get("points", 0))
    return points


def strip_solution_markers(source: str) -> str:
    """Remove the ``### BEGIN/END SOLUTION`` lines, keeping what lies between."""
    lines = [
        line
        for line in source.split("\n")
        if BEGIN_SOLUTION not in line and END_SOLUTION not in line
    ]
    return "\n".join(lines)


def solution_submission(source_nb: NotebookNode, release_nb: NotebookNode) -> NotebookNode:
    """The released notebook with every solution cell filled in from the source.

    Each solution cell of ``release_nb`` (matched by ``grade_id``) gets the
    source cell's code with the solution markers removed. Test cells, locked
    cells and metadata stay exactly as released, so hidden tests are absent,
    as in a real student's submission.
    """
    by_id = {grade_id(c): c for c in source_nb.cells if _meta(c).get("solution")}
    submission = copy.deepcopy(release_nb)
    filled = 0
    for cell in submission.cells:
        meta = _meta(cell)
        if not meta.get("solution"):
            continue
        gid = meta.get("grade_id")
        if gid not in by_id:
            raise CourseError(
                f"La celda de solución {gid!r} del cuaderno publicado no está en el cuaderno "
                "fuente. Vuelve a generar la tarea (nbgrader generate_assignment)."
            )
        cell.source = strip_solution_markers(_source(by_id[gid]))
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        filled += 1
    if filled == 0:
        raise CourseError(
            "El cuaderno publicado no tiene celdas de solución: ¿es de verdad una tarea de nbgrader?"
        )
    return submission


def apply_edits(nb: NotebookNode, edits: Iterable[Edit]) -> NotebookNode:
    """Return a copy of ``nb`` with each ``(grade_id, old, new)`` edit applied.

    ``old`` must occur in the cell with that ``grade_id``; every occurrence is
    replaced. Raises :class:`course.errors.CourseError` otherwise, so a variant
    never silently equals the solution.
    """
    result = copy.deepcopy(nb)
    cells = {grade_id(c): c for c in result.cells if grade_id(c)}
    for gid, old, new in edits:
        if gid not in cells:
            raise CourseError(
                f"Edición imposible: no hay ninguna celda con grade_id {gid!r}. "
                f"Celdas disponibles: {sorted(cells)}."
            )
        cell = cells[gid]
        src = _source(cell)
        if old not in src:
            raise CourseError(
                f"Edición imposible en la celda {gid!r}: no contiene el texto {old!r}. "
                "Corrige la variante para que el texto viejo coincida con la solución."
            )
        cell.source = src.replace(old, new)
    return result


def variant_submission(
    source_nb: NotebookNode, release_nb: NotebookNode, variant: Variant
) -> NotebookNode:
    """The solution submission with ``variant``'s edits applied."""
    return apply_edits(solution_submission(source_nb, release_nb), variant.edits)
