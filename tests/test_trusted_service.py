"""The trusted process of the hidden tests as a service: crashes and hanging answers.

Both ends are real except the student's kernel: the trusted process runs as in
grading (``python -m course.grading.hidden_tests --serve``, started by a
:class:`~course.grading.task.Workspace`), and "the kernel" is this test process,
which answers the service's requests through :mod:`course.grading.answers` the
way a kernel does.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course.grading import answers
from course.grading.bundle import AssignmentBundle
from course.grading.hidden_tests import (
    CONFIRMED,
    SERVICE_GONE,
    UNCONFIRMABLE,
    confirm_cell,
    pid_file,
)
from course.grading.task import Workspace

pytestmark = pytest.mark.grading

CELL = (
    "a01.ej1.check(suma_ponderada)\n"
    "### BEGIN HIDDEN TESTS\n"
    "a01.ej1.check(suma_ponderada, extra_inputs=[(np.array([1.0, 2.0]), np.array([3.0, -4.0]), 0.5)])\n"
    "### END HIDDEN TESTS\n"
)


def _bundle() -> AssignmentBundle:
    nb = nbformat.v4.new_notebook()
    setup = nbformat.v4.new_code_cell("import numpy as np\nfrom course.assignments import a01\n")
    setup.metadata["nbgrader"] = {"locked": True, "grade_id": "setup", "solution": False}
    test = nbformat.v4.new_code_cell(CELL)
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "test_ej1", "points": 1}
    test.metadata["nbgrader"]["solution"] = False
    nb.cells = [setup, test]
    source = nbformat.writes(nb).encode("utf-8")
    return AssignmentBundle(
        assignment="tarea",
        notebooks=("tarea",),
        config="",
        gradebook=b"",
        trusted={},
        sources={"tarea": source},
    )


def _kernel(namespace: dict, monkeypatch, block: threading.Event | None = None):
    """A stand-in for the student's kernel: runs the worker's one-line requests here.

    With ``block``, every function call hangs until the event is set (a student's
    function that never returns on the held-out inputs).
    """
    monkeypatch.setattr(answers, "_namespace", lambda: namespace)

    def run_in_kernel(code: str, seconds: float) -> str:
        if block is not None and "__course_answers.call(" in code:
            block.wait(seconds)
            return f"tu código tardó más de {seconds:.0f} s en responder"
        exec(code, {})  # noqa: S102 - the request line a kernel would run
        return ""

    return run_in_kernel


def _right(x, w, b):
    return np.dot(w, x) + b


def _confirm(socket_path: Path, tmp_path: Path, name: str, run_in_kernel) -> object:
    scratch = tmp_path / f"scratch-{name}"
    exchange = tmp_path / f"exchange-{name}"
    scratch.mkdir()
    exchange.mkdir()
    return confirm_cell(str(socket_path), "tarea", "test_ej1", scratch, run_in_kernel, exchange)


def _reason(verdict) -> str:
    """The reason a student reads for ``verdict`` (written into a cell, then scored)."""
    from course.grading.safe_execute import apply_verdict
    from course.grading.scoring import STATUS_KEY, TrustedCell, score_cell

    cell = nbformat.v4.new_code_cell(CELL)
    cell.metadata[STATUS_KEY] = {"status": "ok"}
    apply_verdict(cell, verdict.status, verdict.message)
    scored = score_cell(cell, TrustedCell("tarea", "test_ej1", 1.0, "code", False, True))
    assert scored.score == 0
    return scored.reason


def _ready(socket_path: Path, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not socket_path.exists():
        assert time.monotonic() < deadline, "the trusted process never became ready"
        time.sleep(0.2)


def test_a_dead_trusted_process_is_known_at_once_and_replaced(tmp_path, monkeypatch):
    """On main every cell after the crash waited 300 s for a service that was gone."""
    bundle = _bundle()
    run = _kernel({"suma_ponderada": _right}, monkeypatch)
    with Workspace(cgroups=False) as workspace:
        with workspace.trusted(bundle) as socket_path:
            _ready(socket_path)
            assert _confirm(socket_path, tmp_path, "antes", run).status == CONFIRMED
            pid = int(pid_file(socket_path).read_text())
            os.kill(pid, signal.SIGKILL)
            time.sleep(0.5)
            started = time.monotonic()
            verdict = _confirm(socket_path, tmp_path, "muerto", run)
            took = time.monotonic() - started
        assert verdict.status == UNCONFIRMABLE and verdict.message == SERVICE_GONE, verdict
        assert "retenida" in verdict.message and "profesor" in verdict.message
        assert took < 15, f"a dead service was waited for {took:.0f} s"
        reason = _reason(verdict)
        assert "no de tu cuaderno" in reason and "retenida" in reason
        assert "alterar" not in reason, reason
        # The next submission gets a fresh service.
        with workspace.trusted(bundle) as again:
            assert again != socket_path
            _ready(again)
            assert int(pid_file(again).read_text()) != pid
            assert _confirm(again, tmp_path, "despues", run).status == CONFIRMED


def test_a_service_that_dies_while_loading_is_not_waited_for(tmp_path, monkeypatch):
    """Killed before its socket exists: the worker knows from its process id."""
    bundle = _bundle()
    run = _kernel({"suma_ponderada": _right}, monkeypatch)
    with Workspace(cgroups=False) as workspace:
        with workspace.trusted(bundle) as socket_path:
            os.kill(int(pid_file(socket_path).read_text()), signal.SIGKILL)
            started = time.monotonic()
            verdict = _confirm(socket_path, tmp_path, "cargando", run)
            assert verdict.status == UNCONFIRMABLE and verdict.message == SERVICE_GONE
            assert time.monotonic() - started < 15


def test_a_hanging_answer_keeps_no_other_submission_waiting(tmp_path, monkeypatch):
    """On main one service checked every submission's cells one at a time: a function
    that hangs on the held-out inputs held everybody's cells for up to 120 s each."""
    bundle = _bundle()
    release = threading.Event()
    hung = _kernel({"suma_ponderada": _right}, monkeypatch, block=release)
    honest = _kernel({"suma_ponderada": _right}, monkeypatch)
    with Workspace(cgroups=False) as workspace:
        workspace.service(bundle, 2)
        results: dict[str, object] = {}

        def hanging_submission() -> None:
            with workspace.trusted(bundle) as socket_path:
                _ready(socket_path)
                results["colgada"] = _confirm(socket_path, tmp_path, "colgada", hung)

        thread = threading.Thread(target=hanging_submission)
        thread.start()
        try:
            time.sleep(3)  # the hanging submission now holds its service
            started = time.monotonic()
            with workspace.trusted(bundle) as socket_path:
                _ready(socket_path)
                results["honesta"] = _confirm(socket_path, tmp_path, "honesta", honest)
            took = time.monotonic() - started
            assert "colgada" not in results, "the hanging submission should still be waiting"
        finally:
            release.set()
            thread.join(120)
    assert results["honesta"].status == CONFIRMED, results["honesta"]
    assert took < 60, f"an honest submission waited {took:.0f} s behind a hanging one"
    assert results["colgada"].status != CONFIRMED
