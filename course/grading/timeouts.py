"""The grading time limits, in one place for ``course grade --help`` and ``course doctor``.

Light on purpose (``course --help`` imports it): the per-notebook budget itself is
:attr:`course.grading.sandbox.Limits.notebook_seconds`, read from there.
"""

from __future__ import annotations

#: Default wall-clock limit for one submission (all its notebooks), in seconds.
SUBMISSION_SECONDS = 600.0


def notebook_seconds() -> float:
    """The default time budget of one notebook inside a submission, in seconds."""
    try:
        from course.grading.sandbox import DEFAULT_LIMITS
    except ImportError:  # no ``resource`` module (Windows): the sandbox's default
        return 480.0
    return float(DEFAULT_LIMITS.notebook_seconds)
