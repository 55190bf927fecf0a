"""Structural tests of the lecture notebooks and their practice exercises.

Fast and kernel-free (nbval re-runs the notebooks themselves): every notebook in
``notebooks/`` is read as JSON and checked for the course conventions, and every
practice module ``course/practice/nbXX.py`` has its solutions run through its own
checks. The last test runs the shared no-copy tool on the whole project.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from course.checks import Correct, NotAttempted

PROJECT_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
PRACTICE_DIR = PROJECT_ROOT / "course" / "practice"

#: The seven lecture notebooks of the curriculum, in order.
EXPECTED_NOTEBOOKS = (
    "01_neurona_y_perceptron.ipynb",
    "02_funciones_de_activacion.ipynb",
    "03_funciones_de_perdida.ipynb",
    "04_optimizadores_y_entrenamiento.ipynb",
    "05_flujo_de_trabajo_keras.ipynb",
    "06_callbacks_y_buenas_practicas.ipynb",
    "07_casos_practicos.ipynb",
)
MAX_NOTEBOOK_BYTES = 3 * 1024 * 1024
MIN_EXERCISES, MAX_EXERCISES = 2, 4

RESUMEN_HEADING = re.compile(r"^#{1,6}\s*Resumen\s*$", re.MULTILINE)
# `practica.ej2.check(` at the start of a statement (commented lines are removed first).
EXERCISE_CHECK = re.compile(r"\b(?P<module>practica)\.(?P<exercise>\w+)\.check\(")
PRACTICE_IMPORT = re.compile(r"from\s+course\.practice\s+import\s+(nb\d\d)\s+as\s+practica\b")
NOTEBOOK_SETUP_CALL = re.compile(r"\bnotebook_setup\(")
NBVAL_MARK = "# NBVAL_CHECK_OUTPUT"
SELF_ASSESSMENT = "autoevaluacion"
AUTOEVALUACION_HEADING = re.compile(r"^#{1,6}\s*Autoevaluación\s*$", re.MULTILINE)
SABER_MAS_HEADING = re.compile(r"^#{1,6}\s*Para saber más\s*$", re.MULTILINE)


def _code_without_comments(source: str) -> str:
    """Source with full-line comments dropped (so `# practica.ej1.hint()` is not code)."""
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("#"))


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _error_outputs(cell: Any) -> list[Any]:
    return [out for out in cell.get("outputs", []) if out.get("output_type") == "error"]


def _first_line(cell: Any) -> str:
    lines = cell.source.strip().splitlines()
    return lines[0][:80] if lines else "(celda vacía)"


# --------------------------------------------------------------------------- #
# The set of notebooks
# --------------------------------------------------------------------------- #
def test_notebooks_folder_holds_exactly_the_seven_lecture_notebooks() -> None:
    """notebooks/ contains 01..07 with the curriculum's file names, nothing else numbered."""
    found = sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb"))
    assert found == sorted(EXPECTED_NOTEBOOKS), (
        f"Notebooks found: {found}; expected exactly {list(EXPECTED_NOTEBOOKS)}"
    )


@pytest.fixture(params=EXPECTED_NOTEBOOKS, ids=lambda name: name[:2])
def notebook_path(request: pytest.FixtureRequest) -> Path:
    path = NOTEBOOKS_DIR / request.param
    if not path.is_file():
        pytest.fail(f"Missing lecture notebook {path.relative_to(PROJECT_ROOT)}")
    return path


@pytest.fixture
def notebook(notebook_path: Path) -> nbformat.NotebookNode:
    return nbformat.read(notebook_path, as_version=nbformat.NO_CONVERT)


# --------------------------------------------------------------------------- #
# Per-notebook conventions
# --------------------------------------------------------------------------- #
def test_notebook_is_valid_nbformat_v4(notebook: nbformat.NotebookNode) -> None:
    """The file validates against the nbformat schema (version 4)."""
    assert notebook.nbformat == 4
    nbformat.validate(notebook)


def test_notebook_is_smaller_than_3_mb(notebook_path: Path) -> None:
    """Committed outputs keep the notebook under 3 MB (GitHub/nbviewer render it)."""
    size = notebook_path.stat().st_size
    assert size < MAX_NOTEBOOK_BYTES, f"{notebook_path.name} is {size / 1e6:.2f} MB"


