"""``course comprobar``: the student's own run of a notebook, as the grader will run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course import comprobar

NAME = "a01_perceptron.ipynb"


def _cell(kind: str, source: str, count: int | None = None, outputs=None, **nbgrader):
    maker = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = maker(source)
    if kind == "code":
        cell.execution_count = count
        cell.outputs = outputs or []
    if nbgrader:
        meta = {"schema_version": 3, "locked": False, "solution": False, "grade": False}
        meta.update(nbgrader)
        cell.metadata["nbgrader"] = meta
    return cell


def student_notebook(
    body: str = "return 2 * x", extra: list | None = None
) -> nbformat.NotebookNode:
    """A released-assignment look-alike: an answer cell and two visible tests."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        _cell("markdown", "## Ejercicio 1 — El doble (2 puntos)"),
        _cell("code", f"def doble(x):\n    {body}", 1, grade_id="ej1_doble", solution=True),
        _cell(
            "code",
            "# Prueba del ejercicio 1 (1 punto)\n"
            "assert doble(2) == 4, 'doble(2) debería ser 4 y no ' + repr(doble(2))\n"
            "print('Correcto: doble(2) es 4')\n"
            "### BEGIN HIDDEN TESTS\nraise AssertionError('CLAVE_SECRETA')\n### END HIDDEN TESTS",
            2,
            grade_id="test_ej1",
            grade=True,
            locked=True,
            points=1,
        ),
        _cell(
            "code",
            "assert doble(-3) == -6, 'doble(-3) debería ser -6'",
            3,
            grade_id="test_ej1b",
            grade=True,
            locked=True,
            points=1,
        ),
        *(extra or []),
    ]
    return nb


def save(folder: Path, nb: nbformat.NotebookNode, name: str = NAME) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(nb, path)
    return path


# ---------------------------------------------------------------------------
# Warnings read from the saved file (no kernel)
# ---------------------------------------------------------------------------


def test_wrong_file_names_are_reported_with_the_right_one(tmp_path):
    nb = json.loads(
        nbformat.writes(
            student_notebook(extra=[_cell("code", "from course.assignments import a01")])
        )
    )
    for bad in ("a01_perceptron (1).ipynb", "Copia de a01_perceptron.ipynb", "tarea.ipynb"):
        warnings = comprobar.name_warnings(tmp_path / bad, nb)
        assert len(warnings) == 1 and "a01_perceptron.ipynb" in warnings[0], bad
    assert comprobar.name_warnings(tmp_path / NAME, nb) == []
    # a04 and a05 import their exercises as ``from course.assignments.a04 import ej1``.
    a04 = {"cells": [{"cell_type": "code", "source": "from course.assignments.a04 import ej1"}]}
    warning = comprobar.name_warnings(tmp_path / "Copia de a04.ipynb", a04)
    assert len(warning) == 1 and "a04_iris_y_envios.ipynb" in warning[0]


def test_a_large_notebook_is_reported(tmp_path):
    nb = student_notebook()
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 6_000_000)]
    path = save(tmp_path, nb)
    assert "Editar > Clear Outputs of All Cells" in comprobar.size_warnings(path)[0]
    assert comprobar.size_warnings(save(tmp_path / "b", student_notebook())) == []


def test_damaged_or_duplicated_nbgrader_metadata_is_reported():
    nb = json.loads(nbformat.writes(student_notebook()))
    assert comprobar.metadata_warnings(nb) == []
    duplicated = json.loads(json.dumps(nb))
    duplicated["cells"].append(duplicated["cells"][2])
    assert "comparten el identificador «test_ej1»" in comprobar.metadata_warnings(duplicated)[0]
    stripped = json.loads(json.dumps(nb))
    del stripped["cells"][2]["metadata"]["nbgrader"]
    assert "perdido sus metadatos" in comprobar.metadata_warnings(stripped)[0]
    broken = json.loads(json.dumps(nb))
    broken["cells"][3]["metadata"]["nbgrader"] = {"grade": True}
    assert "dañados" in comprobar.metadata_warnings(broken)[0]


