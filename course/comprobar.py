"""``course comprobar``: run an assignment notebook the way the grader will, before handing it in.

The notebook is copied (with the files beside it) to a temporary folder and run
top to bottom in a fresh kernel, inside the grading sandbox
(:mod:`course.grading.sandbox`) where this machine allows it, with the same
per-cell time limit. Only the visible tests run: any hidden-test region
(``### BEGIN HIDDEN TESTS``) is removed before execution, so a hidden test is
never run nor shown. It then prints, in Spanish, each exercise's visible test
(passed or not, with the check's message and its points) and the warnings that
cost students points in practice: cells run out of order or state that a fresh
kernel does not reproduce, ``input()``, output on stderr, a wrong file name, the
notebook's size, damaged nbgrader metadata and missing data files.

Execution uses :mod:`nbclient` (the engine nbgrader itself runs notebooks with).
From JupyterLab, a student calls :func:`comprobar` in a cell (or ``%comprobar``
after ``%load_ext course.comprobar``): it checks the saved notebook the kernel
belongs to. Nothing here imports TensorFlow or nbgrader.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: A notebook larger than this (MB) gets a warning; Moodle's download is capped by
#: ``course collect --tamano-max`` (20 MB by default).
SIZE_WARNING_MB = 5.0
#: At most this many MB of the files beside the notebook are copied for the run.
COPY_LIMIT_MB = 200.0
#: Set in the kernel that ``course comprobar`` runs the notebook in: the notebook's own
#: "check before handing in" cell then does nothing (no check within the check).
RUN_FLAG = "COURSE_COMPROBAR"
_NAME = re.compile(r"^a\d\d_[a-z0-9_]+\.ipynb$")
_IMPORT = re.compile(r"from\s+course\.assignments(?:\s+import\s+|\.)(a\d\d)\b")
_INPUT = re.compile(r"(?<![\w.])input\s*\(")
_DATA_EXT = ("csv", "tsv", "npz", "npy", "parquet", "xlsx")
#: The points at the end of an exercise heading, "Ejercicio 1 — El doble (2 puntos)".
_TITLE_POINTS = re.compile(r"\s*\(\s*\d+(?:[.,]\d+)?\s+puntos?\s*\)\s*$")
_DATA_NAME = re.compile(r"(?<![\w./-])([\w-]+(?:\.[\w-]+)*\.(?:" + "|".join(_DATA_EXT) + r"))\b")


@dataclass
class Exercise:
    """The visible test of one exercise, after the run."""

    grade_id: str
    title: str
    points: float
    passed: bool
    message: str


@dataclass
class Report:
    """What ``course comprobar`` found."""

    path: Path
    ran: bool = False  # the notebook ran top to bottom
    failure: str = ""  # why it did not
    isolated: bool = False
    exercises: list[Exercise] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0 if self.ran else 1


def _text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def _where(index: int, cell: dict[str, Any]) -> str:
    first = next((ln.strip() for ln in _text(cell.get("source")).splitlines() if ln.strip()), "")
    if len(first) > 50:
        first = first[:49] + "…"
    return f"celda {index + 1}" + (f" (la que empieza por «{first}»)" if first else "")


def _nbgrader(cell: Any) -> dict[str, Any] | None:
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nbg if isinstance(nbg, dict) else None


def _is_test(cell: dict[str, Any]) -> bool:
    nbg = _nbgrader(cell) or {}
    return cell.get("cell_type") == "code" and bool(nbg.get("grade")) and not nbg.get("solution")


# ---------------------------------------------------------------------------
# Checks on the saved file
# ---------------------------------------------------------------------------


def _expected_name(nb: dict[str, Any]) -> str:
    """``a01_perceptron.ipynb`` when the project's assignments are known, else ``a01``."""
    prefix = ""
    for cell in nb.get("cells", []):
        match = _IMPORT.search(_text(cell.get("source")))
        if match:
            prefix = match.group(1)
            break
    if not prefix:
        return ""
    try:
        from course.grading.coursedir import project_root, source_assignments

        names = [a for a in source_assignments(project_root()) if a.startswith(prefix + "_")]
    except Exception:  # noqa: BLE001 - installed without the project: the prefix is enough
        names = []
    return f"{names[0]}.ipynb" if len(names) == 1 else prefix


