"""The instructor commands, run as a user would: ``course ...`` in a subprocess.

A tiny NumPy-free assignment (``a90_doble``) is built in a temporary course folder
so that release, parallel grading, the report, feedback and export are exercised
in seconds; ``course demo`` (the real a01 and a03) is in ``test_demo.py``.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.grading, pytest.mark.slow]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "a90_doble"
COURSE_BIN = [sys.executable, "-m", "course.cli"]


def _cell(kind: str, source: str, **nbgrader: object) -> nbformat.NotebookNode:
    maker = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = maker(source)
    if nbgrader:
        meta = {"schema_version": 3, "locked": False, "solution": False, "grade": False}
        meta.update(nbgrader)
        cell.metadata["nbgrader"] = meta
    return cell


def toy_source(solution_body: str = "return 2 * x") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        _cell("markdown", "# Tarea de prueba (2 puntos)", grade_id="intro", locked=True),
        _cell(
            "code",
            f"def doble(x):\n    ### BEGIN SOLUTION\n    {solution_body}\n    ### END SOLUTION",
            grade_id="doble_sol",
            solution=True,
        ),
        _cell(
            "code",
            "assert doble(2) == 4, 'doble(2) debería ser 4'\n"
            "### BEGIN HIDDEN TESTS\nassert doble(21) == 42, 'prueba oculta CLAVE_SECRETA'\n"
            "### END HIDDEN TESTS",
            grade_id="doble_test",
            grade=True,
            locked=True,
            points=1,
        ),
        _cell(
            "code",
            "assert doble(-3) == -6, 'doble(-3) debería ser -6'",
            grade_id="negativo_test",
            grade=True,
            locked=True,
            points=1,
        ),
    ]
    return nb


def run_course(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [*COURSE_BIN, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def make_course(root: Path, solution_body: str = "return 2 * x") -> Path:
    (root / "source_assignments" / ASSIGNMENT).mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(
        (PROJECT_ROOT / "nbgrader_config.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    nbformat.write(
        toy_source(solution_body), root / "source_assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    )
    return root


def submit(course: Path, student: str, body: str | None) -> None:
    """Write a student's submission: the release with ``body`` in the solution cell.

    ``body=None`` submits the release untouched; a body starting with ``{`` is
    written as raw (broken) file content.
    """
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{ASSIGNMENT}.ipynb"
    if body is not None and body.startswith("{"):
        target.write_text(body, encoding="utf-8")
        return
    nb = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    if body is not None:
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = f"def doble(x):\n    {body}"
    nbformat.write(nb, target)


@pytest.fixture(scope="module")
def graded_course(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A course with the toy assignment released and five students graded with --jobs 2."""
    course = make_course(tmp_path_factory.mktemp("curso"))
    released = run_course("release", "a90", cwd=course)
    assert released.returncode == 0, released.stdout + released.stderr
    submit(course, "ana", "return 2 * x")  # correct
    submit(course, "bruno", None)  # blank release
    submit(course, "carla", "return x + 2")  # right for 2, wrong for -3 and hidden 21
    submit(course, "diego", "import time\n    time.sleep(600)")  # hangs
    submit(course, "elena", '{"cells": [')  # corrupt JSON
    graded = run_course("grade", "a90", "--jobs", "2", "--tiempo-max", "40", cwd=course)
    return course, graded


def _scores(course: Path) -> dict[str, float]:
    with (course / "informes" / f"{ASSIGNMENT}_notas.csv").open(encoding="utf-8") as fh:
        return {row["estudiante"]: float(row["nota"]) for row in csv.DictReader(fh)}


def test_release_proves_and_publishes_student_version(graded_course):
    course, _ = graded_course
    text = (course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "return 2 * x" not in text
    assert "CLAVE_SECRETA" not in text and "HIDDEN TESTS" not in text
    assert "TU CÓDIGO AQUÍ" in text


def test_release_refuses_an_assignment_whose_solution_fails(tmp_path):
    course = make_course(tmp_path, solution_body="return 2 * x + 1")
    result = run_course("release", "a90", cwd=course)
    assert result.returncode == 1
    assert "No se publica" in result.stderr
    assert "doble_test" in result.stderr and "negativo_test" in result.stderr
    assert not (course / "release" / ASSIGNMENT).exists()


def test_grade_scores_every_student_and_survives_hangs_and_corrupt_files(graded_course):
    course, graded = graded_course
    out = graded.stdout + graded.stderr
    assert graded.returncode == 0, out
    assert _scores(course) == {"ana": 2.0, "bruno": 0.0, "carla": 0.0, "diego": 0.0, "elena": 0.0}
    assert "ana: 2 / 2 puntos" in out
    assert "diego: tiempo agotado" in out
    assert "elena: no corregida" in out and "dañado" in out
    assert "Media:" in out and "Mediana:" in out
    assert "Pruebas completas fuera del cuaderno:" in out and "0 refutadas" in out


def test_report_lists_ungraded_students_and_hardest_cells(graded_course):
    course, graded = graded_course
    assert "Entregas que no se pudieron corregir" in graded.stdout
    png = course / "informes" / f"{ASSIGNMENT}_histograma.png"
    assert png.stat().st_size > 5000
    rows = list(
        csv.DictReader((course / "informes" / f"{ASSIGNMENT}_notas.csv").open(encoding="utf-8"))
    )
    states = {r["estudiante"]: r["estado"] for r in rows}
    assert states["diego"] == "no_corregida" and states["ana"] == "corregida"
    assert {"doble_test", "negativo_test"} <= set(rows[0])


def test_regrading_is_idempotent_with_one_row_per_student(graded_course):
    course, _ = graded_course
    before = _scores(course)
    again = run_course("grade", "a90", "--student", "ana", "--student", "carla", cwd=course)
    assert again.returncode == 0, again.stderr
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submissions = gb.find_assignment(ASSIGNMENT).submissions
        students = sorted(s.student.id for s in submissions)
    assert students == ["ana", "bruno", "carla", "diego", "elena"]
    assert _scores(course)["ana"] == before["ana"] == 2.0
    assert _scores(course)["carla"] == before["carla"]


def test_plain_subprocess_workers_grade_the_same(graded_course, tmp_path):
    """``--arranque subprocess``: one ``python -m nbgrader`` per submission, same scores;
    ``--registros`` keeps each submission's nbgrader log."""
    course, _ = graded_course
    before = _scores(course)
    logs = tmp_path / "registros"
    again = run_course(
        "grade",
        "a90",
        "--student",
        "ana",
        "--student",
        "elena",
        "--student",
        "carla",
        "--arranque",
        "subprocess",
        "--registros",
        str(logs),
        cwd=course,
    )
    assert again.returncode == 0, again.stderr
    after = _scores(course)
    assert after["ana"] == before["ana"] == 2.0
    assert after["carla"] == before["carla"]
    assert "elena" in again.stdout and "dañado" in again.stdout
    assert "AutogradeApp" in (logs / "ana.log").read_text(encoding="utf-8")


def _visible_text(html: str) -> str:
    """The text of an HTML page as a browser shows it (tags dropped, entities decoded)."""
    import html as html_lib

    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))


