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

import os
import shutil
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from course.grading.bundle import AssignmentBundle, BundleFolder, StudentFiles, write_bundle
from course.grading.contracts import Outcome, StudentResult
from course.grading.execute import ANSWERS, SCRATCH_STUDENT, ExecuteOptions, make_scratch


class Workspace:
    """The temporary folders and helper processes a worker reuses between tasks.

    Holds, under one temporary folder: each bundle written out once, the copy of
    the ``course`` package a sandboxed kernel imports, one re-check process per
    bundle, and the scratch courses of running tasks. Thread-safe; :meth:`close`
    stops the processes and removes everything.
    """

    def __init__(self, root: Path | None = None, *, cgroups: bool = True) -> None:
        self._tmp = tempfile.TemporaryDirectory(
            prefix="course-grade-", dir=root or short_tmp_root()
        )
        self.root = Path(self._tmp.name)
        self._lock = threading.Lock()
        self._package: Path | None = None
        self._services: dict[str, Any] = {}
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

    def trusted_socket(self, bundle: AssignmentBundle) -> Path:
        """The socket of ``bundle``'s trusted process in this workspace."""
        return self.root / f"trusted-{bundle.digest[:12]}.sock"

    def service(self, bundle: AssignmentBundle) -> Any:
        """The trusted process of ``bundle`` in this workspace (started on first use)."""
        from course.grading.confirm import start_service

        with self._lock:
            if bundle.digest not in self._services:
                folder = write_bundle(bundle, self.root / f"bundle-{bundle.digest}")
                self._services[bundle.digest] = start_service(
                    self.trusted_socket(bundle),
                    self.root / "hidden_tests.log",
                    folder.sources,
                    bundle.notebooks,
                )
            return self._services[bundle.digest]

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
            for service in self._services.values():
                stop_service(service)
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
    from course.grading.annotate import feedback_notebooks
    from course.grading.confirm import _confirm
    from course.grading.prepare import prepare_submission
    from course.grading.scoring import zero_scores

    student = files.student
    folder = workspace.bundle(bundle)
    try:
        prepared = prepare_submission(bundle, files, folder.release)
        package = workspace.package() if options.sandbox else None
        trusted = None
        if options.recheck:
            workspace.service(bundle)  # started once per workspace and bundle
            trusted = workspace.trusted_socket(bundle)
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