def name_warnings(path: Path, nb: dict[str, Any]) -> list[str]:
    expected = _expected_name(nb)
    name = path.name
    if expected.endswith(".ipynb"):
        if name != expected:
            return [
                f"El cuaderno se llama «{name}» y debe llamarse «{expected}». Renómbralo "
                "(clic derecho en el panel de ficheros > Renombrar) antes de entregarlo: con "
                "otro nombre la corrección puede no encontrarlo."
            ]
        return []
    if not _NAME.match(name) or (expected and not name.startswith(expected + "_")):
        wanted = (
            f"«{expected}_….ipynb»" if expected else "el de la tarea publicada (aNN_nombre.ipynb)"
        )
        return [
            f"El nombre «{name}» no es el de la tarea: debe ser {wanted}, sin «(1)», «Copia de» "
            "ni espacios. Renómbralo antes de entregarlo."
        ]
    return []


def size_warnings(path: Path) -> list[str]:
    size = path.stat().st_size / 1024**2
    if size <= SIZE_WARNING_MB:
        return []
    return [
        f"El cuaderno ocupa {size:.1f} MB (más de {SIZE_WARNING_MB:g} MB): casi siempre son "
        "salidas grandes (imágenes, tablas enormes). Bórralas con Editar > Clear Outputs of All "
        "Cells (borrar las salidas de todas las celdas), guarda y entrega: la corrección vuelve "
        "a ejecutarlo todo."
    ]


def metadata_warnings(nb: dict[str, Any]) -> list[str]:
    """Damaged or copied nbgrader metadata (what nbgrader needs to find each cell)."""
    found: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(nb.get("cells", [])):
        if not isinstance(cell, dict):
            continue
        meta = cell.get("metadata")
        raw = meta.get("nbgrader") if isinstance(meta, dict) else None
        source = _text(cell.get("source"))
        if raw is None:
            if re.match(r"\s*#\s*Prueba del ejercicio", source):
                found.append(
                    f"La {_where(index, cell)} parece una prueba pero ha perdido sus metadatos de "
                    "nbgrader (¿la copiaste o pegaste?): la corrección no la reconocerá. Copia esa "
                    "celda desde el cuaderno original de la tarea."
                )
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("grade_id"), str):
            found.append(
                f"La {_where(index, cell)} tiene metadatos de nbgrader dañados (sin «grade_id»). "
                "Vuelve a descargar la tarea y copia tus respuestas en ella."
            )
            continue
        gid = raw["grade_id"]
        if gid in seen:
            found.append(
                f"Las celdas {seen[gid] + 1} y {index + 1} comparten el identificador «{gid}» "
                "(¿duplicaste una celda?): la corrección solo puede puntuar una. Borra la copia."
            )
        seen.setdefault(gid, index)
        if raw.get("grade") and "points" not in raw:
            found.append(f"La {_where(index, cell)} es una prueba sin puntos en sus metadatos.")
    return found


