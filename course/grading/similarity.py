"""Similar submissions: pairs of students whose answer code overlaps (never a penalty).

Listed by ``course review aNN`` beside the held submissions, each pair with an
HTML page that shows both answers side by side with the overlapping code
highlighted. Nothing is held, changed or exported because of a pair: the
instructor reads the code and decides.

The comparison uses ``copydetect`` (a maintained implementation of winnowing
fingerprints, the method of MOSS; chosen over hand-written k-gram hashing because
it also tokenises with Pygments and maps the overlap back to the original code
for the side-by-side page):

- only the students' *answer cells* (nbgrader ``solution`` cells) of the graded
  notebooks in ``autograded/`` are compared, never the statement or the tests;
- the code the release itself puts in those cells (the template) is removed, as
  copydetect's *boilerplate* fingerprints;
- comments and blank space are dropped and every name becomes the same token
  (copydetect's filter), so renamed variables and changed comments do not hide
  a copy; winnowing works on short overlapping fragments, so reordering
  independent lines only breaks the few fragments that cross the moved lines;
- calibration on exercise length: correct answers of a short exercise
  (``return np.dot(w, x) + b``) look alike whoever wrote them, so an answer
  cell whose median length over the class (after filtering and without the
  template) is below :data:`MIN_CELL_CHARS` is left out, and a pair is listed
  only if the overlap is at least :data:`MIN_OVERLAP_CHARS` long and covers at
  least :data:`THRESHOLD` of both students' remaining code (the smaller of the
  two shares).

Everything is computed on the instructor's machine from the course folder; the
pages are written to ``informes/similitud_<assignment>/``.
"""

from __future__ import annotations

