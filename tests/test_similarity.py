"""Similar submissions (course.grading.similarity): copies are listed, independent work is not.

A class of a01-like answers written by hand: two copies of one student's work
(variables renamed, independent lines reordered, comments changed) and several
independent correct solutions. Only the copies are listed, each with an HTML page
that shows both answers side by side; nothing is held or penalised.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from course.grading import similarity

ASSIGNMENT = "a01_perceptron"

TEMPLATES = {
    "ej1_suma_ponderada": "def suma_ponderada(x, w, b):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
    "ej5_capa": "def capa(x, W, b, activacion):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
    "ej6_perceptron": (
        "def entrenar_perceptron(X, y, tasa, epocas):\n"
        "    w = np.zeros(X.shape[1])\n"
        "    b = 0.0\n"
        "    # YOUR CODE HERE\n"
        "    raise NotImplementedError()"
    ),
}

ORIGINAL = {
    "ej1_suma_ponderada": "def suma_ponderada(x, w, b):\n    return np.dot(w, x) + b",
    "ej5_capa": "def capa(x, W, b, activacion):\n    return activacion(W @ x + b)",
    "ej6_perceptron": """def entrenar_perceptron(X, y, tasa, epocas):
    w = np.zeros(X.shape[1])
    b = 0.0
    # recorremos las épocas
    for epoca in range(epocas):
        errores_totales = 0
        indices = np.arange(len(X))
        for i in indices:
            z = np.dot(w, X[i]) + b
            prediccion = 1.0 if z >= 0 else 0.0
            error = y[i] - prediccion
            w = w + tasa * error * X[i]
            b = b + tasa * error
            errores_totales += abs(error)
        historial.append(errores_totales)
        if errores_totales == 0:
            print("convergió en la época", epoca)
            break
    return w, b
""",
}

# The same work: names changed, the two independent updates swapped, other comments.
COPY = {
    "ej1_suma_ponderada": "def suma_ponderada(x, w, b):\n    return np.dot(w, x) + b  # suma",
    "ej5_capa": "def capa(x, W, b, activacion):\n    return activacion(W @ x + b)",
    "ej6_perceptron": """def entrenar_perceptron(X, y, tasa, epocas):
    w = np.zeros(X.shape[1])
    b = 0.0
    # bucle principal del entrenamiento (lo he hecho yo)
    for ep in range(epocas):
        fallos = 0
        orden = np.arange(len(X))
        for k in orden:
            s = np.dot(w, X[k]) + b
            salida = 1.0 if s >= 0 else 0.0
            delta = y[k] - salida
            b = b + tasa * delta
            w = w + tasa * delta * X[k]
            fallos += abs(delta)
        historial.append(fallos)
        if fallos == 0:
            print("convergió en la época", ep)
            break
    return w, b
""",
}

INDEPENDENT = [
    {
        "ej1_suma_ponderada": "def suma_ponderada(x, w, b):\n    return float(np.sum(w * x) + b)",
        "ej5_capa": "def capa(x, W, b, activacion):\n    z = W.dot(x) + b\n    return activacion(z)",
        "ej6_perceptron": """def entrenar_perceptron(X, y, tasa, epocas):
    w = np.zeros(X.shape[1])
    b = 0.0
    for _ in range(epocas):
        cambios = False
        for xi, yi in zip(X, y):
            pred = escalon(suma_ponderada(xi, w, b))
            if pred != yi:
                w += tasa * (yi - pred) * xi
                b += tasa * (yi - pred)
                cambios = True
        if not cambios:
            break
    return w, b
""",
    },
    {
        "ej1_suma_ponderada": "def suma_ponderada(x, w, b):\n    total = b\n    for xi, wi in zip(x, w):\n        total += xi * wi\n    return total",
        "ej5_capa": "def capa(x, W, b, activacion):\n    return activacion(np.matmul(W, x) + b)",
        "ej6_perceptron": """def entrenar_perceptron(X, y, tasa, epocas):
    w = np.zeros(X.shape[1])
    b = 0.0
    n = X.shape[0]
    epoca = 0
    while epoca < epocas:
        aciertos = 0
        for j in range(n):
            activacion = np.where(X[j] @ w + b >= 0, 1, 0)
            diferencia = y[j] - activacion
            if diferencia == 0:
                aciertos = aciertos + 1
            else:
                w = w + tasa * diferencia * X[j]
                b = b + tasa * diferencia
        if aciertos == n:
            return w, b
        epoca = epoca + 1
    return w, b