def order_warnings(nb: dict[str, Any]) -> list[str]:
    """Cells run out of order or skipped in the student's own session."""
    last: tuple[int, int] | None = None  # (execution count, index)
    problems: list[str] = []
    skipped: list[int] = []
    for index, cell in enumerate(nb.get("cells", [])):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        count = cell.get("execution_count")
        if not isinstance(count, int):
            if _text(cell.get("source")).strip():
                skipped.append(index)
            continue
        if last is not None and count < last[0]:
            problems.append(f"la celda {index + 1} se ejecutó antes que la {last[1] + 1}")
        if skipped and last is not None:
            problems.append(f"la celda {skipped[0] + 1} no se ejecutó, pero sí otras posteriores")
        skipped = []
        last = (count, index)
    if not problems:
        return []
    listing = "; ".join(problems[:3]) + ("; …" if len(problems) > 3 else "")
    return [
        f"En tu sesión ejecutaste celdas fuera de orden ({listing}). La corrección lo ejecuta todo "
        "de arriba abajo en un núcleo nuevo: si algo depende de ese orden, fallará. Usa Kernel > "
        "Reiniciar intérprete y ejecutar todas las celdas (en inglés, Restart Kernel and Run All "
        "Cells) y comprueba que todo sigue bien."
    ]


def input_warnings(nb: dict[str, Any]) -> list[str]:
    found = [
        _where(i, c)
        for i, c in enumerate(nb.get("cells", []))
        if isinstance(c, dict)
        and c.get("cell_type") == "code"
        and _INPUT.search(_text(c.get("source")))
    ]
    if not found:
        return []
    return [
        f"La {found[0]} usa input(){' (y ' + str(len(found) - 1) + ' más)' if len(found) > 1 else ''}: "
        "en la corrección nadie puede escribir la respuesta y la celda falla. Pon el valor "
        "directamente en el código."
    ]


