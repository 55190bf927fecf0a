"""The student's feedback page (``course feedback``): Spanish, one message per check,
formulas drawn offline, nothing wider than the page, no hidden test.

Pure tests exercise :mod:`course.grading.feedback` on hand-made cells. The others
grade a small NumPy-only assignment (``a91_doble``: one course check with a hidden
test, one plain ``assert`` with a hidden test, formulas in the statement) for four
students and read the HTML nbgrader wrote; the browser test opens one page in
headless Chromium and looks at it (screenshots in ``$COURSE_SCREENSHOTS`` or the
test's temporary folder).
"""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from course.grading.feedback import (
    NOTE_PREFIX,
    StudentFeedback,
    assignment_title,
    check_feedback_page,
    clean_title,
    exercise_titles,
    latex_to_mathml,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "a91_doble"
ENGLISH_LABELS = ("Score", "Test cell", "Student's answer", "(Top)", "Grade cell", "Comments")
HIDDEN_LINE = "ej1.check(doble, extra_inputs=[np.array([1234.5, -98.25])])"
HIDDEN_ASSERT = "assert triple(-7) == -21, 'triple falla con un número negativo'"
HIDDEN_COMMENT = "# CLAVE_SECRETA: la respuesta de la prueba oculta"
PLACEHOLDER = "(Aquí hay pruebas ocultas: se ejecutaron al calificar y no se muestran.)"


# --------------------------------------------------------------------------- pure tests


def _box(kind: str, headline: str, found: str) -> nbformat.NotebookNode:
    """A display output as ``course.checks`` writes it (HTML box + plain text)."""
    from course.checks import Correct, Incorrect, NotAttempted

    cls = {"correct": Correct, "incorrect": Incorrect, "not_attempted": NotAttempted}[kind]
    result = cls("la función `doble`", found, "el doble", title=headline)
    return nbformat.v4.new_output(
        "display_data", data={"text/html": result._repr_html_(), "text/plain": result.message()}
    )


def _error_for(box: nbformat.NotebookNode, ename: str = "Incorrect") -> nbformat.NotebookNode:
    text = box["data"]["text/plain"]
    return nbformat.v4.new_output("error", ename=ename, evalue=text, traceback=[f"{ename}: {text}"])


def _note(reason: str, score: str = "0 de 2") -> nbformat.NotebookNode:
    return nbformat.v4.new_output(
        "stream", name="stdout", text=f"{NOTE_PREFIX}{score} puntos: {reason}\n"
    )


def _test_cell(outputs: list) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("ej1.check(doble)")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "test_ej1", "points": 2.0}
    cell.outputs = outputs
    return cell


def _visible(cell: nbformat.NotebookNode) -> str:
    return "\n".join(
        o.get("text", "") or o.get("evalue", "") or o.get("data", {}).get("text/plain", "")
        for o in cell.outputs
    )


def test_a_failed_check_shows_its_message_once_and_no_truncated_note():
    """Old page: the box, the raw ``Incorrect: ...`` and a note cut at 200 characters."""
    box = _box("incorrect", "Ejercicio 1: el doble", "3 en lugar de 4 " + "x" * 300)
    reason = (
        "la prueba falló (la celda terminó con un error): Incorrect: "
        + box.data["text/plain"][:200]
    )
    cell = _test_cell([box, _error_for(box), _note(reason)])
    note, kinds = StudentFeedback()._one_message_per_check(cell, hidden=[])
    assert [o.output_type for o in cell.outputs] == ["display_data"]
    assert note == "" and kinds == ["incorrect"]


def test_visible_and_hidden_passes_of_one_exercise_show_one_verdict():
    first = _box("correct", "Ejercicio 1: el doble", "coincide en las 3 entradas probadas")
    second = _box("correct", "Ejercicio 1: el doble", "coincide en las 4 entradas probadas")
    cell = _test_cell([first, second])
    StudentFeedback()._one_message_per_check(cell, hidden=[])
    assert len(cell.outputs) == 1
    assert "4 entradas" in _visible(cell) and "3 entradas" not in _visible(cell)


