"""The instructor commands of ``course``: release, collect, grade, review, feedback, export, demo.

Registered in :data:`course.cli.REGISTRY` by the :func:`course.cli.command`
decorator. Only :mod:`argparse` and light constants are imported at module
level, so ``course --help`` stays fast; nbgrader, tqdm and matplotlib are
imported when a command runs. Errors are raised as
:class:`course.errors.CourseError` and reported once, by :func:`course.cli.main`.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from course.cli import ASSIGNMENT, COURSE_DIR, INSTRUCTOR, JOBS, Option, command, show_progress

log = logging.getLogger(__name__)


def _grade_time_help() -> str:
    from course.grading.timeouts import SUBMISSION_SECONDS, notebook_seconds

    return (
        f"segundos como máximo por entrega, todos sus cuadernos juntos (por defecto "
        f"{SUBMISSION_SECONDS:.0f}); cada cuaderno dispone de hasta {notebook_seconds():.0f} s "
        "de ellos, la cifra que muestra «course doctor»"
    )


def _file_size_help() -> str:
    from course.grading.moodle import NOTEBOOK_LIMIT_MB

    return f"tamaño máximo de cada fichero entregado, en MB (por defecto {NOTEBOOK_LIMIT_MB:g})"


def _course(args: argparse.Namespace) -> Path:
    """The ``--curso`` folder, checked (a Spanish error names the fix)."""
    from course.grading.coursedir import resolve_course

    course = resolve_course(args.course_dir)
    log.debug("Carpeta del curso: %s", course)
    return course


def _assignment(course: Path, args: argparse.Namespace) -> str:
    """The assignment's full name, from its number or name."""
    from course.grading.coursedir import resolve_assignment

    assignment = resolve_assignment(course, args.assignment)
    log.debug("Tarea: %s", assignment)
    return assignment


@command(
    "release",
    INSTRUCTOR,
    "comprueba y publica una tarea (versión del alumnado)",
    "Antes de publicar, corrige la solución (debe sacar la nota máxima) y la versión en "
    "blanco (debe sacar 0), y comprueba que los ficheros de datos que cita el enunciado "
    "están junto al cuaderno fuente.",
    options=(
        ASSIGNMENT,
        Option.switch(
            "--sin-comprobar",
            dest="skip_check",
            help="no comprueba antes que la solución saca la nota máxima y la versión en blanco 0",
        ),
        Option.switch(
            "--forzar",
            dest="force",
            help="publica de nuevo aunque ya haya entregas de la tarea en submitted/",
        ),
        COURSE_DIR,
        JOBS,
    ),
)
def release(args: argparse.Namespace) -> int:
    from course.grading.workflow import release as release_assignment

    release_assignment(
        _course(args), args.assignment, check=not args.skip_check, jobs=args.jobs, force=args.force
    )
    return 0


@command(
    "collect",
    INSTRUCTOR,
    "recoge las entregas descargadas de Moodle (zip y hoja de calificaciones)",
    description="Recoge las entregas descargadas de Moodle. Lee el zip de «Descargar todas "
    "las entregas» y, si se indica, la hoja de «Descargar hoja de calificaciones»; deja "
    "cada cuaderno en submitted/<estudiante>/<tarea>/ con su nombre de publicación, "
    "añade el alumnado (nombre y correo) al libro de notas y muestra en una tabla cada "
    "incidencia y qué se hizo con ella. Repetirla con los mismos ficheros no cambia nada.",
    options=(
        ASSIGNMENT,
        Option("zip", metavar="ENTREGAS.zip", help="el zip descargado de Moodle"),
        Option(
            "--hoja",
            dest="worksheet",
            metavar="HOJA.csv",
            default=None,
            help="la hoja de calificaciones de la tarea (da el correo, el estado y la hora de "
            "cada entrega; necesaria para «course export --format moodle-hoja»)",
        ),
        Option(
            "--fecha-limite",
            dest="deadline",
            metavar="FECHA",
            default=None,
            help="plazo de entrega (AAAA-MM-DD HH:MM); las entregas posteriores se marcan como "
            "fuera de plazo",
        ),
        Option(
            "--penalizacion",
            dest="penalty",
            type=float,
            default=0.0,
            metavar="N",
            help="porcentaje de la nota que se resta por cada día de retraso empezado (p. ej. "
            "10); se aplica al exportar",
        ),
        Option(
            "--penalizacion-max",
            dest="penalty_cap",
            type=float,
            default=100.0,
            metavar="N",
            help="porcentaje máximo de penalización por retraso (por defecto 100)",
        ),
        Option(
            "--tamano-max",
            dest="limit_mb",
            type=float,
            default=None,
            metavar="MB",
            help=_file_size_help,
        ),
        COURSE_DIR,
    ),
)
def collect(args: argparse.Namespace) -> int:
    from course.grading.moodle import NOTEBOOK_LIMIT_MB, parse_deadline
    from course.grading.moodle import collect as collect_submissions

    collect_submissions(
        _course(args),
        args.assignment,
        Path(args.zip),
        worksheet=Path(args.worksheet) if args.worksheet else None,
        deadline=parse_deadline(args.deadline) if args.deadline else None,
        penalty=args.penalty,
        penalty_cap=args.penalty_cap,
        limit_mb=NOTEBOOK_LIMIT_MB if args.limit_mb is None else args.limit_mb,
    )
    return 0


