"""Instructor and student subcommands of ``course`` (registered by :mod:`course.cli`).

Only :mod:`argparse` is imported at module level, so ``course --help`` stays fast;
nbgrader, tqdm and matplotlib are imported when a subcommand runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: Help of the positional ``tarea`` argument, the same in every subcommand.
TAREA_HELP = "la tarea: su número (a01) o su nombre completo (a01_perceptron)"


def _course_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--curso",
        metavar="CARPETA",
        default=".",
        help="carpeta del curso con nbgrader_config.py (por defecto, la actual)",
    )


def _jobs_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="procesos en paralelo (por defecto, el número de núcleos)",
    )


def _cluster_arg(parser: argparse.ArgumentParser) -> None:
    """``--cluster ADDR``: run the tasks on a Dask scheduler (see :mod:`course.grading.cluster`)."""
    parser.add_argument(
        "--cluster",
        metavar="DIRECCION",
        default=None,
        help="corrige en los trabajadores de un planificador de Dask (tcp://HOST:8786; por "
        "defecto, la variable COURSE_DASK_SCHEDULER si está definida); sustituye a --jobs. "
        'Requiere pip install -e ".[cluster]"',
    )


def _grading_executor(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The one place that picks where tasks run: a Dask cluster or, by default, this machine.

    Connecting to a cluster checks the scheduler and its workers first and raises a
    Spanish :class:`~course.grading.coursedir.GradingError` before anything is written.
    """
    from course.grading.cluster import DaskExecutor, scheduler_address

    address = scheduler_address(getattr(args, "cluster", None))
    return DaskExecutor(address) if address else None  # None: LocalExecutor(--jobs)