def test_a_pass_then_a_hidden_failure_keeps_the_failure_and_says_the_rest_passed():
    ok = _box("correct", "Ejercicio 1: el doble", "coincide en las 3 entradas probadas")
    bad = _box("incorrect", "Ejercicio 1: el doble", "0.0 con una entrada grande")
    cell = _test_cell([ok, bad, _error_for(bad)])
    StudentFeedback()._one_message_per_check(cell, hidden=[])
    assert len(cell.outputs) == 1
    text = _visible(cell)
    assert "0.0 con una entrada grande" in text and "3 entradas" not in text
    assert "comprobaciones anteriores de este ejercicio salieron bien" in text


def test_checks_of_different_exercises_are_all_kept():
    one = _box("correct", "Ejercicio 1: el doble", "bien")
    two = _box("correct", "Ejercicio 2: el triple", "bien")
    cell = _test_cell([one, two])
    StudentFeedback()._one_message_per_check(cell, hidden=[])
    assert len(cell.outputs) == 2


def test_an_error_without_a_box_is_kept_once_and_the_note_repeating_it_is_dropped():
    error = nbformat.v4.new_output(
        "error", ename="NameError", evalue="name 'doble' is not defined", traceback=["..."]
    )
    reason = "la prueba falló (la celda terminó con un error): NameError: name 'doble' is not"
    cell = _test_cell([error, _note(reason)])
    note, _kinds = StudentFeedback()._one_message_per_check(cell, hidden=[])
    assert [o.output_type for o in cell.outputs] == ["error"]
    assert note == ""


def test_a_note_that_explains_the_score_is_kept_whole():
    """A refuted or timed-out cell: only the note says why the score is 0."""
    reason = (
        "no se pudo confirmar fuera de tu cuaderno: la comprobación dio otro resultado. "
        "Revisa que la prueba no se haya alterado."
    )
    cell = _test_cell([_box("correct", "Ejercicio 1: el doble", "bien"), _note(reason)])
    note, _kinds = StudentFeedback()._one_message_per_check(cell, hidden=[])
    assert note == reason[0].upper() + reason[1:]


def test_a_note_without_its_error_keeps_only_the_untruncated_part():
    reason = (
        "la prueba falló (la celda terminó con un error): ValueError: un texto cortado a medias pal"
    )
    cell = _test_cell([_note(reason)])
    note, _kinds = StudentFeedback()._one_message_per_check(cell, hidden=[])
    assert note == "La prueba falló (la celda terminó con un error)."


def test_a_note_quoting_a_hidden_line_is_withdrawn():
    reason = f"resultado no válido: {HIDDEN_LINE}"
    cell = _test_cell([_note(reason)])
    note, _kinds = StudentFeedback()._one_message_per_check(cell, hidden=[HIDDEN_LINE])
    assert HIDDEN_LINE not in note and "retirado" in note


def test_the_note_autograde_writes_is_the_one_feedback_reads(tmp_path):
    """autograde's note and the feedback's parser share one prefix: a change in one
    without the other would bring the duplicated note back."""
    from types import SimpleNamespace

    from course.grading.annotate import annotate_notebook

    nb = nbformat.v4.new_notebook()
    nb.cells = [_test_cell([])]
    src = tmp_path / "a.ipynb"
    nbformat.write(nb, src)
    cell_result = SimpleNamespace(
        notebook="a", grade_id="test_ej1", score=0.0, max_score=2.0, reason="tiempo agotado"
    )
    result = SimpleNamespace(cells=[cell_result], notes=[])
    text, leaked = annotate_notebook(src, result, [])
    written = nbformat.reads(text, as_version=4).cells[0]
    assert not leaked
    note, _kinds = StudentFeedback()._one_message_per_check(written, hidden=[])
    assert note == "Tiempo agotado." and written.outputs == []


