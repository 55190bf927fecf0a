"""Wall and CPU time of ``course demo``, the CPU counted over its whole process tree.

``/usr/bin/time`` (``RUSAGE_CHILDREN``) misses the sandboxed kernels: they run
under ``unshare`` in their own PID namespace and are not reaped along the
demo's chain of parents, so it reports a fraction of the real cost. This script
samples every descendant of the demo with psutil (already a dependency, through
jupyter) every 0.3 s and keeps each process's last CPU time; processes shorter
than a sample are missed, so the total is a lower bound. On a shared machine
the wall time says little; the CPU time (and its ratio to the 3-minute budget)
is the number to compare.

Usage: ``COURSE_DATA_DIR=... python benchmarks/bench_demo.py [FOLDER]``
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_S = 180.0


def main() -> None:
    import psutil

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "curso_demo"
    log = folder.parent / "demo.log"
    start = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "course.cli", "demo", "--carpeta", str(folder)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        root = psutil.Process(proc.pid)
        seen: dict[tuple[int, float], tuple[float, str]] = {}
        while proc.poll() is None:
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                procs = []
            for p in procs:
                try:
                    t = p.cpu_times()
                    seen[(p.pid, p.create_time())] = (t.user + t.system, p.name())
                except psutil.Error:
                    pass
            time.sleep(0.3)
    wall = time.monotonic() - start
    total = sum(cpu for cpu, _name in seen.values())
    by_name: dict[str, float] = {}
    for cpu, name in seen.values():
        by_name[name] = by_name.get(name, 0.0) + cpu
    print(f"course demo: exit {proc.returncode}, log {log}")
    print(f"wall {wall:.1f} s; CPU of the process tree {total:.1f} s ({len(seen)} processes)")
    print(f"CPU / 3-minute budget: {total / BUDGET_S:.2f}")
    for name, cpu in sorted(by_name.items(), key=lambda kv: -kv[1])[:6]:
        print(f"  {name:<12} {cpu:7.1f} s  ({cpu / total:.0%})")


if __name__ == "__main__":
    main()