def test_notebook_kernel_is_python3(notebook: nbformat.NotebookNode) -> None:
    """The kernel spec is the standard `python3` one, so any Jupyter install runs it."""
    kernelspec = notebook.metadata.get("kernelspec", {})
    assert kernelspec.get("name") == "python3", f"kernelspec: {dict(kernelspec)}"


def test_first_code_cell_calls_notebook_setup(notebook: nbformat.NotebookNode) -> None:
    """The first code cell sets everything up through course.notebook_setup.notebook_setup."""
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert code_cells, "the notebook has no code cell"
    first = _code_without_comments(code_cells[0].source)
    assert "from course.notebook_setup import notebook_setup" in first, first
    assert NOTEBOOK_SETUP_CALL.search(first), first


def test_every_code_cell_was_executed(notebook: nbformat.NotebookNode) -> None:
    """Outputs are committed: every non-empty code cell has an execution count."""
    missing = [
        _first_line(c)
        for c in notebook.cells
        if c.cell_type == "code" and c.source.strip() and c.get("execution_count") is None
    ]
    assert not missing, f"cells never executed (run the notebook and commit it): {missing[:5]}"


def test_raises_exception_cells_have_an_error_and_other_cells_none(
    notebook: nbformat.NotebookNode,
) -> None:
    """Only cells tagged `raises-exception` show an error, and each of them really does."""
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    tagged_without_error = [
        _first_line(c)
        for c in code_cells
        if "raises-exception" in _tags(c) and not _error_outputs(c)
    ]
    untagged_with_error = [
        f"{_first_line(c)} -> {_error_outputs(c)[0].get('ename')}"
        for c in code_cells
        if "raises-exception" not in _tags(c) and _error_outputs(c)
    ]
    assert not tagged_without_error, f"tagged raises-exception but no error: {tagged_without_error}"
    assert not untagged_with_error, f"error output in untagged cells: {untagged_with_error}"


def test_notebook_has_checked_deterministic_outputs(notebook: nbformat.NotebookNode) -> None:
    """At least one cell is compared by nbval, and every such cell has an output to compare."""
    marked = [c for c in notebook.cells if c.cell_type == "code" and NBVAL_MARK in c.source]
    assert marked, f"no cell contains {NBVAL_MARK!r}: nbval would compare nothing"
    empty = [_first_line(c) for c in marked if not c.get("outputs")]
    assert not empty, f"{NBVAL_MARK} cells without any output: {empty}"


def _resumen_index(notebook: nbformat.NotebookNode) -> int:
    indices = [
        i
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown" and RESUMEN_HEADING.search(cell.source)
    ]
    assert indices, "no markdown cell with the heading 'Resumen'"
    return indices[-1]


def _exercises_after_resumen(notebook: nbformat.NotebookNode) -> list[str]:
    start = _resumen_index(notebook)
    names: list[str] = []
    for cell in notebook.cells[start + 1 :]:
        if cell.cell_type != "code":
            continue
        for match in EXERCISE_CHECK.finditer(_code_without_comments(cell.source)):
            if match["exercise"] == SELF_ASSESSMENT:
                continue  # the closing quiz is not one of the 2-4 practice exercises
            if match["exercise"] not in names:
                names.append(match["exercise"])
    return names


def _playground_exercises(notebook: nbformat.NotebookNode) -> list[str]:
    """Exercises checked in the playground experiment (cells tagged ``playground``)."""
    names: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type == "code" and "playground" in _tags(cell):
            names += [
                m["exercise"] for m in EXERCISE_CHECK.finditer(_code_without_comments(cell.source))
            ]
    return names


def test_playground_experiment_is_one_tagged_block_just_before_the_resumen(
    notebook: nbformat.NotebookNode,
) -> None:
    """The playground experiment (if any) is one contiguous run of cells tagged `playground`
    that ends right before the Resumen and checks exactly one exercise."""
    tagged = [i for i, cell in enumerate(notebook.cells) if "playground" in _tags(cell)]
    if not tagged:
        pytest.skip("this notebook has no playground experiment")
    assert tagged == list(range(tagged[0], tagged[-1] + 1)), f"not contiguous: {tagged}"
    assert tagged[-1] + 1 == _resumen_index(notebook), "the block must end before the Resumen"
    assert _playground_exercises(notebook) == ["experimento"]


