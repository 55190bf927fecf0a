"""Scoring that a student's notebook cannot talk its way around.

nbgrader 0.9.6 scores a test cell from the outputs stored in that cell, trusts the
cell metadata of the submitted notebook and aborts a whole batch on a duplicated
``grade_id``. This module replaces both ends of that pipeline:

- :func:`sanitize_submission` rewrites a submitted notebook *before* any of its
  code runs: it must parse (nbformat v3 is upgraded), every tag and every
  non-nbgrader metadata key is removed (``skip-execution``, ``raises-exception``,
  kernelspecs...), the nbgrader metadata of each cell whose ``grade_id`` the
  gradebook knows is replaced by the trusted one (first occurrence only; a
  duplicate, renamed or unknown id loses its nbgrader metadata), so an edited
  ``schema_version``, ``points`` or cell type costs at most that cell.
- :func:`score_notebook` scores the autograded notebook from the trusted cell
  list of the gradebook: a test cell earns points only if it ran (the grading
  process, not the kernel, records that in ``metadata.course_grading``), its
  execute reply was not an error and it has no error output; an
  ``execute_result`` is read as partial credit only when it is a plain finite
  number (NumPy scalars included) between 0 and the cell's points; NaN,
  negatives, values above the maximum, booleans, strings and several results in
  one cell score 0. Every zero comes with a Spanish reason for the student.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.grading.contracts import STATUS_KEY, CellRun, CellScore
from course.grading.hidden import hidden_test_lines

#: Reasons shown to the student (Spanish).
REASON_MISSING_CELL = "la celda de prueba no está en el cuaderno entregado (se borró o se alteró)"
REASON_NOT_RUN = "la celda no llegó a ejecutarse"
REASON_ERROR = "la prueba falló (la celda terminó con un error)"
REASON_MULTIPLE_RESULTS = "la celda produjo varios resultados: salida alterada"
REASON_DIED = "el núcleo de Python murió (memoria agotada, os._exit, señal o similar)"
REASON_HUNG = "una celda superó el tiempo máximo y el núcleo dejó de responder"
REASON_BUDGET = "se agotó el tiempo total del cuaderno"


@dataclass(frozen=True)
class TrustedCell:
    """A graded cell as the gradebook (never the student) describes it."""

    notebook: str
    grade_id: str
    max_score: float
    cell_type: str
    solution: bool
    locked: bool
    checksum: str | None = None


@dataclass
class TrustedNotebook:
    """The trusted structure of one notebook of the assignment."""

    name: str
    grade_cells: dict[str, TrustedCell] = field(default_factory=dict)
    # grade_id -> nbgrader metadata for every cell nbgrader tracks (grade/solution/locked)
    metadata: dict[str, dict[str, Any]] = field(default_factory=dict)
    cell_types: dict[str, str] = field(default_factory=dict)
    # Lines of the hidden-test regions (outputs quoting them are withdrawn).
    hidden_lines: list[str] = field(default_factory=list)


def trusted_structure(db_path: Path, assignment: str) -> dict[str, TrustedNotebook]:
    """Read the assignment's cells from a gradebook no student code has touched."""
    from nbgrader.api import Gradebook

    result: dict[str, TrustedNotebook] = {}
    with Gradebook(f"sqlite:///{db_path}") as gb:
        for nb in gb.find_assignment(assignment).notebooks:
            tnb = TrustedNotebook(nb.name)
            solutions = {c.name for c in nb.solution_cells}
            sources = {c.name: c for c in nb.source_cells}
            grades = {c.name: c for c in nb.grade_cells}
            for name in set(solutions) | set(sources) | set(grades):
                src = sources.get(name)
                cell_type = (
                    src.cell_type if src else (grades[name].cell_type if name in grades else "code")
                )
                meta: dict[str, Any] = {
                    "grade": name in grades,
                    "grade_id": name,
                    "locked": bool(src.locked) if src else False,
                    "schema_version": 3,
                    "solution": name in solutions,
                }
                if name in grades:
                    meta["points"] = float(grades[name].max_score)
                if src is not None and src.checksum:
                    meta["checksum"] = src.checksum
                tnb.metadata[name] = meta
                if src is not None and src.source:
                    tnb.hidden_lines.extend(hidden_test_lines(src.source))
                tnb.cell_types[name] = cell_type
                if name in grades:
                    tnb.grade_cells[name] = TrustedCell(
                        nb.name,
                        name,
                        float(grades[name].max_score),
                        cell_type,
                        name in solutions,
                        meta["locked"],
                        meta.get("checksum"),
                    )
            result[nb.name] = tnb
    return result


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _strings(v)]
    if isinstance(value, list):
        return [t for v in value for t in _strings(v)]
    return []


_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")


