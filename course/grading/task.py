"""Grading one submission as a pure task: (bundle, student's files, options) -> result record.

:func:`grade_submission` runs the stages of one submission in order and returns a
:class:`~course.grading.contracts.StudentResult`:

1. prepare   (:mod:`course.grading.prepare`): pick and sanitise the notebooks;
2. execute   (:mod:`course.grading.execute`): run them in nbgrader, sandboxed,
   and score the outputs from the trusted cell list (:mod:`course.grading.scoring`);
3. confirm   (:mod:`course.grading.confirm`): hidden tests / re-check outside the kernel;
4. annotate  (:mod:`course.grading.annotate`): the notebooks as the course keeps them.

It reads nothing of the instructor's course folder and writes nothing outside its
:class:`Workspace` (temporary folders it removes): any process with ``course``
installed can run it. Publishing the result (the gradebook) is the main
process' job (:mod:`course.grading.publish`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from course.grading.bundle import AssignmentBundle, BundleFolder, StudentFiles, write_bundle
from course.grading.contracts import Outcome, StudentResult
from course.grading.execute import ANSWERS, SCRATCH_STUDENT, ExecuteOptions, make_scratch


class Workspace:
    """The temporary folders and helper processes a worker reuses between tasks.

    Holds, under one temporary folder: each bundle written out once, the copy of
    the ``course`` package a sandboxed kernel imports, the trusted hidden-test
    processes of each bundle (one per running task, kept idle between tasks) and
    the scratch courses of running tasks. Thread-safe; :meth:`close` stops the
    processes and removes everything.
    """

    def __init__(self, root: Path | None = None, *, cgroups: bool = True) -> None:
        self._tmp = tempfile.TemporaryDirectory(
            prefix="course-grade-", dir=root or short_tmp_root()
        )
        self.root = Path(self._tmp.name)
        self._lock = threading.Lock()
        self._package: Path | None = None
        #: Idle trusted processes per bundle digest, and every one started (for close).
        self._services: dict[str, list[Any]] = {}
        self._all_services: list[Any] = []
        self._started = 0
        self.cgroup_prefix = ""
        if cgroups:
            from course.grading.sandbox import cgroup_support

            if cgroup_support():
                self.cgroup_prefix = f"b{os.getpid()}-{int(time.time() * 1000) % 10**9}-"

    def make_current(self) -> Workspace:
        """Make this the workspace of tasks run in this process without one; returns it."""
        global _CURRENT
        _CURRENT = self
        return self

    @staticmethod
    def current() -> Workspace | None:
        """The workspace made current in this process (by its executor), if any."""
        return _CURRENT

    def bundle(self, bundle: AssignmentBundle) -> BundleFolder:
        """``bundle`` written out in this workspace (once)."""
        with self._lock:
            return write_bundle(bundle, self.root / f"bundle-{bundle.digest}")

    def package(self) -> Path:
        """The copy of ``course`` that sandboxed kernels import (made once)."""
        with self._lock:
            if self._package is None:
                from course.grading.sandbox import sandbox_package

                self._package = sandbox_package(self.root / "package")
            return self._package

    def _start_service(self, bundle: AssignmentBundle) -> Any:
        from course.grading.confirm import start_service

        folder = write_bundle(bundle, self.root / f"bundle-{bundle.digest}")
        self._started += 1
        socket_path = self.root / f"trusted-{bundle.digest[:12]}-{self._started}.sock"
        service = start_service(
            socket_path, self.root / "hidden_tests.log", folder.sources, bundle.notebooks
        )
        self._all_services.append(service)
        return service

    def _stop(self, service: Any) -> None:
        from course.grading.confirm import stop_service

        stop_service(service)
        if service in self._all_services:
            self._all_services.remove(service)

    def service(self, bundle: AssignmentBundle, count: int = 1) -> None:
        """Have ``count`` trusted processes of ``bundle`` idle and running (they load
        the set-up while the first kernels run); dead ones are replaced."""
        with self._lock:
            idle = self._services.setdefault(bundle.digest, [])
            for dead in [s for s in idle if not s.alive()]:
                idle.remove(dead)
                self._stop(dead)
            while len(idle) < count:
                idle.append(self._start_service(bundle))

    @contextlib.contextmanager
    def trusted(self, bundle: AssignmentBundle) -> Iterator[Path]:
        """A trusted process of ``bundle`` for one submission alone: yields its socket.

        Each running submission has its own, so an answer that hangs keeps no
        other submission waiting; a service found dead is replaced before it is
        handed out, so the submission after a crash is checked by a fresh one.
        """
        with self._lock:
            idle = self._services.setdefault(bundle.digest, [])
            service = None
            while idle and service is None:
                candidate = idle.pop()
                if candidate.alive():
                    service = candidate
                else:
                    self._stop(candidate)
            if service is None:
                service = self._start_service(bundle)
        try:
            yield service.socket_path
        finally:
            with self._lock:
                if service in self._all_services:
                    if service.alive():
                        self._services.setdefault(bundle.digest, []).append(service)
                    else:
                        self._stop(service)

    def scratch_parent(self) -> Path:
        folder = self.root / "batch"
        folder.mkdir(exist_ok=True)
        return folder

    def close(self) -> None:
        global _CURRENT
        from course.grading.confirm import stop_service

        if _CURRENT is self:
            _CURRENT = None

        with self._lock:
            for service in self._all_services:
                stop_service(service)
            self._all_services.clear()
            self._services.clear()
        if self.cgroup_prefix:
            from course.grading.sandbox import remove_cgroups_named

            remove_cgroups_named(self.cgroup_prefix)
        self._tmp.cleanup()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_CURRENT: Workspace | None = None


def short_tmp_root() -> str | None:
    """Where a workspace goes: the usual temporary folder unless its path is so
    long that kernel sockets under it would not fit, then ``/tmp`` if usable."""
    default = tempfile.gettempdir()
    if len(default) <= 40:
        return None
    if os.path.isdir("/tmp") and os.access("/tmp", os.W_OK | os.X_OK):
        return "/tmp"
    return None


def grade_submission(
    bundle: AssignmentBundle,
    files: StudentFiles,
    options: ExecuteOptions,
    workspace: Workspace | None = None,
) -> StudentResult:
    """Grade one submission (see the module docstring); never raises for a bad submission.

    Without ``workspace`` the process' current one is used (see :class:`Workspace`),
    else a temporary one is made for this call and removed after.
    """
    if workspace is None:
        workspace = Workspace.current()
    if workspace is None:
        with Workspace() as own:
            return grade_submission(bundle, files, options, own)
    from course.grading.prepare import prepare_submission
    from course.grading.scoring import zero_scores

    student = files.student
    folder = workspace.bundle(bundle)
    with contextlib.ExitStack() as stack:
        try:
            prepared = prepare_submission(bundle, files, folder.release)
            package = workspace.package() if options.sandbox else None
            # A trusted process for this submission alone, while it runs.
            trusted = stack.enter_context(workspace.trusted(bundle)) if options.recheck else None
        except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError included
            reason = f"no se pudo preparar la entrega ({describe(exc)})"
            cells = zero_scores(bundle.trusted, reason)
            return StudentResult(student, Outcome.ERROR, cells, reason)
        run = (bundle, folder, prepared, student, options, workspace, package, trusted)
        return _execute_and_confirm(*run)


def _execute_and_confirm(
    bundle: AssignmentBundle,
    folder: BundleFolder,
    prepared: Any,
    student: str,
    options: ExecuteOptions,
    workspace: Workspace,
    package: Path | None,
    trusted: Path | None,
) -> StudentResult:
    """Execute, confirm and annotate one prepared submission (:func:`grade_submission`)."""
    from course.grading.annotate import feedback_notebooks
    from course.grading.confirm import _confirm
    from course.grading.scoring import zero_scores

    try:
        scratch = make_scratch(
            workspace.scratch_parent(),
            bundle,
            folder,
            prepared,
            options,
            package=package,
            cgroup_prefix=workspace.cgroup_prefix,
            trusted_socket=trusted,
        )
    except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError included
        reason = f"no se pudo preparar la entrega ({describe(exc)})"
        return StudentResult(student, Outcome.ERROR, zero_scores(bundle.trusted, reason), reason)
    try:
        from course.grading.execute import _grade_one

        result = _grade_one(scratch, prepared, bundle, student, options)
        if options.recheck and result.status != Outcome.MISSING:
            try:
                result = _confirm(result, scratch)
            except Exception as exc:  # noqa: BLE001 - a bug here never stops the batch
                import sys

                print(
                    f"[course grade] {student}: veredictos ilegibles ({type(exc).__name__}: {exc})",
                    file=sys.stderr,
                )
        shutil.rmtree(scratch / ANSWERS, ignore_errors=True)  # model and array copies
        shutil.rmtree(scratch / "witness", ignore_errors=True)
        hidden = {name: t.hidden_lines for name, t in bundle.trusted.items()}
        autograded = scratch / "autograded" / SCRATCH_STUDENT / bundle.assignment
        try:
            texts, leaks = feedback_notebooks(autograded, result, hidden)
        except Exception as exc:  # noqa: BLE001
            reason = f"no se pudo guardar la corrección ({describe(exc)})"
            cells = zero_scores(bundle.trusted, reason)
            return StudentResult(student, Outcome.ERROR, cells, reason)
        return replace(result, feedback=texts, flags=result.flags + tuple(leaks))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def describe(exc: BaseException) -> str:
    """A short Spanish description of an unexpected failure (never a traceback)."""
    if isinstance(exc, RecursionError):
        return "estructura anidada en exceso"
    if isinstance(exc, MemoryError):
        return "memoria agotada al procesarla"
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def failed_result(bundle: AssignmentBundle, student: str, reason: str) -> StudentResult:
    """A "NO CORREGIDA" result: every graded cell 0 with ``reason`` (Spanish)."""
    from course.grading.scoring import zero_scores

    return StudentResult(student, Outcome.ERROR, zero_scores(bundle.trusted, reason), reason)
