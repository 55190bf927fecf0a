"""The state of each submission after grading: what its grade may be used for.

nbgrader's gradebook only holds scores; a 0 there may be a 0 the student earned,
a submission that could not be run, or a folder without a notebook. ``course
grade`` therefore records each submission's state in ``estados.csv`` in the course
folder (columns estudiante, tarea, estado, motivo), and the table, the report CSV
and the export read it from there:

- ``corregida``: graded; the grade is exported.
- ``retenida``: graded but held for review (possible tampering or an unusual
  submission, see ``course review``); exported once approved.
- ``no_corregida``: it could not be graded (damaged notebook, kernel that could
  not start, time limit...); exported empty unless ``--sin-entrega-cero``.
- ``sin_entrega``: nothing to grade; exported empty unless ``--sin-entrega-cero``.

A review approval (``revision.csv``) turns ``retenida`` into ``corregida``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from course.grading.contracts import State

STATE_FILE = "estados.csv"
FIELDS = ["estudiante", "tarea", "estado", "motivo"]

#: State id -> the Spanish words shown to the instructor.
STATES = {
    State.CORREGIDA: "corregida",
    State.RETENIDA: "retenida para revisión",
    State.NO_CORREGIDA: "no corregida",
    State.SIN_ENTREGA: "sin entrega",
}


def read_states(course: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(student, assignment) -> (state, reason) as last recorded by ``course grade``."""
    path = course / STATE_FILE
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            (r.get("estudiante") or "", r.get("tarea") or ""): (
                r.get("estado") or "corregida",
                r.get("motivo") or "",
            )
            for r in csv.DictReader(fh)
        }


def record_state(course: Path, assignment: str, student: str, state: str, reason: str) -> None:
    """Replace the recorded state of one submission (written atomically)."""
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    rows = read_states(course)
    rows[(student, assignment)] = (State(state).value, reason)
    path = course / STATE_FILE
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(FIELDS)
        for (stu, task), (st, why) in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            writer.writerow([stu, task, st, why])
    tmp.replace(path)


def submission_state(
    course: Path,
    assignment: str,
    student: str,
    *,
    submitted: bool,
    recorded: dict[tuple[str, str], tuple[str, str]] | None = None,
    review: dict[tuple[str, str], tuple[str, str]] | None = None,
) -> tuple[str, str]:
    """The state and its reason for one student's submission of ``assignment``.

    ``submitted``: the gradebook has a submission for it. ``recorded`` and
    ``review`` may be passed to avoid re-reading the files for every student.
    """
    if recorded is None:
        recorded = read_states(course)
    if review is None:
        review = review_rows(course)
    if not submitted:
        return State.SIN_ENTREGA, "no hay entrega de esta tarea"
    state, reason = recorded.get((student, assignment), (State.CORREGIDA, ""))
    held = review.get((student, assignment))
    if state in (State.CORREGIDA, State.RETENIDA):
        if held and held[0] == "pendiente":
            return State.RETENIDA, held[1] or reason
        return State.CORREGIDA, ""
    return state, reason


def review_rows(course: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(student, assignment) -> (estado, motivo) of the review list."""
    from course.grading.review import read_review

    return {(r["estudiante"], r["tarea"]): (r["estado"], r["motivo"]) for r in read_review(course)}
