"""What the trusted hidden tests cost: ``course grade`` with and without them.

One course per assignment (default a01, NumPy functions, and a04, Keras models),
``--students`` submissions (the solution and the assignment's typical mistakes,
in turn), graded in the same run with the trusted process of
course.grading.hidden_tests (every test cell checked again in full, hidden tests
included, on answers exported from the kernel) and without it (the kernel runs
the visible tests only), alternating the order over ``--rounds``. Prints both
times, the time per submission, the ratio (target <= 1.15x) and whether the
solutions (which pass every test either way) score the same.

    COURSE_DATA_DIR=... python benchmarks/bench_recheck.py [a01 a04] [--students 10]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def build_course(root: Path, short: str, students: int) -> tuple[Path, str]:
    import nbformat

    from course.grading.coursedir import new_course, resolve_assignment
    from course.grading.nbgrader_api import ensure_generated
    from course.simulated import load_variants
    from course.simulated.submissions import apply_edits, solution_submission

    course = new_course(root / "curso", [short])
    assignment = resolve_assignment(course, short)
    ensure_generated(course, assignment)
    folder = course / "source_assignments" / assignment
    source = nbformat.read(folder / f"{assignment}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    solution = solution_submission(source, release)
    kinds = [solution] + [apply_edits(solution, v.edits) for v in load_variants(assignment)]
    for i in range(students):
        target = course / "submitted" / f"alumno_{i:02d}" / assignment
        target.mkdir(parents=True)
        nbformat.write(kinds[i % len(kinds)], target / f"{assignment}.ipynb")
    return course, assignment


def measure(short: str, students: int, jobs: int, rounds: int) -> None:
    from course.grading import autograde

    times: dict[bool, list[float]] = {True: [], False: []}
    scores: dict[bool, dict[tuple[str, str], float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-hidden-") as tmp:
        course, assignment = build_course(Path(tmp), short, students)
        order = [False, True]
        for r in range(rounds):
            for recheck in order if r % 2 == 0 else order[::-1]:
                start = time.perf_counter()
                run = autograde.grade_assignment(
                    course,
                    assignment,
                    jobs=jobs,
                    progress=False,
                    echo=lambda _m: None,
                    recheck=recheck,
                )
                times[recheck].append(time.perf_counter() - start)
                scores[recheck] = {
                    (res.student, c.grade_id): c.score for res in run.results for c in res.cells
                }
    # Only the solutions are comparable: without the trusted process no hidden test runs.
    solutions = {k for k in scores[True] if k[0] in _solution_students(students, short)}
    same = all(scores[True][k] == scores[False][k] for k in solutions)
    plain, checked = statistics.median(times[False]), statistics.median(times[True])
    print(f"{assignment}: {students} submissions, --jobs {jobs}, {rounds} round(s)")
    print(
        f"  without hidden tests: {plain:.1f} s  ({', '.join(f'{t:.1f}' for t in times[False])})"
        f"  = {plain / students:.2f} s per submission"
    )
    print(
        f"  trusted hidden tests: {checked:.1f} s  ({', '.join(f'{t:.1f}' for t in times[True])})"
        f"  = {checked / students:.2f} s per submission"
    )
    print(f"  ratio: {checked / plain:.3f}x (target <= 1.15x); solutions score the same: {same}")
    if not same:
        raise SystemExit("ERROR: the trusted process changed the score of a solution")


def _solution_students(students: int, short: str) -> set[str]:
    """The students :func:`build_course` gave the solution (every ``len(kinds)``-th)."""
    from course.simulated import load_variants

    period = 1 + len(load_variants(_assignment_id(short)))
    return {f"alumno_{i:02d}" for i in range(0, students, period)}


def _assignment_id(short: str) -> str:
    root = Path(__file__).resolve().parents[1] / "source_assignments"
    return next(p.name for p in root.iterdir() if p.name.startswith(f"{short}_"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("assignments", nargs="*", default=["a01", "a04"])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    for short in args.assignments:
        measure(short, args.students, args.jobs, args.rounds)


if __name__ == "__main__":
    main()