def test_cells_run_out_of_order_are_reported():
    nb = json.loads(nbformat.writes(student_notebook()))
    assert comprobar.order_warnings(nb) == []
    nb["cells"][1]["execution_count"] = 9
    assert "fuera de orden" in comprobar.order_warnings(nb)[0]
    skipped = json.loads(nbformat.writes(student_notebook()))
    skipped["cells"][2]["execution_count"] = None
    assert "no se ejecutó" in comprobar.order_warnings(skipped)[0]


def test_input_calls_are_reported():
    nb = json.loads(
        nbformat.writes(student_notebook(extra=[_cell("code", "n = int(input('n? '))")]))
    )
    assert "input()" in comprobar.input_warnings(nb)[0]
    assert comprobar.input_warnings(json.loads(nbformat.writes(student_notebook()))) == []


def test_missing_data_files_are_reported(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    nb = student_notebook(extra=[_cell("markdown", "Lee `Train.csv`, que está junto al cuaderno.")])
    path = save(tmp_path, nb)
    parsed = json.loads(path.read_text())
    assert "Falta Train.csv" in comprobar.data_warnings(path, parsed)[0]
    (tmp_path / "Train.csv").write_text("a,b\n1,2\n")
    assert comprobar.data_warnings(path, parsed) == []


def test_a_damaged_file_does_not_run_and_exits_1(tmp_path):
    path = tmp_path / NAME
    path.write_text('{"cells": [', encoding="utf-8")
    report = comprobar.check_notebook(path)
    assert report.exit_code == 1 and "dañado" in comprobar.format_report(report)


# ---------------------------------------------------------------------------
# Runs in a fresh kernel
# ---------------------------------------------------------------------------


def _run_cli(path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [sys.executable, "-m", "course.cli", "comprobar", path.name],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_a_correct_notebook_passes_runs_only_visible_tests_and_exits_0(tmp_path):
    shown = _cell(
        "code",
        "class Resultado:\n    def __repr__(self):\n        return 'Correcto: mostrado con display'"
        "\n\ndisplay(Resultado())",
        4,
        grade_id="test_ej2",
        grade=True,
        locked=True,
        points=1,
    )
    heading = _cell("markdown", "## Ejercicio 2 — Un mensaje mostrado")
    result = _run_cli(save(tmp_path, student_notebook(extra=[heading, shown])))
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    # The heading's points are the exercise's; each test cell shows its own, once.
    assert (
        "✔ Ejercicio 1 — El doble, prueba «test_ej1»: supera su prueba visible (vale 1 punto)."
        in out
    )
    assert "(2 puntos) (test_ej1)" not in out
    assert "Correcto: doble(2) es 4" in out
    # The course's checks display their message (text/plain of a rich output).
    assert (
        "✔ Ejercicio 2 — Un mensaje mostrado: supera su prueba visible (vale 1 punto).\n"
        "    Correcto: mostrado con display" in out
    )
    assert "Pruebas visibles superadas: 3 de 3 (3 de 3 puntos)" in out
    assert "CLAVE_SECRETA" not in out + result.stderr  # the hidden region never ran
    assert "se ejecuta de principio a fin" in out
    assert "Avisos" not in out


@pytest.mark.slow
def test_a_broken_notebook_gets_every_runtime_warning_and_exits_1(tmp_path):
    saved_ok = [nbformat.v4.new_output("stream", name="stdout", text="8\n")]
    nb = student_notebook(
        body="return x + 2",
        extra=[
            _cell("code", "import sys\nprint('cuidado', file=sys.stderr)", 4),
            # Worked in the student's session (a variable from a deleted cell): fails fresh.
            _cell("code", "print(tasa_aprendizaje * 8)", 5, outputs=saved_ok),
            _cell("code", "respuesta = input('¿Seguro? ')", None),
        ],
    )
    result = _run_cli(save(tmp_path, nb, "Copia de a01_perceptron.ipynb"))
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert (
        "✘ Ejercicio 1 — El doble, prueba «test_ej1b»: NO supera su prueba visible (vale 1 punto)."
        in out
    )
    assert "doble(-3) debería ser -6" in out
    assert "Pruebas visibles superadas: 1 de 2 (1 de 2 puntos)" in out
    assert "«tasa_aprendizaje» no está definido en ese punto" in out
    assert "salida de errores (stderr)" in out
    assert "funcionaban en tu sesión pero fallan en un núcleo nuevo" in out
    assert "input()" in out
    assert "no es el de la tarea" in out
    assert "NameError" in out and "no se ejecuta de principio a fin" in out
    assert "CLAVE_SECRETA" not in out


def test_the_jupyterlab_helper_asks_to_save_first(tmp_path, monkeypatch, capsys):
    path = save(tmp_path, student_notebook())

    class History:  # the kernel ran a cell that is not in the saved file
        input_hist_raw = ["", "def doble(x):\n    return x * 2", "comprobar()"]

    class FakeShell:
        execution_count = 3
        history_manager = History()

    monkeypatch.setattr("IPython.get_ipython", lambda: FakeShell())
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    assert comprobar.comprobar() is None
    assert "Guarda primero el cuaderno" in capsys.readouterr().out
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert comprobar.comprobar(path) is None  # never runs inside the grader
    assert "durante la corrección" in capsys.readouterr().out
    monkeypatch.delenv("NBGRADER_EXECUTION")
    monkeypatch.setenv(comprobar.RUN_FLAG, "1")
    assert comprobar.comprobar(path) is None  # nor inside its own run of the notebook
    assert capsys.readouterr().out == ""


def test_errors_read_in_spanish():
    stub = comprobar._error_text({"ename": "NotImplementedError", "evalue": ""})
    assert stub.startswith("NotImplementedError (todavía no has escrito esta respuesta")
    name = comprobar._error_text({"ename": "NameError", "evalue": "name 'w' is not defined"})
    assert "«w» no está definido en ese punto" in name
    check = comprobar._error_text({"ename": "Incorrect", "evalue": "✘ Incorrecto — Ejercicio 1"})
    assert check == "✘ Incorrecto — Ejercicio 1"


def test_the_jupyterlab_helper_sees_an_edit_that_was_run_but_not_saved(tmp_path, monkeypatch):
    path = save(tmp_path, student_notebook())

    class History:
        input_hist_raw = ["", "def doble(x):\n    return 2 * x", "%comprobar"]

    class FakeShell:
        execution_count = 40  # counts differ from the file's (e.g. after "Run all")...
        history_manager = History()

    monkeypatch.setattr("IPython.get_ipython", lambda: FakeShell())
    assert comprobar._unsaved(path) == ""  # ...but what ran is what is saved
    History.input_hist_raw = ["", "def doble(x):\n    return x + x  ", "%comprobar"]
    assert "Guarda primero el cuaderno" in comprobar._unsaved(path)


@pytest.mark.slow
def test_a_failed_check_reads_in_spanish_and_names_the_answer_cell_that_failed_before(tmp_path):
    """A course check's failure has no English class name before it, and a test that fails
    after its answer cell crashed says to fix that cell first."""
    nb = student_notebook(
        extra=[
            _cell("markdown", "## Ejercicio 2 — El triple (1 punto)"),
            _cell("code", "def triple(x):\n    return 3 * x\n\nejemplo = triple(no_definida)", 4),
            _cell(
                "code",
                "from course.checks import Incorrect\n"
                "raise Incorrect('`ejemplo`', 'nada', 'el triple de 2', 'Calcula el ejemplo.')",
                5,
                grade_id="test_ej2",
                grade=True,
                locked=True,
                points=1,
            ),
        ]
    )
    result = _run_cli(save(tmp_path, nb))
    out = result.stdout
    assert "✘ Ejercicio 2 — El triple: NO supera su prueba visible (vale 1 punto)." in out, out
    assert "\n    ✘ Incorrecto" in out and "Incorrect:" not in out, out
    assert (
        "Antes falló la celda 6 (la que empieza por «def triple(x):»): arregla primero ese error"
        in out
    ), out
