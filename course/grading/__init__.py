"""Instructor side of the course: a thin layer over nbgrader's Python API.

Nothing here is imported by ``import course``; nbgrader is imported lazily.
Importing this package puts the running interpreter's ``bin`` folder on ``PATH``,
because nbgrader runs the ``alembic`` executable by name, and silences a harmless
SQLAlchemy warning that nbgrader 0.9.6 triggers whenever it adds a submission.
"""

import warnings

from course._env import ensure_interpreter_on_path

ensure_interpreter_on_path()
# nbgrader's Gradebook.add_submission builds ORM objects before adding them to the
# session; SQLAlchemy 2 warns "Object of type <SubmittedAssignment> not in session"
# on stderr although nothing is lost. Instructors should not see it.
warnings.filterwarnings("ignore", message=r".*not in session, add operation along.*")
