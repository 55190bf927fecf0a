"""The ``course`` command.

Built on :mod:`argparse` from the standard library so that ``course --help`` starts
instantly: nothing heavy (TensorFlow, nbgrader) is imported until a subcommand
that needs it runs. Everything the command prints is in Spanish.

Subcommands:

- ``course doctor``: versions, JupyterLab extensions, data sets; exit 1 if something
  required is missing.
- ``course data``: lists and fully validates the data sets; ``--descargar`` fetches
  what can be fetched (Fashion-MNIST from the official mirror, the shipping data
  through ``kagglehub`` when it and Kaggle credentials are available).
- ``course comprobar``: runs a student's assignment notebook as the grader will
  (:mod:`course.comprobar`).
- ``course release | collect | grade | feedback | export | demo | lab``: the
  instructor and student workflow, registered by :mod:`course.grading.cli`.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence

OK = "✔"
FAIL = "✘"
WARN = "!"

#: Distributions reported by ``course doctor``: (name, required).
DOCTOR_PACKAGES: tuple[tuple[str, bool], ...] = (
    ("tensorflow", True),
    ("keras", True),
    ("jupyterlab", True),
    ("nbgrader", True),
    ("nbval", False),
    ("numpy", True),
    ("pandas", True),
    ("matplotlib", True),
    ("scikit-learn", True),
)


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _labextensions() -> dict[str, bool] | None:
    """Return ``{extension name: enabled}`` as JupyterLab reports it, or None."""
    jupyter = shutil.which("jupyter", path=str(__import__("pathlib").Path(sys.executable).parent))
    cmd = (
        [jupyter, "labextension", "list"]
        if jupyter
        else [sys.executable, "-m", "jupyter", "labextension", "list"]
    )
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found: dict[str, bool] = {}
    text = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)  # drop ANSI colours
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].startswith("@jupyter/nbgrader"):
            found[parts[0]] = parts[2].lower().startswith("enabled")
    return found


def cmd_doctor(args: argparse.Namespace) -> int:
    """Print the state of the installation; exit 1 when something required is missing."""
    problems = 0
    print("Diagnóstico del curso «Redes neuronales con Keras»\n")
    print(f"{OK} Python {platform.python_version()} ({sys.executable})")

    print("\nPaquetes:")
    for dist, required in DOCTOR_PACKAGES:
        version = _version(dist)
        if version:
            print(f"  {OK} {dist} {version}")
        elif required:
            problems += 1
            print(f"  {FAIL} {dist}: no instalado. Solución: pip install -e .")
        else:
            print(
                f"  {WARN} {dist}: no instalado (solo para las pruebas: pip install -e '.[test]')"
            )
    keras_version = _version("keras")
    if keras_version and int(keras_version.split(".")[0]) < 3:
        problems += 1
        print(
            f"  {FAIL} Keras {keras_version} es Keras 2; el curso necesita Keras 3 (pip install -U keras)."
        )

    print("\nExtensiones de JupyterLab (nbgrader):")
    if args.quick:
        print(f"  {WARN} no comprobadas (--rapido)")
    else:
        extensions = _labextensions()
        if extensions is None:
            print(f"  {WARN} no se pudo consultar «jupyter labextension list».")
        elif not extensions:
            problems += 1
            print(
                f"  {FAIL} no se encontró la extensión de nbgrader. Solución: pip install 'nbgrader>=0.9,<0.10'"
            )
        else:
            for name, enabled in sorted(extensions.items()):
                mark = OK if enabled else WARN
                state = (
                    "activada"
                    if enabled
                    else "desactivada (jupyter labextension enable " + name + ")"
                )
                print(f"  {mark} {name}: {state}")

    print("\nConjuntos de datos:")
    problems += _print_datasets()

    sandbox = _sandbox_report()
    if sandbox:
        print("\nAislamiento de la corrección:")
        for line in sandbox:
            print(f"  {line}")

    if getattr(args, "cluster", None):
        from course.grading.cluster import doctor_report

        print(f"\nClúster de Dask ({args.cluster}):")
        lines, bad = doctor_report(args.cluster)
        problems += bad
        for line in lines:
            print(f"  {line}")

    print()
    if problems:
        print(f"{FAIL} Hay {problems} problema(s) que resolver (véase arriba).")
        return 1
    print(f"{OK} Todo listo.")
    return 0


def _sandbox_report() -> list[str]:
    """Lines describing the grading sandbox, if the grading package provides them."""
    try:
        from course.grading import sandbox
    except ImportError:
        return []
    report = getattr(sandbox, "doctor_lines", None)
    return list(report()) if callable(report) else []


def _print_datasets() -> int:
    """Print where each data set was found (validated) or why not; return the problem count."""
    from course import datasets

    problems = 0
    for status in datasets.dataset_status():
        if status.found:
            print(f"  {OK} {status.name}: {status.location}")
            print(f"      {status.detail}")
        else:
            mark = FAIL if status.required else WARN
            problems += int(status.required)
            print(f"  {mark} {status.name}: no disponible. {status.description}")
            for line in status.detail.splitlines():
                print(f"      {line}")
    return problems


def cmd_data(args: argparse.Namespace) -> int:
    """List, validate and optionally fetch the data sets."""
    from course import datasets
    from course.errors import DataError

    if args.download:
        try:
            if args.download in ("fashion-mnist", "todo"):
                datasets.load_fashion_mnist(download=True)
                print(f"{OK} Fashion-MNIST disponible.")
            if args.download in ("envios", "todo"):
                path = datasets.fetch_shipping_kaggle()
                print(f"{OK} Datos de envíos descargados en {path}")
        except DataError as exc:
            print(f"{FAIL} {exc}", file=sys.stderr)
            return 1
    print("Conjuntos de datos (validados por completo):")
    problems = _print_datasets()
    return 1 if problems else 0


class SpanishHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with its fixed English words in Spanish."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[override]
        return super().add_usage(
            usage, actions, groups, prefix="uso: " if prefix is None else prefix
        )


class SpanishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help, titles and errors read in Spanish."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", SpanishHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opciones"
        self.add_argument("-h", "--help", action="help", help="muestra esta ayuda y termina")

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(
            2, f"{self.prog}: error: {message}\nUse «{self.prog} --help» para ver las opciones.\n"
        )


def build_parser() -> argparse.ArgumentParser:
    parser = SpanishArgumentParser(
        prog="course",
        description="Herramientas del curso «Redes neuronales con Keras»: diagnóstico, datos y "
        "flujo de trabajo del profesorado con nbgrader.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {_package_version()}",
        help="muestra la versión",
    )
    sub = parser.add_subparsers(
        dest="command", metavar="ORDEN", title="órdenes", parser_class=SpanishArgumentParser
    )

    doctor = sub.add_parser(
        "doctor",
        help="comprueba la instalación, las extensiones y los datos",
        description="Comprueba la instalación, las extensiones de JupyterLab, los conjuntos "
        "de datos y el aislamiento de la corrección; termina con código 1 si falta algo "
        "necesario.",
    )
    doctor.add_argument(
        "--rapido",
        dest="quick",
        action="store_true",
        help="no consulta las extensiones de JupyterLab",
    )
    doctor.add_argument(
        "--cluster",
        metavar="DIRECCION",
        default=None,
        help="comprueba también cada trabajador de ese planificador de Dask (tcp://HOST:8786): "
        "versión del curso y protecciones de la corrección",
    )
    doctor.set_defaults(func=cmd_doctor)

    data = sub.add_parser(
        "data",
        help="lista y valida los conjuntos de datos",
        description="Lista y valida por completo los conjuntos de datos del curso; con "
        "--descargar obtiene los que falten.",
    )
    data.add_argument(
        "--descargar",
        dest="download",
        choices=("fashion-mnist", "envios", "todo"),
        help="descarga lo que falte (Fashion-MNIST de la réplica oficial; envíos con kagglehub)",
    )
    data.set_defaults(func=cmd_data)

    from course.comprobar import register as register_comprobar

    register_comprobar(sub)

    try:
        from course.grading.cli import register
    except ImportError:
        register = None
    if register is not None:
        register(sub)
    return parser


def _package_version() -> str:
    from course import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("\nInterrumpido.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
