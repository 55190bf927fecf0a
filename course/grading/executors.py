"""Where grading tasks run: one small interface, a local implementation.

The pipeline (:func:`course.grading.autograde.grade_assignment`) only needs to
submit a task, receive the results as they complete and cancel what has not
started. :class:`Executor` is that interface; :class:`LocalExecutor` runs ``jobs``
tasks at a time on this machine. Another executor (a Dask cluster) implements
the same three methods and the stages do not change.

In :class:`LocalExecutor` each task is driven by a thread of the main process
and does its heavy work in processes of its own: nbgrader and the student's
kernel (:mod:`course.grading.execute`), the trusted hidden-test process
(:mod:`course.grading.hidden_tests`). The tasks share one
:class:`~course.grading.task.Workspace` (the bundle written once, one package
copy, ``jobs`` trusted processes, one per running task).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import as_completed as _as_completed
from typing import Any, Protocol


class Executor(Protocol):
    """What the grading pipeline needs from the place its tasks run."""

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        """Start ``fn(*args)`` (a picklable task); its future holds the result or the error."""

    def as_completed(self, futures: Iterable[Future]) -> Iterator[Future]:
        """The futures, each as soon as it is done (any order)."""

    def start(self, bundle: Any, options: Any) -> None:
        """Get ready for tasks of ``bundle`` (e.g. start helper processes early)."""

    def cancel(self) -> None:
        """Cancel every task that has not started and release the executor's resources."""


class LocalExecutor:
    """``jobs`` tasks at a time on this machine (``course grade --jobs N``)."""

    def __init__(self, jobs: int) -> None:
        from course.grading.task import Workspace

        self.jobs = max(1, int(jobs))
        self._pool = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="grade")
        # The tasks of this process find it through Workspace.current().
        self.workspace = Workspace().make_current()

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        return self._pool.submit(fn, *args)

    def as_completed(self, futures: Iterable[Future]) -> Iterator[Future]:
        return _as_completed(list(futures))

    def start(self, bundle: Any, options: Any) -> None:
        from course.grading.execute import warm_runner

        warm_runner(options.runner)
        self.workspace.bundle(bundle)
        if options.sandbox:
            self.workspace.package()
        if options.recheck:
            # One trusted process per task slot, loading the set-up while the first kernels run.
            self.workspace.service(bundle, self.jobs)

    def cancel(self) -> None:
        try:
            self._pool.shutdown(wait=True, cancel_futures=True)
        finally:
            self.workspace.close()

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()
