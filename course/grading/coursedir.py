"""Locating and preparing an nbgrader course directory.

A course directory is a folder holding ``nbgrader_config.py`` and the source
assignments (``source_assignments/`` in this project). The instructor commands run
in it; ``course demo`` creates a fresh one from the project's own files.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from course.errors import CourseError

#: Folder, relative to a course directory, where nbgrader finds the source assignments.
SOURCE_DIRNAME = "source_assignments"

ASSIGNMENT_PATTERN = re.compile(r"^a\d\d_[a-z0-9_]+$")

#: ``.gitignore`` of a new course folder: what holds student work, ids or grades.
COURSE_GITIGNORE = """\
# Student work, ids and grades: never committed (see docs/guia_instructor.md)
/release/
/submitted/
/autograded/
/feedback/
/gradebook.db
/.nbgrader.log
/informes/
/revision.csv
/estados.csv
/moodle/
"""


class GradingError(CourseError):
    """An instructor command could not do what was asked (Spanish message)."""


def project_root() -> Path:
    """The checkout the package was installed from (editable install).

    ``course demo`` and ``course release`` in a new folder copy the source
    assignments and nbgrader configuration from here.
    """
    from course._paths import checkout_root

    root = checkout_root() or Path(__file__).resolve().parents[2]  # the message names it
    if not (root / SOURCE_DIRNAME).is_dir() or not (root / "nbgrader_config.py").is_file():
        raise GradingError(
            "No se encuentran las tareas fuente del curso junto al paquete "
            f"(se buscó {root / SOURCE_DIRNAME}).\n"
            "Solución: instale el curso desde una copia del repositorio con «pip install -e .»."
        )
    return root


def quiet_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment for grading processes in which TensorFlow stays quiet."""
    from course._env import QUIET_TF_ENV

    env = dict(os.environ if base is None else base)
    env.update(QUIET_TF_ENV)
    env.setdefault("MPLBACKEND", "Agg")
    return env


def resolve_course(path: str | os.PathLike[str] | None) -> Path:
    """Return the course directory ``path`` (default: the current folder), validated."""
    root = Path(path or ".").resolve()
    if not (root / "nbgrader_config.py").is_file():
        raise GradingError(
            f"{root} no es una carpeta de curso: falta nbgrader_config.py.\n"
            "Solución: ejecute la orden dentro de la carpeta del curso o indíquela con --curso."
        )
    return root


def source_assignments(course: Path) -> list[str]:
    """Assignment ids available in the course's source folder, sorted."""
    folder = course / SOURCE_DIRNAME
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if p.is_dir() and ASSIGNMENT_PATTERN.match(p.name)
    )


def resolve_assignment(course: Path, name: str) -> str:
    """Accept ``a01`` or ``a01_perceptron`` and return the full assignment id."""
    available = source_assignments(course)
    if name in available:
        return name
    matches = [a for a in available if a.split("_", 1)[0] == name]
    if len(matches) == 1:
        return matches[0]
    listing = ", ".join(available) or "(ninguna)"
    raise GradingError(
        f"No existe la tarea «{name}» en {course / SOURCE_DIRNAME}.\nTareas disponibles: {listing}."
    )


def new_course(
    dest: Path, assignments: list[str] | None = None, *, data_files: bool = True
) -> Path:
    """Create a course directory at ``dest`` from the project's config and sources.

    ``assignments`` limits which source assignments are copied (ids or prefixes such
    as ``a01``). With ``data_files``, the shipping CSV is placed beside a04's notebook
    when the data set can be found, as an instructor would do.
    """
    root = project_root()
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(root / "nbgrader_config.py", dest / "nbgrader_config.py")
    ignore = dest / ".gitignore"
    if not ignore.exists():
        ignore.write_text(COURSE_GITIGNORE, encoding="utf-8")
    wanted = source_assignments(root)
    if assignments:
        wanted = [resolve_assignment(root, a) for a in assignments]
    for assignment in wanted:
        target = dest / SOURCE_DIRNAME / assignment
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(
            root / SOURCE_DIRNAME / assignment,
            target,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.weights.h5"),
        )
        if data_files and assignment.startswith("a04") and not (target / "Train.csv").exists():
            _place_shipping_csv(target)
    return dest


def _place_shipping_csv(folder: Path) -> None:
    from course import datasets
    from course.errors import DataError

    try:
        path = datasets.find_shipping_file()
    except (DataError, AttributeError):
        return
    shutil.copy2(path, folder / "Train.csv")
