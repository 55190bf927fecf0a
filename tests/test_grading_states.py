"""No silent zeros: every submission is graded right or reported, with the truth.

One toy course (``a90_doble``, two points; ``a91_triple``, another assignment;
``a92_vacia``, released and never submitted) is graded once with the submissions
an instructor really receives: ids with spaces, accents and e-mail addresses or
over 100 characters, two copies of the notebook, another assignment's notebook, a
renamed notebook, a folder without a notebook, a damaged file and a commented-out
suspicious line. Then the table, the report CSV, the review list and the export
must all say the same true thing about each one.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from test_grading_cli import ASSIGNMENT, _cell, make_course, run_course, submit

pytestmark = [pytest.mark.grading, pytest.mark.slow]

MOODLE = "García López Ana_1234567_assignsubmission_file_"
EMAIL = "ana.garcia.lopez.de.la.fuente@alumnos.universidad-de-ejemplo.es"
LONG = "Íñigo Martínez-Peñalver " * 5 + "de la Fuente Ordóñez"  # 140 characters
assert len(LONG) > 100

OTHER = "a91_triple"
NEVER = "a92_vacia"


def _toy(name: str, func: str, factor: int) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        _cell("markdown", f"# {name}", grade_id=f"{func}_intro", locked=True),
        _cell(
            "code",
            f"def {func}(x):\n    ### BEGIN SOLUTION\n    return {factor} * x\n    ### END SOLUTION",
            grade_id=f"{func}_sol",
            solution=True,
        ),
        _cell(
            "code",
            f"assert {func}(2) == {2 * factor}",
            grade_id=f"{func}_test",
            grade=True,
            locked=True,
            points=1,
        ),
    ]
    return nb


def _add_assignment(course: Path, name: str, func: str, factor: int) -> None:
    folder = course / "source_assignments" / name
    folder.mkdir(parents=True)
    nbformat.write(_toy(name, func, factor), folder / f"{name}.ipynb")


def _release(course: Path) -> Path:
    return course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def _answered(course: Path, body: str = "return 2 * x") -> nbformat.NotebookNode:
    nb = nbformat.read(_release(course), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = f"def doble(x):\n    {body}"
    return nb


@pytest.fixture(scope="module")
def unusual_class(tmp_path_factory: pytest.TempPathFactory):
    """The toy course graded once with every kind of unusual submission."""
    course = make_course(tmp_path_factory.mktemp("curso"))
    _add_assignment(course, OTHER, "triple", 3)
    _add_assignment(course, NEVER, "nada", 1)
    for name in ("a90", "a91", "a92"):
        released = run_course("release", name, "--sin-comprobar", cwd=course)
        assert released.returncode == 0, released.stdout + released.stderr
    for student in (MOODLE, EMAIL, LONG, "ana"):
        submit(course, student, "return 2 * x")
    # A docstring and a comment mention what the tamper scan looks for; nothing runs it.
    submit(
        course,
        "comentarios",
        "'''Ver ../apuntes y el gradebook del curso.'''\n    # open('../../notas')\n"
        "    return 2 * x",
    )
    submit(course, "tramposo", "import sqlite3\n    return 2 * x")
    submit(course, "bruno", None)
    submit(course, "rota", '{"cells": [')
    folder = course / "submitted"
    # Two copies: the untouched release under the right name and the worked copy.
    dos = folder / "dos" / ASSIGNMENT
    dos.mkdir(parents=True)
    shutil.copy2(_release(course), dos / f"{ASSIGNMENT}.ipynb")
    nbformat.write(_answered(course), dos / f"{ASSIGNMENT} (1).ipynb")
    # Another assignment's notebook.
    otra = folder / "otra" / ASSIGNMENT
    otra.mkdir(parents=True)
    shutil.copy2(course / "release" / OTHER / f"{OTHER}.ipynb", otra / f"{OTHER}.ipynb")
    # A renamed notebook.
    renamed = folder / "renombrado" / ASSIGNMENT
    renamed.mkdir(parents=True)
    nbformat.write(_answered(course), renamed / "mi_tarea_final.ipynb")
    # No notebook at all.
    empty = folder / "vacia" / ASSIGNMENT
    empty.mkdir(parents=True)
    (empty / "entrega.pdf").write_bytes(b"%PDF-1.4\n")
    # Known students: one with an e-mail in the gradebook, one who never submitted.
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_student("bruno", email="bruno@uni-ejemplo.es")
        gb.update_or_create_student("zoe", first_name="Zoe", email="zoe@uni-ejemplo.es")
    graded = run_course("grade", "a90", "--jobs", "2", "--tiempo-max", "60", cwd=course)
    assert graded.returncode == 0, graded.stdout[-3000:] + graded.stderr[-3000:]
    return course, graded


def _report(course: Path) -> dict[str, dict[str, str]]:
    with (course / "informes" / f"{ASSIGNMENT}_notas.csv").open(encoding="utf-8") as fh:
        return {r["estudiante"]: r for r in csv.DictReader(fh)}


@pytest.mark.parametrize("student", [MOODLE, EMAIL, LONG])
def test_any_student_id_is_really_graded(unusual_class, student):
    """Spaces, accents, an e-mail, 140 characters: the kernel starts and the 2 points count."""
    course, graded = unusual_class
    row = _report(course)[student]
    assert (row["estado"], float(row["nota"])) == ("corregida", 2.0), row
    assert f"{student}: 2 / 2 puntos" in graded.stdout


def test_unusual_submissions_are_held_with_a_spanish_reason(unusual_class):
    course, graded = unusual_class
    rows = _report(course)
    # Two copies: the worked one is graded (2 points), and the reason says which and why.
    assert rows["dos"]["estado"] == "retenida" and float(rows["dos"]["nota"]) == 2.0
    assert f"se corrigió {ASSIGNMENT} (1).ipynb" in rows["dos"]["motivo"]
    assert "más respuestas escritas" in rows["dos"]["motivo"]
    assert rows["otra"]["estado"] == "retenida"
    assert f"otra tarea ({OTHER})" in rows["otra"]["motivo"]
    assert rows["renombrado"]["estado"] == "retenida"
    assert float(rows["renombrado"]["nota"]) == 2.0
    assert "otro nombre (mi_tarea_final.ipynb)" in rows["renombrado"]["motivo"]
    assert rows["vacia"]["estado"] == "sin_entrega"
    assert "ningún cuaderno" in rows["vacia"]["motivo"]
    assert rows["rota"]["estado"] == "no_corregida"
    assert rows["bruno"]["estado"] == "corregida" and float(rows["bruno"]["nota"]) == 0.0


def test_grade_ends_with_one_table_of_what_needs_attention(unusual_class):
    _course, graded = unusual_class
    out = graded.stdout
    table = out[out.index("Entregas que requieren su atención") :]
    lines = table.splitlines()
    for student, state in [
        ("dos", "retenida para revisión"),
        ("otra", "retenida para revisión"),
        ("renombrado", "retenida para revisión"),
        ("tramposo", "retenida para revisión"),
        ("vacia", "sin entrega"),
        ("rota", "no corregida"),
    ]:
        assert any(line.split()[:1] == [student] and state in line for line in lines), (
            student,
            table,
        )
    for student in ("ana", "bruno", "comentarios", MOODLE):
        assert not any(line.strip().startswith(student) for line in lines[1:]), student
    # The grade table itself says the state, never "corregida" for a held one.
    grades = out[out.index(f"Notas de {ASSIGNMENT}") : out.index("Media:")]
    assert any(x.startswith("dos ") and "retenida para revisión" in x for x in grades.splitlines())
    assert any(x.startswith("rota ") and "—" in x for x in grades.splitlines())


def test_review_names_the_exercise_and_ignores_comments_and_docstrings(unusual_class):
    course, _graded = unusual_class
    result = run_course("review", "a90", cwd=course)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if "tramposo" in line)
    assert "sqlite3" in line and "«Tarea de prueba (2 puntos)» (doble_sol)" in line, line
    assert "celda 2" not in line
    assert "comentarios" not in result.stdout


def _export(course: Path, *args: str) -> tuple[list[dict[str, str]], str]:
    out = course / "export_prueba.csv"
    result = run_course("export", *args, "--salida", str(out), cwd=course)
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh)), result.stdout


def test_export_leaves_blank_what_is_not_graded_and_says_why(unusual_class):
    course, _graded = unusual_class
    rows, said = _export(course, "--format", "moodle")
    grades = {r["username"]: r for r in rows}
    assert grades["ana"][ASSIGNMENT] == "2.00" and grades["bruno"][ASSIGNMENT] == "0.00"
    for student in ("dos", "otra", "renombrado", "tramposo", "vacia", "rota", "zoe"):
        assert grades[student][ASSIGNMENT] == "", student
    assert "«retenida para revisión»" in said and "course review" in said
    assert "«no corregida»" in said and "rota (a90_doble)" in said
    assert "«sin entrega»" in said and "zoe (a90_doble)" in said and "vacia (a90_doble)" in said
    # Nobody submitted a91/a92 in this course: no empty columns for them.
    assert set(rows[0]) == {"username", "email", ASSIGNMENT}
    assert grades["bruno"]["email"] == "bruno@uni-ejemplo.es"
    assert grades[EMAIL]["email"] == EMAIL


def test_export_zero_for_missing_only_when_asked(unusual_class):
    course, _graded = unusual_class
    rows, said = _export(course, "--sin-entrega-cero")
    grades = {r["estudiante"]: r[ASSIGNMENT] for r in rows}
    assert grades["rota"] == grades["vacia"] == grades["zoe"] == "0.00"
    assert grades["dos"] == ""  # held: never a 0, approve it first
    assert "exportadas como 0" in said


def test_export_scale_and_single_assignment(unusual_class):
    course, _graded = unusual_class
    rows, said = _export(course, "a90", "--format", "moodle", "--sobre", "10")
    grades = {r["username"]: r[ASSIGNMENT] for r in rows}
    assert grades["ana"] == "10.00" and grades["bruno"] == "0.00"
    assert "sobre 10" in said
    rows, said = _export(course, "--format", "moodle")
    assert "a90_doble sobre 2" in said and "calificación máxima" in said


def test_approving_a_held_submission_exports_its_grade(unusual_class):
    course, _graded = unusual_class
    approved = run_course("review", "a90", "--aprobar", "dos", cwd=course)
    assert approved.returncode == 0, approved.stderr
    rows, _said = _export(course, "--format", "moodle")
    assert {r["username"]: r[ASSIGNMENT] for r in rows}["dos"] == "2.00"


def test_feedback_before_grading_is_a_spanish_error(unusual_class):
    course, _graded = unusual_class
    result = run_course("feedback", "a91", cwd=course)
    assert result.returncode == 1
    assert "Todavía no hay entregas corregidas de a91_triple" in result.stderr
    assert "course grade a91" in result.stderr and "Traceback" not in result.stderr


def test_release_over_submissions_needs_forzar(unusual_class):
    course, _graded = unusual_class
    refused = run_course("release", "a90", "--sin-comprobar", cwd=course)
    assert refused.returncode == 1
    assert "Ya hay" in refused.stderr and "--forzar" in refused.stderr
    forced = run_course("release", "a90", "--sin-comprobar", "--forzar", cwd=course)
    assert forced.returncode == 0, forced.stderr


def test_release_refuses_when_a_named_data_file_is_missing(tmp_path):
    course = make_course(tmp_path)
    source = course / "source_assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(source, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("Lee `Precios.csv`, junto al cuaderno."))
    nbformat.write(nb, source)
    result = run_course("release", "a90", "--sin-comprobar", cwd=course)
    assert result.returncode == 1
    assert "Precios.csv" in result.stderr and "Solución:" in result.stderr
    assert not (course / "release" / ASSIGNMENT).exists()
    (source.parent / "Precios.csv").write_text("precio\n1\n", encoding="utf-8")
    assert run_course("release", "a90", "--sin-comprobar", cwd=course).returncode == 0


def test_release_with_broken_source_explains_the_nbgrader_error_in_spanish(tmp_path):
    course = make_course(tmp_path)
    source = course / "source_assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = json.loads(source.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if "BEGIN SOLUTION" in text:
            cell["source"] = "def doble(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n"
    source.write_text(json.dumps(nb), encoding="utf-8")
    result = run_course("release", "a90", "--sin-comprobar", cwd=course)
    assert result.returncode == 1
    assert "### END SOLUTION" in result.stderr and "Solución:" in result.stderr
    assert "Traceback" not in result.stderr