@pytest.mark.parametrize(
    "heading, title",
    [
        ("Ejercicio 1 — Sigmoide (1 punto)", "Ejercicio 1 — Sigmoide"),
        ("Ejercicio 1 (2 puntos): el modelo", "Ejercicio 1: el modelo"),
        (
            "Ejercicio 6 (2 puntos, calificación manual): las curvas",
            "Ejercicio 6: las curvas",
        ),
        ("Pregunta 10 (1 punto)", "Pregunta 10"),
        ("¿Qué activación? **Elige**", "¿Qué activación? Elige"),
    ],
)
def test_exercise_titles_drop_the_points(heading, title):
    assert clean_title(heading) == title


def test_titles_come_from_the_heading_above_each_graded_cell():
    nb = nbformat.v4.new_notebook()
    test1 = nbformat.v4.new_code_cell("")
    test1.metadata["nbgrader"] = {"grade_id": "test_ej1", "grade": True}
    test2 = nbformat.v4.new_code_cell("")
    test2.metadata["nbgrader"] = {"grade_id": "test_ej2", "grade": True}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tarea 9 — Prueba (3 puntos)\n\nTexto."),
        nbformat.v4.new_markdown_cell("## Ejercicio 1 — Uno (1 punto)"),
        test1,
        nbformat.v4.new_markdown_cell("Más texto\n\n### Ejercicio 2 (2 puntos): dos"),
        test2,
    ]
    assert assignment_title(nb) == "Tarea 9 — Prueba"
    assert exercise_titles(nb) == {"test_ej1": "Ejercicio 1 — Uno", "test_ej2": "Ejercicio 2: dos"}


def test_every_formula_of_the_course_becomes_mathml():
    """All 300+ formulas of the assignments and lecture notebooks convert (no TeX left)."""
    from course.grading.feedback import markdown2html

    class _Context(dict):
        pass

    sources = sorted(PROJECT_ROOT.glob("source_assignments/*/*.ipynb")) + sorted(
        PROJECT_ROOT.glob("notebooks/*.ipynb")
    )
    formulas = 0
    for path in sources:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown" or "$" not in cell.source:
                continue
            page = markdown2html(_Context(cell=cell), cell.source)
            formulas += page.count("<math ")
            assert 'class="math-tex' not in page, f"{path.name}: {cell.source[:80]}"
            assert "$$" not in re.sub(r"<code>.*?</code>", "", page, flags=re.S), path.name
    assert formulas > 300


def test_markdown_keeps_dollars_in_code_and_shows_unreadable_tex_as_code():
    assert "<math" not in latex_to_mathml(r"\frac", display=True)
    assert 'class="math-tex math-tex-block"' in latex_to_mathml(r"\frac", display=True)
    assert latex_to_mathml("x^2", display=False).startswith('<math alttext="x^2"')


def test_a_page_not_made_by_the_course_template_is_refused():
    assert "nbgrader_config.py" in check_feedback_page("<html><title>Score</title></html>")
    good = '<meta name="generator" content="course-feedback"><p>ok</p>'
    assert check_feedback_page(good) == ""
    assert "script" in check_feedback_page(good + '<script src="https://cdn.example/x.js">')


# --------------------------------------------------------------------------- a graded course


def _cell(kind: str, source: str, **nbgrader: object) -> nbformat.NotebookNode:
    maker = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = maker(source)
    if nbgrader:
        meta = {"schema_version": 3, "locked": False, "solution": False, "grade": False}
        meta.update(nbgrader)
        cell.metadata["nbgrader"] = meta
    return cell


