"""``course grade``: every submission of an assignment through the grading pipeline.

nbgrader's ``autograde`` grades one submission after another in the course folder
itself. :func:`grade_assignment` instead reads the pipeline top to bottom:

1. prepare (main process): generate the assignment if needed, build its
   :class:`~course.grading.bundle.AssignmentBundle` and read each student's files
   (:mod:`course.grading.bundle`);
2. run one task per submission on an :class:`~course.grading.executors.Executor`
   (``jobs`` at a time locally, or on a Dask cluster with
   :class:`~course.grading.cluster.DaskExecutor`): :func:`course.grading.task.grade_submission`
   prepares, executes, scores, confirms and annotates it, with no access to the
   course folder;
3. publish (main process only, as each task completes): scores into the
   gradebook, annotated notebooks, review list and state
   (:mod:`course.grading.publish`). Each student is published at most once,
   even if an executor delivers a retried task's result twice.

A task that fails for any reason (an exception, a killed worker) becomes a "NO
CORREGIDA" result with a Spanish reason; it never stops the batch. Progress is
shown with :mod:`tqdm`: a bar with ETA and one line per student as each finishes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from course.grading.contracts import Outcome, StudentResult
from course.grading.coursedir import SOURCE_DIRNAME, GradingError
from course.grading.execute import ExecuteOptions, Runner
from course.grading.executors import Executor, LocalExecutor
from course.grading.sandbox import DEFAULT_LIMITS, Limits
from course.grading.timeouts import SUBMISSION_SECONDS

#: Default wall-clock limit for one submission (all its notebooks), in seconds.
DEFAULT_TIMEOUT = SUBMISSION_SECONDS


@dataclass(frozen=True)
class GradeRun:
    """All results of one ``course grade`` run, as published."""

    assignment: str
    results: tuple[StudentResult, ...]
    seconds: float

    @property
    def failed(self) -> list[StudentResult]:
        return [r for r in self.results if not r.ok]


def grade_assignment(
    course: Path,
    assignment: str,
    *,
    students: Iterable[str] | None = None,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = True,
    echo: Callable[[str], None] | None = None,
    sandbox: bool = True,
    limits: Limits | None = None,
    recheck: bool = True,
    runner: Runner | None = None,
    debug_dir: Path | None = None,
    executor: Executor | None = None,
) -> GradeRun:
    """Autograde every submission of ``assignment`` (see the module docstring).

    ``sandbox=False`` runs kernels without :mod:`course.grading.sandbox` and
    ``recheck=False`` skips the trusted hidden tests (:mod:`course.grading.hidden_tests`) (both used only to
    measure what they cost); ``limits`` overrides the sandbox's defaults;
    ``runner`` chooses how nbgrader's process starts (default: a fork server
    where available); ``debug_dir`` keeps each submission's nbgrader log there;
    ``executor`` runs the tasks (default: :class:`LocalExecutor` with ``jobs``).
    """
    from tqdm import tqdm

    from course.grading import publish as publish_stage
    from course.grading.bundle import build_bundle, read_student_files
    from course.grading.nbgrader_api import (
        assignment_notebooks,
        ensure_generated,
        submitted_students,
    )
    from course.grading.task import describe, failed_result, grade_submission

    start = time.monotonic()
    ensure_generated(course, assignment)
    available = submitted_students(course, assignment)
    wanted = list(students) if students else available
    missing = [s for s in wanted if s not in available]
    if missing:
        raise GradingError(
            f"No hay entrega de {', '.join(missing)} para {assignment} en "
            f"{course / 'submitted'}/<alumno>/{assignment}/."
        )
    if not wanted:
        raise GradingError(
            f"No hay entregas de {assignment}: copie cada una en "
            f"{course / 'submitted'}/<alumno>/{assignment}/ (o use «nbgrader collect»)."
        )
    write = echo or print
    limits = limits or DEFAULT_LIMITS
    # The notebook's budget ends well before the worker is killed (nbgrader and
    # the kernel need time to start and to write the results).
    budget = min(limits.notebook_seconds, max(15.0, timeout * 0.8 - 30.0))
    options = ExecuteOptions(
        timeout=timeout,
        limits=replace(limits, notebook_seconds=budget),
        sandbox=sandbox,
        recheck=recheck,
        runner=runner,
        debug_dir=debug_dir,
    )
    bundle = build_bundle(course, assignment, assignment_notebooks(course, assignment))
    if bundle.missing_data:
        write(
            f"⚠ Falta {', '.join(bundle.missing_data)} en {course / SOURCE_DIRNAME / assignment}: "
            "todas las entregas quedarán retenidas para revisión. Copie el fichero allí y "
            "vuelva a corregir."
        )
    pool = executor or LocalExecutor(max(1, int(jobs or os.cpu_count() or 1)))
    bar = tqdm(
        total=len(wanted),
        desc=f"Corrigiendo {assignment}",
        unit="entrega",
        disable=not progress,
        dynamic_ncols=True,
    )
    if echo is None and progress:
        write = bar.write

    def done(result: StudentResult) -> None:
        if result.student in published_students:
            return  # a task that an executor ran twice (e.g. a retried worker): publish once
        published_students.add(result.student)
        published = publish_stage.publish(course, assignment, result, bundle)
        results.append(published)
        try:
            write(student_line(published))
        except Exception as exc:  # noqa: BLE001
            write(f"  ✘ {published.student}: no se pudo mostrar ({describe(exc)})")
        bar.update(1)

    results: list[StudentResult] = []
    published_students: set[str] = set()
    try:
        pool.start(bundle, options)
        futures = {}
        for student in wanted:
            try:
                files = read_student_files(course / "submitted" / student / assignment, student)
            except Exception as exc:  # noqa: BLE001 - one submission never stops the batch
                done(
                    failed_result(
                        bundle, student, f"no se pudo preparar la entrega ({describe(exc)})"
                    )
                )
                continue
            futures[pool.submit(grade_submission, bundle, files, options)] = student
        for future in pool.as_completed(futures):
            try:
                result = future.result()
            except BaseException as exc:  # noqa: BLE001 - a killed worker included
                reason = f"falló la corrección de esta entrega ({describe(exc)})"
                result = failed_result(bundle, futures[future], reason)
            done(result)
    finally:
        bar.close()
        pool.cancel()
    results.sort(key=lambda r: r.student)
    return GradeRun(assignment, tuple(results), time.monotonic() - start)


def recheck_summary(run: GradeRun) -> str:
    """One Spanish line: what the trusted process said about the test cells."""
    verdicts = [v for r in run.results for v in r.verdicts.values()]
    held = sorted(
        {r.student for r in run.results if {"refuted", "unconfirmable"} & set(r.verdicts.values())}
    )
    line = (
        f"Pruebas completas fuera del cuaderno: {verdicts.count('confirmed')} celda(s) "
        f"superadas, {verdicts.count('failed')} con pruebas ocultas no superadas, "
        f"{verdicts.count('refuted')} refutadas"
    )
    if verdicts.count("unconfirmable"):
        line += f", {verdicts.count('unconfirmable')} sin poder completarse (ver el registro)"
    if held:
        line += f" (entregas retenidas: {', '.join(held)})"
    return line + "."


def student_line(result: StudentResult) -> str:
    """One Spanish line for the console about one published result."""
    if result.status == Outcome.MISSING:
        return f"  ✘ {result.student}: sin entrega — {result.reason}"
    if result.ok:
        held = " — ⏸ retenida para revisión" if result.review == "pendiente" else ""
        return (
            f"  ✔ {result.student}: {result.score:g} / {result.max_score:g} puntos "
            f"({result.seconds:.1f} s){held}"
        )
    kind = "tiempo agotado" if result.status == Outcome.TIMEOUT else "no corregida"
    # Points of cells that ran before it stopped are shown, never a bare 0 as a grade.
    partial = f" ({result.score:g} puntos en las celdas ejecutadas)" if result.score > 0 else ""
    return f"  ✘ {result.student}: {kind}{partial} — {result.reason}"
