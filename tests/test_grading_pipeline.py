"""The grading pipeline's pieces one by one: pure functions, the task, the executor.

The unit tests need no kernel. The two ``grading`` tests grade the toy
assignment of ``test_grading_cli.py`` for real: once as a pure task in another
process after the course folder is gone, once with an executor whose task fails.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import pickle
import shutil
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

from course.grading import hidden, scoring
from course.grading.contracts import STATUS_KEY, CellScore, Outcome, State, StudentResult


# --------------------------------------------------------------------------- sanitise
def _trusted() -> scoring.TrustedNotebook:
    tnb = scoring.TrustedNotebook("t")
    meta = {"grade": True, "grade_id": "t1", "locked": True, "schema_version": 3, "solution": False}
    tnb.metadata["t1"] = {**meta, "points": 2.0}
    tnb.cell_types["t1"] = "code"
    tnb.grade_cells["t1"] = scoring.TrustedCell("t", "t1", 2.0, "code", False, True)
    return tnb


def _submitted(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def test_sanitise_restores_tampered_points_and_drops_tags_and_duplicates():
    test = nbformat.v4.new_code_cell("assert True")
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "t1", "points": 99, "solution": False}
    test.metadata["tags"] = ["raises-exception"]
    copy = nbformat.v4.new_code_cell("1")
    copy.metadata["nbgrader"] = {"grade": True, "grade_id": "t1", "points": 5}
    unknown = nbformat.v4.new_code_cell("2")
    unknown.metadata["nbgrader"] = {"grade": True, "grade_id": "inventada", "points": 5}
    clean, notes = scoring.sanitize_submission(_submitted(test, copy, unknown), _trusted())
    assert clean.cells[0].metadata["nbgrader"]["points"] == 2.0
    assert "tags" not in clean.cells[0].metadata
    assert "nbgrader" not in clean.cells[1].metadata and "nbgrader" not in clean.cells[2].metadata
    text = " | ".join(notes)
    assert "restaurados" in text and "duplicado" in text and "desconocido" in text
    assert "etiquetas" in text


def test_sanitise_names_the_graded_cells_that_are_missing():
    _clean, notes = scoring.sanitize_submission(
        _submitted(nbformat.v4.new_code_cell("x = 1")), _trusted()
    )
    assert any("faltan celdas calificadas: t1" in n for n in notes)


# --------------------------------------------------------------------------- score a cell
def _ran(status: str, *outputs: dict, reason: str = "") -> dict:
    return {
        "cell_type": "code",
        "metadata": {STATUS_KEY: {"status": status, "reason": reason}},
        "outputs": list(outputs),
    }


def _result(text: str) -> dict:
    return {"output_type": "execute_result", "data": {"text/plain": text}}


TCELL = scoring.TrustedCell("t", "t1", 2.0, "code", False, True)


@pytest.mark.parametrize(
    ("cell", "score", "reason"),
    [
        (_ran("ok"), 2.0, ""),
        (_ran("ok", _result("1.5")), 1.5, ""),
        (_ran("ok", _result("Correcto()")), 2.0, ""),
        (_ran("not_run", reason="sin tiempo"), 0.0, "sin tiempo"),
        ({"metadata": {}, "outputs": []}, 0.0, scoring.REASON_NOT_RUN),
        (_ran("error"), 0.0, scoring.REASON_ERROR),
        (_ran("ok", {"output_type": "error", "ename": "Incorrect", "evalue": "no"}), 0.0, "no"),
        (_ran("ok", _result("1"), _result("1")), 0.0, scoring.REASON_MULTIPLE_RESULTS),
        (_ran("ok", _result("3")), 0.0, "supera la puntuación máxima"),
    ],
)
def test_score_a_cell_from_its_run_status_and_outputs(cell, score, reason):
    scored = scoring.score_cell(cell, TCELL)
    assert isinstance(scored, CellScore) and not scored.needs_manual_grade
    assert scored.score == score
    assert reason in scored.reason and bool(scored.reason) == bool(reason)


def test_a_written_answer_is_left_for_manual_grading():
    manual = scoring.TrustedCell("t", "r1", 3.0, "markdown", True, False)
    scored = scoring.score_cell({"metadata": {}, "outputs": []}, manual)
    assert scored.needs_manual_grade and scored.score == 0.0 and scored.reason == ""


def test_a_cell_score_is_a_value_that_cannot_be_changed_in_place():
    scored = scoring.score_cell(_ran("ok"), TCELL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        scored.score = 0.0  # type: ignore[misc]


# --------------------------------------------------------------------------- partial credit
@pytest.mark.parametrize(
    ("text", "points", "why"),
    [
        ("1.5", 1.5, ""),
        ("  2 ", 2.0, ""),
        ("np.float64(0.25)", 0.25, ""),
        ("1e-1", 0.1, ""),
        ("nan", 0.0, "no válido"),
        ("np.float64(nan)", 0.0, "no válido"),
        ("-1", 0.0, "negativo"),
        ("2.5", 0.0, "supera"),
        ("True", 0.0, "no válido"),
        ("'2'", 0.0, "no válido"),
        ("Correcto: la función devuelve lo esperado", None, ""),
    ],
)
def test_parse_partial_credit(text, points, why):
    value, reason = scoring.parse_partial_credit(text, 2.0)
    assert value == points
    assert why in reason and bool(reason) == bool(why)


# --------------------------------------------------------------------------- hidden tests
SOURCE = "visible()\n    ### BEGIN HIDDEN TESTS\n    assert clave_secreta() == 42\n### END HIDDEN TESTS\nfin()"


def test_hidden_regions_are_read_in_one_place():
    assert hidden.has_hidden_tests(SOURCE) and not hidden.has_hidden_tests("visible()")
    assert hidden.hidden_test_lines(SOURCE) == ["assert clave_secreta() == 42"]
    stripped = hidden.strip_hidden_tests(SOURCE)
    assert "clave_secreta" not in stripped and not hidden.has_hidden_tests(stripped)
    assert stripped.splitlines() == ["visible()", "    " + hidden.REPLACEMENT, "fin()"]


def test_scrub_withdraws_an_output_quoting_a_hidden_line():
    outputs = [nbformat.v4.new_output("stream", name="stdout", text="assert clave_secreta() == 42")]
    assert scoring.scrub_hidden(outputs, hidden.hidden_test_lines(SOURCE))
    assert "clave_secreta" not in outputs[0]["text"]


# --------------------------------------------------------------------------- sandbox argv
def test_sandbox_kernel_argv_starts_the_launcher_isolated_then_the_kernel(tmp_path):
    from course.grading.sandbox import kernel_argv

    config = tmp_path / "sandbox.json"
    argv = kernel_argv(config)
    split = argv.index("--")
    launcher, kernel = argv[:split], argv[split + 1 :]
    assert launcher == [
        sys.executable,
        "-I",
        "-m",
        "course.grading.sandbox",
        "--config",
        str(config),
    ]
    assert kernel[:3] == [sys.executable, "-m", "ipykernel_launcher"]
    assert "{connection_file}" in kernel and "--IPKernelApp.ignore_cwd=True" in kernel


# --------------------------------------------------------------------------- contracts
def test_statuses_are_enums_written_as_their_plain_value(tmp_path):
    from course.grading.states import read_states, record_state

    held = StudentResult("ana", Outcome.OK, review="pendiente")
    assert held.state is State.RETENIDA and f"{held.state}" == "retenida"
    record_state(tmp_path, "a01", "ana", held.state, "motivo")
    assert read_states(tmp_path)[("ana", "a01")] == ("retenida", "motivo")
    with pytest.raises(ValueError):
        record_state(tmp_path, "a01", "ana", "aprobadísima", "")


def test_a_result_record_pickles_as_it_is():
    cells = (CellScore("t", "t1", 1.0, 2.0, False, "parcial"),)
    result = StudentResult("ana", Outcome.TIMEOUT, cells, "tiempo", verdicts={"t1": "confirmed"})
    again = pickle.loads(pickle.dumps(result))
    assert again == result and again.status is Outcome.TIMEOUT and again.score == 1.0


# --------------------------------------------------------------------------- the task
def _toy_course(root: Path) -> tuple[Path, str]:
    sys.path.insert(0, str(Path(__file__).parent))
    from test_grading_cli import make_course, submit

    from course.grading.nbgrader_api import generate

    course = make_course(root)
    generate(course, "a90_doble")
    submit(course, "ana", "return 2 * x")
    submit(course, "carla", "return 2 * x if x > 0 else x")  # wrong for -3 only
    return course, "a90_doble"


def _grade_in_another_process(payload: bytes) -> bytes:
    from course.grading.task import grade_submission

    bundle, files, options = pickle.loads(payload)
    return pickle.dumps(grade_submission(bundle, files, options))


@pytest.mark.grading
@pytest.mark.slow
def test_a_submission_is_graded_from_its_bundle_alone(tmp_path, monkeypatch):
    """The task needs nothing of the course folder: it is deleted before grading, and the
    task runs in a fresh interpreter from the pickled bundle and files only."""
    from course.grading.bundle import build_bundle, read_student_files
    from course.grading.execute import ExecuteOptions

    course, assignment = _toy_course(tmp_path / "curso")
    bundle = build_bundle(course, assignment, [assignment])
    files = [read_student_files(course / "submitted" / s / assignment, s) for s in ("ana", "carla")]
    shutil.rmtree(course)
    elsewhere = tmp_path / "otro"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    options = ExecuteOptions(timeout=300)
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        payloads = [pickle.dumps((bundle, f, options)) for f in files]
        ana, carla = (pickle.loads(r) for r in pool.map(_grade_in_another_process, payloads))
    assert not course.exists()
    assert ana.status is Outcome.OK and ana.score == ana.max_score == 2.0
    assert carla.status is Outcome.OK and carla.score == 1.0
    wrong = {c.grade_id: c for c in carla.cells}
    assert wrong["negativo_test"].score == 0 and "doble(-3)" in wrong["negativo_test"].reason
    assert set(ana.feedback) == {assignment}
    assert "CLAVE_SECRETA" not in ana.feedback[assignment]


class _FailingExecutor:
    """A LocalExecutor whose task for one student dies (as a killed worker would)."""

    def __init__(self, victim: str) -> None:
        from course.grading.executors import LocalExecutor

        self.victim = victim
        self.inner = LocalExecutor(2)

    def start(self, bundle, options) -> None:
        self.inner.start(bundle, options)

    def submit(self, fn, /, *args):
        if args[1].student == self.victim:
            dead: Future = Future()
            dead.set_exception(RuntimeError("el proceso del trabajador terminó de golpe"))
            return dead
        return self.inner.submit(fn, *args)

    def as_completed(self, futures):
        return self.inner.as_completed(futures)

    def cancel(self) -> None:
        self.inner.cancel()


@pytest.mark.grading
@pytest.mark.slow
def test_a_task_that_dies_is_no_corregida_and_the_batch_goes_on(tmp_path):
    from course.grading.autograde import grade_assignment
    from course.grading.nbgrader_api import gradebook
    from course.grading.states import read_states

    course, assignment = _toy_course(tmp_path / "curso")
    run = grade_assignment(
        course, assignment, progress=False, echo=lambda _m: None, executor=_FailingExecutor("ana")
    )
    by = {r.student: r for r in run.results}
    assert by["ana"].state is State.NO_CORREGIDA
    assert "falló la corrección" in by["ana"].reason and "terminó de golpe" in by["ana"].reason
    assert all(c.score == 0 and c.reason for c in by["ana"].cells)
    assert by["carla"].state is State.CORREGIDA and by["carla"].score == 1.0
    assert read_states(course)[("ana", assignment)][0] == "no_corregida"
    with gradebook(course) as gb:
        assert gb.find_submission(assignment, "carla").score == 1.0
        assert gb.find_submission(assignment, "ana").score == 0.0
    assert (course / "autograded" / "carla" / assignment / f"{assignment}.ipynb").is_file()


def test_the_kernel_package_copy_leaves_out_the_grader_and_the_simulated_students(tmp_path):
    from course.grading.sandbox import sandbox_package

    copy = sandbox_package(tmp_path / "paquete") / "course"
    assert (copy / "checks").is_dir() and (copy / "setup.py").is_file()
    assert not (copy / "simulated").exists()
    assert sorted(p.name for p in (copy / "grading").iterdir()) == [
        "__init__.py",
        "answers.py",
        "witness.py",
    ]
