"""Instructor and student subcommands of ``course`` (registered by :mod:`course.cli`).

Only :mod:`argparse` is imported at module level, so ``course --help`` stays fast;
nbgrader, tqdm and matplotlib are imported when a subcommand runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


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


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("release", help="comprueba y publica una tarea (versión del alumnado)")
    p.add_argument("tarea", help="identificador de la tarea, p. ej. a01 o a01_perceptron")
    p.add_argument(
        "--sin-comprobar",
        action="store_true",
        help="no comprueba antes que la solución saca la nota máxima y la versión en blanco 0",
    )
    _course_arg(p)
    _jobs_arg(p)
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("grade", help="corrige en paralelo todas las entregas de una tarea")
    p.add_argument("tarea")
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
        help="segundos como máximo por entrega (por defecto 600)",
    )
    p.add_argument("--sin-informe", action="store_true", help="no genera el informe de notas")
    _course_arg(p)
    _jobs_arg(p)
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("feedback", help="genera la retroalimentación HTML (sin pruebas ocultas)")
    p.add_argument("tarea")
    _course_arg(p)
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("export", help="exporta las notas (CSV o formato de importación de Moodle)")
    p.add_argument("--format", "--formato", dest="fmt", choices=("csv", "moodle"), default="csv")
    p.add_argument(
        "--salida",
        metavar="FICHERO",
        default=None,
        help="fichero de salida (por defecto informes/notas.csv o informes/moodle.csv)",
    )
    _course_arg(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("demo", help="demostración completa con una clase simulada (sin conexión)")
    p.add_argument("--carpeta", default="curso_demo", help="carpeta nueva para la demostración")
    _jobs_arg(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("lab", help="abre JupyterLab con los cuadernos del curso")
    p.add_argument(
        "--carpeta",
        default=None,
        help="carpeta que se abre (por defecto, la del proyecto o la actual)",
    )
    p.add_argument("--puerto", type=int, default=None)
    p.add_argument("--sin-navegador", action="store_true", help="no abre el navegador")
    p.set_defaults(func=cmd_lab)

    from course.grading.review import register_review

    register_review(sub)


def _fail(exc: Exception) -> int:
    print(f"✘ {exc}", file=sys.stderr)
    return 1


def cmd_release(args: argparse.Namespace) -> int:
    from course.errors import CourseError
    from course.grading.coursedir import resolve_course
    from course.grading.workflow import release

    try:
        release(
            resolve_course(args.curso), args.tarea, check=not args.sin_comprobar, jobs=args.jobs
        )
    except CourseError as exc:
        return _fail(exc)
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from course.errors import CourseError
    from course.grading.autograde import DEFAULT_TIMEOUT, grade_assignment, recheck_summary
    from course.grading.coursedir import resolve_assignment, resolve_course
    from course.grading.report import build_report, format_table, save_report

    try:
        course = resolve_course(args.curso)
        assignment = resolve_assignment(course, args.tarea)
        run = grade_assignment(
            course,
            assignment,
            students=args.students,
            jobs=args.jobs,
            timeout=args.tiempo_max or DEFAULT_TIMEOUT,
            progress=True,
        )
        print(
            f"\n{len(run.results)} entrega(s) en {run.seconds:.1f} s; "
            f"{len(run.failed)} no se pudieron corregir."
        )
        print(recheck_summary(run))
        if not args.sin_informe:
            report = build_report(course, assignment, run)
            print("\n" + format_table(report))
            csv_path, png_path = save_report(report, course / "informes")
            print(f"\nInforme guardado: {csv_path}\nHistograma: {png_path}")
    except CourseError as exc:
        return _fail(exc)
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from course.errors import CourseError
    from course.grading.coursedir import resolve_course
    from course.grading.workflow import feedback

    try:
        feedback(resolve_course(args.curso), args.tarea)
    except CourseError as exc:
        return _fail(exc)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from course.errors import CourseError
    from course.grading.coursedir import resolve_course
    from course.grading.report import export_grades

    try:
        course = resolve_course(args.curso)
        default = "moodle.csv" if args.fmt == "moodle" else "notas.csv"
        dest = Path(args.salida) if args.salida else course / "informes" / default
        path = export_grades(course, dest, args.fmt)
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