def test_feedback_has_no_hidden_tests(graded_course):
    course, _ = graded_course
    result = run_course("feedback", "a90", cwd=course)
    assert result.returncode == 0, result.stderr
    html = (course / "feedback" / "ana" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(
        encoding="utf-8"
    )
    # Code in the feedback is syntax-highlighted (one <span> per token): compare
    # the text a reader sees, not the markup.
    text = _visible_text(html)
    assert "doble(2) == 4" in text, "the visible test must stay in the feedback"
    assert "CLAVE_SECRETA" not in text and "doble(21)" not in text
    assert "BEGIN HIDDEN TESTS" not in html


@pytest.mark.parametrize("fmt, header", [("csv", "estudiante"), ("moodle", "username")])
def test_export_writes_one_row_per_student(graded_course, fmt, header):
    course, _ = graded_course
    out = course / f"export_{fmt}.csv"
    result = run_course("export", "--format", fmt, "--salida", str(out), cwd=course)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0].keys() >= {header, ASSIGNMENT}
    by_id = {r[header]: r[ASSIGNMENT] for r in rows}
    assert by_id["ana"] == "2.00" and by_id["bruno"] == "0.00"


def test_grade_unknown_assignment_is_a_clear_spanish_error(graded_course):
    course, _ = graded_course
    result = run_course("grade", "a77", cwd=course)
    assert result.returncode == 1
    assert "No existe la tarea «a77»" in result.stderr and "a90_doble" in result.stderr


def test_commands_outside_a_course_explain_the_fix(tmp_path):
    result = run_course("grade", "a01", cwd=tmp_path)
    assert result.returncode == 1
    assert "no es una carpeta de curso" in result.stderr and "--curso" in result.stderr
