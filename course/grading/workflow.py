"""Instructor workflow: release with proof, feedback and the simulated-class demo.

Every step goes through nbgrader's Python API (:class:`~nbgrader.apps.NbGraderAPI`)
or through :func:`course.grading.autograde.grade_assignment`.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from course.grading.autograde import GradeRun, grade_assignment, recheck_summary
from course.grading.coursedir import (
    SOURCE_DIRNAME,
    GradingError,
    new_course,
    project_root,
    resolve_assignment,
)
from course.grading.hidden import has_hidden_tests
from course.grading.nbgrader_api import generate, generate_feedback

Echo = Callable[[str], None]

log = logging.getLogger(__name__)


def _notebook_names(course: Path, assignment: str) -> list[str]:
    folder = course / SOURCE_DIRNAME / assignment
    names = sorted(p.stem for p in folder.glob("*.ipynb"))
    if not names:
        raise GradingError(f"La tarea {assignment} no tiene cuadernos en {folder}.")
    return names


def write_submission(
    course: Path, assignment: str, student: str, notebooks: dict[str, object]
) -> Path:
    """Place a student's notebooks (name -> NotebookNode or raw text) in ``submitted/``."""
    from course.simulated.submissions import write_notebook

    folder = course / "submitted" / student / assignment
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, nb in notebooks.items():
        path = folder / f"{name}.ipynb"
        if isinstance(nb, str):
            path.write_text(nb, encoding="utf-8")
        else:
            write_notebook(nb, path)
    (folder / "timestamp.txt").write_text(
        time.strftime("%Y-%m-%d %H:%M:%S.000000 UTC", time.gmtime())
    )
    return folder


def _data_fix(absent: list[str], folder: Path) -> str:
    """The Spanish fix for missing data files: where to copy them from, if known."""
    found = ""
    if "Train.csv" in absent:
        try:
            from course import datasets

            found = str(datasets.find_shipping_file())
        except Exception:  # noqa: BLE001 - DataError or no data set module: no hint
            found = ""
    if found:
        return f"Solución: cp {found} {folder}/ y repita la orden."
    return (
        f"Solución: copie {', '.join(absent)} en {folder} (véase «course data» para "
        "obtener los datos) y repita la orden."
    )


@dataclass
class Proof:
    """Per-cell scores of the solution and of the blank release in a scratch course."""

    assignment: str
    solution: dict[str, tuple[float, float]]  # grade_id -> (score, max)
    blank: dict[str, tuple[float, float]]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def prove(course: Path, assignment: str, *, jobs: int | None = None, echo: Echo = print) -> Proof:
    """Grade the solution and the blank release in a scratch copy of the course.

    The solution must score full marks in every autograded cell and the blank
    release 0 in every cell; otherwise :attr:`Proof.problems` names the cells.
    """
    from course.simulated.submissions import read_notebook, solution_submission

    with tempfile.TemporaryDirectory(prefix=f"course-proof-{assignment}-") as tmp:
        scratch = Path(tmp)
        shutil.copy2(course / "nbgrader_config.py", scratch / "nbgrader_config.py")
        shutil.copytree(course / SOURCE_DIRNAME / assignment, scratch / SOURCE_DIRNAME / assignment)
        release = generate(scratch, assignment)
        solution_nbs, blank_nbs = {}, {}
        for name in _notebook_names(scratch, assignment):
            source_nb = read_notebook(scratch / SOURCE_DIRNAME / assignment / f"{name}.ipynb")
            release_nb = read_notebook(release / f"{name}.ipynb")
            solution_nbs[name] = solution_submission(source_nb, release_nb)
            blank_nbs[name] = release_nb
        write_submission(scratch, assignment, "solucion", solution_nbs)
        write_submission(scratch, assignment, "en_blanco", blank_nbs)
        run = grade_assignment(scratch, assignment, jobs=jobs, progress=False, echo=lambda _m: None)
    by_student = {r.student: r for r in run.results}
    problems: list[str] = []
    cells: dict[str, dict[str, tuple[float, float]]] = {}
    for student in ("solucion", "en_blanco"):
        result = by_student[student]
        if not result.ok:
            problems.append(f"la entrega «{student}» no se pudo corregir: {result.reason}")
        cells[student] = {
            c.grade_id: (c.score, c.max_score) for c in result.cells if not c.needs_manual_grade
        }
    for gid, (score, maximum) in cells["solucion"].items():
        if score < maximum:
            problems.append(f"celda {gid}: la solución obtiene {score:g} de {maximum:g} puntos")
    for gid, (score, _maximum) in cells["en_blanco"].items():
        if score > 0:
            problems.append(
                f"celda {gid}: la versión en blanco obtiene {score:g} puntos (debería ser 0)"
            )
    return Proof(assignment, cells["solucion"], cells["en_blanco"], problems)


