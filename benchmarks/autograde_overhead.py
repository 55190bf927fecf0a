"""Autograde time of each assignment's solution, and nbgrader's overhead.

For every assignment in ``source_assignments/`` (or those named on the command
line), in one run: build a temporary nbgrader course, generate the release,
submit the solution, time ``nbgrader autograde`` (NbGraderAPI) and time
``jupyter nbconvert --execute`` of the same solution notebook. Prints the
seconds and the ratio autograde / nbconvert (target: <= 1.3).

    COURSE_DATA_DIR=... python benchmarks/autograde_overhead.py [a01_perceptron ...]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "autograder_tests"))

import harness  # noqa: E402

from course.grading.submissions import (  # noqa: E402
    read_notebook,
    solution_submission,
    write_notebook,
)


def bench(assignment_id: str, workdir: Path) -> tuple[float, float]:
    root = harness.make_course(assignment_id, workdir)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        api = harness._api(root)
        result = api.generate_assignment(assignment_id)
        if not result.get("success"):
            raise RuntimeError(result.get("error") or result.get("log"))
        source = read_notebook(
            root / "source_assignments" / assignment_id / f"{assignment_id}.ipynb"
        )
        release_dir = root / "release" / assignment_id
        release = read_notebook(release_dir / f"{assignment_id}.ipynb")
        target = root / "submitted" / "solution" / assignment_id / f"{assignment_id}.ipynb"
        write_notebook(solution_submission(source, release), target)
        plain = workdir / "plain" / f"{assignment_id}.ipynb"
        write_notebook(solution_submission(source, release), plain)
        for extra in release_dir.iterdir():
            if extra.is_file() and extra.suffix != ".ipynb":
                (target.parent / extra.name).write_bytes(extra.read_bytes())
                (plain.parent / extra.name).write_bytes(extra.read_bytes())

        start = time.perf_counter()
        result = api.autograde(assignment_id, "solution")
        autograde = time.perf_counter() - start
        if not result.get("success"):
            raise RuntimeError(result.get("error") or result.get("log"))

        start = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "jupyter"),
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--ExecutePreprocessor.timeout=300",
                "--output",
                str(plain.with_suffix(".out.ipynb")),
                str(plain),
            ],
            check=True,
            cwd=plain.parent,
            capture_output=True,
        )
        nbconvert = time.perf_counter() - start
        return autograde, nbconvert
    finally:
        os.chdir(cwd)


def main(argv: list[str]) -> int:
    ids = argv or harness.assignment_ids()
    print(f"{'assignment':<30} {'autograde s':>12} {'nbconvert s':>12} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for assignment_id in ids:
            autograde, nbconvert = bench(assignment_id, Path(tmp) / assignment_id)
            print(
                f"{assignment_id:<30} {autograde:>12.1f} {nbconvert:>12.1f} "
                f"{autograde / nbconvert:>7.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
