"""What grading costs: parallel speed-up, CPU per submission and where the time goes.

Builds one course with ``--n`` submissions of an assignment (solutions, blank
releases and the assignment's typical mistakes, in turn) and, in the same run:

1. **Speed-up.** Grades one copy with ``course grade <a> --jobs 2`` and another
   with plain ``nbgrader autograde <a>`` (every submission one after another);
   prints both times, the ratio (target >= 1.8x on 2 cores, the limit is 2.0x)
   and whether every per-cell score is identical.
2. **CPU per submission.** ``course grade <a> --jobs 1`` on a third copy; the CPU
   seconds of the command and of every process it started (kernels, nbgrader,
   the re-check, the fork server: this process is their sub-reaper, so orphans
   are counted too), divided by the number of submissions (target for a01:
   <= 3 s). With ``--antes REV`` the same is measured for the package as it was
   at git revision ``REV`` of this checkout, and both figures are printed;
   ``--subprocess`` adds the figure without the fork server (does it still pay?).
3. **Stages.** ``--etapas K`` submissions graded in this process one stage at a
   time (prepare, start-up of nbgrader and the kernel, cell execution, score,
   re-check, annotate, publish): the mean seconds of each.

Usage: ``python benchmarks/bench_grade.py [--tarea a01] [--n 20] [--jobs 2]
[--antes a60f179] [--etapas 4] [--subprocess] [--sin-aceleracion]``
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def build_course(folder: Path, assignment: str, n: int) -> str:
    from course.grading.coursedir import new_course, resolve_assignment
    from course.grading.nbgrader_api import generate
    from course.grading.workflow import write_submission
    from course.simulated import load_variants
    from course.simulated.submissions import (
        read_notebook,
        solution_submission,
        variant_submission,
    )

    new_course(folder, [assignment])
    assignment = resolve_assignment(folder, assignment)
    release = generate(folder, assignment)
    name = assignment
    source = read_notebook(folder / "source_assignments" / assignment / f"{name}.ipynb")
    released = read_notebook(release / f"{name}.ipynb")
    kinds = [solution_submission(source, released), released]
    kinds += [variant_submission(source, released, v) for v in load_variants(assignment)]
    for i in range(n):
        write_submission(folder, assignment, f"alumno{i:02d}", {name: kinds[i % len(kinds)]})
    return assignment


def scores(course: Path, assignment: str) -> dict[tuple[str, str], float]:
    from course.grading.nbgrader_api import open_gradebook_file

    out: dict[tuple[str, str], float] = {}
    with open_gradebook_file(course / "gradebook.db") as gb:
        for submission in gb.find_assignment(assignment).submissions:
            for nb in submission.notebooks:
                for grade in nb.grades:
                    out[(submission.student.id, grade.name)] = float(grade.score or 0.0)
    return out


def _reap_orphans(deadline: float = 20.0) -> None:
    """Wait for every descendant left behind (we are their sub-reaper)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.1)


def cpu_seconds(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds of ``argv`` and all its descendants, wall seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    _reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def _grade_argv(assignment: str, jobs: int) -> list[str]:
    return [sys.executable, "-m", "course.cli", "grade", assignment, "--jobs", str(jobs)] + [
        "--sin-informe"
    ]


def checkout_of(rev: str, dest: Path) -> Path:
    """The project files at git revision ``rev`` (``git archive``), in ``dest``."""
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "archive", rev], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def stage_breakdown(course: Path, assignment: str, k: int) -> dict[str, float]:
    """Mean seconds per stage over the first ``k`` submissions, graded here one by one."""
    from dataclasses import replace

    from course.grading import publish as publish_stage
    from course.grading.annotate import feedback_notebooks
    from course.grading.bundle import build_bundle, read_student_files
    from course.grading.confirm import _confirm
    from course.grading.execute import (
        SCRATCH_STUDENT,
        ExecuteOptions,
        _grade_one,
        make_scratch,
        warm_runner,
    )
    from course.grading.nbgrader_api import assignment_notebooks, submitted_students
    from course.grading.prepare import prepare_submission
    from course.grading.scoring import score_submission
    from course.grading.task import Workspace

    totals: dict[str, float] = {}

    def add(stage: str, seconds: float) -> None:
        totals[stage] = totals.get(stage, 0.0) + seconds

    bundle = build_bundle(course, assignment, assignment_notebooks(course, assignment))
    options = ExecuteOptions(timeout=600)
    students = submitted_students(course, assignment)[:k]
    warm_runner(options.runner)  # the fork server's start is a batch cost, not a stage's
    with Workspace() as ws, ws.trusted(bundle) as trusted:
        folder, package = ws.bundle(bundle), ws.package()
        for student in students:
            t = time.perf_counter()
            files = read_student_files(course / "submitted" / student / assignment, student)
            prepared = prepare_submission(bundle, files, folder.release)
            scratch = make_scratch(
                ws.scratch_parent(),
                bundle,
                folder,
                prepared,
                options,
                package=package,
                trusted_socket=trusted,
            )
            add("1 preparar", time.perf_counter() - t)
            t = time.perf_counter()
            result = _grade_one(scratch, prepared, bundle, student, options)
            executed = time.perf_counter() - t
            autograded = scratch / "autograded" / SCRATCH_STUDENT / assignment
            cells = _cell_seconds(autograded)
            t = time.perf_counter()
            score_submission(autograded, bundle.trusted)
            scoring = time.perf_counter() - t
            add("2 arranque de nbgrader y del núcleo", executed - cells - scoring)
            add("3 ejecución de las celdas", cells)
            add("4 puntuación", scoring)
            t = time.perf_counter()
            result = _confirm(result, scratch)  # the trusted checks ran during execution
            add("5 veredictos de las pruebas ocultas", time.perf_counter() - t)
            t = time.perf_counter()
            hidden = {name: tnb.hidden_lines for name, tnb in bundle.trusted.items()}
            texts, _leaks = feedback_notebooks(autograded, result, hidden)
            add("6 anotar cuadernos", time.perf_counter() - t)
            t = time.perf_counter()
            publish_stage.publish(course, assignment, replace(result, feedback=texts), bundle)
            add("7 publicar (libro de notas)", time.perf_counter() - t)
            shutil.rmtree(scratch, ignore_errors=True)
    return {stage: seconds / max(1, len(students)) for stage, seconds in sorted(totals.items())}