def data_warnings(path: Path, nb: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for cell in nb.get("cells", []):
        for match in _DATA_NAME.findall(
            _text(cell.get("source") if isinstance(cell, dict) else "")
        ):
            if match not in names:
                names.append(match)
    missing = [n for n in names if not (path.parent / n).is_file()]
    if not missing:
        return []
    elsewhere = []
    for folder in (os.environ.get("COURSE_DATA_DIR", ""),):
        if folder and Path(folder).is_dir():
            elsewhere += [n for n in missing if (Path(folder) / n).is_file()]
    really = [n for n in missing if n not in elsewhere]
    if not really:
        return []
    return [
        f"Falta {', '.join(really)} junto al cuaderno ({path.parent}). El enunciado lo usa: "
        "cópialo en esa carpeta (te lo da tu profesor; «course data» dice dónde encontrarlo)."
    ]


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------


def _visible_only(nb: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``nb`` without hidden-test regions and without old outputs."""
    import copy

    from course.grading.hidden import scrub_hidden_tests

    clean = copy.deepcopy(nb)
    for cell in clean.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = scrub_hidden_tests(_text(cell.get("source")))
        cell["source"] = source
        cell["outputs"] = []
        cell["execution_count"] = None
    return clean


def _copy_folder(src: Path, dest: Path, notebook: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    budget = COPY_LIMIT_MB * 1024**2  # in total: a notebook in a crowded folder stays quick
    for item in sorted(src.iterdir()):
        if item == notebook or item.is_symlink() or not item.is_file() or item.name.startswith("."):
            continue
        size = item.stat().st_size
        if item.suffix == ".ipynb" or size > budget:
            continue
        shutil.copy2(item, dest / item.name)
        budget -= size


def _short_tmp() -> str | None:
    return "/tmp" if os.path.isdir("/tmp") else None


def _kernel_manager(root: Path, work: Path, isolate: bool) -> tuple[Any, bool]:
    """A KernelManager for a fresh kernel: sandboxed when possible."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    from course._env import QUIET_TF_ENV

    if isolate:
        try:
            from course.grading import sandbox

            if sandbox.namespaces_available():
                package = sandbox.sandbox_package(root / "package")
                runtime = root / "runtime"
                for name in ("home", "tmp", "runtime"):
                    (root / name).mkdir(exist_ok=True)
                sandbox.write_kernelspec(
                    root / "jupyter",
                    writable=[runtime],
                    work=work,
                    home=root / "home",
                    tmp=root / "tmp",
                    package=package,
                    readable=sandbox.data_folders(package),
                    env={**QUIET_TF_ENV, RUN_FLAG: "1"},
                )
                ksm = KernelSpecManager(kernel_dirs=[str(root / "jupyter" / "kernels")])
                km = KernelManager(
                    kernel_name="python3",
                    kernel_spec_manager=ksm,
                    transport="ipc",
                    ip=str(runtime / "kernel"),
                )
                km.connection_file = str(runtime / "kernel-comprobar.json")
                return km, True
        except (ImportError, OSError):
            pass
    km = KernelManager(kernel_name="python3")
    return km, False


def run_notebook(
    path: Path, nb: dict[str, Any], *, isolate: bool = True, timeout: float | None = None
) -> tuple[Any, Report]:
    """Execute the visible version of ``nb`` in a fresh kernel; return it and a report."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from course._env import QUIET_TF_ENV

    report = Report(path)
    if timeout is None:
        from course.grading.timeouts import notebook_seconds

        timeout = notebook_seconds()
    node = nbformat.from_dict(_visible_only(nb))
    with tempfile.TemporaryDirectory(prefix="cc-", dir=_short_tmp()) as tmp:
        root = Path(tmp)
        work = root / "work"
        _copy_folder(path.parent, work, path)
        km, report.isolated = _kernel_manager(root, work, isolate)
        env = {**os.environ, **QUIET_TF_ENV, "PYTHONSAFEPATH": "1", RUN_FLAG: "1"}
        env.pop("JPY_SESSION_NAME", None)
        if report.isolated:
            env.update(
                HOME=str(root / "home"),
                TMPDIR=str(root / "tmp"),
                JUPYTER_RUNTIME_DIR=str(root / "runtime"),
                JUPYTER_CONFIG_DIR=str(root / "home" / ".jupyter"),
                JUPYTER_DATA_DIR=str(root / "home" / ".local" / "share" / "jupyter"),
            )
        client = NotebookClient(
            node,
            km=km,
            timeout=int(timeout),
            allow_errors=True,
            record_timing=False,
            resources={"metadata": {"path": str(work)}},
        )
        try:
            client.execute(
                cwd=str(work), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        except CellTimeoutError:
            report.failure = (
                f"una celda tardó más de {timeout:.0f} s, el límite de la corrección: revisa bucles "
                "y entrenamientos largos (menos épocas o datos)"
            )
        except DeadKernelError:
            report.failure = (
                "el núcleo de Python se detuvo (¿falta de memoria o sys.exit()?): la corrección se "
                "detendría en el mismo punto"
            )
        except Exception as exc:  # noqa: BLE001 - kernel start problems, shown in Spanish
            _stop(km)
            if report.isolated and isolate:
                return run_notebook(path, nb, isolate=False, timeout=timeout)
            report.failure = (
                f"no se pudo iniciar un núcleo de Python ({exc.__class__.__name__}: {exc})"
            )
        finally:
            _stop(km)
    return node, report


def _stop(km: Any) -> None:
    """Stop the kernel (nbclient leaves a kernel manager it did not create running)."""
    try:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001 - already gone
        pass


def _outputs_text(outputs: list[Any], kind: str) -> str:
    parts = []
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") == kind:
            parts.append(_text(out.get("text")))
    return "".join(parts)


def _shown_text(outputs: list[Any]) -> str:
    """What a cell showed as text: printed lines and the plain-text form of displayed
    objects (the course's checks display a box whose text form is their message)."""
    parts = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream" and out.get("name") == "stdout":
            parts.append(_text(out.get("text")))
        elif kind in ("display_data", "execute_result"):
            plain = (out.get("data") or {}).get("text/plain")
            if plain:
                parts.append(_text(plain) + "\n")
    return "".join(parts)


def _found_line(text: str) -> str:
    """One line of a passing check's message: what it found, else its first line."""
    kept = [ln.strip() for ln in _ANSI.sub("", text).splitlines() if ln.strip()]
    found = next((ln for ln in kept if ln.startswith("Qué se encontró")), "")
    return found or (kept[0] if kept else "")


def _error_text(error: dict[str, Any], lines: int = 6) -> str:
    """``ename: evalue``, with a Spanish hint for the errors students meet most."""
    ename, evalue = str(error.get("ename")), str(error.get("evalue"))
    # The course's checks raise their own Spanish message: the class name adds nothing.
    own = evalue.lstrip().startswith(("✘", "⚠"))
    if own:
        text = _short(evalue, lines)
    else:
        text = _short(f"{ename}: {evalue}" if evalue.strip() else ename, lines)
    if ename == "NotImplementedError" and not evalue.strip():
        text += " (todavía no has escrito esta respuesta: sustituye el marcador por tu código)"
    missing = re.search(r"name '(\w+)' is not defined", evalue)
    if ename == "NameError" and missing:
        text += (
            f" («{missing.group(1)}» no está definido en ese punto: defínelo en una celda "
            "anterior o revisa cómo lo escribiste)"
        )
    return text


def _error(outputs: list[Any]) -> dict[str, Any] | None:
    return next((o for o in outputs if o.get("output_type") == "error"), None)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _short(text: str, lines: int = 6) -> str:
    text = _ANSI.sub("", text).strip()
    kept = text.splitlines()
    return "\n".join(kept[:lines]) + ("\n…" if len(kept) > lines else "")


def _titles(nb: dict[str, Any]) -> dict[str, str]:
    heading, titles = "", {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in _text(cell.get("source")).splitlines():
                if line.lstrip().startswith("#"):
                    heading = line.lstrip("# ").strip()
                    break
        nbg = _nbgrader(cell)
        if nbg and isinstance(nbg.get("grade_id"), str) and heading:
            titles[nbg["grade_id"]] = heading
    return titles


def check_notebook(
    path: str | os.PathLike[str], *, isolate: bool = True, timeout: float | None = None
) -> Report:
    """Check ``path`` as the grader will; see the module docstring."""
    path = Path(path).resolve()
    report = Report(path)
    if not path.is_file():
        report.failure = f"no existe el fichero {path}"
        return report
    try:
        nb = json.loads(path.read_text(encoding="utf-8-sig"))
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            raise ValueError("no tiene la lista «cells» de un cuaderno")
    except (ValueError, UnicodeDecodeError) as exc:
        report.failure = (
            f"el fichero está dañado y no se puede abrir como cuaderno ({exc}). Si JupyterLab "
            "tampoco lo abre, vuelve a descargar la tarea y copia en ella tus respuestas"
        )
        return report
    warnings = name_warnings(path, nb) + size_warnings(path) + metadata_warnings(nb)
    warnings += order_warnings(nb) + input_warnings(nb) + data_warnings(path, nb)
    executed, run = run_notebook(path, nb, isolate=isolate, timeout=timeout)
    report.isolated, report.failure = run.isolated, run.failure
    titles = _titles(nb)
    stderr_cells: list[str] = []
    broken: list[str] = []
    broken_since_test: list[str] = []  # answer cells that failed after the previous test
    fresh_only: list[str] = []
    for index, (cell, saved) in enumerate(zip(executed.cells, nb["cells"], strict=False)):
        if cell.get("cell_type") != "code":
            continue
        outputs = cell.get("outputs", [])
        if _outputs_text(outputs, "stderr").strip():
            stderr_cells.append(_where(index, saved))
        error = _error(outputs)
        if _is_test(cell):
            nbg = _nbgrader(cell) or {}
            if error is not None:
                message = _error_text(error)
            else:
                message = _found_line(_shown_text(outputs))
            if error is not None and broken_since_test:
                message += (
                    f"\n(Antes falló la {broken_since_test[0]}: arregla primero ese error, "
                    "porque esta prueba usa lo que esa celda debía definir.)"
                )
            broken_since_test = []
            report.exercises.append(
                Exercise(
                    nbg.get("grade_id", ""),
                    titles.get(nbg.get("grade_id", ""), ""),
                    float(nbg.get("points", 0) or 0),
                    error is None and not run.failure,
                    message,
                )
            )
            continue
        if error is None:
            continue
        ename = str(error.get("ename"))
        broken.append(f"la {_where(index, saved)} falla: {_error_text(error, 2)}")
        broken_since_test.append(_where(index, saved))
        saved_outputs = saved.get("outputs", []) if isinstance(saved, dict) else []
        if isinstance(saved.get("execution_count"), int) and _error(saved_outputs) is None:
            fresh_only.append(_where(index, saved))
        if ename == "StdinNotImplementedError" and not any("input()" in w for w in warnings):
            warnings.append(
                f"La {_where(index, saved)} pide datos por teclado (input()): en la corrección "
                "nadie puede responder. Pon el valor directamente en el código."
            )
        if ename in ("FileNotFoundError",) and not any(w.startswith("Falta ") for w in warnings):
            warnings.append(
                f"La {_where(index, saved)} no encuentra un fichero: {error.get('evalue')}. Ponlo "
                "junto al cuaderno."
            )
    if fresh_only:
        warnings.append(
            "Estas celdas funcionaban en tu sesión pero fallan en un núcleo nuevo: "
            + "; ".join(fresh_only)
            + ". Seguramente usan algo que definiste en una celda que luego borraste o cambiaste, "
            "o que ejecutaste más abajo. Reinicia el núcleo y ejecuta todo para verlo."
        )
    if stderr_cells:
        warnings.append(
            "Estas celdas escriben en la salida de errores (stderr): "
            + "; ".join(stderr_cells[:3])
            + (" y otras" if len(stderr_cells) > 3 else "")
            + ". nbgrader da por fallida una prueba que escribe ahí: quita los avisos "
            "(warnings) y los print(..., file=sys.stderr)."
        )
    if broken and not report.failure:
        more = len(broken) - 3
        report.failure = "; ".join(broken[:3]) + (
            f"; y {more} celda{'s' if more > 1 else ''} más" if more > 0 else ""
        )
    report.ran = not report.failure
    report.warnings = warnings
    return report


def format_report(report: Report) -> str:
    """The Spanish text ``course comprobar`` prints."""
    mode = (
        "aislado como en la corrección"
        if report.isolated
        else "sin el aislamiento de la corrección, que este equipo no permite"
    )
    lines = [
        f"Comprobando {report.path.name} como lo hará la corrección: en un núcleo nuevo, de "
        f"arriba abajo y solo con las pruebas visibles ({mode}).",
        "",
    ]
    total = sum(e.points for e in report.exercises)
    earned = sum(e.points for e in report.exercises if e.passed)
    titles = [_TITLE_POINTS.sub("", ex.title) for ex in report.exercises]
    for ex, title in zip(report.exercises, titles, strict=True):
        # The heading's "(2 puntos)" is the exercise's; the points shown are this test cell's.
        points = f"{ex.points:g} punto" + ("" if ex.points == 1 else "s")
        if not title:
            label = f"Prueba «{ex.grade_id}»"
        elif titles.count(title) > 1:
            label = f"{title}, prueba «{ex.grade_id}»"
        else:
            label = title
        verdict = "supera su prueba visible" if ex.passed else "NO supera su prueba visible"
        lines.append(f"{'✔' if ex.passed else '✘'} {label}: {verdict} (vale {points}).")
        for line in ex.message.splitlines():
            lines.append(f"    {line}")
    if report.exercises:
        passed = sum(1 for e in report.exercises if e.passed)
        count = len(report.exercises)
        # One line per test cell, and an exercise may have several: count tests, not exercises.
        lines += [
            "",
            f"Pruebas visibles superadas: {passed} de {count} "
            f"({earned:g} de {total:g} puntos). En la corrección cada ejercicio pasa además "
            "pruebas ocultas con otros datos: la nota puede ser menor si tu código solo acierta "
            "en los ejemplos visibles.",
        ]
    if report.warnings:
        lines += ["", "Avisos:"]
        lines += [f"  ! {w}" for w in report.warnings]
    lines.append("")
    if report.ran:
        lines.append("✔ El cuaderno se ejecuta de principio a fin en un núcleo nuevo.")
    else:
        lines.append(
            f"✘ El cuaderno no se ejecuta de principio a fin: {report.failure.rstrip('. ')}."
        )
        lines.append("  Corrígelo antes de entregar: la corrección lo ejecutará igual que aquí.")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# JupyterLab (the command line is ``course comprobar``, in course.cli.student)
# ---------------------------------------------------------------------------


def _current_notebook() -> Path | None:
    name = os.environ.get("JPY_SESSION_NAME", "")
    if name and name.endswith(".ipynb") and Path(name).is_file():
        return Path(name)
    return None


def comprobar(cuaderno: str | os.PathLike[str] | None = None) -> None:
    """Check the saved notebook this kernel belongs to (or ``cuaderno``) from JupyterLab.

    Prints the report and returns nothing, so the cell shows no ``Out[]`` value
    (:func:`check_notebook` returns the :class:`Report`)."""
    if os.environ.get(RUN_FLAG):
        return None  # this kernel is course comprobar's own run of the notebook
    if os.environ.get("NBGRADER_EXECUTION"):
        print("(La comprobación no se ejecuta durante la corrección.)")
        return None
    path = Path(cuaderno) if cuaderno else _current_notebook()
    if path is None:
        print(
            "No sé qué cuaderno comprobar: escribe su nombre, por ejemplo "
            "comprobar('a01_perceptron.ipynb'), o usa «course comprobar CUADERNO.ipynb» en una "
            "terminal."
        )
        return None
    stale = _unsaved(path)
    if stale:
        print(stale)
        return None
    print(
        f"Ejecutando una copia de {path.name} tal como está guardado; tarda más o menos lo "
        "que ejecutar todo el cuaderno…",
        flush=True,
    )
    print(format_report(check_notebook(path)))
    return None


def _unsaved(path: Path) -> str:
    """A Spanish warning when the kernel ran cells after the notebook was last saved."""
    try:
        ip = __import__("IPython").get_ipython()
        nb = json.loads(path.read_text(encoding="utf-8"))
    except Exception:  # noqa: BLE001 - outside IPython or unreadable: nothing to compare
        return ""
    if ip is None or not isinstance(nb, dict):
        return ""
    cells = [c for c in nb.get("cells", []) if isinstance(c, dict)]
    # Compared by text, not by execution counts: after "Run all" the saved file may
    # lack this session's counts and outputs and still hold exactly the code that ran.
    sources = {_plain_source(_text(c.get("source"))) for c in cells if c.get("cell_type") == "code"}
    try:  # what this kernel ran, as typed, without the cell running now
        ran = [h for h in ip.history_manager.input_hist_raw[1:-1] if h.strip()]
    except Exception:  # noqa: BLE001 - no history: the counts are enough
        ran = []
    edited = any(_plain_source(h) not in sources for h in ran)
    if edited:
        return (
            f"Guarda primero el cuaderno (Ctrl+S o Archivo > Guardar) y vuelve a ejecutar esta "
            f"celda: la versión guardada de {path.name} no tiene todo lo que has ejecutado, y "
            "la comprobación, como la corrección, usa el fichero guardado. Si ya lo guardaste, "
            "es que ejecutaste celdas que luego borraste o cambiaste: reinicia el núcleo y "
            "ejecuta todo (la corrección tampoco las tendrá)."
        )
    return ""


def _plain_source(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext course.comprobar`` adds the ``%comprobar`` magic."""

    def magic(line: str) -> None:
        comprobar(line.strip() or None)

    ipython.register_magic_function(magic, magic_kind="line", magic_name="comprobar")
