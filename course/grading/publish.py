"""Publish: write one result into the course (main process only).

The last stage, and the only one that writes the instructor's course folder:
the scores go into ``gradebook.db`` through nbgrader's
:class:`~nbgrader.api.Gradebook` API (every graded cell is reset on every
grade, so a stale score never survives), the annotated notebooks into
``autograded/<student>/<assignment>/``, the review list, the submission's
state (``estados.csv``) and each cell's outcome for the mistake analytics
(``resultados/<assignment>_errores.json``, :mod:`course.grading.analytics`). A failure while publishing never stops the batch: the
student is recorded as "no corregida" with the reason.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import replace
from pathlib import Path

from course.grading.analytics import record_outcomes
from course.grading.bundle import AssignmentBundle
from course.grading.contracts import State, StudentResult

log = logging.getLogger(__name__)


def publish(
    course: Path, assignment: str, result: StudentResult, bundle: AssignmentBundle
) -> StudentResult:
    """Write ``result`` into ``course``; returns it as published (with its review state)."""
    from course.grading.task import describe, failed_result

    try:
        return _publish(course, assignment, result)
    except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError included
        reason = f"no se pudo guardar la corrección ({describe(exc)})"
    failed = failed_result(bundle, result.student, reason)
    try:
        write_scores(course, assignment, failed)
        _record_state(course, assignment, failed)
        record_outcomes(course, assignment, failed)
    except Exception as exc:  # noqa: BLE001
        log.error("%s: %s; %s", result.student, reason, describe(exc))
    return failed


def _publish(course: Path, assignment: str, result: StudentResult) -> StudentResult:
    from course.grading import review

    write_scores(course, assignment, result)
    dest = course / "autograded" / result.student / assignment
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name, text in sorted(result.feedback.items()):
        (dest / f"{Path(name).name}.ipynb").write_text(text, encoding="utf-8")
    review_state = review.record_flags(
        course, assignment, result.student, "; ".join(result.flags), result.fingerprint
    )
    published = replace(result, review=review_state, feedback={})
    _record_state(course, assignment, published)
    record_outcomes(course, assignment, published)
    return published


def write_scores(course: Path, assignment: str, result: StudentResult) -> None:
    """Write ``result``'s scores into the course gradebook (missing cells: 0)."""
    from course.grading.nbgrader_api import open_gradebook_file

    with open_gradebook_file(course / "gradebook.db") as gb:
        gb.update_or_create_student(result.student)
        submission = gb.update_or_create_submission(assignment, result.student)
        by_id = {(c.notebook, c.grade_id): c for c in result.cells}
        for nb in submission.notebooks:
            for grade in nb.grades:
                cell = by_id.get((nb.name, grade.name))
                # Every cell is reset on every (re)grade: a stale score never survives.
                grade.auto_score = cell.score if cell else 0.0
                grade.manual_score = None
                grade.needs_manual_grade = cell.needs_manual_grade if cell else False
            for comment in nb.comments:
                comment.auto_comment = None
                comment.manual_comment = None
        gb.db.commit()


def _record_state(course: Path, assignment: str, result: StudentResult) -> None:
    from course.grading.states import record_state

    why = "; ".join(result.flags) if result.state == State.RETENIDA else result.reason
    record_state(course, assignment, result.student, result.state, why)
