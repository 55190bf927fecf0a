"""Grade one assignment as a small class of simulated students, through nbgrader.

:func:`grade_assignment` builds ONE temporary nbgrader course directory for an
assignment (the project's ``nbgrader_config.py`` and the assignment's source
folder), runs ``generate_assignment`` once, writes the submissions of the
simulated students (``blank``, ``solution``, one per variant, and
``solution_again`` to prove that grading is deterministic), autogrades them all
with ``NbGraderAPI`` and collects, per student: the score of every autograded
cell (from the gradebook), the text of each test cell's outputs, the time the
autograde took, and the feedback HTML.

Everything goes through nbgrader's public Python API; the gradebook is only read.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from course.simulated import load_variants
from course.simulated.submissions import (
    Variant,
    autograded_points,
    read_notebook,
    solution_submission,
    variant_submission,
    write_notebook,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SOURCE_ROOT = PROJECT_ROOT / "source_assignments"

BLANK = "blank"
SOLUTION = "solution"
SOLUTION_AGAIN = "solution_again"

_TAG = re.compile(r"<[^>]+>")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def assignment_ids() -> list[str]:
    """Folders of ``source_assignments/`` holding ``<folder>/<folder>.ipynb``."""
    if not SOURCE_ROOT.is_dir():
        return []
    return sorted(
        p.name for p in SOURCE_ROOT.iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").is_file()
    )


def instructor_files(assignment_id: str) -> list[Path]:
    """Files the instructor adds to an assignment's source folder before release.

    a04 needs the shipping data (``Train.csv``), which cannot be committed (its
    licence): the instructor's copy is placed beside the notebook so nbgrader
    releases it with the notebook. Found the way ``course.datasets`` finds it.
    """
    if not assignment_id.startswith("a04"):
        return []
    from course import datasets

    return [datasets.find_shipping_file()]


def plain_text(text: str) -> str:
    """HTML or ANSI-coloured text as plain text (tags removed, entities decoded)."""
    return html.unescape(_TAG.sub("", _ANSI.sub("", text)))


def cell_output_text(cell: dict) -> str:
    """All text a code cell's outputs show: streams, results, errors (ANSI removed)."""
    parts: list[str] = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            parts.append(str(out.get("text", "")))
        elif kind == "error":
            parts.append(f"{out.get('ename', '')}: {out.get('evalue', '')}")
            parts.extend(out.get("traceback", []))
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            parts.append(str(data.get("text/plain", "")))
            if "text/html" in data:
                parts.append(plain_text(str(data["text/html"])))
    return _ANSI.sub("", "\n".join(parts))


def hidden_lines(source_nb, regions: tuple[str, ...] = ("SOLUTION", "HIDDEN TESTS")) -> list[str]:
    """Code lines that only the instructor may see: solution and hidden-test regions.

    Lines that also occur (even as part of a line) outside those regions are
    public anyway, and very short lines (``)``, ``],``) are left out.
    """
    secret: list[str] = []
    public: set[str] = set()
    for cell in source_nb.cells:
        region = None
        for raw in cell.source.split("\n"):
            line = raw.strip()
            if "### BEGIN " in line:
                region = line.split("### BEGIN ", 1)[1].strip()
                continue
            if "### END " in line:
                region = None
                continue
            if region in regions and cell.cell_type == "code":
                secret.append(line)
            elif region is None:
                public.add(line)
    public_text = "\n".join(public)
    return [
        s
        for s in dict.fromkeys(secret)
        if len(s) >= 6 and s not in public_text and not s.startswith("#")
    ]


@dataclass
class GradedAssignment:
    """The outcome of grading one assignment's simulated class."""

    assignment_id: str
    root: Path
    source_nb: object
    release_nb: object
    release_dir: Path
    max_points: dict[str, float]
    variants: list[Variant]
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    feedback_html: dict[str, str] = field(default_factory=dict)
    logs: dict[str, str] = field(default_factory=dict)

    @property
    def notebook_name(self) -> str:
        return self.assignment_id

    def submission_path(self, student: str) -> Path:
        return (
            self.root / "submitted" / student / self.assignment_id / f"{self.notebook_name}.ipynb"
        )

    def autograded_path(self, student: str) -> Path:
        return (
            self.root / "autograded" / student / self.assignment_id / f"{self.notebook_name}.ipynb"
        )

    def variant(self, name: str) -> Variant:
        return next(v for v in self.variants if v.name == name)

    def total(self, student: str) -> float:
        return float(sum(self.scores[student].values()))