def _log_folder(folder: Path | None) -> Path | None:
    """``--registros``: the folder, created if needed (a Spanish error if it cannot be)."""
    from course.grading.coursedir import GradingError

    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GradingError(
            f"No se puede usar {folder} para los registros ({exc.strerror}).\n"
            "Solución: indique con --registros una carpeta en la que pueda escribir."
        ) from None
    return folder.resolve()


@command(
    "grade",
    INSTRUCTOR,
    "corrige en paralelo todas las entregas de una tarea",
    "Al final muestra la tabla de notas y las entregas que requieren su atención "
    "(retenidas para revisión, no corregidas o sin entrega), cada una con su motivo.",
    options=(
        ASSIGNMENT,
        Option(
            "--student",
            "--alumno",
            dest="students",
            action="append",
            metavar="ID",
            help="corrige solo esta entrega (se puede repetir)",
        ),
        Option(
            "--tiempo-max",
            dest="timeout",
            type=float,
            default=None,
            metavar="S",
            help=_grade_time_help,
        ),
        Option.switch(
            "--sin-informe",
            dest="no_report",
            help="no genera el informe de notas",
        ),
        Option(
            "--arranque",
            dest="start_method",
            choices=["forkserver", "subprocess"],
            default=None,
            help="cómo se inicia nbgrader para cada entrega: bifurcado de un proceso que ya lo "
            "cargó (forkserver, por defecto donde existe) o un intérprete nuevo (subprocess)",
        ),
        Option(
            "--registros",
            dest="log_dir",
            type=Path,
            default=None,
            metavar="CARPETA",
            help="guarda en CARPETA el registro de nbgrader de cada entrega (para depurar)",
        ),
        Option(
            "--cluster",
            dest="cluster",
            metavar="DIRECCION",
            default=None,
            help="corrige en los trabajadores de un planificador de Dask (tcp://HOST:8786; por "
            "defecto, la variable COURSE_DASK_SCHEDULER si está definida); sustituye a --jobs. "
            'Requiere pip install -e ".[cluster]"',
        ),
        COURSE_DIR,
        JOBS,
    ),
)
def grade(args: argparse.Namespace) -> int:
    from course.grading.autograde import grade_assignment, recheck_summary
    from course.grading.execute import Runner
    from course.grading.report import build_report, format_attention, format_table, save_report
    from course.grading.timeouts import SUBMISSION_SECONDS

    course = _course(args)
    assignment = _assignment(course, args)
    run = grade_assignment(
        course,
        assignment,
        students=args.students,
        jobs=args.jobs,
        timeout=args.timeout or SUBMISSION_SECONDS,
        progress=show_progress(),
        runner=Runner(args.start_method) if args.start_method else None,
        debug_dir=_log_folder(args.log_dir),
        executor=_grading_executor(args),
    )
    print(
        f"\n{len(run.results)} entrega(s) en {run.seconds:.1f} s; "
        f"{len(run.failed)} no se pudieron corregir."
    )
    print(recheck_summary(run))
    report = build_report(course, assignment, run)
    if args.no_report:
        print("\n" + "\n".join(format_attention(report)))
        return 0
    csv_path, png_path = save_report(report, course / "informes")
    print("\n" + format_table(report))
    from course.grading.analytics import analytics_lines, save_analytics

    print("\n" + "\n".join(analytics_lines(course, report)))
    files = save_analytics(course, report, course / "informes")
    print(f"Mapa de errores: {files.heatmap}\nEstadística de ítems: {files.items}")
    from course.grading.moodle import late_lines

    late = late_lines(course, assignment)
    if late:
        print("\n" + "\n".join(late))
    print(f"\nInforme guardado: {csv_path}\nHistograma: {png_path}")
    return 0


