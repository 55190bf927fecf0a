"""What the grading sandbox costs: ``course grade`` on 20 ordinary a01 submissions.

One course, 20 students (the solution and the assignment's typical mistakes,
repeated), graded in the same run with the sandbox (namespaces, read-only
filesystem, resource limits) and without it (plain ipykernel), alternating the
order over ``--rounds`` to spread the machine's noise. Prints both times and the
ratio (target <= 1.15).

    COURSE_DATA_DIR=... python benchmarks/bench_sandbox.py [--students 20] [--jobs 2]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

A01 = "a01_perceptron"


def build_course(root: Path, students: int) -> Path:
    """A course with ``students`` a01 submissions (see bench_recheck.build_course)."""
    from bench_recheck import build_course as build

    return build(root, "a01", students)[0]


def main() -> None:
    from course.grading import autograde
    from course.grading.sandbox import namespaces_available

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    times: dict[bool, list[float]] = {True: [], False: []}
    scores: dict[bool, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as tmp:
        course = build_course(Path(tmp), args.students)
        order = [False, True]
        for r in range(args.rounds):
            for sandbox in order if r % 2 == 0 else order[::-1]:
                start = time.perf_counter()
                run = autograde.grade_assignment(
                    course,
                    A01,
                    jobs=args.jobs,
                    progress=False,
                    echo=lambda _m: None,
                    sandbox=sandbox,
                )
                times[sandbox].append(time.perf_counter() - start)
                scores[sandbox] = {res.student: res.score for res in run.results}
    if scores[True] != scores[False]:
        raise SystemExit("ERROR: sandboxed and plain grading disagree on some score")
    plain, boxed = statistics.median(times[False]), statistics.median(times[True])
    print(f"namespaces available: {namespaces_available()}")
    print(f"{args.students} submissions, --jobs {args.jobs}, {args.rounds} round(s)")
    print(f"without sandbox: {plain:.1f} s  ({', '.join(f'{t:.1f}' for t in times[False])})")
    print(f"with sandbox:    {boxed:.1f} s  ({', '.join(f'{t:.1f}' for t in times[True])})")
    print(f"ratio: {boxed / plain:.3f}x (target <= 1.15x)")


if __name__ == "__main__":
    main()