def _api(root: Path):
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    # Extra files the student hands in are never copied into the grading folder.
    return NbGraderAPI(config=config)


def make_course(assignment_id: str, workdir: Path) -> Path:
    """Create a course directory in ``workdir`` holding one assignment's source."""
    root = workdir / "curso"
    (root / "source_assignments").mkdir(parents=True)
    shutil.copy2(PROJECT_ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(
        SOURCE_ROOT / assignment_id,
        root / "source_assignments" / assignment_id,
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
    )
    for file in instructor_files(assignment_id):
        shutil.copy2(file, root / "source_assignments" / assignment_id / file.name)
    return root


def _result_error(result: dict) -> str:
    return str(result.get("error") or "") + "\n" + str(result.get("log") or "")


def grade_assignment(assignment_id: str, workdir: Path) -> GradedAssignment:
    """Release, submit, autograde and give feedback for every simulated student."""
    from nbgrader.api import Gradebook

    root = make_course(assignment_id, workdir)
    cwd = os.getcwd()
    os.chdir(root)  # nbgrader resolves some paths against the working directory
    try:
        api = _api(root)
        result = api.generate_assignment(assignment_id)
        if not result.get("success"):
            raise RuntimeError(f"generate_assignment falló:\n{_result_error(result)}")
        source_nb = read_notebook(
            root / "source_assignments" / assignment_id / f"{assignment_id}.ipynb"
        )
        release_dir = root / "release" / assignment_id
        release_nb = read_notebook(release_dir / f"{assignment_id}.ipynb")
        graded = GradedAssignment(
            assignment_id=assignment_id,
            root=root,
            source_nb=source_nb,
            release_nb=release_nb,
            release_dir=release_dir,
            max_points=autograded_points(source_nb),
            variants=load_variants(assignment_id),
        )
        submissions = {
            BLANK: release_nb,
            SOLUTION: solution_submission(source_nb, release_nb),
        }
        for variant in graded.variants:
            submissions[variant.name] = variant_submission(source_nb, release_nb, variant)
        submissions[SOLUTION_AGAIN] = submissions[SOLUTION]
        for student, nb in submissions.items():
            target = graded.submission_path(student)
            write_notebook(nb, target)
            # Released extra files (data) travel with the student's submission.
            for extra in release_dir.iterdir():
                if extra.is_file() and extra.suffix != ".ipynb":
                    shutil.copy2(extra, target.parent / extra.name)
            (target.parent.parent / "timestamp.txt").write_text("2026-01-15 10:00:00.000000 UTC")

        for student in submissions:
            start = time.perf_counter()
            result = api.autograde(assignment_id, student)
            graded.seconds[student] = time.perf_counter() - start
            graded.logs[student] = _result_error(result)
            if not result.get("success"):
                raise RuntimeError(f"autograde de {student!r} falló:\n{_result_error(result)}")
            result = api.generate_feedback(assignment_id, student)
            if not result.get("success"):
                raise RuntimeError(
                    f"generate_feedback de {student!r} falló:\n{_result_error(result)}"
                )

        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            for student in submissions:
                nb_sub = gb.find_submission_notebook(graded.notebook_name, assignment_id, student)
                graded.scores[student] = {
                    g.name: float(g.score) for g in nb_sub.grades if g.name in graded.max_points
                }
        for student in submissions:
            with open(graded.autograded_path(student), encoding="utf-8") as fh:
                autograded = json.load(fh)
            graded.outputs[student] = {
                cell["metadata"]["nbgrader"]["grade_id"]: cell_output_text(cell)
                for cell in autograded["cells"]
                if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") in graded.max_points
            }
            html_path = root / "feedback" / student / assignment_id / f"{graded.notebook_name}.html"
            graded.feedback_html[student] = html_path.read_text(encoding="utf-8")
        return graded
    finally:
        os.chdir(cwd)


def validate(graded: GradedAssignment, student: str) -> dict:
    """Run ``nbgrader validate`` (the ``Validator`` the CLI uses) on a submission.

    Returns nbgrader's result dict: empty when every visible test passes,
    ``{"failed": [...]}`` otherwise.
    """
    from nbgrader.validator import Validator

    cwd = os.getcwd()
    os.chdir(graded.root)
    try:
        api = _api(graded.root)
        validator = Validator(parent=api)
        return validator.validate(str(graded.submission_path(student)))
    finally:
        os.chdir(cwd)