def _decodings(text: str) -> list[str]:
    """``text`` as the scan can read it: as is, ROT13, reversed, and every base64 run decoded."""
    import base64
    import binascii
    import codecs

    views = [text, codecs.encode(text, "rot13"), text[::-1]]
    for match in _BASE64_RUN.finditer(text):
        run = match.group()
        for shift in range(4):
            chunk = run[shift:]
            chunk = chunk[: len(chunk) - len(chunk) % 4] if not chunk.endswith("=") else chunk
            for decode in (base64.b64decode, base64.urlsafe_b64decode):
                try:
                    decoded = decode(chunk).decode("utf-8", errors="ignore")
                except (binascii.Error, ValueError):
                    continue
                views += [decoded, codecs.encode(decoded, "rot13"), decoded[::-1]]
    return views


def scrub_hidden(outputs: list[Any], hidden: list[str]) -> bool:
    """Withdraw every output that quotes a hidden-test line; True if one did.

    A line counts as quoted verbatim, as it appears inside a notebook's JSON, or
    encoded in ROT13, reversed or base64 (a later cell could print the kernel's
    input history or its cache of cell sources in any of these forms).
    """
    if not hidden:
        return False
    needles = {line for line in hidden} | {json.dumps(line)[1:-1] for line in hidden}
    leaked = False
    for i, output in enumerate(outputs):
        text = "\n".join(_strings(output))
        views = [text]
        if isinstance(output, dict):
            # Encodings are looked for in text only (image data is not text).
            data = output.get("data") if isinstance(output.get("data"), dict) else {}
            plain = {k: v for k, v in output.items() if k != "data"}
            plain["data"] = {k: v for k, v in data.items() if not str(k).startswith("image/")}
            views = _decodings("\n".join(_strings(plain)))
        if any(needle in view for view in views for needle in needles):
            leaked = True
            from nbformat.notebooknode import NotebookNode

            outputs[i] = NotebookNode(
                output_type="stream",
                name="stdout",
                text="[Salida retirada: contenía código de las pruebas ocultas.]\n",
            )
    return leaked


# --------------------------------------------------------------------------- sanitize


class SubmissionUnreadable(ValueError):
    """The submitted file is not a notebook (Spanish message)."""


#: Deepest JSON nesting accepted in a notebook file (real notebooks: under 10).
MAX_JSON_DEPTH = 100
#: Deepest bracket nesting accepted in a cell (Python itself stops at 200).
MAX_SOURCE_DEPTH = 100
#: Most operators, attribute dots, ``if`` or ``lambda`` in one statement: each nests
#: the syntax tree one level deeper, and parsing recurses on that depth.
MAX_STATEMENT_CHAIN = 500

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_JSON_BRACKETS = re.compile(r"[\[\]{}]")
_CHAIN_OPS = frozenset("+ - * / // % @ ** << >> & | ^ ~ . and or not if lambda await".split())


