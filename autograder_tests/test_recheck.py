"""Keras answers checked outside the kernel, on the real a04 (Iris and shipping).

``course grade`` runs every test cell that passed in the kernel again, in full
(hidden tests included), in a separate process that never ran student code
(course.grading.hidden_tests): models travel as ``.keras`` files loaded with
``safe_mode=True``, predictions and data as ``.npy`` files, the pandas tables
column by column, the fitted scaler by its parameters, and the student's function
of the shipping table is called in the kernel with the held-out table as data.
One batch holds the solution, a variant with an honest mistake, and a student who
hands in fake predictions and silences exercise 2's check at run time with a
patch the static scan does not see.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.nbgrader, pytest.mark.grading, pytest.mark.slow]

A04 = "a04_iris_y_envios"
#: Models, tables, the scaler and (test_ej3) a function of the instructor's table.
CHECKED = {"test_ej1", "test_ej2", "test_ej3", "test_ej4", "test_ej5"}
FAKE = (
    "\npredicciones_iris = np.zeros(len(x_prueba_iris), dtype=int)\n"
    "vars(ej2.problem)['check'] = lambda *a, **k: None\n"
)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    import nbformat

    from course.grading.autograde import grade_assignment
    from course.grading.coursedir import new_course
    from course.grading.workflow import generate, write_submission
    from course.simulated import load_variants
    from course.simulated.submissions import solution_submission, variant_submission

    course = new_course(tmp_path_factory.mktemp("recheck") / "curso", ["a04"])
    release = generate(course, A04)
    source = nbformat.read(course / "source_assignments" / A04 / f"{A04}.ipynb", as_version=4)
    released = nbformat.read(release / f"{A04}.ipynb", as_version=4)
    solution = solution_submission(source, released)
    variant = next(v for v in load_variants(A04) if v.name == "iris_sigmoide")
    fake = nbformat.reads(nbformat.writes(solution), as_version=4)
    for cell in fake.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "ej2_entrenar_iris":
            cell.source += FAKE
    write_submission(course, A04, "solucion", {A04: solution})
    write_submission(
        course, A04, variant.name, {A04: variant_submission(source, released, variant)}
    )
    write_submission(course, A04, "predicciones_falsas", {A04: fake})
    run = grade_assignment(course, A04, jobs=2, progress=False, echo=print)
    return {r.student: r for r in run.results}, variant


def test_solution_is_confirmed_outside_the_kernel(graded):
    results, _ = graded
    solution = results["solucion"]
    assert solution.score == solution.max_score, [(c.grade_id, c.reason) for c in solution.cells]
    assert {g for g, v in solution.verdicts.items() if v == "confirmed"} == CHECKED
    assert solution.review == ""


def test_honest_mistake_keeps_its_expected_score(graded):
    results, variant = graded
    result = results[variant.name]
    for cell in result.cells:
        assert cell.score == variant.expected.get(cell.grade_id, cell.max_score), cell
    held = {"refuted", "unconfirmable"} & set(result.verdicts.values())
    assert not held and result.review == "", (result.verdicts, result.flags)


def test_fake_predictions_with_a_silenced_check_are_refuted(graded):
    results, _ = graded
    result = results["predicciones_falsas"]
    cells = {c.grade_id: c for c in result.cells}
    assert result.verdicts["test_ej2"] == "refuted"
    assert cells["test_ej2"].score == 0
    assert "fuera de tu cuaderno" in cells["test_ej2"].reason
    assert result.review == "pendiente"
    for gid in ("test_ej1", "test_ej3", "test_ej4", "test_ej5"):
        assert cells[gid].score == cells[gid].max_score, (gid, cells[gid].reason)
