"""Mistake codes, their classification by the trusted process, and the class report.

Mistake codes are declared once beside the check that recognises them
(``course/checks/_codes.py``); the trusted process names the mistake of each
failed test cell (never the student's kernel); the main process stores the
outcomes (``course.grading.analytics``) and the report counts them, draws the
heat map and the item statistics.
"""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest

from course.checks import Incorrect, NotAttempted, check_function
from course.checks._codes import REGISTRY, Mistake, mistake
from course.checks._mistakes import (
    BCE,
    CCE,
    GRADIENT_STEP,
    IMAGE_SCALING,
    LAYER,
    LEAKY_RELU_001,
    LEAKY_RELU_SLOPE,
    MAE,
    MSE,
    NEURON,
    RELU,
    SIGMOID,
    SIGMOID_NEURON,
    SOFTMAX,
    STEP,
    TANH,
    WEIGHTED_SUM,
)
from course.checks._results import CheckSpecError
from course.grading import analytics
from course.grading.contracts import CellScore, Outcome, StudentResult

CATALOGUES = (
    BCE,
    CCE,
    GRADIENT_STEP,
    IMAGE_SCALING,
    LAYER,
    LEAKY_RELU_001,
    LEAKY_RELU_SLOPE,
    MAE,
    MSE,
    NEURON,
    RELU,
    SIGMOID,
    SIGMOID_NEURON,
    SOFTMAX,
    STEP,
    TANH,
    WEIGHTED_SUM,
)
PNG = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- codes
def test_every_catalogued_mistake_has_a_registered_code_and_label():
    for catalogue in CATALOGUES:
        codes = set()
        for _wrong, cause in catalogue:
            assert isinstance(cause, Mistake), cause
            assert REGISTRY[cause.code] == cause.label and cause.label
            codes.add(cause.code)
        assert codes  # every catalogue names its mistakes
    # the visible checks of the assignments declare theirs on import as well
    import course.assignments.a01  # noqa: F401
    import course.checks._keras  # noqa: F401

    assert REGISTRY["sin_sesgo"] == "olvida el sesgo"
    assert REGISTRY["sigmoide_multiclase"] and REGISTRY["cce_etiquetas_enteras"]


def test_a_code_declared_twice_with_another_label_is_an_authors_error():
    same = mistake("sin_sesgo", "olvida el sesgo", "otro texto")
    assert same.code == "sin_sesgo" and str(same) == "otro texto"
    with pytest.raises(CheckSpecError, match="sin_sesgo"):
        mistake("sin_sesgo", "una etiqueta distinta", "texto")
    with pytest.raises(CheckSpecError):
        mistake("Con Espacios", "etiqueta", "texto")
    with pytest.raises(CheckSpecError):
        mistake("otro", "reservado", "texto")


def test_a_mistake_is_its_message_and_survives_pickling():
    import pickle

    cause = NEURON[0][1]
    assert cause.startswith("Has olvidado el sesgo")
    copy = pickle.loads(pickle.dumps(cause))
    assert (copy.code, copy.label, str(copy)) == (cause.code, cause.label, str(cause))


def test_check_function_records_the_mistake_it_names():
    def reference(x, w, b, act):
        return act(np.dot(w, x) + b)

    def no_bias(x, w, b, act):
        return act(np.dot(w, x))

    inputs = [(np.array([1.0, 2.0]), np.array([0.5, -1.0]), 0.7, np.tanh)]
    with pytest.raises(Incorrect) as caught:
        check_function(no_bias, reference, inputs, edge_cases=None, mistakes=NEURON)
    assert caught.value.mistake.code == "sin_sesgo"
    assert "sesgo" in caught.value.fix

    def other(x, w, b, act):
        return act(np.dot(w, x) + 2 * b)

    with pytest.raises(Incorrect) as caught:
        check_function(other, reference, inputs, edge_cases=None, mistakes=NEURON)
    assert caught.value.mistake is None


def test_number_and_model_checks_record_their_mistakes():
    from course.checks import check_number
    from course.checks._keras import _label_coherence

    wrong = mistake("prueba_cifra", "cifra de prueba", "Ese número es el de otra cosa.")
    with pytest.raises(Incorrect) as caught:
        check_number(20, 26, mistakes={20: wrong})
    assert caught.value.mistake is wrong and "otra cosa" in caught.value.fix
    with pytest.raises(Incorrect) as caught:
        _label_coherence("categorical_crossentropy", "integer", "la pérdida", "cce", "scce")
    assert caught.value.mistake.code == "cce_etiquetas_enteras"


