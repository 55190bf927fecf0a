"""Static scan of submitted code for tampering, and the instructor's review list.

Before a submission runs, :func:`scan_notebook` parses every code cell with
:mod:`ast` (comments and bare strings never count; IPython magic and shell lines
are recognised on the parsed code) and looks for what a
student needs to fool the autograder rather than to solve an exercise: IPython
hooks (input transformers, ``events``, ``set_custom_exc``), ``sys.displayhook``
or ``sys.excepthook``, ``builtins``, rebinding names of the ``course`` package,
``sqlite3`` or the gradebook, ``..`` in paths, ``exec``/``eval``/``compile``,
``ctypes``, ``os._exit`` and process or signal tricks. A hit does not change the
score: it *flags* the submission. :func:`record_flags` writes it to
``revision.csv`` in the course folder (columns estudiante, tarea, estado,
motivo, huella) with estado ``pendiente``; ``course export`` leaves its grade
empty until the instructor approves it (``course review aNN --aprobar ID``, in
:mod:`course.cli.instructor`). An approval holds only for the code that was
reviewed (:func:`fingerprint`, a hash, in the ``huella`` column).
"""

from __future__ import annotations

import ast
import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REVIEW_FILE = "revision.csv"
FIELDS = ["estudiante", "tarea", "estado", "motivo", "huella"]

_DANGEROUS_MODULES = {
    "sqlite3": "acceso a una base de datos (sqlite3)",
    "ctypes": "acceso a memoria nativa (ctypes)",
    "builtins": "modificación de funciones internas (builtins)",
    "gc": "inspección del recolector de memoria (gc)",
    "inspect": "inspección del código de las pruebas (inspect)",
    "signal": "manejo de señales (signal)",
    "socket": "acceso a la red (socket)",
    "urllib": "acceso a la red (urllib)",
    "requests": "acceso a la red (requests)",
    "http": "acceso a la red (http)",
    "subprocess": "ejecución de programas (subprocess)",
    "multiprocessing": "creación de procesos (multiprocessing)",
    "importlib": "recarga o sustitución de módulos (importlib)",
    "nbgrader": "uso de nbgrader desde el cuaderno",
    "shutil": "manipulación de archivos (shutil)",
}
_DANGEROUS_CALLS = {
    "exec": "ejecución de código construido como texto (exec)",
    "eval": "evaluación de código construido como texto (eval)",
    "compile": "compilación de código en tiempo de ejecución (compile)",
    "__import__": "importación dinámica (__import__)",
    "get_ipython": "acceso al intérprete de IPython (get_ipython)",
    "setattr": "modificación dinámica de atributos (setattr)",
    "globals": "modificación del espacio de nombres (globals)",
}
_DANGEROUS_ATTRS = {
    "displayhook": "sustitución de sys.displayhook",
    "excepthook": "sustitución de sys.excepthook",
    "input_transformers_cleanup": "transformadores de entrada de IPython",
    "input_transformers_post": "transformadores de entrada de IPython",
    "ast_transformers": "transformadores de código de IPython",
    "set_custom_exc": "captura de excepciones de IPython (set_custom_exc)",
    "events": "eventos de IPython",
    "showtraceback": "ocultación de errores de IPython",
    "_exit": "terminación brusca del proceso (os._exit)",
    "fork": "creación de procesos (os.fork)",
    "system": "ejecución de órdenes del sistema (os.system)",
    "kill": "envío de señales (os.kill)",
    "modules": "manipulación de sys.modules",
    "__eq__": "redefinición de la comparación (__eq__)",
    "__class__": "suplantación de tipos (__class__)",
    "chdir": "cambio de carpeta de trabajo (os.chdir)",
}
_COMPARISON_DUNDERS = {
    "__eq__",
    "__ne__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__bool__",
    "__float__",
    "__array__",
    "__array_ufunc__",
    "__array_function__",
    "__instancecheck__",
    "__getattribute__",
}
#: Patterns looked for in the strings a cell's code uses (never in its comments or
#: in bare strings such as docstrings, which do nothing when the cell runs).
_STRING_PATTERNS = [
    (re.compile(r"\.\.[/\\]"), "rutas con «..» (fuera de la carpeta de la entrega)"),
    (re.compile(r"gradebook", re.IGNORECASE), "referencia al libro de notas (gradebook)"),
    (re.compile(r"source_assignments|/source/|/submitted/"), "rutas del curso del instructor"),
]
_MAGIC_REASON = "órdenes mágicas o del sistema (! o %)"
#: A line IPython runs as a magic or shell command (``!ls``, ``%cd``, ``x = !ls``).
_MAGIC_LINE = re.compile(r"^\s*(?:[\w., ]+\s*=\s*)?[!%]")


