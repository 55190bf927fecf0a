"""Prepare, part two: choose and sanitise a student's notebooks before any code runs.

:func:`prepare_submission` is the first stage of a grading task. From the
assignment's bundle and the student's files it picks the file to grade for each
notebook (:func:`course.grading.intake.pick_notebooks`), parses and sanitises it
against the trusted cell list (:mod:`course.grading.scoring`), scans it for what
needs the instructor's eyes (:mod:`course.grading.review`) and returns a
:class:`Prepared` record: the clean notebooks as text and the Spanish notes.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from course.grading.bundle import TIMESTAMP, AssignmentBundle, StudentFiles


@dataclass(frozen=True)
class Prepared:
    """What the prepare stage hands to the execute stage."""

    notebooks: dict[str, str] = field(default_factory=dict)  # name -> sanitised notebook JSON
    notes: tuple[str, ...] = ()  # what could not be read or was repaired (Spanish)
    flags: tuple[str, ...] = ()  # what holds the submission for review (Spanish)
    anomalies: tuple[str, ...] = ()  # unusual submission (course.grading.intake)
    empty: bool = False  # no notebook at all: nothing to run
    fingerprint: str = ""
    timestamp: str = ""


def prepare_submission(
    bundle: AssignmentBundle, files: StudentFiles, release_dir: Path
) -> Prepared:
    """Pick, parse and sanitise ``files`` for ``bundle`` (``release_dir``: its released notebooks)."""
    import nbformat

    from course.grading import review
    from course.grading.intake import pick_notebooks
    from course.grading.scoring import (
        SubmissionUnreadable,
        check_nesting,
        read_submission,
        sanitize_submission,
    )

    notes: list[str] = []
    flags: list[str] = []
    prints: list[str] = []
    notebooks: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="entrega-") as tmp:
        folder = Path(tmp)
        for name, (data, mtime) in files.files.items():
            path = folder / Path(name).name
            path.write_bytes(data)
            os.utime(path, (mtime, mtime))
        picked = pick_notebooks(
            folder,
            {name: bundle.trusted[name] for name in bundle.notebooks},
            release_dir,
            bundle.others,
            bundle.assignment,
        )
        anomalies = list(picked.anomalies) + list(bundle.anomalies)
        for nb_name in bundle.notebooks:
            path = picked.paths.get(nb_name)
            if path is None:
                notes.append(f"no se entregó {nb_name}.ipynb")
                continue
            try:
                raw = read_submission(path)
                check_nesting(raw, f"{nb_name}.ipynb")
            except SubmissionUnreadable as exc:
                notes.append(str(exc))
                continue
            clean, repaired = sanitize_submission(raw, bundle.trusted[nb_name])
            notes.extend(repaired)
            for flag in review.scan_notebook(clean):
                where = review.locate(clean, flag.cell, bundle.titles)
                flags.append(f"{flag.reason} ({where} de {nb_name})")
            prints.append(review.fingerprint(clean))
            notebooks[nb_name] = nbformat.writes(clean)
    stamp = clean_timestamp(files.files.get(TIMESTAMP, (None, 0.0))[0], notes)
    return Prepared(
        notebooks=notebooks,
        notes=tuple(notes),
        flags=tuple(dict.fromkeys(anomalies + flags)),
        anomalies=tuple(anomalies),
        empty=picked.empty,
        fingerprint="-".join(prints),
        timestamp=stamp,
    )


def clean_timestamp(data: bytes | None, notes: list[str]) -> str:
    """The submission time if ``timestamp.txt`` holds a valid one, else ``""`` (with a note)."""
    if data is None:
        return ""
    try:
        text = data.decode("utf-8").strip()
        if len(text) > 64:
            raise ValueError(text[:64])
        from nbgrader.utils import parse_utc

        parse_utc(text)
    except Exception:
        notes.append("timestamp.txt no contiene una fecha válida: se ignoró")
        return ""
    return text
