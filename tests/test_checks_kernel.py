"""course.checks inside a real Jupyter kernel: what a student and nbgrader see.

Runs a small notebook with nbclient (no TensorFlow) and inspects the stored
outputs: one coloured box per check (not two), and a failure raised in a
graded cell stored as a short Spanish message instead of a Python traceback.
"""

from __future__ import annotations

import re

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

SETUP = """
import numpy as np
from course.checks import FunctionExercise, NotAttempted, NumberExercise

def ref(z):
    return 1 / (1 + np.exp(-z))

def wrong(z):
    return 1 / (1 + np.exp(z))

def stub(z):
    raise NotImplementedError()

practice = FunctionExercise("p", ref, [np.array([0.5, -2.0])], title="Práctica 1")
graded = FunctionExercise("g", ref, [np.array([0.5, -2.0])], graded=True, title="Ej <1>")
number = NumberExercise("n", graded=True, answer_names=["n_params"], title="Ej 2")
"""

CELLS = {
    "last_expression": "practice.check(wrong)",
    "assigned_then_shown": "r = practice.check(wrong)\nr",
    "shown_in_later_cell": "r",
    "graded_failure": "graded.check(wrong)",
    "graded_not_attempted": "graded.check(stub)",
    "raised_directly": "raise NotAttempted('a', 'b', 'c', 'd')",
    "graded_correct": "graded.check(ref)",
    "hint": "practice.hint()",
    "released_solution_cell": "# YOUR CODE HERE\nraise NotImplementedError()\nn_params = 5",
    "test_of_missing_variable": "number.check()",
}

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def outputs():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP)] + [
        nbformat.v4.new_code_cell(src) for src in CELLS.values()
    ]
    client = nbclient.NotebookClient(nb, timeout=60, allow_errors=True, kernel_name="python3")
    client.execute()
    return {name: cell.outputs for name, cell in zip(CELLS, nb.cells[1:], strict=True)}


def _html(output):
    return output.get("data", {}).get("text/html", "")


def test_a_check_that_is_the_last_expression_is_shown_once(outputs):
    shown = outputs["last_expression"]
    assert len(shown) == 1, shown
    assert "Incorrecto" in _html(shown[0]) and "#c62828" in _html(shown[0])
    assert "Cómo arreglarlo" in shown[0]["data"]["text/plain"]


def test_the_same_result_is_not_repeated_in_its_cell_but_shows_in_a_later_one(outputs):
    assert len(outputs["assigned_then_shown"]) == 1
    later = outputs["shown_in_later_cell"]
    assert len(later) == 1 and "Incorrecto" in _html(later[0])


def test_graded_failure_is_stored_as_a_spanish_message_not_a_traceback(outputs):
    kinds = [o["output_type"] for o in outputs["graded_failure"]]
    assert kinds == ["display_data", "error"]
    error = outputs["graded_failure"][1]
    assert error["ename"] == "Incorrect"
    text = ANSI.sub("", "\n".join(error["traceback"]))
    assert "✘ Incorrecto — Ej <1>" in text and "Cómo arreglarlo" in text
    assert "Traceback" not in text and "File " not in text
    # the HTML box escapes the title
    assert "Ej &lt;1&gt;" in _html(outputs["graded_failure"][0])


def test_graded_not_attempted_and_directly_raised_results(outputs):
    error = outputs["graded_not_attempted"][-1]
    assert error["ename"] == "NotAttempted"
    assert "Sin responder" in ANSI.sub("", error["traceback"][0])
    raised = outputs["raised_directly"]
    assert len(raised) == 1 and raised[0]["ename"] == "NotAttempted"
    assert "Qué se comprobó: a" in "\n".join(raised[0]["traceback"])


def test_graded_correct_shows_a_green_box_and_raises_nothing(outputs):
    shown = outputs["graded_correct"]
    assert [o["output_type"] for o in shown] == ["display_data"]
    assert "#2e7d32" in _html(shown[0]) and "Correcto" in _html(shown[0])


def test_hint_is_markdown(outputs):
    shown = outputs["hint"]
    assert len(shown) == 1 and "text/markdown" in shown[0]["data"]
    assert "Pista" in shown[0]["data"]["text/markdown"]


def test_a_variable_never_assigned_is_not_attempted_not_a_name_error(outputs):
    assert outputs["released_solution_cell"][-1]["ename"] == "NotImplementedError"
    error = outputs["test_of_missing_variable"][-1]
    assert error["ename"] == "NotAttempted"
    text = ANSI.sub("", "\n".join(error["traceback"]))
    assert "`n_params` no existe todavía" in text and "NameError" not in text