def toy_source() -> nbformat.NotebookNode:
    """Two exercises: a course check (visible + hidden call) and a plain assert."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    setup = (
        "import numpy as np\n"
        "from course.checks import FunctionExercise\n\n"
        "ej1 = FunctionExercise(\n"
        '    "doble", reference=lambda x: 2.0 * np.asarray(x, dtype=float),\n'
        "    inputs=[1.0, 2.5, np.array([1.0, -2.0])], random_inputs=0,\n"
        '    graded=True, title="Ejercicio 1: el doble",\n'
        ")"
    )
    nb.cells = [
        _cell(
            "markdown",
            "# Tarea de prueba — El doble y el triple (3 puntos)",
            grade_id="intro",
            locked=True,
        ),
        _cell("code", setup, grade_id="setup", locked=True),
        _cell(
            "markdown",
            "## Ejercicio 1 — El doble (2 puntos)\n\n"
            "$$d(x) = 2\\,x \\qquad \\frac{\\partial d}{\\partial x} = \\sum_{i=1}^{2} 1$$\n\n"
            "Para todo $x \\in \\mathbb{R}$. En código, `cuesta $5 y $6` no es una fórmula.",
        ),
        _cell(
            "code",
            "def doble(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
            grade_id="ej1_doble",
            solution=True,
        ),
        _cell(
            "code",
            f"ej1.check(doble)\n### BEGIN HIDDEN TESTS\n{HIDDEN_LINE}\n### END HIDDEN TESTS",
            grade_id="test_ej1",
            grade=True,
            locked=True,
            points=2,
        ),
        _cell("markdown", "## Ejercicio 2 — El triple (1 punto)\n\n$$t(x) = 3x$$"),
        _cell(
            "code",
            "def triple(x):\n    ### BEGIN SOLUTION\n    return 3 * x\n    ### END SOLUTION",
            grade_id="ej2_triple",
            solution=True,
        ),
        _cell(
            "code",
            "assert triple(2) == 6, 'triple(2) debería ser 6'\n"
            f"### BEGIN HIDDEN TESTS\n{HIDDEN_COMMENT}\n{HIDDEN_ASSERT}\n### END HIDDEN TESTS",
            grade_id="test_ej2",
            grade=True,
            locked=True,
            points=1,
        ),
    ]
    return nb


def _submission(release: nbformat.NotebookNode, bodies: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(release)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in bodies:
            cell.source = bodies[gid]
    return nb


#: A line far wider than any page, with no space to break at.
LONG_LINE = "registro_" + "0123456789" * 40


@pytest.fixture(scope="module")
def feedback_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Grade four students of ``a91_doble`` and return student -> feedback HTML."""
    from nbgrader.api import Gradebook

    from course.grading.autograde import grade_assignment
    from course.grading.workflow import feedback, generate, write_submission

    course = tmp_path_factory.mktemp("curso_feedback")
    shutil.copy2(PROJECT_ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    folder = course / "source_assignments" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(toy_source(), folder / f"{ASSIGNMENT}.ipynb")
    release = nbformat.read(generate(course, ASSIGNMENT) / f"{ASSIGNMENT}.ipynb", as_version=4)
    solution = {
        "ej1_doble": "def doble(x):\n    return 2 * x",
        "ej2_triple": "def triple(x):\n    return 3 * x",
    }
    students = {
        "ana": solution,
        "bruno": {},  # the release, untouched
        "carla": {
            "ej1_doble": "def doble(x):\n    return x + 2",
            "ej2_triple": f"def triple(x):\n    print('{LONG_LINE}')\n    return 3 * x + 1",
        },
        # Right on the visible inputs, wrong on the hidden ones.
        "diego": {
            "ej1_doble": "import numpy as np\n\ndef doble(x):\n"
            "    return np.where(np.abs(x) < 1200, 2 * np.asarray(x, dtype=float), 0.0)",
            "ej2_triple": "def triple(x):\n    return 3 * x if x > 0 else 0",
        },
    }
    for student, bodies in students.items():
        write_submission(course, ASSIGNMENT, student, {ASSIGNMENT: _submission(release, bodies)})
    run = grade_assignment(course, ASSIGNMENT, jobs=2, progress=False, echo=lambda _m: None)
    assert all(r.ok for r in run.results), [r.reason for r in run.results]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_student("ana", first_name="Ana", last_name="García López")
    files = feedback(course, ASSIGNMENT, echo=lambda _m: None)
    pages = {f.parts[-3]: f.read_text(encoding="utf-8") for f in files}
    pages["_folder"] = str(course / "feedback")
    return pages


def visible_text(page: str) -> str:
    """The text a reader sees, roughly: no style, tags as spaces, entities decoded."""
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S | re.I)
    page = re.sub(r"<math\b.*?</math>", " [fórmula] ", page, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", page))
    return " ".join(text.split())


@pytest.mark.grading
@pytest.mark.slow
def test_pages_are_in_spanish_with_no_nbgrader_english(feedback_pages):
    for student in ("ana", "bruno", "carla", "diego"):
        text = visible_text(feedback_pages[student])
        for label in ("Retroalimentación de la tarea", "Puntos por ejercicio", "Estudiante"):
            assert label in text, (student, label)
        assert "Tu respuesta · Ejercicio 1 — El doble" in text
        assert "Prueba · Ejercicio 2 — El triple" in text
        for label in ENGLISH_LABELS:
            assert label not in text, (student, label)
        assert '<html lang="es">' in feedback_pages[student]


@pytest.mark.grading
@pytest.mark.slow
def test_header_names_the_student_the_assignment_and_each_exercise_score(feedback_pages):
    ana = visible_text(feedback_pages["ana"])
    assert "Ana García López" in ana and "(ana)" in ana
    assert "Tarea de prueba — El doble y el triple" in ana
    assert re.search(r"Nota\s+3\s+de 3 puntos", ana)
    assert re.search(r"Ejercicio 1 — El doble\s+2 / 2\s+✔ Correcto", ana)
    assert re.search(r"Ejercicio 2 — El triple\s+1 / 1\s+✔ Correcto", ana)
    bruno = visible_text(feedback_pages["bruno"])
    assert re.search(r"Estudiante\s+bruno", bruno)
    assert re.search(r"Ejercicio 1 — El doble\s+0 / 2\s+○ Sin responder", bruno)
    diego = visible_text(feedback_pages["diego"])
    assert re.search(r"Ejercicio 1 — El doble\s+0 / 2\s+✘ Incorrecto", diego)


@pytest.mark.grading
@pytest.mark.slow
def test_each_message_appears_once(feedback_pages):
    carla = visible_text(feedback_pages["carla"])
    assert carla.count("✘ Incorrecto — Ejercicio 1: el doble") == 1
    assert carla.count("AssertionError: triple(2) debería ser 6") == 1
    assert "Incorrect:" not in carla and "[Corrección]" not in carla
    assert feedback_pages["carla"].count('class="course-check course-check-incorrect"') == 1
    ana = visible_text(feedback_pages["ana"])
    assert ana.count("✔ Correcto — Ejercicio 1: el doble") == 1
    bruno = visible_text(feedback_pages["bruno"])
    assert bruno.count("Sin responder — Ejercicio 1: el doble") == 1
    assert "NotAttempted:" not in bruno
    diego = visible_text(feedback_pages["diego"])
    # The hidden failure, not the visible pass before it.
    assert diego.count("— Ejercicio 1: el doble") == 1
    assert "✘ Incorrecto — Ejercicio 1: el doble" in diego
    assert "salieron bien; esta es la primera que falla" in diego
    # A plain hidden `assert` that fails is a wrong answer, said in Spanish (not held).
    assert "PruebaNoSuperada: triple falla con un número negativo" in diego
    assert "Incorrect:" not in diego and "revisará esta entrega" not in diego
    for student in ("ana", "bruno", "carla", "diego"):
        text = visible_text(feedback_pages[student])
        assert "la prueba falló (la celda terminó con un error)" not in text.lower(), student


@pytest.mark.grading
@pytest.mark.slow
def test_hidden_tests_stay_hidden_and_their_placeholder_stays(feedback_pages):
    for student in ("ana", "bruno", "carla", "diego"):
        page = feedback_pages[student]
        text = visible_text(page)
        assert text.count(PLACEHOLDER) == 2, student
        assert "HIDDEN TESTS" not in page
        # No line of the hidden code (a failing hidden check may still name its input).
        assert "CLAVE_SECRETA" not in text and HIDDEN_LINE not in text
        assert "extra_inputs" not in text and "triple(-7) == -21" not in text


@pytest.mark.grading
@pytest.mark.slow
def test_formulas_are_mathml_and_nothing_is_fetched(feedback_pages):
    for student in ("ana", "carla"):
        page = feedback_pages[student]
        assert page.count("<math ") == 3
        assert len(re.findall(r'<math [^>]*display="block"', page)) == 2
        assert "$$" not in page
        assert "cuesta $5 y $6" in visible_text(page)  # a code span is not a formula
        assert not re.search(r"<script[^>]*\bsrc=", page, re.I)
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page, re.I)
        assert "mathjax" not in page.lower() and "@import" not in page
        assert "white-space: pre-wrap" in page


