"""nbgrader's Python API as the course uses it: the API object, the gradebook, generation.

Every instructor step that asks nbgrader for something (the workflow, the report,
the grading pipeline) goes through these helpers, so the course folder is bound
to nbgrader one way only: its ``nbgrader_config.py`` and its ``gradebook.db``.
nbgrader is imported inside the functions (``import course`` stays light).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from course.grading.coursedir import GradingError
from course.grading.nbgrader_errors import explain_nbgrader


def api(course: Path) -> Any:
    """An ``NbGraderAPI`` bound to ``course``, configured from its nbgrader_config.py."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    config_file = course / "nbgrader_config.py"
    if config_file.is_file():
        config.merge(PyFileConfigLoader(config_file.name, path=str(course)).load_config())
    config.CourseDirectory.root = str(course)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def gradebook(course: Path) -> Any:
    """Open the course gradebook (use as a context manager)."""
    from nbgrader.api import Gradebook

    coursedir = api(course).coursedir
    return Gradebook(coursedir.db_url, coursedir.course_id)


def open_gradebook_file(path: Path) -> Any:
    """Open the gradebook stored in the SQLite file ``path`` (a context manager)."""
    from nbgrader.api import Gradebook

    return Gradebook(f"sqlite:///{path}")


def generate(course: Path, assignment: str) -> Path:
    """``nbgrader generate_assignment`` through the API; returns the release folder."""
    result = api(course).generate_assignment(assignment, force=True, create=True)
    if not result.get("success"):
        raise GradingError(
            f"nbgrader no pudo generar la versión del alumnado de {assignment}: "
            + explain_nbgrader(f"{result.get('log') or ''}\n{result.get('error') or ''}")
        )
    return course / "release" / assignment


def generate_feedback(course: Path, assignment: str) -> None:
    """``nbgrader generate_feedback`` through the API (HTML per graded student)."""
    result = api(course).generate_feedback(assignment, force=True)
    if not result.get("success"):
        raise GradingError(
            f"nbgrader no pudo generar la retroalimentación de {assignment}: "
            + explain_nbgrader(f"{result.get('log') or ''}\n{result.get('error') or ''}")
        )


def ensure_generated(course: Path, assignment: str) -> None:
    """Generate the student version (and the gradebook entry) if it is missing."""
    with gradebook(course) as gb:
        try:
            gb.find_assignment(assignment)
            known = True
        except Exception:  # nbgrader.api.MissingEntry
            known = False
    if known and (course / "release" / assignment).is_dir():
        return
    generate(course, assignment)


def submitted_students(course: Path, assignment: str) -> list[str]:
    """Students with a folder ``submitted/<student>/<assignment>/``, sorted."""
    base = course / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir())


def assignment_notebooks(course: Path, assignment: str) -> list[str]:
    """The notebook names of ``assignment`` as the gradebook knows them."""
    with gradebook(course) as gb:
        return [nb.name for nb in gb.find_assignment(assignment).notebooks]


def template_gradebook(course: Path, assignment: str, dest: Path) -> Path:
    """Write to ``dest`` a copy of the course gradebook with ``assignment``'s structure only.

    No student and no other assignment is in it: it is what a grading task may carry.
    """
    shutil.copy2(course / "gradebook.db", dest)
    with open_gradebook_file(dest) as gb:
        for student in list(gb.students):
            gb.remove_student(student.id)
        for other in list(gb.assignments):
            if other.name != assignment:
                gb.remove_assignment(other.name)
    return dest