""",
    },
    {
        "ej1_suma_ponderada": "def suma_ponderada(x, w, b):\n    return x @ w + b",
        "ej5_capa": "def capa(x, W, b, activacion):\n    return activacion(W @ x + b)",
        "ej6_perceptron": """def entrenar_perceptron(X, y, tasa, epocas):
    w = np.zeros(X.shape[1])
    b = 0.0
    for epoca in range(1, epocas + 1):
        predicciones = (X @ w + b >= 0).astype(float)
        if np.array_equal(predicciones, y):
            break
        for fila, objetivo in zip(X, y):
            salida = 1.0 if fila @ w + b >= 0 else 0.0
            w, b = w + tasa * (objetivo - salida) * fila, b + tasa * (objetivo - salida)
    return w, b
""",
    },
]


def _notebook(cells: dict[str, str]) -> dict:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Tarea"},
            *(
                {
                    "cell_type": "code",
                    "metadata": {"nbgrader": {"grade_id": gid, "solution": True}},
                    "source": source,
                    "outputs": [],
                    "execution_count": None,
                }
                for gid, source in cells.items()
            ),
            {
                "cell_type": "code",
                "metadata": {"nbgrader": {"grade_id": "test_ej6", "grade": True}},
                "source": "a01.ej6.check(entrenar_perceptron)",
                "outputs": [],
                "execution_count": None,
            },
        ],
    }


def _write(path: Path, nb: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture
def course(tmp_path) -> Path:
    _write(tmp_path / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", _notebook(TEMPLATES))
    students = {"ana": ORIGINAL, "bea": COPY}
    students.update({f"indep{i}": cells for i, cells in enumerate(INDEPENDENT, 1)})
    students["vacio"] = TEMPLATES  # handed in the release untouched
    for student, cells in students.items():
        nb_path = tmp_path / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        _write(nb_path, _notebook(cells))
    return tmp_path


def test_the_copies_are_listed_and_independent_solutions_are_not(course):
    templates, students = similarity.read_answers(course, ASSIGNMENT)
    assert set(students) == {"ana", "bea", "indep1", "indep2", "indep3", "vacio"}
    pairs = similarity.find_similar(templates, students)
    assert [(p.first, p.second) for p in pairs] == [("ana", "bea")], pairs
    assert pairs[0].share >= similarity.THRESHOLD


def test_short_exercises_are_left_out_of_the_comparison(course):
    templates, students = similarity.read_answers(course, ASSIGNMENT)
    keep, lengths = similarity.long_cells(templates, students)
    assert keep == ["ej6_perceptron"]
    assert lengths["ej1_suma_ponderada"] < similarity.MIN_CELL_CHARS


def test_the_template_alone_never_makes_two_submissions_similar(course):
    templates, students = similarity.read_answers(course, ASSIGNMENT)
    blank = {"vacio": students["vacio"], "otro_vacio": dict(students["vacio"])}
    blank["ana"] = students["ana"]
    assert similarity.find_similar(templates, blank) == []


def test_the_review_page_shows_both_answers_side_by_side(course):
    pairs, keep = similarity.write_pages(course, ASSIGNMENT)
    assert keep == ["ej6_perceptron"] and len(pairs) == 1
    page = pairs[0].page.read_text(encoding="utf-8")
    assert page.count("<mark>") >= 2 and "errores_totales" in page and "fallos" in page
    assert "<script" not in page and "http" not in page
    assert "no cambia ninguna nota" in page


@pytest.mark.grading
def test_course_review_lists_the_pair_without_holding_anyone(course):
    (course / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    source = course / "source_assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    _write(source, _notebook(ORIGINAL))
    result = subprocess.run(
        [sys.executable, "-m", "course.cli", "review", "a01", "--curso", str(course)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Entregas parecidas (1 pareja(s)" in out and "ana y bea" in out
    assert "similitud_a01_perceptron" in out and "indep" not in out
    assert not (course / "revision.csv").exists()  # nobody is held