def _grading_executor(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The one place that picks where tasks run: a Dask cluster or, by default, this machine.

    Connecting to a cluster checks the scheduler and its workers first and raises a
    Spanish :class:`~course.grading.coursedir.GradingError` before anything is written.
    """
    from course.grading.cluster import DaskExecutor, scheduler_address

    address = scheduler_address(args.cluster)
    return DaskExecutor(address) if address else None  # None: LocalExecutor(--jobs)


@command(
    "informe",
    INSTRUCTOR,
    "errores más frecuentes y estadística de ítems de una tarea corregida",
    description="Muestra, a partir de la última corrección guardada, los errores más "
    "frecuentes de cada ejercicio (número y porcentaje), la dificultad y la "
    "discriminación de cada ejercicio, y guarda en informes/ el CSV de errores por "
    "estudiante, el mapa de errores y la figura de ítems. No vuelve a corregir nada.",
    options=(ASSIGNMENT, COURSE_DIR),
)
def informe(args: argparse.Namespace) -> int:
    from course.grading.analytics import analytics_lines, save_analytics
    from course.grading.report import build_report

    course = _course(args)
    assignment = _assignment(course, args)
    report = build_report(course, assignment)
    print("\n".join(analytics_lines(course, report)))
    files = save_analytics(course, report, course / "informes")
    print(
        f"\nErrores por estudiante: {files.csv}\nMapa de errores: {files.heatmap}\n"
        f"Estadística de ítems: {files.items}"
    )
    return 0


@command(
    "review",
    INSTRUCTOR,
    "entregas retenidas para revisión (lista de revisión)",
    description="Entregas retenidas para revisión. Muestra las entregas retenidas (posible "
    "manipulación o entrega inusual: otro cuaderno, varias copias, nombre cambiado, datos "
    "que faltaban) con el ejercicio de cada motivo, y permite aprobarlas para que su nota "
    "se exporte. Lista también las parejas de entregas parecidas (con una página HTML que "
    "las muestra lado a lado), que nunca cambian la nota.",
    options=(
        ASSIGNMENT,
        Option(
            "--aprobar",
            dest="approve",
            metavar="ID",
            help="estudiante cuya entrega se aprueba (su nota se exportará)",
        ),
        COURSE_DIR,
    ),
)
def review(args: argparse.Namespace) -> int:
    from course.grading.review import approve, read_review

    course = _course(args)
    assignment = _assignment(course, args)
    if args.approve:
        approve(course, assignment, args.approve)
        print(f"✔ Entrega de {args.approve} en {assignment} aprobada: su nota se exportará.")
        return 0
    rows = [r for r in read_review(course) if r["tarea"] == assignment]
    if not rows:
        print(f"No hay entregas señaladas en {assignment}.")
    else:
        print(f"Entregas señaladas en {assignment}:")
    for row in rows:
        mark = "⏸ pendiente" if row["estado"] == "pendiente" else "✔ aprobada"
        print(f"  {row['estudiante']}: {mark} — {row['motivo']}")
    # Similar submissions: listed for the instructor, never held nor penalised.
    from course.grading.similarity import review_lines

    print("\n" + "\n".join(review_lines(course, assignment)))
    return 0


@command(
    "feedback",
    INSTRUCTOR,
    "genera la retroalimentación HTML (sin pruebas ocultas)",
    "Necesita que la tarea esté corregida antes con «course grade».",
    options=(
        ASSIGNMENT,
        Option.switch(
            "--zip",
            dest="moodle_zip",
            help="además, escribe informes/<tarea>_retroalimentacion_moodle.zip para «Subir "
            "múltiples archivos de retroalimentación en un ZIP» de Moodle (requiere «course "
            "collect»)",
        ),
        COURSE_DIR,
    ),
)
def feedback(args: argparse.Namespace) -> int:
    from course.grading.workflow import feedback as write_feedback

    course = _course(args)
    write_feedback(course, args.assignment)
    if args.moodle_zip:
        from course.grading.moodle import feedback_zip

        assignment = _assignment(course, args)
        feedback_zip(
            course,
            assignment,
            course / "informes" / f"{assignment}_retroalimentacion_moodle.zip",
        )
    return 0


@command(
    "export",
    INSTRUCTOR,
    "exporta las notas (CSV o formato de importación de Moodle)",
    "Solo exporta la nota de las entregas corregidas; deja en blanco, y lo avisa, las "
    "retenidas para revisión, las no corregidas y las que no tienen entrega.",
    options=(
        Option(
            "assignment",
            metavar="tarea",
            nargs="?",
            default=None,
            help="exporta solo esta tarea (por defecto, todas las que tienen alguna entrega)",
        ),
        Option(
            "--format",
            "--formato",
            dest="fmt",
            choices=("csv", "moodle", "moodle-hoja"),
            default="csv",
            help="csv: tabla con nombre y correo; moodle: columnas username, email y una por "
            "tarea, para importar en el libro de calificaciones de Moodle; moodle-hoja: la hoja "
            "de calificaciones de la tarea recogida con «course collect», con la nota y el "
            "comentario rellenos, para «Subir hoja de calificaciones» (por defecto csv)",
        ),
        Option(
            "--hoja",
            dest="worksheet",
            metavar="HOJA.csv",
            default=None,
            help="con moodle-hoja: la hoja que se rellena (por defecto, la que guardó «course "
            "collect»)",
        ),
        Option(
            "--sobre",
            dest="scale",
            type=float,
            default=None,
            metavar="N",
            help="escala las notas sobre N (p. ej. 10); por defecto, los puntos de la tarea",
        ),
        Option.switch(
            "--sin-entrega-cero",
            dest="zero_missing",
            help="exporta un 0 (en vez de dejarla en blanco) a las entregas no corregidas y a "
            "quien no entregó",
        ),
        Option(
            "--salida",
            dest="output",
            metavar="FICHERO",
            default=None,
            help="fichero de salida (por defecto informes/notas.csv o informes/moodle.csv)",
        ),
        COURSE_DIR,
    ),
)
def export(args: argparse.Namespace) -> int:
    from course.errors import CourseError
    from course.grading.report import export_grades

    course = _course(args)
    if args.fmt == "moodle-hoja":
        from course.grading.moodle import export_worksheet

        if not args.assignment:
            raise CourseError(
                "El formato moodle-hoja exporta una sola tarea: indíquela, por ejemplo "
                "«course export a01 --format moodle-hoja»."
            )
        assignment = _assignment(course, args)
        dest = (
            Path(args.output)
            if args.output
            else course / "informes" / f"{assignment}_hoja_moodle.csv"
        )
        export_worksheet(
            course,
            assignment,
            dest,
            worksheet=Path(args.worksheet) if args.worksheet else None,
            zero_missing=args.zero_missing,
            echo=print,
        )
        print(
            f"✔ Hoja de calificaciones rellena en {dest}\n  Súbala en Moodle: Ver todas "
            "las entregas > Acción sobre las calificaciones > Subir hoja de calificaciones."
        )
        return 0
    default = "moodle.csv" if args.fmt == "moodle" else "notas.csv"
    dest = Path(args.output) if args.output else course / "informes" / default
    only = [_assignment(course, args)] if args.assignment else None
    path = export_grades(
        course,
        dest,
        args.fmt,
        scale=args.scale,
        assignments=only,
        zero_missing=args.zero_missing,
        echo=print,
    )
    print(f"✔ Notas exportadas ({args.fmt}) en {path}")
    return 0


@command(
    "demo",
    INSTRUCTOR,
    "demostración completa con una clase simulada (sin conexión)",
    "Crea un curso nuevo, publica a01 y a03, recoge a03 de un zip y una hoja de Moodle, "
    "corrige una clase simulada, exporta las notas y prepara la vuelta a Moodle.",
    options=(
        Option(
            "--carpeta",
            dest="folder",
            default="curso_demo",
            metavar="CARPETA",
            help="carpeta nueva para la demostración (por defecto curso_demo)",
        ),
        JOBS,
    ),
)
def demo(args: argparse.Namespace) -> int:
    from course.grading.workflow import demo as run_demo

    run_demo(Path(args.folder).resolve(), jobs=args.jobs)
    return 0