# --------------------------------------------------------------------------- trusted classification
def test_classify_names_recognised_mistakes_and_the_generic_outcomes():
    from course.checks._values import not_attempted, student_exception
    from course.grading.hidden_tests import classify

    tagged = Incorrect("a", "b", "c", "d").tagged(NEURON[0][1])
    assert classify(tagged, "a01", "ej4") == ("a01.ej4.sin_sesgo", "olvida el sesgo")
    assert classify(Incorrect("a", "b", "c", "d"), "a01", "ej4") == (
        "otro",
        "otro error (no catalogado)",
    )
    assert classify(not_attempted("x"), "a01", "ej4")[0] == "sin_responder"
    assert isinstance(not_attempted("x"), NotAttempted)
    crash = student_exception("x", ZeroDivisionError("división"), "y")
    assert classify(crash, "a01", "ej4")[0] == "error_ejecucion"


@pytest.fixture
def trusted(tmp_path, monkeypatch):
    """check_cell on a01's exercise 1 with "the kernel" a namespace of this process."""
    import tests.test_hidden_tests as th
    from course.grading.hidden_tests import check_cell

    counter = {"n": 0}

    def run(answer):
        counter["n"] += 1
        folder = tmp_path / f"caso{counter['n']}"
        folder.mkdir()
        bridge = th._InProcess(folder, {"suma_ponderada": answer}, monkeypatch)
        source = th._source(folder, {"test_ej1": th.CELL})
        return check_cell(source, "test_ej1", bridge)

    return run


def _stub(x, w, b):
    raise NotImplementedError


def _crashes(x, w, b):
    return x.no_existe


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (lambda x, w, b: np.dot(w, x) + b, ""),
        (lambda x, w, b: np.dot(w, x), "tarea.ej1.sin_sesgo"),
        (lambda x, w, b: np.dot(w, x) - b, "tarea.ej1.resta_sesgo"),
        (lambda x, w, b: np.dot(w, x) + b + 1.0, "otro"),
        (_stub, "sin_responder"),
        (_crashes, "error_ejecucion"),
    ],
)
def test_the_trusted_verdict_carries_the_mistake_code(trusted, answer, code):
    verdict = trusted(answer)
    assert verdict.mistake == code, verdict
    if code:
        assert verdict.mistake_label


def test_each_cell_outcome_combines_score_verdict_and_classification():
    from course.grading.confirm import classify_cells

    cells = (
        CellScore("nb", "test_ej1", 1.0, 1.0),
        CellScore("nb", "test_ej2", 0.0, 1.0),
        CellScore("nb", "test_ej3", 0.0, 1.0),
        CellScore("nb", "test_ej4", 0.0, 1.0),
        CellScore("nb", "test_ej5", 1.0, 2.0),
        CellScore("nb", "test_ej6", 0.0, 2.0),
        CellScore("nb", "test_ej7", 0.0, 2.0),
    )
    result = StudentResult("ana", Outcome.OK, cells)
    records = {
        "test_ej2": {"status": "error", "mistake": "a01.ej2.umbral_estricto", "mistake_label": "z"},
        "test_ej3": {"status": "timeout"},
        "test_ej4": {"status": "error"},
        "test_ej6": {"status": "error", "trusted": "refuted", "mistake": "a01.ej6.x"},
    }
    outcomes, labels = classify_cells(result, records, {"test_ej6": "refuted"})
    assert outcomes == {
        "test_ej1": "correcto",
        "test_ej2": "a01.ej2.umbral_estricto",
        "test_ej3": "error_ejecucion",
        "test_ej4": "otro",
        "test_ej5": "parcial",
        "test_ej6": "no_confirmada",
        "test_ej7": "sin_responder",  # not in the graded notebook (another one was handed in)
    }
    assert labels["a01.ej2.umbral_estricto"] == "z" and labels["otro"]
    # a submission that could not be graded has no outcomes (it is not a class mistake)
    failed = StudentResult("ana", Outcome.ERROR, cells)
    assert classify_cells(failed, records, {}) == ({}, {})


# --------------------------------------------------------------------------- storage and report
def _result(student, outcomes, labels=None):
    return StudentResult(
        student, Outcome.OK, outcomes=dict(outcomes), outcome_labels=dict(labels or {})
    )


def _class(tmp_path):
    label = {"a01.ej1.sin_sesgo": "olvida el sesgo"}
    rows = {
        "ana": {"test_ej1": "correcto", "test_ej2": "correcto"},
        "bruno": {"test_ej1": "sin_responder", "test_ej2": "sin_responder"},
        "carla": {"test_ej1": "a01.ej1.sin_sesgo", "test_ej2": "correcto"},
        "diego": {"test_ej1": "a01.ej1.sin_sesgo", "test_ej2": "error_ejecucion"},
        "elena": {"test_ej1": "otro", "test_ej2": "correcto"},
    }
    for student, outcomes in rows.items():
        analytics.record_outcomes(tmp_path, "a01_perceptron", _result(student, outcomes, label))
    return rows