@dataclass(frozen=True)
class Flag:
    """One suspicious construct found in a submission."""

    cell: int
    reason: str


def _course_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "course":
            names.update(a.asname or a.name for a in node.names)
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "course":
                    names.add(a.asname or a.name.split(".")[0])
    return names


_NESTED_REASON = "código anidado en exceso (no se pudo analizar)"


def scan_source(source: str, cell: int = 0, protected: set[str] | None = None) -> list[Flag]:
    """Flags for one cell's code (``protected``: names bound to the course package).

    Only what runs counts: the code is parsed with :mod:`ast`, so a comment or a
    bare string (a docstring, a commented-out path) never raises a flag. Lines
    IPython runs as magics or shell commands are found on the parsed structure
    too, not by a text search that a triple-quoted string would fool.
    """
    flags: list[Flag] = []
    lines = source.splitlines()
    magic_lines = {i + 1 for i, line in enumerate(lines) if _MAGIC_LINE.match(line)}
    text = "\n".join("pass" if i + 1 in magic_lines else line for i, line in enumerate(lines))
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        # A line taken for a magic may sit inside a string: try without replacing.
        try:
            tree = ast.parse(source)
            magic_lines = set()
        except (SyntaxError, ValueError):
            return flags  # a cell that does not parse runs nothing
        except (RecursionError, MemoryError):
            return [*flags, Flag(cell, _NESTED_REASON)]
    except (RecursionError, MemoryError):
        # Callers refuse such a cell before scanning (scoring.check_nesting); if one
        # gets here anyway it is held for review, never a crash of the batch.
        return [*flags, Flag(cell, _NESTED_REASON)]
    try:
        used = _executed_text(tree)
    except RecursionError:
        return [*flags, Flag(cell, _NESTED_REASON)]
    if any(isinstance(node, ast.Pass) and node.lineno in magic_lines for node in ast.walk(tree)):
        flags.append(Flag(cell, _MAGIC_REASON))
    for pattern, reason in _STRING_PATTERNS:
        if any(pattern.search(value) for value in used):
            flags.append(Flag(cell, reason))
    protected = set(protected or ()) | {"course"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            mods = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            for mod in mods:
                root = mod.split(".")[0]
                if root in _DANGEROUS_MODULES:
                    flags.append(Flag(cell, _DANGEROUS_MODULES[root]))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in _DANGEROUS_CALLS:
                flags.append(Flag(cell, _DANGEROUS_CALLS[node.func.id]))
        elif isinstance(node, ast.Attribute) and node.attr in _DANGEROUS_ATTRS:
            flags.append(Flag(cell, _DANGEROUS_ATTRS[node.attr]))
        elif isinstance(node, ast.Name) and node.id in ("__builtins__", "__loader__"):
            flags.append(Flag(cell, "modificación de funciones internas (__builtins__)"))
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    base = sub
                    while isinstance(base, ast.Attribute | ast.Subscript):
                        base = base.value
                    if isinstance(base, ast.Name) and base.id in protected:
                        flags.append(Flag(cell, f"reasignación de «{base.id}» del paquete course"))
                        break
        if isinstance(node, ast.FunctionDef) and node.name in _COMPARISON_DUNDERS:
            flags.append(Flag(cell, f"redefinición de la comparación ({node.name})"))
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in protected - {"course"}:
            flags.append(Flag(cell, f"redefinición de «{node.name}» del paquete course"))
    return flags


def _executed_text(tree: ast.AST) -> list[str]:
    """String constants the code uses and the identifiers it names.

    A string that is a whole statement by itself (a docstring, a string used as
    a comment) is left out: evaluating it does nothing.
    """
    bare = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in bare:
                found.append(node.value)
        elif isinstance(node, ast.Name):
            found.append(node.id)
        elif isinstance(node, ast.Attribute):
            found.append(node.attr)
        elif isinstance(node, ast.alias):
            found.append(node.name)
    return found


def locate(nb: Any, index: int, titles: dict[str, str] | None = None) -> str:
    """Where cell ``index`` is, as the student sees it: its exercise's title and grade id.

    ``titles`` maps grade ids to exercise titles (from the instructor's source
    notebook, never from the submission). A cell the student added is placed
    after the nearest graded cell above it.
    """
    titles = titles or {}

    def name(gid: str) -> str:
        return f"«{titles[gid]}» ({gid})" if titles.get(gid) else f"«{gid}»"

    def grade_id(i: int) -> str:
        meta = nb.cells[i].get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id") if isinstance(meta, dict) else None
        return gid if isinstance(gid, str) else ""

    if 0 <= index < len(nb.cells) and grade_id(index):
        return f"ejercicio {name(grade_id(index))}"
    for i in range(min(index, len(nb.cells)) - 1, -1, -1):
        if grade_id(i):
            return f"celda añadida después de {name(grade_id(i))}"
    return "celda añadida al principio del cuaderno"


def scan_notebook(nb: Any, locked_ids: set[str] | None = None) -> list[Flag]:
    """Flags for every student-editable code cell of a (sanitized) notebook."""
    locked_ids = locked_ids or set()
    protected: set[str] = set()
    sources: list[tuple[int, str]] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("locked") or meta.get("grade_id") in locked_ids:
            try:
                protected |= _course_names(ast.parse(cell.source))
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                pass
            continue  # restored from the gradebook before grading
        sources.append((index, cell.source))
    flags: list[Flag] = []
    for index, source in sources:
        flags.extend(scan_source(source, index, protected))
    unique: dict[tuple[int, str], Flag] = {(f.cell, f.reason): f for f in flags}
    return list(unique.values())


def fingerprint(nb: Any) -> str:
    """A short hash of a notebook's code (what an approval applies to)."""
    digest = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            digest.update(cell.source.encode("utf-8", "replace") + b"\0")
    return digest.hexdigest()[:16]


def describe(flags: list[Flag], nb: Any = None, titles: dict[str, str] | None = None) -> str:
    """The Spanish reason written to the review list (each flag with its exercise)."""
    reasons: list[str] = []
    for flag in flags:
        where = locate(nb, flag.cell, titles) if nb is not None else f"celda {flag.cell + 1}"
        text = f"{flag.reason} ({where})"
        if text not in reasons:
            reasons.append(text)
    return "; ".join(reasons)


def read_review(course: Path) -> list[dict[str, str]]:
    """Rows of the review list (empty if there is none)."""
    path = course / REVIEW_FILE
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (r.get(k) or "") for k in FIELDS} for r in csv.DictReader(fh)]


