"""What crosses a process boundary while grading: keys, statuses and the result record.

Grading one submission runs in several processes (see docs/architecture.md): the
grading process that drives nbgrader writes each cell's run status into the
notebook under :data:`STATUS_KEY`; the task that grades a submission (any process
with ``course`` installed, see :mod:`course.grading.task`) returns a
:class:`StudentResult` to the main process, which alone publishes it. Everything
those processes agree on is defined here and nowhere else, as plain picklable
values (no open files, no paths into another process' scratch folder).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

#: Notebook cell metadata key holding how the grading process saw the cell run
#: (written by :class:`course.grading.safe_execute.SafeExecute`, read by scoring).
STATUS_KEY = "course_grading"


class _Text(str, Enum):
    """An enum whose members are also their plain string value (CSV, JSON, messages)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class CellRun(_Text):
    """How the grading process saw one cell run (the ``status`` under :data:`STATUS_KEY`)."""

    OK = "ok"
    ERROR = "error"
    NOT_RUN = "not_run"
    DIED = "died"
    TIMEOUT = "timeout"


class Outcome(_Text):
    """What running one submission produced."""

    OK = "ok"  # every notebook ran (cells may still have failed)
    ERROR = "error"  # it could not be graded (damaged file, kernel died, task failed)
    TIMEOUT = "timeout"  # stopped by a time limit; cells that ran keep their points
    MISSING = "missing"  # nothing to run (no notebook in the folder)


class State(_Text):
    """What a submission's grade may be used for (see :mod:`course.grading.states`)."""

    CORREGIDA = "corregida"
    RETENIDA = "retenida"
    NO_CORREGIDA = "no_corregida"
    SIN_ENTREGA = "sin_entrega"


@dataclass(frozen=True)
class CellScore:
    """The score of one graded cell of one student's notebook, with the reason for a zero."""

    notebook: str
    grade_id: str
    score: float
    max_score: float
    needs_manual_grade: bool = False
    reason: str = ""


@dataclass(frozen=True)
class StudentResult:
    """The result record of grading one submission (what a grading task returns).

    ``feedback`` holds the autograded notebooks (name -> notebook JSON), already
    annotated with each zero's reason and with hidden tests withdrawn; the main
    process writes them into the course. ``review`` is filled in when the result
    is published: ``"pendiente"`` (held) or ``"aprobada"``.
    """

    student: str
    status: Outcome
    cells: tuple[CellScore, ...] = ()
    reason: str = ""
    seconds: float = 0.0
    notes: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    fingerprint: str = ""
    review: str = ""
    # grade_id -> verdict of the trusted hidden tests (course.grading.hidden_tests)
    verdicts: dict[str, str] = field(default_factory=dict)
    # What was unusual about the submission (course.grading.intake): each holds it for review.
    anomalies: tuple[str, ...] = ()
    feedback: dict[str, str] = field(default_factory=dict)
    # grade_id -> outcome code of the cell (course/checks/_codes.py: a recognised
    # mistake such as "a01.ej3.sin_sesgo", or correcto / otro / sin_responder /
    # error_ejecucion / parcial / no_confirmada), classified by the trusted process.
    outcomes: dict[str, str] = field(default_factory=dict)
    # outcome code -> its short Spanish label
    outcome_labels: dict[str, str] = field(default_factory=dict)

    @property
    def state(self) -> State:
        """What the grade may be used for."""
        if self.status == Outcome.MISSING:
            return State.SIN_ENTREGA
        if not self.ok:
            return State.NO_CORREGIDA
        return State.RETENIDA if self.review == "pendiente" else State.CORREGIDA

    @property
    def score(self) -> float:
        return float(sum(c.score for c in self.cells))

    @property
    def max_score(self) -> float:
        return float(sum(c.max_score for c in self.cells))

    @property
    def ok(self) -> bool:
        return self.status == Outcome.OK