import html
import io
import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Filtered characters (k-gram length) below which a match is noise (copydetect's default 25).
NOISE_CHARS = 25
#: Matches at least this long are always found (copydetect's default 30).
GUARANTEE_CHARS = 30
#: An answer cell shorter than this (median over the class, filtered, template removed)
#: is left out: its correct answers look alike whoever wrote them.
MIN_CELL_CHARS = 60
#: Shortest total overlap (filtered characters) worth listing.
MIN_OVERLAP_CHARS = 80
#: Smallest share of *both* students' compared code that must overlap.
THRESHOLD = 0.6
#: Largest notebook read (bytes).
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class SimilarPair:
    """Two students whose compared code overlaps."""

    first: str
    second: str
    share_first: float  # overlapping share of the first student's compared code
    share_second: float
    overlap_chars: int
    page: Path | None = None

    @property
    def share(self) -> float:
        return min(self.share_first, self.share_second)


# --------------------------------------------------------------------------- reading
def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_NOTEBOOK_BYTES:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def answer_cells(nb: dict[str, Any]) -> dict[str, str]:
    """grade_id -> source of every answer (nbgrader ``solution``) code cell."""
    cells: dict[str, str] = {}
    for cell in nb.get("cells", []) if isinstance(nb.get("cells"), list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not isinstance(meta, dict) or not meta.get("solution"):
            continue
        gid = meta.get("grade_id")
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if isinstance(gid, str):
            cells[gid] = source
    return cells


def read_answers(course: Path, assignment: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The release's template of each answer cell and each graded student's answers."""
    templates: dict[str, str] = {}
    for path in sorted((course / "release" / assignment).glob("*.ipynb")):
        templates.update(answer_cells(_read_json(path)))
    students: dict[str, dict[str, str]] = {}
    root = course / "autograded"
    for folder in sorted(root.glob(f"*/{assignment}")) if root.is_dir() else []:
        if folder.is_symlink() or not folder.is_dir():
            continue
        cells: dict[str, str] = {}
        for path in sorted(folder.glob("*.ipynb")):
            cells.update(answer_cells(_read_json(path)))
        if cells:
            students[folder.parent.name] = cells
    return templates, students


# --------------------------------------------------------------------------- comparing
def _fingerprint(code: str, boilerplate: Any = None) -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)  # copydetect imports pyplot; no display here
    from copydetect import CodeFingerprint

    return CodeFingerprint(
        "respuesta.py",
        NOISE_CHARS,
        GUARANTEE_CHARS - NOISE_CHARS + 1,
        boilerplate=boilerplate if boilerplate is not None and len(boilerplate) else None,
        language="python",
        fp=io.StringIO(code),
    )


def _boilerplate(templates: dict[str, str], gids: list[str]) -> Any:
    """The fingerprints of the release's own code in ``gids`` (removed before comparing)."""
    import numpy as np

    hashes: set[Any] = set()
    for gid in gids:
        hashes |= set(_fingerprint(templates.get(gid, "")).hashes)
    return np.array(sorted(hashes), dtype=np.int64)


def _effective_chars(fingerprint: Any) -> int:
    return int(fingerprint.token_coverage)


def long_cells(
    templates: dict[str, str], students: dict[str, dict[str, str]]
) -> tuple[list[str], dict[str, int]]:
    """The answer cells long enough to compare, and every cell's median length."""
    lengths: dict[str, int] = {}
    gids = sorted({g for cells in students.values() for g in cells})
    for gid in gids:
        boiler = _boilerplate(templates, [gid])
        sizes = [
            _effective_chars(_fingerprint(cells[gid], boiler))
            for cells in students.values()
            if gid in cells
        ]
        lengths[gid] = int(statistics.median(sizes)) if sizes else 0
    return [g for g in gids if lengths[g] >= MIN_CELL_CHARS], lengths


def find_similar(
    templates: dict[str, str],
    students: dict[str, dict[str, str]],
    *,
    threshold: float = THRESHOLD,
) -> list[SimilarPair]:
    """Every pair of students whose long answer cells overlap above ``threshold``."""
    from copydetect import compare_files

    keep, _lengths = long_cells(templates, students)
    if not keep:
        return []
    boiler = _boilerplate(templates, keep)
    codes = {s: _joined(cells, keep) for s, cells in students.items()}
    prints = {s: _fingerprint(code, boiler) for s, code in codes.items() if code.strip()}
    names = sorted(prints)
    pairs: list[SimilarPair] = []
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            overlap, (share1, share2), _slices = compare_files(prints[first], prints[second])
            pair = SimilarPair(first, second, float(share1), float(share2), int(overlap))
            if pair.overlap_chars >= MIN_OVERLAP_CHARS and pair.share >= threshold:
                pairs.append(pair)
    return sorted(pairs, key=lambda p: -p.share)


def _joined(cells: dict[str, str], keep: list[str]) -> str:
    return "\n\n".join(cells[g] for g in keep if g in cells)


# --------------------------------------------------------------------------- pages
_PAGE = """<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8">
<title>Entregas parecidas: {a} y {b}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; color: #1a1a1a; }}
.cols {{ display: flex; gap: 1em; }}
.col {{ flex: 1; min-width: 0; }}
pre {{ background: #f6f6f6; padding: .8em; overflow-x: auto; font-size: 13px; }}
mark {{ background: #ffd54f; }}
</style></head><body>
<h1>Entregas parecidas en {assignment}: {a} y {b}</h1>
<p>El código resaltado aparece en las dos entregas (tras quitar el código que da el
enunciado, los comentarios y los nombres de las variables). Coincide el {sa:.0%} del código
comparado de {a} y el {sb:.0%} del de {b}. Es un indicio, no una prueba: revise el código
y decida usted; esta lista no cambia ninguna nota.</p>
<p>Ejercicios comparados: {cells}. Los ejercicios cortos no se comparan, porque sus
respuestas correctas se parecen aunque nadie haya copiado.</p>
<div class="cols">
<div class="col"><h2>{a}</h2><pre>{code_a}</pre></div>
<div class="col"><h2>{b}</h2><pre>{code_b}</pre></div>
</div></body></html>
"""


def write_pages(
    course: Path, assignment: str, threshold: float = THRESHOLD
) -> tuple[list[SimilarPair], list[str]]:
    """Find the similar pairs of ``assignment`` and write one side-by-side page per pair."""
    from copydetect import compare_files
    from copydetect.utils import highlight_overlap

    templates, students = read_answers(course, assignment)
    keep, _lengths = long_cells(templates, students)
    pairs = find_similar(templates, students, threshold=threshold)
    folder = course / "informes" / f"similitud_{assignment}"
    if folder.is_dir():
        for old in folder.glob("*.html"):
            old.unlink()
    if not pairs:
        return [], keep
    folder.mkdir(parents=True, exist_ok=True)
    boiler = _boilerplate(templates, keep)
    written: list[SimilarPair] = []
    for pair in pairs:
        code_a = _joined(students[pair.first], keep)
        code_b = _joined(students[pair.second], keep)
        fa, fb = _fingerprint(code_a, boiler), _fingerprint(code_b, boiler)
        _overlap, _shares, (slices_a, slices_b) = compare_files(fa, fb)
        marked_a, _ = highlight_overlap(code_a, slices_a, "<mark>", "</mark>", escape_html=True)
        marked_b, _ = highlight_overlap(code_b, slices_b, "<mark>", "</mark>", escape_html=True)
        page = folder / f"{pair.first}__{pair.second}.html"
        page.write_text(
            _PAGE.format(
                assignment=html.escape(assignment),
                a=html.escape(pair.first),
                b=html.escape(pair.second),
                sa=pair.share_first,
                sb=pair.share_second,
                cells=html.escape(", ".join(keep)),
                code_a=marked_a,
                code_b=marked_b,
            ),
            encoding="utf-8",
        )
        written.append(
            SimilarPair(
                pair.first,
                pair.second,
                pair.share_first,
                pair.share_second,
                pair.overlap_chars,
                page,
            )
        )
    return written, keep


def review_lines(course: Path, assignment: str) -> list[str]:
    """The similar pairs for ``course review`` (Spanish), with their pages."""
    try:
        pairs, keep = write_pages(course, assignment)
    except ImportError:
        return [
            "Entregas parecidas: no se comprobaron (falta el paquete copydetect; "
            "instálelo con «pip install copydetect»)."
        ]
    if not keep:
        return [
            "Entregas parecidas: no hay ejercicios lo bastante largos para compararlos "
            "(o aún no hay entregas corregidas)."
        ]
    if not pairs:
        return [
            f"Entregas parecidas: ninguna pareja supera el {THRESHOLD:.0%} de código en común "
            f"(ejercicios comparados: {', '.join(keep)})."
        ]
    lines = [
        f"Entregas parecidas ({len(pairs)} pareja(s) con al menos el {THRESHOLD:.0%} del código "
        "en común; es un indicio, no una penalización: la nota no cambia):"
    ]
    for pair in pairs:
        lines.append(
            f"  {pair.first} y {pair.second}: {pair.share_first:.0%} / {pair.share_second:.0%} "
            f"en común — {pair.page}"
        )
    lines.append(f"  Ejercicios comparados: {', '.join(keep)} (los cortos se omiten).")
    return lines
