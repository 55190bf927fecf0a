"""Autograding cost of each assignment's solution against plain execution.

For every assignment in ``source_assignments/`` (or those named on the command
line), builds a scratch course, generates the student version, submits the
solution, then in the same run times:

- ``nbgrader autograde <a> --student solucion`` (what an instructor runs), and
- ``jupyter nbconvert --to notebook --execute`` of the very same submitted notebook,

and prints both, their ratio (target <= 1.3) and the solution's score.

Usage: ``COURSE_DATA_DIR=... python benchmarks/bench_autograde.py [a01 a03 ...]``
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(assignment: str, folder: Path) -> tuple[str, float, float, float, float]:
    from nbgrader.api import Gradebook

    from course.grading.coursedir import new_course, quiet_environment, resolve_assignment
    from course.grading.workflow import generate, write_submission
    from course.simulated.submissions import read_notebook, solution_submission

    new_course(folder, [assignment])
    assignment = resolve_assignment(folder, assignment)
    release = generate(folder, assignment)
    source = read_notebook(folder / "source_assignments" / assignment / f"{assignment}.ipynb")
    released = read_notebook(release / f"{assignment}.ipynb")
    submitted = write_submission(
        folder, assignment, "solucion", {assignment: solution_submission(source, released)}
    )
    env = quiet_environment()

    plain = folder / "plain"
    shutil.copytree(submitted, plain)
    for extra in (folder / "source_assignments" / assignment).iterdir():
        if extra.suffix != ".ipynb" and extra.is_file():
            shutil.copy2(extra, plain / extra.name)
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=600",
            "--output",
            "executed.ipynb",
            str(plain / f"{assignment}.ipynb"),
        ],
        cwd=plain,
        env=env,
        check=True,
        capture_output=True,
    )
    t_plain = time.perf_counter() - start

    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "nbgrader",
            "autograde",
            assignment,
            "--student",
            "solucion",
            "--force",
        ],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
    )
    t_grade = time.perf_counter() - start
    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gb:
        submission = gb.find_submission(assignment, "solucion")
        score, max_score = float(submission.score), float(submission.max_score)
    return assignment, t_grade, t_plain, score, max_score


def main(argv: list[str]) -> int:
    from course._env import ensure_interpreter_on_path
    from course.grading.coursedir import project_root, source_assignments

    ensure_interpreter_on_path()
    wanted = argv or [a.split("_", 1)[0] for a in source_assignments(project_root())]
    print(f"{'tarea':<30}{'autograde (s)':>14}{'nbconvert (s)':>15}{'razón':>8}{'nota':>12}")
    worst = 0.0
    for name in wanted:
        with tempfile.TemporaryDirectory(prefix=f"bench-autograde-{name}-") as tmp:
            assignment, t_grade, t_plain, score, max_score = measure(name, Path(tmp))
        ratio = t_grade / t_plain
        worst = max(worst, ratio)
        print(
            f"{assignment:<30}{t_grade:>14.1f}{t_plain:>15.1f}{ratio:>7.2f}x{score:>6g}/{max_score:g}"
        )
    print(f"\nrazón máxima autograde / ejecución: {worst:.2f}x (objetivo <= 1.3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
