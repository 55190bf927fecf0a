"""Grading on a Dask cluster: speed-up with workers and overhead against local grading.

Builds one course with ``--n`` submissions of a01 (solutions, blank releases and
typical mistakes, in turn: ``bench_grade.build_course``) and, in the same run, on
this machine:

1. starts ``dask scheduler`` and ONE ``dask worker --nworkers 1 --nthreads 1``
   (separate processes, 127.0.0.1) and grades a first copy with
   ``course grade --cluster``;
2. starts a second worker and grades a second copy (target: 1 worker / 2 workers
   >= 1.7x);
3. grades a third copy with ``course grade --jobs 2`` (target: Dask with 2
   workers / local ``--jobs 2`` <= 1.15x);

and prints the three times, both ratios and whether every per-cell score is
identical across the three. With ``--a05 K`` it also grades K a05 solutions one
at a time (``--jobs 1``) and prints the wall-clock seconds per submission and
what that makes for 1,000 submissions on 64 cores (the instructor guide's
estimate). The workers run with ``DASK_DISTRIBUTED__WORKER__DAEMON=False`` (the
set-up the guide recommends).

Usage: ``python benchmarks/bench_cluster.py [--n 20] [--a05 2]``
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_grade import build_course  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(argv: list[str], log: Path) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DASK_DISTRIBUTED__WORKER__DAEMON="False",
    )
    with log.open("ab") as out:
        return subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )


def _stop(proc: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(5)
        except (ProcessLookupError, PermissionError):
            return
        except subprocess.TimeoutExpired:
            continue


def _worker(dask: str, address: str, tmp: Path, name: str) -> subprocess.Popen:
    argv = [dask, "worker", address, "--nworkers", "1", "--nthreads", "1"]
    argv += ["--host", "127.0.0.1", "--no-dashboard", "--name", name]
    return _start(argv + ["--local-directory", str(tmp / name)], tmp / f"{name}.log")


def _wait_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(n, timeout=120)


def _grade(course: Path, assignment: str, **kwargs) -> tuple[float, dict]:
    from course.grading.autograde import grade_assignment

    start = time.monotonic()
    run = grade_assignment(course, assignment, progress=False, echo=lambda _m: None, **kwargs)
    seconds = time.monotonic() - start
    scores = {r.student: tuple((c.grade_id, c.score) for c in r.cells) for r in run.results}
    return seconds, scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="a01 submissions (default 20)")
    parser.add_argument("--a05", type=int, default=0, metavar="K", help="also time K a05 solutions")
    args = parser.parse_args()
    from course.grading.cluster import DaskExecutor

    dask = str(Path(sys.executable).with_name("dask"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    processes: list[subprocess.Popen] = []
    try:
        base = tmp / "uno"
        assignment = build_course(base, "a01", args.n)
        for name in ("dos", "local"):
            shutil.copytree(base, tmp / name)
        port = _free_port()
        address = f"tcp://127.0.0.1:{port}"
        processes.append(
            _start(
                [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                tmp / "scheduler.log",
            )
        )
        time.sleep(2)
        processes.append(_worker(dask, address, tmp, "w1"))
        _wait_workers(address, 1)
        one, scores_one = _grade(base, assignment, executor=DaskExecutor(address))
        processes.append(_worker(dask, address, tmp, "w2"))
        _wait_workers(address, 2)
        two, scores_two = _grade(tmp / "dos", assignment, executor=DaskExecutor(address))
        local, scores_local = _grade(tmp / "local", assignment, jobs=2)
        same = scores_one == scores_two == scores_local
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{args.n} submissions of {assignment}")
        print(f"  Dask, 1 worker:        {one:7.1f} s")
        print(f"  Dask, 2 workers:       {two:7.1f} s")
        print(f"  local, --jobs 2:       {local:7.1f} s")
        print(f"  1 vs 2 workers:        {one / two:5.2f}x (target >= 1.7x)")
        print(f"  Dask 2 vs --jobs 2:    {two / local:5.2f}x (target <= 1.15x)")
        print(f"  identical scores:      {'yes' if same else 'NO'}")
        if args.a05:
            a05_course = tmp / "a05"
            a05 = build_course(a05_course, "a05", 2 * args.a05)
            solutions = [f"alumno{i:02d}" for i in range(0, 2 * args.a05, 2)]  # solution, blank...
            seconds, _ = _grade(a05_course, a05, jobs=1, students=solutions)
            per = seconds / args.a05
            rounds = math.ceil(1000 / 64)
            print(f"a05: {args.a05} solution(s) one at a time: {seconds:.1f} s, {per:.1f} s each")
            print(
                f"  1,000 a05 submissions on 64 cores: {rounds} rounds x {per:.0f} s = "
                f"{rounds * per / 60:.0f} min"
            )
        return 0 if same else 1
    finally:
        for proc in reversed(processes):
            _stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