def _write_review(course: Path, rows: list[dict[str, str]]) -> None:
    path = course / REVIEW_FILE
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def record_flags(course: Path, assignment: str, student: str, reason: str, fingerprint: str) -> str:
    """Update the review list after grading one student; return the row's state (``estado``).

    No reason: any row of this student and assignment is removed (nothing to
    review). A reason: a ``pendiente`` row, unless the instructor already
    approved exactly this code (the same ``fingerprint``, column ``huella``).
    """
    rows = read_review(course)
    old = [r for r in rows if r["estudiante"] == student and r["tarea"] == assignment]
    rows = [r for r in rows if not (r["estudiante"] == student and r["tarea"] == assignment)]
    if not reason:
        if old:
            _write_review(course, rows)
        return ""
    state = "pendiente"
    if old and old[0]["estado"] == "aprobada" and old[0]["huella"] == fingerprint:
        state = "aprobada"
    rows.append(
        {
            "estudiante": student,
            "tarea": assignment,
            "estado": state,
            "motivo": reason,
            "huella": fingerprint,
        }
    )
    rows.sort(key=lambda r: (r["tarea"], r["estudiante"]))
    _write_review(course, rows)
    return state


def approve(course: Path, assignment: str, student: str) -> None:
    """Clear a flagged submission so that its grade is exported."""
    from course.grading.coursedir import GradingError

    rows = read_review(course)
    hit = [r for r in rows if r["estudiante"] == student and r["tarea"] == assignment]
    if not hit:
        raise GradingError(
            f"«{student}» no está en la lista de revisión de {assignment}.\n"
            "Solución: consulte la lista con «course review "
            f"{assignment.split('_')[0]}»."
        )
    for row in hit:
        row["estado"] = "aprobada"
    _write_review(course, rows)