def release(
    course: Path,
    assignment: str,
    *,
    check: bool = True,
    jobs: int | None = None,
    force: bool = False,
    echo: Echo = print,
) -> Path:
    """Prove the assignment (unless ``check`` is False), then generate the student version.

    Refuses when a data file the statement names is not beside the source
    notebook, and, unless ``force``, when students already submitted it.
    """
    from course.grading.intake import missing_data_files
    from course.grading.nbgrader_api import submitted_students

    assignment = resolve_assignment(course, assignment)
    folder = course / SOURCE_DIRNAME / assignment
    absent = missing_data_files(folder)
    if absent:
        raise GradingError(
            f"No se publica {assignment}: el enunciado usa {', '.join(absent)}, que no está "
            f"junto al cuaderno fuente en {folder}.\nSin él, el alumnado no recibe los datos "
            "y la corrección no puede ejecutar el cuaderno.\n" + _data_fix(absent, folder)
        )
    already = submitted_students(course, assignment)
    if already and not force:
        raise GradingError(
            f"Ya hay {len(already)} entrega(s) de {assignment} en {course / 'submitted'}: "
            "publicar de nuevo cambia la versión del alumnado y el libro de notas de una "
            "tarea que ya se está entregando.\n"
            f"Si de verdad quiere volver a publicarla, repita con «course release "
            f"{assignment.split('_')[0]} --forzar»."
        )
    if check:
        log.info(
            "Comprobando %s: la solución debe sacar la nota máxima y la versión en blanco 0…",
            assignment,
        )
        proof = prove(course, assignment, jobs=jobs, echo=echo)
        if not proof.ok:
            raise GradingError(
                f"No se publica {assignment}: la comprobación falló.\n"
                + "\n".join(f"  - {p}" for p in proof.problems)
                + "\nCorrija el cuaderno fuente y vuelva a intentarlo."
            )
        total = sum(m for _s, m in proof.solution.values())
        echo(
            f"  ✔ solución {total:g}/{total:g} y versión en blanco 0 en {len(proof.solution)} celdas"
        )
    folder = generate(course, assignment)
    echo(f"✔ Versión del alumnado de {assignment} en {folder}")
    return folder


def feedback(course: Path, assignment: str, *, echo: Echo = print) -> list[Path]:
    """Generate HTML feedback for every graded student (hidden tests removed)."""
    assignment = resolve_assignment(course, assignment)
    graded = sorted(p.parent.name for p in (course / "autograded").glob(f"*/{assignment}"))
    if not graded:
        raise GradingError(
            f"Todavía no hay entregas corregidas de {assignment}, así que no hay "
            "retroalimentación que generar.\n"
            f"Solución: corrija primero con «course grade {assignment.split('_')[0]}» y repita."
        )
    generate_feedback(course, assignment)
    files = sorted((course / "feedback").glob(f"*/{assignment}/*.html"))
    leaked = [f for f in files if has_hidden_tests(f.read_text(encoding="utf-8"))]
    if leaked:
        for f in leaked:
            f.unlink()
        raise GradingError(
            "La retroalimentación contenía pruebas ocultas y se ha borrado: "
            + ", ".join(str(f) for f in leaked)
            + "\nCompruebe que nbgrader_config.py usa HideHiddenTests en GenerateFeedback."
        )
    from course.grading.feedback import check_feedback_page

    wrong = {f: check_feedback_page(f.read_text(encoding="utf-8")) for f in files}
    wrong = {f: problem for f, problem in wrong.items() if problem}
    if wrong:
        for f in wrong:
            f.unlink()
        raise GradingError(
            "Se han borrado informes de retroalimentación que no deben llegar al alumnado:\n"
            + "\n".join(f"  - {f}: {problem}" for f, problem in wrong.items())
        )
    echo(f"✔ {len(files)} informe(s) de retroalimentación en {course / 'feedback'}")
    return files