def _cell_seconds(folder: Path) -> float:
    """Seconds the kernel spent executing cells (nbclient's per-cell timing metadata)."""
    total = 0.0
    for path in folder.glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            timing = cell.get("metadata", {}).get("execution", {})
            begin, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
            if begin and end:
                total += (
                    datetime.fromisoformat(end) - datetime.fromisoformat(begin)
                ).total_seconds()
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarea", default="a01")
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--antes", default="", metavar="REV", help="git revision to compare CPU")
    parser.add_argument("--etapas", type=int, default=4, metavar="K")
    parser.add_argument("--sin-aceleracion", action="store_true", help="skip part 1")
    parser.add_argument(
        "--subprocess", action="store_true", help="also CPU with --arranque subprocess"
    )
    args = parser.parse_args()
    from course._env import ensure_interpreter_on_path
    from course.grading.coursedir import quiet_environment

    ensure_interpreter_on_path()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans are reaped (and counted) here
    env = quiet_environment()
    identical = True
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        base = Path(tmp) / "base"
        assignment = build_course(base, args.tarea, args.n)
        print(f"tarea: {assignment}, {args.n} entregas, {os.cpu_count()} núcleos")

        if not args.sin_aceleracion:
            parallel, sequential = Path(tmp) / "paralelo", Path(tmp) / "secuencial"
            shutil.copytree(base, parallel)
            shutil.copytree(base, sequential)
            _cpu, t_parallel = cpu_seconds(_grade_argv(assignment, args.jobs), parallel, env)
            nbgrader = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"]
            _cpu, t_sequential = cpu_seconds(nbgrader, sequential, env)
            a, b = scores(parallel, assignment), scores(sequential, assignment)
            identical = a == b
            print(f"nbgrader autograde (secuencial): {t_sequential:7.1f} s")
            print(f"course grade --jobs {args.jobs}:          {t_parallel:7.1f} s")
            print(f"aceleración: {t_sequential / t_parallel:.2f}x (objetivo >= 1.8x)")
            print(f"notas por celda idénticas: {'sí' if identical else 'NO'} ({len(a)} celdas)")
            for key in sorted(set(a) | set(b)) if not identical else []:
                if a.get(key) != b.get(key):
                    print(f"  {key}: course={a.get(key)} nbgrader={b.get(key)}")

        figures = []
        if args.antes:
            old = checkout_of(args.antes, Path(tmp) / "antes")
            old_env = {**env, "PYTHONPATH": str(old)}
            copy = Path(tmp) / "cpu-antes"
            shutil.copytree(base, copy)
            figures.append(
                (f"antes ({args.antes})", *cpu_seconds(_grade_argv(assignment, 1), copy, old_env))
            )
        copy = Path(tmp) / "cpu-ahora"
        shutil.copytree(base, copy)
        figures.append(("ahora", *cpu_seconds(_grade_argv(assignment, 1), copy, env)))
        if args.subprocess:
            copy = Path(tmp) / "cpu-subprocess"
            shutil.copytree(base, copy)
            argv = [*_grade_argv(assignment, 1), "--arranque", "subprocess"]
            figures.append(("ahora, sin forkserver", *cpu_seconds(argv, copy, env)))
        print(
            f"\nCPU por entrega con «course grade {args.tarea} --jobs 1» (objetivo <= 3 s en a01):"
        )
        for label, cpu, wall in figures:
            print(f"  {label:<22} {cpu / args.n:6.2f} s de CPU ({wall / args.n:5.2f} s de reloj)")
        if args.antes:
            print(f"  razón ahora/antes: {figures[1][1] / figures[0][1]:.2f}")

        if args.etapas:
            copy = Path(tmp) / "etapas"
            shutil.copytree(base, copy)
            print(f"\nEtapas (media de {args.etapas} entregas, segundos de reloj):")
            for stage, seconds in stage_breakdown(copy, assignment, args.etapas).items():
                print(f"  {stage:<38} {seconds:6.2f}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