def json_depth(text: str, limit: int = MAX_JSON_DEPTH) -> int:
    """The bracket nesting depth of JSON ``text``, counted up to ``limit + 1``.

    Iterative (no recursion), so it is safe on any input: run it before
    ``json.loads``, whose recursion would fail on a deeply nested file.
    """
    depth = deepest = 0
    for match in _JSON_BRACKETS.finditer(_JSON_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


def source_nesting_problem(source: str) -> str:
    """A Spanish reason if parsing ``source`` would recurse too deeply, else ``""``.

    Uses the tokenizer (iterative) to measure bracket nesting and the length of
    operator chains per statement before ``ast.parse`` ever sees the code.
    """
    import io
    import tokenize

    depth = chain = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.OP and tok.string in "([{":
                depth += 1
                if depth > MAX_SOURCE_DEPTH:
                    return f"anida más de {MAX_SOURCE_DEPTH} paréntesis o corchetes"
            elif tok.type == tokenize.OP and tok.string in ")]}":
                depth = max(0, depth - 1)
            elif tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                chain = 0
            elif tok.string in _CHAIN_OPS and tok.type in (tokenize.OP, tokenize.NAME):
                chain += 1
                if chain > MAX_STATEMENT_CHAIN:
                    return (
                        f"encadena más de {MAX_STATEMENT_CHAIN} operaciones en una sola instrucción"
                    )
    except (tokenize.TokenError, SyntaxError, ValueError):
        return ""  # not valid Python: the kernel reports the syntax error itself
    return ""


def check_nesting(nb: Any, name: str) -> None:
    """Refuse a notebook whose cells would crash the parser (SubmissionUnreadable)."""
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        problem = source_nesting_problem(cell.get("source", ""))
        if problem:
            raise SubmissionUnreadable(
                f"la celda {index + 1} de {name} {problem}: no se puede analizar ni corregir. "
                "Divide esa expresión en varias instrucciones más cortas y vuelve a entregar"
            )


def read_submission(path: Path) -> Any:
    """Parse a submitted notebook (any nbformat version) into a v4 NotebookNode."""
    import nbformat

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SubmissionUnreadable(f"{path.name} no es texto UTF-8 (no es un cuaderno)") from None
    if not text.strip():
        raise SubmissionUnreadable(f"{path.name} está vacío")
    if json_depth(text) > MAX_JSON_DEPTH:
        raise SubmissionUnreadable(
            f"{path.name} anida sus datos a más de {MAX_JSON_DEPTH} niveles: no es un cuaderno "
            "normal. Entrega el cuaderno tal como lo guarda Jupyter"
        )
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        raise SubmissionUnreadable(
            f"{path.name} está dañado (JSON incompleto o inválido)"
        ) from None
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        raise SubmissionUnreadable(f"{path.name} no tiene la estructura de un cuaderno")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types
        raise SubmissionUnreadable(f"{path.name} no se pudo leer como cuaderno: {exc}") from None
    if not isinstance(nb.get("cells"), list):
        raise SubmissionUnreadable(f"{path.name} no tiene celdas")
    return nb


def sanitize_submission(nb: Any, trusted: TrustedNotebook) -> tuple[Any, list[str]]:
    """Return a cleaned copy of ``nb`` and Spanish notes on what was repaired."""
    import nbformat

    notes: list[str] = []
    out = nbformat.v4.new_notebook()
    out.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    out.metadata["language_info"] = {"name": "python"}
    seen: set[str] = set()
    tags_removed = False
    for cell in nb.cells:
        if not isinstance(cell, dict):
            continue
        cell_type = cell.get("cell_type")
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(str(s) for s in source)
        if not isinstance(source, str):
            source = ""
        meta = cell.get("metadata", {}) if isinstance(cell.get("metadata"), dict) else {}
        if meta.get("tags"):
            tags_removed = True
        nbg = meta.get("nbgrader") if isinstance(meta.get("nbgrader"), dict) else None
        grade_id = nbg.get("grade_id") if nbg else None
        new_meta: dict[str, Any] = {}
        if isinstance(grade_id, str) and grade_id in trusted.metadata and grade_id not in seen:
            seen.add(grade_id)
            new_meta["nbgrader"] = dict(trusted.metadata[grade_id])
            if nbg != trusted.metadata[grade_id] and _metadata_tampered(nbg, trusted, grade_id):
                notes.append(f"metadatos de la celda «{grade_id}» restaurados")
            cell_type = trusted.cell_types[grade_id]
        elif nbg is not None:
            if isinstance(grade_id, str) and grade_id in seen:
                notes.append(f"celda con «grade_id» duplicado («{grade_id}») tratada como normal")
            elif grade_id:
                notes.append(f"celda con «grade_id» desconocido ({grade_id!r}) tratada como normal")
        if cell_type == "code":
            new = nbformat.v4.new_code_cell(source)
        elif cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(source)
        elif cell_type == "raw":
            new = nbformat.v4.new_raw_cell(source)
        else:
            continue
        new.metadata.update(new_meta)
        out.cells.append(new)
    missing = [g for g in trusted.grade_cells if g not in seen]
    if missing:
        notes.append("faltan celdas calificadas: " + ", ".join(sorted(missing)))
    if tags_removed:
        notes.append("etiquetas de celda eliminadas (no cambian la ejecución)")
    return out, notes


def _metadata_tampered(nbg: dict[str, Any], trusted: TrustedNotebook, grade_id: str) -> bool:
    expected = trusted.metadata[grade_id]
    for key in ("grade", "solution", "locked", "schema_version"):
        if nbg.get(key) != expected.get(key):
            return True
    if expected.get("grade"):
        try:
            return float(nbg.get("points")) != float(expected["points"])
        except (TypeError, ValueError):
            return True
    return False


# --------------------------------------------------------------------------- score

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_PLAIN_NUMBER = re.compile(rf"^\s*({_NUMBER})\s*$")
_NUMPY_SCALAR = re.compile(
    rf"^\s*(?:np|numpy)\.(?:float(?:16|32|64|128)?|int(?:8|16|32|64)?|uint(?:8|16|32|64)?|"
    rf"longdouble|double|single)\(({_NUMBER})\)\s*$"
)
_LOOKS_NUMERIC = re.compile(
    r"^\s*(?:(?:np|numpy)\.\w+\(.*\)|[+-]?(?:nan|inf|infinity)|True|False|['\"].*['\"]|"
    rf"b['\"].*['\"]|{_NUMBER}.*)\s*$",
    re.IGNORECASE | re.DOTALL,
)


def parse_partial_credit(text: str, max_score: float) -> tuple[float | None, str]:
    """Read the text of a test cell's result as partial credit.

    Returns ``(points, "")`` for a valid number, ``(0.0, reason)`` for something
    that tries to be a score and is not valid, and ``(None, "")`` for any other
    object (such as a check's result), which, as in nbgrader, means full marks.
    """
    match = _PLAIN_NUMBER.match(text) or _NUMPY_SCALAR.match(text)
    if match:
        value = float(match.group(1))
        if not math.isfinite(value):
            return 0.0, "el resultado de la prueba no es un número finito"
        if value < 0:
            return 0.0, "el resultado de la prueba es negativo"
        if value > max_score + 1e-9:
            return 0.0, "el resultado de la prueba supera la puntuación máxima"
        return value, ""
    if _LOOKS_NUMERIC.match(text):
        return 0.0, f"resultado de la prueba no válido como puntuación: {text.strip()[:40]}"
    return None, ""


def _text_plain(output: dict[str, Any]) -> str:
    data = output.get("data", {})
    text = data.get("text/plain", "") if isinstance(data, dict) else ""
    return "".join(text) if isinstance(text, list) else str(text)


def score_cell(cell: Any, trusted: TrustedCell) -> CellScore:
    """Score one autograded cell against its trusted description."""
    score, reason = _cell_points(cell, trusted)
    manual = trusted.solution or trusted.cell_type != "code"
    return CellScore(trusted.notebook, trusted.grade_id, score, trusted.max_score, manual, reason)


def _cell_points(cell: Any, trusted: TrustedCell) -> tuple[float, str]:
    """(points, reason for a zero) of one autograded cell."""
    if trusted.solution or trusted.cell_type != "code":
        return 0.0, ""  # answers graded by hand (free text, written solutions)
    status = cell.get("metadata", {}).get(STATUS_KEY, {})
    if not isinstance(status, dict) or status.get("status") not in (CellRun.OK, CellRun.ERROR):
        reason = status.get("reason") if isinstance(status, dict) else ""
        return 0.0, reason or REASON_NOT_RUN
    outputs = cell.get("outputs", [])
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if status["status"] == CellRun.ERROR or errors:
        detail = ""
        if errors:
            detail = f": {errors[0].get('ename', '')}: {str(errors[0].get('evalue', ''))[:200]}"
        return 0.0, (status.get("reason") or REASON_ERROR) + detail
    results = [o for o in outputs if o.get("output_type") == "execute_result"]
    if len(results) > 1:
        return 0.0, REASON_MULTIPLE_RESULTS
    if results:
        value, reason = parse_partial_credit(_text_plain(results[0]), trusted.max_score)
        if value is not None:
            return float(value), reason
    return trusted.max_score, ""


def score_notebook(
    path: Path | None, trusted: TrustedNotebook, reason: str = ""
) -> list[CellScore]:
    """Score every graded cell of one autograded notebook (missing file: all zero)."""
    cells_by_id: dict[str, Any] = {}
    if path is not None and path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
            if json_depth(text) > MAX_JSON_DEPTH:
                raise ValueError("nesting too deep")
            nb = json.loads(text)
            for cell in nb.get("cells", []):
                gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                if isinstance(gid, str) and gid not in cells_by_id:
                    cells_by_id[gid] = cell
        except (OSError, ValueError, AttributeError, RecursionError):
            cells_by_id = {}
    scored: list[CellScore] = []
    for gid, tcell in trusted.grade_cells.items():
        cell = cells_by_id.get(gid)
        if cell is None:
            manual = tcell.solution or tcell.cell_type != "code"
            missing = reason or REASON_MISSING_CELL
            scored.append(CellScore(trusted.name, gid, 0.0, tcell.max_score, manual, missing))
        else:
            scored.append(score_cell(cell, tcell))
    return scored


def score_submission(
    folder: Path, trusted: dict[str, TrustedNotebook], reason: str = ""
) -> tuple[CellScore, ...]:
    """The score stage: every graded cell of the autograded notebooks in ``folder``.

    Scores come from the notebooks' outputs and the trusted cell list only, never
    from a gradebook the kernel could have written to. A notebook missing from
    ``folder`` scores 0 in every cell, with ``reason`` when given.
    """
    cells: list[CellScore] = []
    for name, tnb in trusted.items():
        path = folder / f"{name}.ipynb"
        cells.extend(score_notebook(path if path.is_file() else None, tnb, reason))
    return tuple(cells)


def zero_scores(trusted: dict[str, TrustedNotebook], reason: str) -> tuple[CellScore, ...]:
    """Every graded cell at 0 with ``reason`` (a submission that could not be graded)."""
    return tuple(
        CellScore(tnb.name, gid, 0.0, tcell.max_score, False, reason)
        for tnb in trusted.values()
        for gid, tcell in tnb.grade_cells.items()
    )