def _command(sub: argparse._SubParsersAction, name: str, summary: str, details: str = ""):  # type: ignore[type-arg, no-untyped-def]
    """A subcommand whose ``--help`` starts with its summary (and optional details)."""
    return sub.add_parser(
        name, help=summary, description=f"{summary[0].upper()}{summary[1:]}. {details}".strip()
    )


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from course.grading.timeouts import SUBMISSION_SECONDS, notebook_seconds

    p = _command(
        sub,
        "release",
        "comprueba y publica una tarea (versión del alumnado)",
        "Antes de publicar, corrige la solución (debe sacar la nota máxima) y la versión en "
        "blanco (debe sacar 0), y comprueba que los ficheros de datos que cita el enunciado "
        "están junto al cuaderno fuente.",
    )
    p.add_argument("tarea", help=TAREA_HELP)
    p.add_argument(
        "--sin-comprobar",
        action="store_true",
        help="no comprueba antes que la solución saca la nota máxima y la versión en blanco 0",
    )
    p.add_argument(
        "--forzar",
        action="store_true",
        help="publica de nuevo aunque ya haya entregas de la tarea en submitted/",
    )
    _course_arg(p)
    _jobs_arg(p)
    p.set_defaults(func=cmd_release)

    p = _command(
        sub,
        "grade",
        "corrige en paralelo todas las entregas de una tarea",
        "Al final muestra la tabla de notas y las entregas que requieren su atención "
        "(retenidas para revisión, no corregidas o sin entrega), cada una con su motivo.",
    )
    p.add_argument("tarea", help=TAREA_HELP)
    p.add_argument(
        "--student",
        "--alumno",
        dest="students",
        action="append",
        metavar="ID",
        help="corrige solo esta entrega (se puede repetir)",
    )
    p.add_argument(
        "--tiempo-max",
        type=float,
        default=None,
        metavar="S",
        help=f"segundos como máximo por entrega, todos sus cuadernos juntos (por defecto "
        f"{SUBMISSION_SECONDS:.0f}); cada cuaderno dispone de hasta {notebook_seconds():.0f} s "
        "de ellos, la cifra que muestra «course doctor»",
    )
    p.add_argument("--sin-informe", action="store_true", help="no genera el informe de notas")
    p.add_argument(
        "--arranque",
        choices=["forkserver", "subprocess"],
        default=None,
        help="cómo se inicia nbgrader para cada entrega: bifurcado de un proceso que ya lo "
        "cargó (forkserver, por defecto donde existe) o un intérprete nuevo (subprocess)",
    )
    p.add_argument(
        "--registros",
        type=Path,
        default=None,
        metavar="CARPETA",
        help="guarda en CARPETA el registro de nbgrader de cada entrega (para depurar)",
    )
    _course_arg(p)
    _jobs_arg(p)
    _cluster_arg(p)
    p.set_defaults(func=cmd_grade)

    p = _command(
        sub,
        "feedback",
        "genera la retroalimentación HTML (sin pruebas ocultas)",
        "Necesita que la tarea esté corregida antes con «course grade».",
    )
    p.add_argument("tarea", help=TAREA_HELP)
    p.add_argument(
        "--zip",
        action="store_true",
        help="además, escribe informes/<tarea>_retroalimentacion_moodle.zip para «Subir "
        "múltiples archivos de retroalimentación en un ZIP» de Moodle (requiere «course collect»)",
    )
    _course_arg(p)
    p.set_defaults(func=cmd_feedback)

    p = _command(
        sub,
        "export",
        "exporta las notas (CSV o formato de importación de Moodle)",
        "Solo exporta la nota de las entregas corregidas; deja en blanco, y lo avisa, las "
        "retenidas para revisión, las no corregidas y las que no tienen entrega.",
    )
    p.add_argument(
        "tarea",
        nargs="?",
        default=None,
        help="exporta solo esta tarea (por defecto, todas las que tienen alguna entrega)",
    )
    p.add_argument(
        "--format",
        "--formato",
        dest="fmt",
        choices=("csv", "moodle", "moodle-hoja"),
        default="csv",
        help="csv: tabla con nombre y correo; moodle: columnas username, email y una por "
        "tarea, para importar en el libro de calificaciones de Moodle; moodle-hoja: la hoja "
        "de calificaciones de la tarea recogida con «course collect», con la nota y el "
        "comentario rellenos, para «Subir hoja de calificaciones» (por defecto csv)",
    )
    p.add_argument(
        "--hoja",
        metavar="HOJA.csv",
        default=None,
        help="con moodle-hoja: la hoja que se rellena (por defecto, la que guardó «course collect»)",
    )
    p.add_argument(
        "--sobre",
        type=float,
        default=None,
        metavar="N",
        help="escala las notas sobre N (p. ej. 10); por defecto, los puntos de la tarea",
    )
    p.add_argument(
        "--sin-entrega-cero",
        action="store_true",
        help="exporta un 0 (en vez de dejarla en blanco) a las entregas no corregidas y a "
        "quien no entregó",
    )
    p.add_argument(
        "--salida",
        metavar="FICHERO",
        default=None,
        help="fichero de salida (por defecto informes/notas.csv o informes/moodle.csv)",
    )
    _course_arg(p)
    p.set_defaults(func=cmd_export)

    p = _command(
        sub,
        "demo",
        "demostración completa con una clase simulada (sin conexión)",
        "Crea un curso nuevo, publica a01 y a03, recoge a03 de un zip y una hoja de Moodle, "
        "corrige una clase simulada, exporta las notas y prepara la vuelta a Moodle.",
    )
    p.add_argument(
        "--carpeta",
        default="curso_demo",
        metavar="CARPETA",
        help="carpeta nueva para la demostración (por defecto curso_demo)",
    )
    _jobs_arg(p)
    p.set_defaults(func=cmd_demo)

    p = _command(sub, "lab", "abre JupyterLab con los cuadernos del curso")
    p.add_argument(
        "--carpeta",
        default=None,
        metavar="CARPETA",
        help="carpeta que se abre (por defecto, la del proyecto o la actual)",
    )
    p.add_argument(
        "--puerto", type=int, default=None, metavar="N", help="puerto (por defecto, uno libre)"
    )
    p.add_argument("--sin-navegador", action="store_true", help="no abre el navegador")
    p.set_defaults(func=cmd_lab)

    from course.grading.review import register_review

    register_review(sub)

    from course.grading.moodle import register_collect

    register_collect(sub)

    from course.grading.analytics import register_informe

    register_informe(sub)


def _fail(exc: Exception) -> int:
    print(f"✘ {exc}", file=sys.stderr)
    return 1


def cmd_release(args: argparse.Namespace) -> int:
    from course.errors import CourseError
    from course.grading.coursedir import resolve_course
    from course.grading.workflow import release

    try:
        release(
            resolve_course(args.curso),
            args.tarea,
            check=not args.sin_comprobar,
            jobs=args.jobs,
            force=args.forzar,
        )
    except CourseError as exc:
        return _fail(exc)
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