def test_outcomes_are_stored_by_the_main_process_and_replaced_on_regrade(tmp_path):
    rows = _class(tmp_path)
    stored = analytics.read_outcomes(tmp_path, "a01_perceptron")
    assert stored.students == rows
    assert stored.label("a01.ej1.sin_sesgo") == "olvida el sesgo"
    path = analytics.outcomes_path(tmp_path, "a01_perceptron")
    assert json.loads(path.read_text(encoding="utf-8"))["tarea"] == "a01_perceptron"
    # a regrade replaces; a result without outcomes (not graded) removes the old ones
    analytics.record_outcomes(tmp_path, "a01_perceptron", _result("ana", {"test_ej1": "otro"}))
    analytics.record_outcomes(tmp_path, "a01_perceptron", StudentResult("bruno", Outcome.ERROR))
    stored = analytics.read_outcomes(tmp_path, "a01_perceptron")
    assert stored.students["ana"] == {"test_ej1": "otro"} and "bruno" not in stored.students


def test_the_mistake_table_gives_count_and_percentage_per_exercise(tmp_path):
    _class(tmp_path)
    stored = analytics.read_outcomes(tmp_path, "a01_perceptron")
    counts = analytics.outcome_counts(stored, "test_ej1")
    assert counts[0].code == "a01.ej1.sin_sesgo" and counts[0].count == 2
    assert counts[0].share == pytest.approx(0.4)
    text = "\n".join(
        analytics.format_mistakes(stored, {"test_ej1": "Ejercicio 1: la suma ponderada"})
    )
    assert "Ejercicio 1: la suma ponderada (test_ej1): 1 de 5 correctas (20%)" in text
    assert "2   40%  olvida el sesgo  [a01.ej1.sin_sesgo]" in text
    assert "sin responder" in text and "error de ejecución" in text
    empty = analytics.read_outcomes(tmp_path, "a02_otra")
    assert "course grade a02" in analytics.format_mistakes(empty, {})[0]


def test_mistakes_csv_and_heat_map_are_written(tmp_path):
    _class(tmp_path)
    stored = analytics.read_outcomes(tmp_path, "a01_perceptron")
    folder = tmp_path / "informes"
    path = analytics.save_mistakes_csv(stored, {"test_ej1": "Ejercicio 1"}, folder)
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 10
    carla = [r for r in rows if r["estudiante"] == "carla" and r["celda"] == "test_ej1"][0]
    assert carla["resultado"] == "a01.ej1.sin_sesgo" and carla["descripcion"] == "olvida el sesgo"
    assert carla["ejercicio"] == "Ejercicio 1"
    png = analytics.save_heatmap(stored, folder, ["test_ej1", "test_ej2"])
    assert png.read_bytes().startswith(PNG) and png.stat().st_size > 5000


# --------------------------------------------------------------------------- item statistics
def test_item_statistics_difficulty_and_corrected_item_rest_correlation():
    students = ["a", "b", "c", "d", "e"]
    cells = {
        "q1": {"a": 1, "b": 1, "c": 1, "d": 0, "e": 0},
        "q2": {"a": 2, "b": 2, "c": 0, "d": 2, "e": 0},
        "q3": {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1},  # everyone right: undefined
        "q4": {"a": 0, "b": 0, "c": 1, "d": 1, "e": 1},  # the weak students get it right
    }
    cell_max = {"q1": 1.0, "q2": 2.0, "q3": 1.0, "q4": 1.0}
    stats = {s.grade_id: s for s in analytics.item_statistics(cells, cell_max, students)}
    assert stats["q2"].difficulty == pytest.approx(6 / 5 / 2)
    item = [cells["q1"][s] for s in students]
    rest = [sum(cells[g][s] for g in cells) - cells["q1"][s] for s in students]
    assert stats["q1"].discrimination == pytest.approx(np.corrcoef(item, rest)[0, 1])
    assert stats["q3"].discrimination is None and "misma nota" in stats["q3"].reason
    assert stats["q3"].difficulty == 1.0 and not stats["q3"].low
    assert stats["q4"].discrimination < 0 and stats["q4"].low
    two = analytics.item_statistics(cells, cell_max, ["a", "b"])
    assert all(s.discrimination is None and "3" in s.reason for s in two)
    table = "\n".join(analytics.format_items(list(stats.values()), {}))
    assert "indefinida: todos tienen la misma nota" in table
    assert "baja (< 0.2)" in table
    assert not math.isnan(stats["q1"].discrimination)