# ---------------------------------------------------------------------------
# course demo
# ---------------------------------------------------------------------------

DEMO_ASSIGNMENTS = ("a01", "a03")


#: A student id as Moodle names a downloaded submission folder.
MOODLE_STUDENT = "García López Ana_1234567_assignsubmission_file_"


def _demo_students(
    course: Path, assignment: str, *, unusual: bool = False
) -> dict[str, tuple[str, dict[str, object]]]:
    """Simulated students: id -> (Spanish description, notebooks).

    ``unusual`` adds the submissions an instructor meets in practice: a Moodle
    folder name as id, two copies of the notebook, another assignment's
    notebook and no notebook at all.
    """
    from course.simulated import load_variants
    from course.simulated.submissions import read_notebook, solution_submission, variant_submission

    release_dir = course / "release" / assignment
    names = _notebook_names(course, assignment)
    sources = {n: read_notebook(course / SOURCE_DIRNAME / assignment / f"{n}.ipynb") for n in names}
    releases = {n: read_notebook(release_dir / f"{n}.ipynb") for n in names}
    students: dict[str, tuple[str, dict[str, object]]] = {
        "ana": (
            "entrega la solución completa",
            {n: solution_submission(sources[n], releases[n]) for n in names},
        ),
        "bruno": ("entrega el cuaderno sin tocar", dict(releases)),
    }
    others = ["carla", "diego", "elena", "fermin", "gloria"]
    mistakes = [v for v in load_variants(assignment) if not v.cheat][: len(others) - 1]
    for student, variant in zip(others, mistakes, strict=False):
        notebooks = {n: variant_submission(sources[n], releases[n], variant) for n in names}
        students[student] = (variant.description, notebooks)
    crasher = others[len(mistakes)]
    students[crasher] = (
        "entrega un cuaderno dañado (JSON cortado)",
        {n: '{"cells": [' for n in names},
    )
    if unusual and len(names) == 1:
        # Submissions as they arrive from Moodle, each reported at the end of grading.
        (name,) = names
        students[MOODLE_STUDENT] = (
            "carpeta con el nombre que pone Moodle (espacios, tildes): solución completa",
            {name: solution_submission(sources[name], releases[name])},
        )
        students["hugo"] = (
            "dos cuadernos: el original sin tocar y una copia «(1)» resuelta",
            {
                name: releases[name],
                f"{name} (1)": solution_submission(sources[name], releases[name]),
            },
        )
        other = next((a for a in DEMO_ASSIGNMENTS if not assignment.startswith(a)), None)
        other_release = sorted((course / "release").glob(f"{other}*/*.ipynb")) if other else []
        if other_release:
            students["ines"] = (
                f"entrega por error el cuaderno de {other_release[0].parent.name}",
                {other_release[0].stem: read_notebook(other_release[0])},
            )
        students["juan"] = ("sube un PDF en lugar del cuaderno", {})
    return students


