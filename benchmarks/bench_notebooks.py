"""Benchmark: execution time of each lecture notebook against the course budget.

Each notebook in ``notebooks/`` is executed top to bottom with nbclient in a fresh
``python3`` kernel (one kernel per notebook, nothing shared), from a temporary
working directory so that files a notebook writes (checkpoints, logs) never land
in the repository. The committed notebooks are not modified.

Usage::

    COURSE_DATA_DIR=/path/to/data python benchmarks/bench_notebooks.py [--only 07] [--timeout 600]

Prints one row per notebook (wall seconds, the kernel's CPU seconds, cells, errors;
CPU time tells the notebook's own cost apart from other jobs sharing the cores) and
the total wall time against the budget of 8 minutes for all seven notebooks
(ratio = total / budget; the target is <= 1.0). Exit status 1 when a notebook fails to run or the budget is exceeded,
2 when ``COURSE_DATA_DIR`` is not set.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
BUDGET_SECONDS = 8 * 60


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_notebook(path: Path, timeout: int) -> tuple[float, float, int, str | None]:
    """Execute ``path`` in a fresh kernel.

    Returns (wall seconds, kernel CPU seconds, code cells, error or None). The CPU
    time is that of the finished kernel process (a reaped child of this process), so
    it shows how much work the notebook needs even when other jobs share the cores.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    n_code = sum(1 for c in nb.cells if c.cell_type == "code")
    with tempfile.TemporaryDirectory(prefix=f"bench_{path.stem}_") as workdir:
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=False,  # cells tagged raises-exception are still allowed by nbclient
            resources={"metadata": {"path": workdir}},
        )
        start = time.perf_counter()
        cpu_start = _children_cpu_seconds()
        error = None
        try:
            client.execute()
        except CellExecutionError as exc:
            error = str(exc).strip().splitlines()[-1][:120] if str(exc).strip() else repr(exc)
        except Exception as exc:  # kernel death, timeout: reported, next notebook still runs
            error = f"{type(exc).__name__}: {exc}"[:120]
        seconds = time.perf_counter() - start
    cpu = _children_cpu_seconds() - cpu_start
    return seconds, cpu, n_code, error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", nargs="*", default=None, help="notebook number prefixes to run, e.g. 01 07"
    )
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)

    if not os.environ.get("COURSE_DATA_DIR"):
        print(
            "COURSE_DATA_DIR is not set: point it at the offline data folder "
            "(see datasets/README.md), e.g. COURSE_DATA_DIR=/path/to/datasets",
            file=sys.stderr,
        )
        return 2
    # Keep TensorFlow's start-up logs out of the kernels' stderr.
    from course._env import QUIET_TF_ENV

    for key, value in QUIET_TF_ENV.items():
        os.environ.setdefault(key, value)

    notebooks = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if args.only:
        notebooks = [p for p in notebooks if p.name[:2] in set(args.only)]
    if not notebooks:
        print(f"No notebook to run in {NOTEBOOKS_DIR}", file=sys.stderr)
        return 1

    print(f"Executing {len(notebooks)} notebook(s) with nbclient, one fresh kernel each")
    print(f"{'notebook':<42} {'cells':>5} {'seconds':>8} {'cpu s':>7}  status")
    rows = []
    for path in notebooks:
        seconds, cpu, n_code, error = run_notebook(path, args.timeout)
        rows.append((path.name, seconds, cpu, error))
        status = "ok" if error is None else f"ERROR {error}"
        print(f"{path.name:<42} {n_code:>5} {seconds:>8.1f} {cpu:>7.1f}  {status}", flush=True)

    total = sum(seconds for _, seconds, _, _ in rows)
    total_cpu = sum(cpu for _, _, cpu, _ in rows)
    ratio = total / BUDGET_SECONDS
    print("-" * 74)
    print(f"{'total':<42} {'':>5} {total:>8.1f} {total_cpu:>7.1f}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"budget {BUDGET_SECONDS} s (8 min) for all seven notebooks: "
        f"ratio {ratio:.2f} ({'within' if ratio <= 1.0 else 'OVER'} budget)"
    )
    if args.only or len(rows) != 7:
        print(f"note: {len(rows)} of the 7 notebooks were run; the budget is for all seven")
    failed = [name for name, _, _, error in rows if error is not None]
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed or ratio > 1.0 else 0


if __name__ == "__main__":
    sys.exit(main())
