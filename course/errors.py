"""Exception types raised by the course package.

Every message is written in Spanish because students and instructors read it at
run time. Each says what went wrong, where, and how to fix it.
"""

from __future__ import annotations


class CourseError(Exception):
    """Base class of every error the ``course`` package raises on purpose."""


class DataError(CourseError):
    """A data set could not be found, read or validated.

    The message names the file, the folders that were searched and the fix.
    """