def demo(folder: Path, *, jobs: int | None = None, echo: Echo = print) -> dict[str, object]:
    """Run the whole instructor workflow on a simulated class in ``folder``."""
    start = time.monotonic()
    if folder.exists() and any(folder.iterdir()):
        if not (folder / "nbgrader_config.py").is_file():
            raise GradingError(
                f"{folder} ya existe y no es una carpeta de demostración: elija otra."
            )
        shutil.rmtree(folder)
    echo(f"== Demostración del flujo del profesorado en {folder}")
    course = new_course(folder, list(DEMO_ASSIGNMENTS))
    root_src = project_root() / SOURCE_DIRNAME
    assignments = [resolve_assignment(course, a) for a in DEMO_ASSIGNMENTS]
    runs: dict[str, GradeRun] = {}
    for assignment in assignments:
        if not (root_src / assignment).is_dir():
            raise GradingError(f"Falta la tarea {assignment} en el proyecto.")
        echo(f"\n-- 1. Publicar {assignment}")
        # The release check is shown once (a01). For a03 it would grade the solution and
        # the blank notebook in Keras a second time: ana and bruno hand in exactly those.
        check = assignment == assignments[0]
        if not check:
            echo(
                "(Sin la comprobación previa, que ya se vio con la tarea anterior: en la "
                "corrección ana entrega la solución y bruno el cuaderno sin tocar.)"
            )
        release(course, assignment, check=check, jobs=jobs, echo=echo)
    for index, assignment in enumerate(assignments):
        echo(f"\n-- 2. Entregas simuladas de {assignment}")
        simulated = _demo_students(course, assignment, unusual=index == 0)
        for student, (description, notebooks) in simulated.items():
            if index == 0:
                folder = write_submission(course, assignment, student, notebooks)
                if not notebooks:
                    (folder / "entrega.pdf").write_bytes(b"%PDF-1.4\n")
            echo(f"  {student:<8} {description}")
        if index == 1:
            # The second assignment arrives as Moodle hands it over: its zip and worksheet.
            from course.grading.moodle import DEMO_DEADLINE, collect, simulated_download

            echo(f"\n-- 2b. Recogida desde Moodle de {assignment} (zip y hoja de calificaciones)")
            zip_path, sheet = simulated_download(
                course, assignment, simulated, course / "descargas_moodle", late=["carla"]
            )
            collect(
                course, assignment, zip_path, worksheet=sheet, deadline=DEMO_DEADLINE,
                penalty=10, penalty_cap=30, echo=echo,
            )  # fmt: skip
        echo(f"\n-- 3. Corrección en paralelo de {assignment}")
        runs[assignment] = grade_assignment(
            course, assignment, jobs=jobs, progress=False, echo=echo
        )
        echo(recheck_summary(runs[assignment]))
    from course.grading.report import build_report, export_grades, format_table, save_report

    outputs: dict[str, object] = {"course": course, "runs": runs}
    report_dir = course / "informes"
    for assignment in assignments:
        echo(f"\n-- 4. Retroalimentación de {assignment}")
        feedback(course, assignment, echo=echo)
        report = build_report(course, assignment, runs[assignment])
        csv_path, png_path = save_report(report, report_dir)
        echo("\n" + format_table(report))
        echo(f"\nInforme: {csv_path}\nHistograma: {png_path}")
        from course.grading.analytics import analytics_lines, save_analytics

        echo("\n" + "\n".join(analytics_lines(course, report)))
        files = save_analytics(course, report, report_dir)
        echo(
            f"Errores por estudiante: {files.csv}\nMapa de errores: {files.heatmap}\n"
            f"Estadística de ítems: {files.items}"
        )
    echo("\n-- 5. Exportación para Moodle (notas sobre 10)")
    export_path = export_grades(course, report_dir / "moodle.csv", "moodle", scale=10, echo=echo)
    echo(f"Fichero para importar: {export_path}")
    from course.grading.moodle import export_worksheet, feedback_zip

    moodle_task = assignments[1]
    echo(f"\n-- 6. De vuelta a Moodle: hoja de calificaciones y retroalimentación de {moodle_task}")
    sheet = export_worksheet(
        course, moodle_task, report_dir / f"{moodle_task}_hoja_moodle.csv", echo=echo
    )
    echo(f"Hoja para «Subir hoja de calificaciones»: {sheet}")
    outputs["moodle_zip"] = feedback_zip(
        course, moodle_task, report_dir / f"{moodle_task}_retroalimentacion_moodle.zip", echo=echo
    )
    outputs["worksheet"] = sheet
    echo(f"\n✔ Demostración terminada en {time.monotonic() - start:.0f} s. Todo está en {course}")
    outputs["export"] = export_path
    return outputs