def test_notebook_ends_with_resumen_and_practice_exercises(
    notebook: nbformat.NotebookNode,
) -> None:
    """A 'Resumen' heading, then 2-4 exercises checked with `practica.ejN.check(...)`."""
    names = _exercises_after_resumen(notebook)
    assert MIN_EXERCISES <= len(names) <= MAX_EXERCISES, (
        f"{len(names)} checked practice exercise(s) after the Resumen: {names}"
    )


def test_notebook_exercises_exist_in_its_practice_module(
    notebook_path: Path, notebook: nbformat.NotebookNode
) -> None:
    """The notebook imports its own course.practice.nbXX and every exercise it checks is listed
    in that module's EXERCISES."""
    number = notebook_path.name[:2]
    sources = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    imported = set(PRACTICE_IMPORT.findall(sources))
    assert imported == {f"nb{number}"}, f"practice modules imported as `practica`: {imported}"
    module = importlib.import_module(f"course.practice.nb{number}")
    listed = {exercise.name for exercise, _names in module.EXERCISES}
    used = set(_exercises_after_resumen(notebook)) | set(_playground_exercises(notebook))
    assert used <= listed, f"checked in the notebook but not in EXERCISES: {used - listed}"
    assert used == listed, f"in EXERCISES but never checked in the notebook: {listed - used}"


def test_notebook_closes_with_autoevaluacion_then_para_saber_mas(
    notebook_path: Path, notebook: nbformat.NotebookNode
) -> None:
    """After the exercises: an 'Autoevaluación' checked with `practica.autoevaluacion.check`,
    then a last 'Para saber más' section with a few references."""
    cells = notebook.cells
    quiz = [
        i
        for i, c in enumerate(cells)
        if c.cell_type == "markdown" and AUTOEVALUACION_HEADING.search(c.source)
    ]
    more = [
        i
        for i, c in enumerate(cells)
        if c.cell_type == "markdown" and SABER_MAS_HEADING.search(c.source)
    ]
    assert quiz and more, "missing 'Autoevaluación' or 'Para saber más' heading"
    assert _resumen_index(notebook) < quiz[-1] < more[-1], (
        "order: Resumen, Autoevaluación, Para saber más"
    )
    assert more[-1] == len(cells) - 1, "'Para saber más' is the last cell"
    assert cells[more[-1]].source.count("\n- ") >= 3, "'Para saber más' lists at least 3 references"
    checked = [
        c
        for c in cells[quiz[-1] + 1 : more[-1]]
        if c.cell_type == "code"
        and f"practica.{SELF_ASSESSMENT}.check(" in _code_without_comments(c.source)
    ]
    assert checked, "the Autoevaluación is never checked"
    module = importlib.import_module(f"course.practice.nb{notebook_path.name[:2]}")
    quiz_exercise = getattr(module, SELF_ASSESSMENT)
    assert 3 <= len(quiz_exercise.questions) <= 5, len(quiz_exercise.questions)


@pytest.mark.parametrize("module_name", [f"nb{name[:2]}" for name in EXPECTED_NOTEBOOKS])
def test_self_assessment_solution_is_correct_and_blank_is_not_attempted(module_name: str) -> None:
    """The quiz's own solution is Correct, the blank dict NotAttempted, one wrong letter Incorrect."""
    from course.checks import Incorrect

    quiz = importlib.import_module(f"course.practice.{module_name}").autoevaluacion
    namespace: dict[str, Any] = {}
    exec(quiz._solution, namespace)
    answers = namespace["respuestas"]
    assert isinstance(quiz.check(answers), Correct)
    assert isinstance(quiz.check(dict.fromkeys(answers)), NotAttempted)
    wrong = dict(answers)
    first = next(iter(quiz.questions))
    wrong[first] = next(k for k in quiz.questions[first].options if k != answers[first])
    result = quiz.check(wrong)
    assert isinstance(result, Incorrect) and first in str(result), str(result)


# --------------------------------------------------------------------------- #
# Practice modules: every solution passes its own check
# --------------------------------------------------------------------------- #
PRACTICE_MODULES = sorted(p.stem for p in PRACTICE_DIR.glob("nb[0-9][0-9].py"))


def test_one_practice_module_per_notebook() -> None:
    """course/practice holds nb01..nb07, one per lecture notebook."""
    expected = [f"nb{name[:2]}" for name in EXPECTED_NOTEBOOKS]
    assert PRACTICE_MODULES == expected, f"found {PRACTICE_MODULES}"


