"""The student commands of ``course``: ``doctor``, ``data``, ``lab`` and ``comprobar``.

Registered in :data:`course.cli.REGISTRY` by the :func:`course.cli.command`
decorator; heavy imports stay inside the handlers so ``course --help`` is fast.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

from course.cli import STUDENT, Option, command

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
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent))
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


@command(
    "doctor",
    STUDENT,
    "comprueba la instalación, las extensiones y los datos",
    description="Comprueba la instalación, las extensiones de JupyterLab, los conjuntos de datos "
    "y el aislamiento de la corrección; termina con código 1 si falta algo necesario.",
    options=(
        Option.switch(
            "--rapido",
            dest="quick",
            help="no consulta las extensiones de JupyterLab",
        ),
        Option(
            "--cluster",
            dest="cluster",
            metavar="DIRECCION",
            default=None,
            help="comprueba también cada trabajador de ese planificador de Dask (tcp://HOST:8786): "
            "versión del curso y protecciones de la corrección",
        ),
    ),
)
def doctor(args: argparse.Namespace) -> int:
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

    if args.cluster:
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


@command(
    "data",
    STUDENT,
    "lista y valida los conjuntos de datos",
    description="Lista y valida por completo los conjuntos de datos del curso; con --descargar "
    "obtiene los que falten.",
    options=(
        Option(
            "--descargar",
            dest="download",
            choices=("fashion-mnist", "envios", "todo"),
            help="descarga lo que falte (Fashion-MNIST de la réplica oficial; envíos con "
            "kagglehub)",
        ),
    ),
)
def data(args: argparse.Namespace) -> int:
    """List, validate and optionally fetch the data sets (a fetch error is a CourseError)."""
    from course import datasets

    if args.download in ("fashion-mnist", "todo"):
        datasets.load_fashion_mnist(download=True)
        print(f"{OK} Fashion-MNIST disponible.")
    if args.download in ("envios", "todo"):
        path = datasets.fetch_shipping_kaggle()
        print(f"{OK} Datos de envíos descargados en {path}")
    print("Conjuntos de datos (validados por completo):")
    problems = _print_datasets()
    return 1 if problems else 0


@command(
    "lab",
    STUDENT,
    "abre JupyterLab con los cuadernos del curso",
    options=(
        Option(
            "--carpeta",
            dest="folder",
            default=None,
            metavar="CARPETA",
            help="carpeta que se abre (por defecto, la del proyecto o la actual)",
        ),
        Option(
            "--puerto",
            dest="port",
            type=int,
            default=None,
            metavar="N",
            help="puerto (por defecto, uno libre)",
        ),
        Option.switch("--sin-navegador", dest="no_browser", help="no abre el navegador"),
    ),
)
def lab(args: argparse.Namespace) -> int:
    """Start JupyterLab on the project (or ``--carpeta``) until Ctrl+C."""
    from course._paths import checkout_root
    from course.lab import run_lab

    root = Path(args.folder).resolve() if args.folder else checkout_root() or Path.cwd()
    return run_lab(root, port=args.port, open_browser=not args.no_browser)


@command(
    "comprobar",
    STUDENT,
    "comprueba tu cuaderno como lo hará la corrección, antes de entregarlo",
    description="Ejecuta el cuaderno de una tarea como la corrección: en un núcleo nuevo, de "
    "arriba abajo y solo con las pruebas visibles. Muestra qué ejercicios superan su prueba "
    "visible y avisa de lo que suele costar puntos. Termina con código 0 solo si el cuaderno "
    "se ejecuta de principio a fin.",
    options=(
        Option("notebook", metavar="CUADERNO.ipynb", help="el cuaderno de la tarea"),
        Option.switch(
            "--sin-aislamiento",
            dest="no_isolation",
            help="ejecuta el núcleo sin el aislamiento de la corrección (más rápido de arrancar)",
        ),
    ),
)
def comprobar(args: argparse.Namespace) -> int:
    """Run a student's notebook as the grader will (:mod:`course.comprobar`)."""
    from course.comprobar import check_notebook, format_report

    report = check_notebook(args.notebook, isolate=not args.no_isolation)
    print(format_report(report))
    return report.exit_code
