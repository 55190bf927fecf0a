"""Which submitted file is graded, and what about a submission needs the instructor.

A submission folder rarely holds exactly the notebook nbgrader expects. Before any
student code runs, :func:`pick_notebooks` chooses, for each notebook of the
assignment, the file to grade and says in Spanish what was unusual about the
submission: no notebook at all, a notebook with another name, several copies (the
untouched release and the one the student worked on), or the notebook of another
assignment. :func:`missing_data_files` names the data files an assignment's
statement mentions that are not beside its source notebook (they would be missing
for every student). Each unusual finding holds the submission for review: the
grade is computed but not exported until the instructor approves it.

Only the main (trusted) process runs this; the files are parsed with
:func:`course.grading.scoring.read_submission`, never executed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Extensions of data files that an assignment's statement may name (``Train.csv``).
DATA_EXTENSIONS = ("csv", "tsv", "npz", "npy", "parquet", "xlsx")
_DATA_NAME = re.compile(
    r"(?<![\w./-])([\w-]+(?:\.[\w-]+)*\.(?:" + "|".join(DATA_EXTENSIONS) + r"))\b"
)


@dataclass
class Picked:
    """The files chosen for grading and what was unusual about the submission."""

    paths: dict[str, Path] = field(default_factory=dict)  # notebook name -> file
    anomalies: list[str] = field(default_factory=list)  # Spanish, one per finding
    empty: bool = False  # the folder holds no notebook at all


def _notebook_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.glob("*.ipynb")
        if p.is_file() and not p.is_symlink() and not p.name.startswith(".")
    )


def _grade_ids(nb: Any) -> list[str]:
    ids: list[str] = []
    for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
        meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
        nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
        gid = nbg.get("grade_id") if isinstance(nbg, dict) else None
        if isinstance(gid, str):
            ids.append(gid)
    return ids


def _source(cell: Any) -> str:
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    if isinstance(source, list):
        source = "".join(str(s) for s in source)
    return source if isinstance(source, str) else ""


def _answers(nb: Any, solution_ids: set[str]) -> dict[str, str]:
    """grade_id -> source of each answer (solution) cell of a parsed notebook."""
    found: dict[str, str] = {}
    for cell in nb.get("cells", []):
        nbg = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
        gid = nbg.get("grade_id") if isinstance(nbg, dict) else None
        if gid in solution_ids and gid not in found:
            found[gid] = _source(cell)
    return found


def _fixed_sources(nb: Any) -> dict[str, str]:
    """grade_id -> source of the cells a student does not write (statement, tests)."""
    found: dict[str, str] = {}
    for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
        meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
        nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
        if not isinstance(nbg, dict) or nbg.get("solution"):
            continue
        gid = nbg.get("grade_id")
        if isinstance(gid, str) and gid not in found and (nbg.get("locked") or nbg.get("grade")):
            found[gid] = _source(cell).strip()
    return found


def resemblance(nb: Any, release_fixed: dict[str, str]) -> float:
    """Share of a release's fixed cells (statement, tests) found unchanged in ``nb``.

    Grade ids alone cannot tell assignments apart (every assignment may have a
    ``test_ej1``); the text of the cells nobody edits can.
    """
    if not release_fixed:
        return 0.0
    mine = _fixed_sources(nb)
    same = sum(1 for gid, text in release_fixed.items() if mine.get(gid) == text)
    return same / len(release_fixed)


#: Share of the release's fixed cells a file must contain to be taken as that notebook.
BELONGS = 0.5


def worked_cells(nb: Any, release_nb: Any, solution_ids: set[str]) -> int:
    """How many answer cells of ``nb`` differ from the untouched release."""
    mine = _answers(nb, solution_ids)
    blank = _answers(release_nb, solution_ids) if release_nb is not None else {}
    return sum(1 for gid, text in mine.items() if text.strip() != blank.get(gid, "").strip())


def other_assignment_ids(course: Path, assignment: str) -> dict[str, list[dict[str, str]]]:
    """The fixed cells of each notebook of every other released assignment.

    Read from the course's ``release/`` folder (what students received): other
    assignment -> one ``{grade_id: source}`` per notebook.
    """
    result: dict[str, list[dict[str, str]]] = {}
    base = course / "release"
    for folder in sorted(base.iterdir()) if base.is_dir() else []:
        if not folder.is_dir() or folder.name == assignment:
            continue
        notebooks = []
        for path in sorted(folder.glob("*.ipynb")):
            fixed = _fixed_sources(_read_release(path) or {})
            if fixed:
                notebooks.append(fixed)
        if notebooks:
            result[folder.name] = notebooks
    return result


def pick_notebooks(
    folder: Path,
    trusted: dict[str, Any],
    release_dir: Path,
    others: dict[str, set[str]],
    assignment: str,
) -> Picked:
    """Choose the file to grade for each notebook of ``trusted`` (name -> TrustedNotebook).

    A file belongs to a notebook if it carries that notebook's grade ids and at
    least half of its release's fixed cells (statement and tests) unchanged
    (:func:`resemblance`). Of several, the one with the most
    answer cells changed from the release is graded (then the exact name, then
    the newest file). A file that belongs to no notebook is still graded when it
    is the only candidate (its score is whatever it earns), and is reported.
    """
    from course.grading.scoring import SubmissionUnreadable, read_submission

    picked = Picked()
    files = _notebook_files(folder)
    if not files:
        picked.empty = True
        picked.anomalies.append("la entrega no contiene ningún cuaderno (.ipynb)")
        return picked
    parsed: dict[Path, Any] = {}
    for path in files:
        try:
            parsed[path] = read_submission(path)
        except SubmissionUnreadable:
            continue  # reported when it is the file graded
    claimed: set[Path] = set()
    for name, tnb in trusted.items():
        ids = set(tnb.metadata)
        solution_ids = {g for g, meta in tnb.metadata.items() if meta.get("solution")}
        exact = folder / f"{name}.ipynb"
        release_nb = _read_release(release_dir / f"{name}.ipynb")
        fixed = _fixed_sources(release_nb or {})
        candidates = [
            p
            for p in files
            if p in parsed
            and ids & set(_grade_ids(parsed[p]))
            and (not fixed or resemblance(parsed[p], fixed) >= BELONGS)
        ]
        if not candidates:
            picked.paths[name] = _fallback(folder, name, files, claimed, len(trusted), picked)
            chosen = picked.paths[name]
            if chosen is not None and chosen in parsed:
                foreign = [
                    a
                    for a, notebooks in others.items()
                    if any(resemblance(parsed[chosen], nb) >= BELONGS for nb in notebooks)
                ]
                if foreign:
                    picked.anomalies.append(
                        f"{chosen.name} es el cuaderno de otra tarea ({', '.join(foreign)}), "
                        f"no de {assignment}: su nota no corresponde a esta tarea"
                    )
                else:
                    picked.anomalies.append(
                        f"{chosen.name} no se parece a {name}.ipynb de {assignment}: faltan o "
                        "cambiaron sus celdas de enunciado y de prueba (¿cuaderno de otra tarea "
                        "o copiado en un cuaderno nuevo?)"
                    )
            if chosen is not None:
                claimed.add(chosen)
            continue
        worked = {p: worked_cells(parsed[p], release_nb, solution_ids) for p in candidates}
        newest = {p: p.stat().st_mtime for p in candidates}
        chosen = max(candidates, key=lambda p: (worked[p], p == exact, newest[p]))
        picked.paths[name] = chosen
        claimed.update(candidates)
        if len(candidates) > 1:
            listing = ", ".join(f"{p.name} ({worked[p]} respondidas)" for p in candidates)
            picked.anomalies.append(
                f"hay {len(candidates)} copias de {name}.ipynb en la entrega ({listing}): se "
                f"corrigió {chosen.name} por ser la que tiene más respuestas escritas "
                f"({worked[chosen]} de {len(solution_ids)} celdas de respuesta cambiadas)"
            )
        elif chosen != exact:
            picked.anomalies.append(
                f"el cuaderno se entregó con otro nombre ({chosen.name}) y se corrigió como "
                f"{name}.ipynb"
            )
    return picked


def _fallback(
    folder: Path, name: str, files: list[Path], claimed: set[Path], expected: int, picked: Picked
) -> Path | None:
    """The exact name, else the only notebook left when the assignment has one notebook."""
    exact = folder / f"{name}.ipynb"
    if exact in files:
        return exact
    left = [p for p in files if p not in claimed]
    if expected == 1 and len(left) == 1:
        return left[0]
    if expected == 1 and len(left) > 1:
        picked.anomalies.append(
            f"no se encontró {name}.ipynb entre los {len(left)} cuadernos entregados "
            f"({', '.join(p.name for p in left)}): no se corrigió ninguno"
        )
    return None


def _read_release(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def mentioned_data_files(source_folder: Path) -> list[str]:
    """Data file names (``Train.csv``) that the source notebooks' text mentions."""
    names: list[str] = []
    for path in sorted(source_folder.glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            for match in _DATA_NAME.findall(_source(cell)):
                if match not in names:
                    names.append(match)
    return names


def missing_data_files(source_folder: Path) -> list[str]:
    """Mentioned data files absent from the source folder (and its subfolders)."""
    present = {p.name for p in source_folder.rglob("*") if p.is_file()}
    return [name for name in mentioned_data_files(source_folder) if name not in present]