def _exercises_of(module_name: str) -> list[tuple[Any, tuple[str, ...]]]:
    module = importlib.import_module(f"course.practice.{module_name}")
    exercises = getattr(module, "EXERCISES", None)
    assert isinstance(exercises, list), f"{module_name}.EXERCISES must be a list"
    return exercises


@pytest.mark.parametrize("module_name", PRACTICE_MODULES)
def test_practice_module_lists_two_to_four_ungraded_exercises(module_name: str) -> None:
    """EXERCISES has 2-4 numbered (exercise, names) pairs of ungraded exercises with hint and
    solution, plus at most one `experimento` (the playground experiment's question)."""
    exercises = _exercises_of(module_name)
    numbered = [e.name for e, _ in exercises if e.name != "experimento"]
    assert MIN_EXERCISES <= len(numbered) <= MAX_EXERCISES, f"{len(numbered)} exercises"
    assert all(re.fullmatch(r"ej\d+", name) for name in numbered), numbered
    assert len(exercises) - len(numbered) <= 1
    for exercise, names in exercises:
        assert isinstance(names, tuple) and names, f"{exercise.name}: names must be a tuple"
        assert all(isinstance(n, str) and n.isidentifier() for n in names), names
        assert exercise.graded is False, f"{exercise.name} must use graded=False"
        assert exercise._solution.strip(), f"{exercise.name} has no solution code"
        assert any(h.strip() for h in exercise.hints), f"{exercise.name} has no hint"


def _practice_cases() -> list[Any]:
    cases = []
    for module_name in PRACTICE_MODULES:
        try:
            exercises = _exercises_of(module_name)
        except Exception as exc:  # reported by the test instead of breaking collection
            cases.append(pytest.param(module_name, None, (), id=f"{module_name}-import-error"))
            _IMPORT_ERRORS[module_name] = exc
            continue
        for exercise, names in exercises:
            cases.append(
                pytest.param(module_name, exercise, names, id=f"{module_name}-{exercise.name}")
            )
    return cases


_IMPORT_ERRORS: dict[str, Exception] = {}


@pytest.mark.parametrize(("module_name", "exercise", "names"), _practice_cases())
def test_practice_solution_passes_its_check(
    module_name: str, exercise: Any, names: tuple[str, ...]
) -> None:
    """The exercise's own solution code, run in a fresh namespace, is checked Correct."""
    if exercise is None:
        pytest.fail(
            f"course.practice.{module_name} cannot be imported: {_IMPORT_ERRORS[module_name]!r}"
        )
    namespace: dict[str, Any] = {"__name__": f"solution_{module_name}_{exercise.name}"}
    exec(
        compile(exercise._solution, f"<{module_name}.{exercise.name} solution>", "exec"), namespace
    )
    missing = [n for n in names if n not in namespace]
    assert not missing, f"the solution does not define {missing}"
    result = exercise.check(*(namespace[n] for n in names))
    assert isinstance(result, Correct), f"{exercise.name}: {result}"


@pytest.mark.parametrize("placeholder", [None, ...], ids=["None", "Ellipsis"])
@pytest.mark.parametrize(("module_name", "exercise", "names"), _practice_cases())
def test_practice_placeholder_is_not_attempted(
    module_name: str, exercise: Any, names: tuple[str, ...], placeholder: Any
) -> None:
    """The untouched placeholders `None` and `...` give NotAttempted (amber), not Incorrect."""
    if exercise is None:
        pytest.fail(
            f"course.practice.{module_name} cannot be imported: {_IMPORT_ERRORS[module_name]!r}"
        )
    result = exercise.check(*([placeholder] * len(names)))
    assert isinstance(result, NotAttempted), f"{exercise.name}: {type(result).__name__}: {result}"


# --------------------------------------------------------------------------- #
# Nothing copied from the reference material
# --------------------------------------------------------------------------- #
def test_project_repeats_nothing_from_the_reference_material() -> None:
    """`check_no_copy.py` (the shared tool next to the project) finds no copied run of words."""
    tool = PROJECT_ROOT.parent / "shared" / "tools" / "check_no_copy.py"
    if not tool.is_file():
        message = f"the no-copy tool {tool} is not available on this machine"
        if os.environ.get("CI"):
            pytest.fail(message + " (it must exist in CI)")
        pytest.skip(message)
    proc = subprocess.run(
        [sys.executable, str(tool), str(PROJECT_ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
