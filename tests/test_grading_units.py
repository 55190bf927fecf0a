"""Small grading pieces that need no kernel: scan, states, help, ignore files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course.grading import review
from course.grading.execute import _kernel_never_ran
from course.grading.nbgrader_errors import explain_nbgrader
from course.grading.scoring import STATUS_KEY

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "code",
    [
        "# open('../../gradebook.db')\nx = 1",
        "def f():\n    '''Lee ../datos y el gradebook (solo documentación).'''\n    return 1",
        "texto = 1\n'''\n!rm -rf datos\n%cd ..\n'''",
        "x = 5 % 3\ny = x != 2",
    ],
)
def test_scan_ignores_comments_and_strings_that_do_not_run(code):
    assert review.scan_source(code) == []


@pytest.mark.parametrize(
    "code, word",
    [
        ("open('../../notas.csv')", ".."),
        ("ruta = 'gradebook.db'", "gradebook"),
        ("!ls /", "órdenes"),
        ("salida = !ls", "órdenes"),
        ("import sqlite3", "sqlite3"),
    ],
)
def test_scan_still_flags_what_runs(code, word):
    assert word in " ".join(f.reason for f in review.scan_source(code))


def test_review_names_the_exercise_not_a_cell_number():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Ejercicio 1"), nbformat.v4.new_code_cell("x")]
    nb.cells[1].metadata["nbgrader"] = {"grade_id": "ej1_sol", "solution": True}
    nb.cells.append(nbformat.v4.new_code_cell("import sqlite3"))
    titles = {"ej1_sol": "Ejercicio 1 — Perceptrón"}
    assert review.locate(nb, 1, titles) == "ejercicio «Ejercicio 1 — Perceptrón» (ej1_sol)"
    assert review.locate(nb, 2, titles) == (
        "celda añadida después de «Ejercicio 1 — Perceptrón» (ej1_sol)"
    )
    assert review.locate(nb, 0, titles) == "celda añadida al principio del cuaderno"


def _autograded(folder: Path, statuses: list[dict[str, str]]) -> None:
    nb = nbformat.v4.new_notebook()
    for status in statuses:
        cell = nbformat.v4.new_code_cell("pass")
        cell.metadata[STATUS_KEY] = status
        nb.cells.append(cell)
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / "t.ipynb")


def test_a_kernel_that_never_ran_a_cell_is_detected(tmp_path):
    why = "no se pudo ejecutar el cuaderno (ZMQError: File name too long)"
    _autograded(tmp_path / "a", [{"status": "not_run", "reason": why}] * 3)
    assert "ZMQError" in _kernel_never_ran(tmp_path / "a")
    _autograded(tmp_path / "b", [{"status": "ok"}, {"status": "not_run", "reason": "x"}])
    assert _kernel_never_ran(tmp_path / "b") == ""


def test_a_result_whose_kernel_failed_is_not_graded():
    from course.grading.contracts import Outcome, StudentResult

    assert StudentResult("ana", Outcome.ERROR, reason="núcleo").state == "no_corregida"
    assert StudentResult("ana", Outcome.MISSING).state == "sin_entrega"
    assert StudentResult("ana", Outcome.OK, review="pendiente").state == "retenida"
    assert StudentResult("ana", Outcome.OK).state == "corregida"


def test_nbgrader_failures_are_explained_in_spanish():
    text = explain_nbgrader("Traceback...\nRuntimeError: no end solution statement found")
    assert "### END SOLUTION" in text and "Solución:" in text
    text = explain_nbgrader("sqlite3.OperationalError: database is locked")
    assert "bloqueado" in text
    assert "inesperado" in explain_nbgrader("ValueError: something else")


def _help(*args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "course.cli", *args, "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


COMMANDS = ["doctor", "data", "release", "grade", "feedback", "export", "demo", "lab", "review"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_a_description_and_every_argument_a_help(command):
    from course.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    assert sub.description, command
    for action in sub._actions:
        assert action.help, (command, action.dest)
    text = _help(command)
    if "--curso" in text:
        assert "--curso CARPETA" in text


def test_grade_help_and_doctor_give_the_same_notebook_time():
    from course.grading.sandbox import DEFAULT_LIMITS, doctor_lines
    from course.grading.timeouts import SUBMISSION_SECONDS

    text = " ".join(_help("grade").split())
    seconds = f"{DEFAULT_LIMITS.notebook_seconds:.0f} s"
    assert f"por defecto {SUBMISSION_SECONDS:.0f}" in text and seconds in text
    assert any(seconds in line for line in doctor_lines())


def test_doctor_never_sends_the_reader_to_an_english_document():
    from course.grading.sandbox import doctor_lines

    for line in doctor_lines():
        assert "architecture.md" not in line and "README" not in line, line


def test_grading_records_are_git_ignored(tmp_path):
    ignore = (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    for entry in ("/informes/", "/revision.csv", "/estados.csv"):
        assert entry in ignore
    from course.grading.coursedir import new_course

    course = new_course(tmp_path / "curso", ["a01"])
    lines = (course / ".gitignore").read_text(encoding="utf-8").splitlines()
    for entry in ("/informes/", "/revision.csv", "/estados.csv", "/submitted/", "/gradebook.db"):
        assert entry in lines


def test_missing_data_file_named_by_the_statement_is_found(tmp_path):
    from course.grading.intake import missing_data_files

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "Lee `Train.csv` (o `extra.npz`; nunca https://ejemplo.es/otro.csv)."
        )
    ]
    nbformat.write(nb, tmp_path / "a.ipynb")
    assert missing_data_files(tmp_path) == ["Train.csv", "extra.npz"]
    (tmp_path / "Train.csv").write_text("x\n", encoding="utf-8")
    assert missing_data_files(tmp_path) == ["extra.npz"]
    assert json.loads(json.dumps(missing_data_files(tmp_path)))


def test_full_score_has_its_own_histogram_bin():
    import numpy as np

    from course.grading.report import histogram_edges

    edges = histogram_edges(12)
    counts, _ = np.histogram([12, 12, 11, 0], bins=edges)
    assert counts[-1] == 2 and counts[-2] == 1 and counts[0] == 1
    assert edges[0] < 0 < edges[1] and edges[-2] < 12 < edges[-1]
