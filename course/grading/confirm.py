"""Hidden tests: start the batch's trusted process and collect its verdicts.

The stage after execute. The trusted process (:mod:`course.grading.hidden_tests`)
never runs student code: while a submission's kernel is still alive, the grading
worker (:class:`course.grading.safe_execute.SafeExecute`) asks it to run each test
cell in full, hidden tests and answer keys included, on the answers the kernel
exported as plain data. Its verdict is written into the cell (and scored from
there by :mod:`course.grading.scoring`); this stage reads the verdicts back from
the executed notebooks, records them in the result and holds for review every
submission whose cell was refuted or could not be completed. It takes a result
and returns a new one.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from course.grading.contracts import StudentResult
from course.grading.execute import SCRATCH_STUDENT


def start_service(
    socket_path: Path, log_path: Path, sources: Path, notebooks: tuple[str, ...]
) -> Any:
    """Start the trusted process of a workspace on ``socket_path``.

    It loads the instructor's set-up cells while the first kernels start; the
    grading workers reach it on the socket, which lives in the workspace (never
    in a folder a kernel can see).
    """
    from course.grading.hidden_tests import HiddenTestService

    service = HiddenTestService(
        socket_path, log_path, warm=[sources / f"{n}.ipynb" for n in notebooks]
    )
    service.start()
    return service


def stop_service(service: Any) -> None:
    """Stop a trusted process started by :func:`start_service`."""
    service.close()


def _confirm(result: StudentResult, scratch: Path) -> StudentResult:
    """The trusted process's verdict on each test cell, read from the executed notebooks.

    The verdicts were written into the autograded notebooks by the grading worker
    (the scores already reflect them); a refuted or unconfirmable cell holds the
    submission for review.
    """
    from course.grading.hidden_tests import HOLD
    from course.grading.scoring import STATUS_KEY

    verdict_of = dict(result.verdicts)
    records: dict[str, dict[str, Any]] = {}
    flags = list(result.flags)
    folder = scratch / "autograded" / SCRATCH_STUDENT
    for path in sorted(folder.glob("*/*.ipynb")):
        if not path.is_file() or path.is_symlink():
            continue
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {})
            gid = meta.get("nbgrader", {}).get("grade_id")
            if isinstance(gid, str) and isinstance(meta.get(STATUS_KEY), dict):
                records[gid] = meta[STATUS_KEY]
            verdict = meta.get(STATUS_KEY, {}).get("trusted")
            if not isinstance(gid, str) or not isinstance(verdict, str):
                continue
            verdict_of[gid] = verdict
            if verdict in HOLD:
                why = next(
                    (c.reason for c in result.cells if c.grade_id == gid and c.reason), verdict
                )
                flags.append(f"{gid} pasó en el cuaderno pero no fuera de él ({why})")
    outcomes, labels = classify_cells(result, records, verdict_of)
    return replace(
        result,
        flags=tuple(flags),
        verdicts=verdict_of,
        outcomes=outcomes,
        outcome_labels=labels,
    )


def classify_cells(
    result: StudentResult, records: dict[str, dict[str, Any]], verdicts: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Each graded cell's outcome code (mistake analytics) and the labels of the codes.

    Full marks: ``correcto``; some: ``parcial``; held for review: ``no_confirmada``;
    a cell that could not run (kernel died, time limit, not reached):
    ``error_ejecucion``; a cell absent from the graded notebook (another notebook
    was handed in): ``sin_responder``; otherwise the classification the trusted
    process wrote into the cell (``safe_execute.record_mistake``), else ``otro``.
    A submission that could not be graded has no outcomes.
    """
    from course.checks._codes import (
        CORRECT,
        GENERIC,
        NOT_ANSWERED,
        OTHER,
        PARTIAL,
        RUN_ERROR,
        UNCONFIRMED,
    )
    from course.grading.hidden_tests import HOLD

    outcomes: dict[str, str] = {}
    labels: dict[str, str] = {}
    if not result.ok:
        return outcomes, labels
    for cell in result.cells:
        record = records.get(cell.grade_id, {})
        label = ""
        if cell.max_score and cell.score >= cell.max_score - 1e-9:
            code = CORRECT
        elif cell.score > 0:
            code = PARTIAL
        elif verdicts.get(cell.grade_id) in HOLD:
            code = UNCONFIRMED
        elif record.get("status") in ("died", "timeout", "not_run"):
            code = RUN_ERROR
        elif not record:
            code = NOT_ANSWERED
        elif isinstance(record.get("mistake"), str) and record["mistake"]:
            code = record["mistake"]
            label = str(record.get("mistake_label") or "")
        else:
            code = OTHER
        outcomes[cell.grade_id] = code
        labels[code] = label or GENERIC.get(code, code)
    return outcomes, labels
