"""Instructor side of the course: the grading pipeline on nbgrader's Python API.

``course grade`` reads top to bottom (see docs/architecture.md): bundle and
student files (:mod:`.bundle`) -> one task per submission (:mod:`.task`: prepare,
execute, score, confirm, annotate) on an executor (:mod:`.executors`) -> publish
(:mod:`.publish`, main process only). What crosses a process boundary is in
:mod:`.contracts`; nbgrader's API is reached through :mod:`.nbgrader_api`.

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