def test_item_statistics_figure_is_written(tmp_path):
    cells = {"q1": {"a": 1, "b": 0, "c": 1}, "q2": {"a": 1, "b": 1, "c": 1}}
    stats = analytics.item_statistics(cells, {"q1": 1.0, "q2": 1.0}, ["a", "b", "c"])
    png = analytics.save_items_plot(stats, "a01_perceptron", tmp_path)
    assert png.read_bytes().startswith(PNG) and png.stat().st_size > 5000


# --------------------------------------------------------------------------- end to end
TOY = "a91_sesgo"


def _toy_course(root):
    """A one-exercise assignment on a01's exercise 1 (NumPy only: graded in seconds)."""
    import nbformat

    from tests.test_grading_cli import PROJECT_ROOT, _cell

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
            "import numpy as np\nfrom course.assignments import a01",
            grade_id="setup",
            locked=True,
        ),
        _cell("markdown", "## Ejercicio 1: la suma ponderada", grade_id="md1", locked=True),
        _cell(
            "code",
            "def suma_ponderada(x, w, b):\n    ### BEGIN SOLUTION\n    return np.dot(w, x) + b\n"
            "    ### END SOLUTION",
            grade_id="ej1_suma",
            solution=True,
        ),
        _cell(
            "code",
            "a01.ej1.check(suma_ponderada)\n### BEGIN HIDDEN TESTS\n"
            "a01.ej1.check(suma_ponderada, extra_inputs=[(np.array([1.0, 2.0]), "
            "np.array([3.0, -4.0]), 0.5)])\n### END HIDDEN TESTS",
            grade_id="test_ej1",
            grade=True,
            locked=True,
            points=1,
        ),
        _cell("markdown", "## Ejercicio 2: un caso concreto", grade_id="md2", locked=True),
        _cell(
            "code",
            "assert suma_ponderada(np.ones(2), np.ones(2), 1.0) == 3.0",
            grade_id="test_ej2",
            grade=True,
            locked=True,
            points=1,
        ),
    ]
    (root / "source_assignments" / TOY).mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(
        (PROJECT_ROOT / "nbgrader_config.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    nbformat.write(nb, root / "source_assignments" / TOY / f"{TOY}.ipynb")
    return root


def _submit(course, student, body):
    import nbformat

    folder = course / "submitted" / student / TOY
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(course / "release" / TOY / f"{TOY}.ipynb", as_version=4)
    if body is not None:
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = f"def suma_ponderada(x, w, b):\n    {body}"
    nbformat.write(nb, folder / f"{TOY}.ipynb")


@pytest.mark.grading
@pytest.mark.slow
def test_grade_and_informe_report_the_mistakes_the_trusted_process_named(tmp_path):
    from tests.test_grading_cli import run_course

    course = _toy_course(tmp_path / "curso")
    released = run_course("release", "a91", cwd=course)
    assert released.returncode == 0, released.stdout + released.stderr
    _submit(course, "ana", "return np.dot(w, x) + b")
    _submit(course, "bruno", None)  # the release untouched
    _submit(course, "carla", "return np.dot(w, x)")  # forgets the bias
    _submit(course, "diego", "return x.no_existe")  # raises
    _submit(course, "elena", "return np.dot(w, x) + b + 1")  # wrong, not catalogued
    graded = run_course("grade", "a91", "--jobs", "2", cwd=course)
    out = graded.stdout + graded.stderr
    assert graded.returncode == 0, out
    stored = analytics.read_outcomes(course, f"{TOY}")
    assert {s: c["test_ej1"] for s, c in stored.students.items()} == {
        "ana": "correcto",
        "bruno": "sin_responder",
        "carla": "a91.ej1.sin_sesgo",
        "diego": "error_ejecucion",
        "elena": "otro",
    }
    assert "Errores más frecuentes por ejercicio (5 entrega(s)" in out
    assert "1   20%  olvida el sesgo  [a91.ej1.sin_sesgo]" in out
    assert "Estadística de ítems" in out
    for name in ("mapa_errores.png", "items.png", "errores.csv"):
        assert (course / "informes" / f"{TOY}_{name}").stat().st_size > 100
    informe = run_course("informe", "a91", cwd=course)
    assert informe.returncode == 0, informe.stdout + informe.stderr
    assert "1   20%  olvida el sesgo  [a91.ej1.sin_sesgo]" in informe.stdout
    assert "Discriminación" in informe.stdout and "Mapa de errores" in informe.stdout