@pytest.mark.grading
@pytest.mark.slow
def test_an_outdated_configuration_is_refused_with_the_fix(feedback_pages, tmp_path):
    """A course whose nbgrader_config.py predates the template gets no English page."""
    from course.grading.coursedir import GradingError
    from course.grading.workflow import feedback

    course = Path(feedback_pages["_folder"]).parent
    old = tmp_path / "curso_antiguo"
    shutil.copytree(course, old, ignore=shutil.ignore_patterns("feedback"))
    config = (old / "nbgrader_config.py").read_text(encoding="utf-8")
    config = config.replace("configure_feedback(c)", "")
    config += (
        "\nfrom course.grading.preprocessors import HideHiddenTests\n"
        "from nbgrader.preprocessors import GetGrades\n"
        "c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests]\n"
    )
    (old / "nbgrader_config.py").write_text(config, encoding="utf-8")
    with pytest.raises(GradingError) as info:
        feedback(old, ASSIGNMENT, echo=lambda _m: None)
    assert "plantilla del curso" in str(info.value) and "nbgrader_config.py" in str(info.value)
    assert not list((old / "feedback").glob("*/*/*.html"))


# --------------------------------------------------------------------------- in a browser


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.grading
def test_a_student_reads_the_page_in_chromium(feedback_pages, tmp_path_factory):
    """Open carla's page from disk with the network cut: the formulas are drawn, her
    name is there, the long printed line wraps, nothing is wider than the window."""
    from test_browser import CHROMIUM_ARGS, find_chromium

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("No se encontró Chromium: instálelo con «apt-get install chromium»")
    sync_api = pytest.importorskip("playwright.sync_api")
    shots = Path(os.environ.get("COURSE_SCREENSHOTS") or tmp_path_factory.mktemp("capturas"))
    shots.mkdir(parents=True, exist_ok=True)
    page_file = Path(feedback_pages["_folder"]) / "ana" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    carla_file = Path(feedback_pages["_folder"]) / "carla" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for width in (1000, 400):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.on("request", lambda r: requests.append(r.url))
                page.route("http*://**", lambda route: route.abort())
                for name, path in (("ana", page_file), ("carla", carla_file)):
                    page.goto(path.as_uri())
                    page.screenshot(path=str(shots / f"retro_{name}_{width}.png"), full_page=True)
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                    )
                    assert overflow <= 0, (
                        f"{name} a {width}px: {overflow}px más ancho que la ventana"
                    )
                    # Every formula is laid out by the browser as MathML, with a real size.
                    sizes = page.eval_on_selector_all(
                        "math",
                        "els => els.map(e => [e.getBoundingClientRect().width,"
                        " e.getBoundingClientRect().height])",
                    )
                    assert len(sizes) == 3 and all(w > 5 and h > 5 for w, h in sizes), sizes
                    fraction = page.eval_on_selector(
                        "mfrac", "e => e.getBoundingClientRect().height"
                    )
                    line = page.eval_on_selector("mi", "e => e.getBoundingClientRect().height")
                    assert fraction > 1.5 * line, "the fraction is not stacked"
                    body = page.inner_text("body")
                    assert "$$" not in body and "\\frac" not in body
                page.goto(page_file.as_uri())
                ana_header = page.inner_text("header")
                assert "Ana García López" in ana_header and "3 de 3 puntos" in ana_header
                page.goto(carla_file.as_uri())
                long = page.locator(f"pre:has-text('{LONG_LINE[:30]}')").first
                box = long.bounding_box()
                assert box is not None and box["width"] <= width
                assert box["height"] > 40, "the long line did not wrap"
                page.close()
        finally:
            browser.close()
    external = [u for u in requests if u.startswith(("http:", "https:"))]
    assert not external, external


