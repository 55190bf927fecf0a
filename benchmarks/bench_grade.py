"""Parallel ``course grade --jobs 2`` against sequential ``nbgrader autograde``.

Builds one course with 20 submissions of an assignment (solutions, blank releases
and the assignment's typical mistakes, in turn), copies it, grades one copy with
``course grade <a> --jobs 2`` and the other with plain ``nbgrader autograde <a>``
(which grades every submission one after another), in the same run, and prints
both times, the speedup and whether every per-cell score is identical.

Target (issue 7): speedup >= 1.6x on 2 cores with identical scores.

Usage: ``python benchmarks/bench_grade.py [--tarea a01] [--n 20] [--jobs 2]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build_course(folder: Path, assignment: str, n: int) -> str:
    from course.grading.coursedir import new_course, resolve_assignment
    from course.grading.submissions import read_notebook, solution_submission, variant_submission
    from course.grading.variants import load_variants
    from course.grading.workflow import generate, write_submission

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
    from nbgrader.api import Gradebook

    out: dict[tuple[str, str], float] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for submission in gb.find_assignment(assignment).submissions:
            for nb in submission.notebooks:
                for grade in nb.grades:
                    out[(submission.student.id, grade.name)] = float(grade.score or 0.0)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarea", default="a01")
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    from course._env import ensure_interpreter_on_path
    from course.grading.coursedir import quiet_environment

    ensure_interpreter_on_path()
    env = quiet_environment()
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        parallel = Path(tmp) / "paralelo"
        assignment = build_course(parallel, args.tarea, args.n)
        sequential = Path(tmp) / "secuencial"
        shutil.copytree(parallel, sequential)

        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "course.cli",
                "grade",
                assignment,
                "--jobs",
                str(args.jobs),
                "--sin-informe",
            ],
            cwd=parallel,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        t_parallel = time.perf_counter() - start

        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"],
            cwd=sequential,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        t_sequential = time.perf_counter() - start

        a, b = scores(parallel, assignment), scores(sequential, assignment)
        identical = a == b
        print(f"tarea: {assignment}, {args.n} entregas, {os.cpu_count()} núcleos")
        print(f"nbgrader autograde (secuencial): {t_sequential:7.1f} s")
        print(f"course grade --jobs {args.jobs}:          {t_parallel:7.1f} s")
        print(f"aceleración: {t_sequential / t_parallel:.2f}x (objetivo >= 1.6x)")
        print(f"notas por celda idénticas: {'sí' if identical else 'NO'} ({len(a)} celdas)")
        if not identical:
            for key in sorted(set(a) | set(b)):
                if a.get(key) != b.get(key):
                    print(f"  {key}: course={a.get(key)} nbgrader={b.get(key)}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
