"""Prepare, part one: the assignment's bundle and a student's files, as plain values.

A grading task (:func:`course.grading.task.grade_submission`) never reads the
instructor's course folder: everything it needs travels with it. The main process
builds one :class:`AssignmentBundle` per assignment and one :class:`StudentFiles`
per submission; both are frozen, picklable and hold bytes, not paths, so the same
task runs in a local worker or on another machine.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from course.grading.coursedir import SOURCE_DIRNAME
from course.grading.scoring import TrustedNotebook

#: The submission's time stamp file that nbgrader writes beside the notebooks.
TIMESTAMP = "timestamp.txt"


@dataclass(frozen=True)
class AssignmentBundle:
    """Everything that grading one submission of ``assignment`` needs, and nothing else.

    - ``config``: the course's ``nbgrader_config.py`` (text);
    - ``gradebook``: a gradebook (SQLite bytes) holding this assignment's structure,
      its hidden tests included, and no student;
    - ``trusted``: the graded cells as that gradebook describes them;
    - ``sources``: the source notebooks (solutions and hidden tests) for the
      trusted re-check;
    - ``data_files``: the non-notebook files of the source folder (a04's
      ``Train.csv``), relative path -> bytes, placed beside each submission;
    - ``release``: the notebooks the students received (to recognise a copy);
    - ``others``: the fixed cells of the course's other released assignments;
    - ``titles``: grade id -> the exercise's title (to locate a finding);
    - ``missing_data``: data files the statement names that are not in the source
      folder; ``anomalies``: what therefore holds every submission for review.
    """

    assignment: str
    notebooks: tuple[str, ...]
    config: str
    gradebook: bytes
    trusted: dict[str, TrustedNotebook]
    sources: dict[str, bytes] = field(default_factory=dict)
    data_files: dict[str, bytes] = field(default_factory=dict)
    release: dict[str, bytes] = field(default_factory=dict)
    others: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    missing_data: tuple[str, ...] = ()
    anomalies: tuple[str, ...] = ()

    @cached_property
    def digest(self) -> str:
        """A short content hash (names a bundle's folder in a worker's workspace)."""
        h = hashlib.sha256()
        for part in (self.assignment, self.config, *self.notebooks):
            h.update(part.encode("utf-8") + b"\0")
        h.update(self.gradebook)
        for files in (self.sources, self.data_files, self.release):
            for name in sorted(files):
                h.update(name.encode("utf-8") + b"\0" + files[name])
        h.update("\0".join(self.anomalies).encode("utf-8"))
        return h.hexdigest()[:16]


@dataclass(frozen=True)
class StudentFiles:
    """One student's submitted files: name -> (bytes, modification time).

    Only what grading reads is kept: the regular ``.ipynb`` files at the top of the
    submission folder (no links, no hidden files) and ``timestamp.txt``.
    """

    student: str
    files: dict[str, tuple[bytes, float]] = field(default_factory=dict)


def read_student_files(folder: Path, student: str) -> StudentFiles:
    """Read the files of one submission folder that grading uses (see :class:`StudentFiles`)."""
    files: dict[str, tuple[bytes, float]] = {}
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            wanted = (path.suffix == ".ipynb" and not path.name.startswith(".")) or (
                path.name == TIMESTAMP
            )
            if wanted and path.is_file() and not path.is_symlink():
                files[path.name] = (path.read_bytes(), path.stat().st_mtime)
    return StudentFiles(student, files)


def build_bundle(course: Path, assignment: str, notebooks: list[str]) -> AssignmentBundle:
    """The bundle of ``assignment`` from the course folder (main process only).

    The assignment must already be generated (its structure is in the gradebook).
    """
    from course.grading.intake import missing_data_files, other_assignment_ids
    from course.grading.nbgrader_api import template_gradebook
    from course.grading.report import exercise_titles
    from course.grading.scoring import trusted_structure

    source = course / SOURCE_DIRNAME / assignment
    with tempfile.TemporaryDirectory(prefix="course-bundle-") as tmp:
        db = template_gradebook(course, assignment, Path(tmp) / "gradebook.db")
        trusted = trusted_structure(db, assignment)
        gradebook = db.read_bytes()
    sources = {
        name: (source / f"{name}.ipynb").read_bytes()
        for name in notebooks
        if (source / f"{name}.ipynb").is_file()
    }
    data_files: dict[str, bytes] = {}
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in rel.parts:
            data_files[rel.as_posix()] = path.read_bytes()
    release_dir = course / "release" / assignment
    release = {
        name: (release_dir / f"{name}.ipynb").read_bytes()
        for name in notebooks
        if (release_dir / f"{name}.ipynb").is_file()
    }
    anomalies: list[str] = []
    absent = missing_data_files(source)
    if absent:
        anomalies.append(
            f"faltaba {', '.join(absent)} junto a la tarea fuente ({source}) al corregir: "
            "el cuaderno no pudo leer sus datos"
        )
    return AssignmentBundle(
        assignment=assignment,
        notebooks=tuple(notebooks),
        config=(course / "nbgrader_config.py").read_text(encoding="utf-8"),
        gradebook=gradebook,
        trusted=trusted,
        sources=sources,
        data_files=data_files,
        release=release,
        others=other_assignment_ids(course, assignment),
        titles=exercise_titles(course, assignment),
        missing_data=tuple(absent),
        anomalies=tuple(anomalies),
    )


@dataclass(frozen=True)
class BundleFolder:
    """A bundle written out once in a worker's workspace (what nbgrader reads as files)."""

    root: Path

    @property
    def gradebook(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def sources(self) -> Path:
        """The source notebooks (read by the trusted re-check only)."""
        return self.root / "sources"

    @property
    def release(self) -> Path:
        return self.root / "release"


def write_bundle(bundle: AssignmentBundle, root: Path) -> BundleFolder:
    """Write ``bundle``'s files under ``root`` (atomically: a complete folder or none)."""
    folder = BundleFolder(root)
    if root.is_dir():
        return folder
    staging = Path(tempfile.mkdtemp(prefix=".bundle-", dir=root.parent))
    (staging / "gradebook.db").write_bytes(bundle.gradebook)
    for sub, files in (("sources", bundle.sources), ("release", bundle.release)):
        (staging / sub).mkdir()
        for name, data in files.items():
            (staging / sub / f"{name}.ipynb").write_bytes(data)
    try:
        os.replace(staging, root)
    except OSError:  # another thread wrote it first
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
    return folder


def place_files(files: dict[str, bytes], dest: Path) -> None:
    """Write ``files`` (relative path -> bytes) under ``dest``, refusing to leave it."""
    base = dest.resolve()
    for rel, data in files.items():
        target = (dest / rel).resolve()
        if base not in target.parents:
            raise ValueError(f"ruta de fichero de datos no válida: {rel}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