def test_summary_rows_without_a_gradebook_use_the_notebook_scores():
    """Scores from GetGrades' metadata; a hand-graded answer is pending, not a zero."""
    nb = nbformat.v4.new_notebook()
    test = _test_cell([_box("correct", "Ejercicio 1: el doble", "bien")])
    test.metadata["nbgrader"]["score"] = 1.5
    manual = nbformat.v4.new_code_cell("plt.plot(historia)")
    manual.metadata["nbgrader"] = {"grade": True, "solution": True, "grade_id": "ej6_grafica"}
    manual.metadata["nbgrader"]["points"] = 2.0
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tarea 5 — Curvas"),
        nbformat.v4.new_markdown_cell("## Ejercicio 1 — El doble (2 puntos)"),
        test,
        nbformat.v4.new_markdown_cell("## Ejercicio 6 (2 puntos, calificación manual): la gráfica"),
        manual,
    ]
    resources = {"nbgrader": {"student": "ana", "assignment": "a05", "notebook": "a05"}}
    _nb, resources = StudentFeedback().preprocess(nb, resources)
    info = resources["course_feedback"]
    assert info["assignment_title"] == "Tarea 5 — Curvas"
    rows = [(r["title"], r["score_text"], r["points_text"], r["status"]) for r in info["rows"]]
    assert rows == [
        ("Ejercicio 1 — El doble", "1,5", "2", "partial"),
        ("Ejercicio 6: la gráfica", "—", "2", "manual"),
    ]
    assert info["pending_manual"] is True


