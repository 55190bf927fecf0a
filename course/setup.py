"""Former name of :mod:`course.notebook_setup`, kept for notebooks already handed out.

Student copies released before the rename start with
``from course.notebook_setup import notebook_setup``; new notebooks import
:mod:`course.notebook_setup`.
"""

from course.notebook_setup import notebook_setup

__all__ = ["notebook_setup"]