def cmd_grade(args: argparse.Namespace) -> int:
    from course.errors import CourseError
    from course.grading.autograde import grade_assignment, recheck_summary
    from course.grading.coursedir import resolve_assignment, resolve_course
    from course.grading.execute import Runner
    from course.grading.report import build_report, format_attention, format_table, save_report
    from course.grading.timeouts import SUBMISSION_SECONDS

    try:
        course = resolve_course(args.curso)
        assignment = resolve_assignment(course, args.tarea)
        run = grade_assignment(
            course,
            assignment,
            students=args.students,
            jobs=args.jobs,
            executor=_grading_executor(args),
            timeout=args.tiempo_max or SUBMISSION_SECONDS,
            progress=True,
            runner=Runner(args.arranque) if args.arranque else None,
            debug_dir=_log_folder(args.registros),
        )
        print(
            f"\n{len(run.results)} entrega(s) en {run.seconds:.1f} s; "
            f"{len(run.failed)} no se pudieron corregir."
        )
        print(recheck_summary(run))
        report = build_report(course, assignment, run)
        if not args.sin_informe:
            csv_path, png_path = save_report(report, course / "informes")
            print("\n" + format_table(report))
            # --- mistake analytics and item statistics (course.grading.analytics) ---
            from course.grading.analytics import analytics_lines, save_analytics

            print("\n" + "\n".join(analytics_lines(course, report)))
            files = save_analytics(course, report, course / "informes")
            print(f"Mapa de errores: {files.heatmap}\nEstadística de ítems: {files.items}")
            # --- end of mistake analytics ---
            from course.grading.moodle import late_lines

            late = late_lines(course, assignment)
            if late:
                print("\n" + "\n".join(late))
            print(f"\nInforme guardado: {csv_path}\nHistograma: {png_path}")
        else:
            print("\n" + "\n".join(format_attention(report)))
    except CourseError as exc:
        return _fail(exc)
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from course.errors import CourseError
    from course.grading.coursedir import resolve_course
    from course.grading.workflow import feedback

    try:
        course = resolve_course(args.curso)
        feedback(course, args.tarea)
        if args.zip:
            from course.grading.coursedir import resolve_assignment
            from course.grading.moodle import feedback_zip

            assignment = resolve_assignment(course, args.tarea)
            feedback_zip(
                course,
                assignment,
                course / "informes" / f"{assignment}_retroalimentacion_moodle.zip",
            )
    except CourseError as exc:
        return _fail(exc)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from course.errors import CourseError
    from course.grading.coursedir import resolve_assignment, resolve_course
    from course.grading.report import export_grades

    try:
        course = resolve_course(args.curso)
        if args.fmt == "moodle-hoja":
            from course.grading.moodle import export_worksheet

            if not args.tarea:
                raise CourseError(
                    "El formato moodle-hoja exporta una sola tarea: indíquela, por ejemplo "
                    "«course export a01 --format moodle-hoja»."
                )
            assignment = resolve_assignment(course, args.tarea)
            dest = (
                Path(args.salida)
                if args.salida
                else course / "informes" / f"{assignment}_hoja_moodle.csv"
            )
            export_worksheet(
                course,
                assignment,
                dest,
                worksheet=Path(args.hoja) if args.hoja else None,
                zero_missing=args.sin_entrega_cero,
                echo=print,
            )
            print(
                f"✔ Hoja de calificaciones rellena en {dest}\n  Súbala en Moodle: Ver todas "
                "las entregas > Acción sobre las calificaciones > Subir hoja de calificaciones."
            )
            return 0
        default = "moodle.csv" if args.fmt == "moodle" else "notas.csv"
        dest = Path(args.salida) if args.salida else course / "informes" / default
        only = [resolve_assignment(course, args.tarea)] if args.tarea else None
        path = export_grades(
            course,
            dest,
            args.fmt,
            scale=args.sobre,
            assignments=only,
            zero_missing=args.sin_entrega_cero,
            echo=print,
        )
    except CourseError as exc:
        return _fail(exc)
    print(f"✔ Notas exportadas ({args.fmt}) en {path}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from course.errors import CourseError
    from course.grading.workflow import demo

    try:
        demo(Path(args.carpeta).resolve(), jobs=args.jobs)
    except CourseError as exc:
        return _fail(exc)
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    from course.grading.coursedir import GradingError, project_root
    from course.grading.workflow import lab

    if args.carpeta:
        root = Path(args.carpeta).resolve()
    else:
        try:
            root = project_root()
        except GradingError:
            root = Path.cwd()
    return lab(root, port=args.puerto, open_browser=not args.sin_navegador)