def test_active_html_from_a_student_never_reaches_the_page():
    """A script (from any address) or an event handler in a student's output or
    Markdown is shown as text; the course's check boxes are kept as HTML."""
    from course.grading.feedback import markdown2html

    script = '<script src="https://example.org/x.js"></script><b>hola</b>'
    cell = nbformat.v4.new_code_cell("display(HTML(...))")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": script, "text/plain": "hola"}),
        nbformat.v4.new_output(
            "display_data", data={"text/html": '<img src=x onerror="alert(1)">'}
        ),
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(1)"}),
        _box("incorrect", "Ejercicio 1: el doble", "3"),
    ]
    StudentFeedback._scrub(cell, hidden=[])
    kept = [sorted(o.data) for o in cell.outputs]
    assert kept == [["text/plain"], ["text/plain"], ["text/plain"], ["text/html", "text/plain"]]
    assert "retirada" in cell.outputs[1].data["text/plain"]
    page = markdown2html({"cell": {}}, "Mira <script>alert(1)</script> y $x$")
    assert "<script" not in page and "&lt;script" in page and "<math" in page
    assert "<b>sí</b>" in markdown2html({"cell": {}}, "Un <b>sí</b> en HTML")


@pytest.mark.parametrize(("penalty", "phrase"), [("1", "de 1 punto."), ("1,5", "de 1,5 puntos.")])
def test_the_late_penalty_line_agrees_in_number(penalty, phrase):
    """nbgrader's late penalty reads "de 1 punto", never "de 1 puntos"."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from course.grading.feedback import configure

    exporter = HTMLExporter(config=configure(Config()))
    info = {
        "generator": "course-feedback",
        "student_id": "ana",
        "student_name": "",
        "assignment": "a91",
        "assignment_title": "Tarea",
        "notebook": "a91",
        "score": "2",
        "max_score": "3",
        "percent": 67,
        "late_penalty": penalty,
        "has_late_penalty": True,
        "pending_manual": False,
        "rows": [],
    }
    page, _ = exporter.from_notebook_node(
        nbformat.v4.new_notebook(), resources={"course_feedback": info}
    )
    assert f"penalización por entrega fuera de plazo {phrase}" in visible_text(page)
