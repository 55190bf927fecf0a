"""Instructor side of the course: a thin layer over nbgrader's Python API.

Nothing here is imported by ``import course``; nbgrader is imported lazily.
Importing this package puts the running interpreter's ``bin`` folder on ``PATH``,
because nbgrader runs the ``alembic`` executable by name.
"""

from course._env import ensure_interpreter_on_path

ensure_interpreter_on_path()
