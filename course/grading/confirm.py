"""Hidden tests and re-check: confirm outside the kernel every cell that earned points.

The stage after execute. Each scored cell whose checks wrote witness records in
the kernel is re-checked by :mod:`course.grading.recheck` in a process that never
ran the student's code; a refuted cell scores 0 with the reason and holds the
submission for review. The stage takes a result and returns a new one.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from course.grading.contracts import StudentResult
from course.grading.execute import WITNESS_CELLS

#: Reason shown to the student when the re-check outside the kernel fails.
REASON_REFUTED = "la comprobación, repetida fuera de tu cuaderno, no dio el mismo resultado"
#: What the student should do about it (Spanish).
FIX_REFUTED = (
    "Se esperaba que tu respuesta superara la prueba sin alterar las comprobaciones del curso "
    "ni los datos del enunciado: corrígela, ejecuta el cuaderno entero de nuevo y vuelve a "
    "entregarlo (tu profesor revisará esta entrega)."
)


def start_service(log_path: Path, sources: Path, notebooks: tuple[str, ...]) -> Any:
    """Start the re-check process of a workspace (it loads the set-up while kernels run)."""
    from course.grading.recheck import RecheckService

    service = RecheckService(log_path, warm=[sources / f"{n}.ipynb" for n in notebooks])
    service.start()
    return service


def stop_service(service: Any) -> None:
    """Stop a re-check process started by :func:`start_service`."""
    service.close()


def _confirm(result: StudentResult, scratch: Path, sources: Path, service: Any) -> StudentResult:
    """Re-check every cell that earned points outside the kernel (see recheck.py).

    A refuted cell scores 0 with the reason and holds the submission for review.
    """
    from course.grading.recheck import REFUTED, UNCONFIRMABLE, RecheckCrash, Verdict

    verdict_of = dict(result.verdicts)
    wanted: dict[str, list[str]] = {}
    for cell in result.cells:
        if cell.score > 0 and not cell.needs_manual_grade:
            if (sources / f"{cell.notebook}.ipynb").is_file():
                wanted.setdefault(cell.notebook, []).append(cell.grade_id)
            else:
                verdict_of[cell.grade_id] = UNCONFIRMABLE
    if not wanted:
        return replace(result, verdicts=verdict_of)
    request = [
        {
            "name": name,
            "source": str(sources / f"{name}.ipynb"),
            "cells": str(scratch / WITNESS_CELLS / name),
            "grade_ids": gids,
        }
        for name, gids in wanted.items()
    ]
    try:
        verdicts = service.recheck(request)
    except Exception as exc:  # noqa: BLE001 - never stop the batch
        # Died or hung on these records: nothing is confirmed. The trusted code
        # failing instead is the course's problem, not the student's.
        status = REFUTED if isinstance(exc, RecheckCrash) else UNCONFIRMABLE
        failure = Verdict(status, f"la comprobación externa falló ({exc})")
        verdicts = {name: dict.fromkeys(gids, failure) for name, gids in wanted.items()}
    cells = []
    flags = list(result.flags)
    for cell in result.cells:
        verdict = verdicts.get(cell.notebook, {}).get(cell.grade_id)
        if verdict is not None:
            verdict_of[cell.grade_id] = verdict.status
            if verdict.status == REFUTED:
                reason = f"{REASON_REFUTED}: {verdict.reason.rstrip('.')}. {FIX_REFUTED}"
                cell = replace(cell, score=0.0, reason=reason)
                flags.append(
                    f"{cell.grade_id} pasó en el cuaderno pero no al repetirla fuera de él "
                    f"({verdict.reason})"
                )
            elif verdict.status == UNCONFIRMABLE:
                print(
                    f"[course grade] {result.student}/{cell.grade_id}: sin confirmar fuera del "
                    f"núcleo: {verdict.reason}",
                    file=sys.stderr,
                )
        cells.append(cell)
    return replace(result, cells=tuple(cells), flags=tuple(flags), verdicts=verdict_of)
