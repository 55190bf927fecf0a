"""Parallel autograding on top of nbgrader.

nbgrader's ``autograde`` grades one submission after another in the course folder
itself. :func:`grade_assignment` instead grades every submission in its own
scratch copy of the course (holding only what grading needs: the configuration, the
non-notebook files of the source assignment, a gradebook with the assignment's
structure and no other student, and that one student's notebooks), with ``jobs``
worker processes at a time. Each worker is a separate ``nbgrader autograde``
process with a time limit, so a failing or hanging submission is reported with its
reason and never stops the others. The scores are then merged into the course
gradebook through nbgrader's :class:`~nbgrader.api.Gradebook` API, one student at
a time, from the main process only.

Progress is shown with :mod:`tqdm` (a dependency of the project): a bar with ETA,
and one line per student as each finishes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from course.grading.coursedir import SOURCE_DIRNAME, GradingError, quiet_environment

#: Default wall-clock limit for one submission (all its notebooks), in seconds.
DEFAULT_TIMEOUT = 600.0


@dataclass
class CellScore:
    """The score of one graded cell of one student's notebook."""

    notebook: str
    grade_id: str
    score: float
    max_score: float
    needs_manual_grade: bool = False


@dataclass
class StudentResult:
    """What grading one student's submission produced."""

    student: str
    status: str  # "ok", "error" or "timeout"
    cells: list[CellScore] = field(default_factory=list)
    reason: str = ""
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return float(sum(c.score for c in self.cells))

    @property
    def max_score(self) -> float:
        return float(sum(c.max_score for c in self.cells))

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class GradeRun:
    """All results of one ``course grade`` run."""

    assignment: str
    results: list[StudentResult]
    seconds: float

    @property
    def failed(self) -> list[StudentResult]:
        return [r for r in self.results if not r.ok]


def _api(course: Path):  # type: ignore[no-untyped-def]
    """An NbGraderAPI bound to ``course``, configured from its nbgrader_config.py."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    config_file = course / "nbgrader_config.py"
    if config_file.is_file():
        config.merge(PyFileConfigLoader(config_file.name, path=str(course)).load_config())
    config.CourseDirectory.root = str(course)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def gradebook(course: Path):  # type: ignore[no-untyped-def]
    """Open the course gradebook (use as a context manager)."""
    from nbgrader.api import Gradebook

    api = _api(course)
    return Gradebook(api.coursedir.db_url, api.coursedir.course_id)


def ensure_generated(course: Path, assignment: str) -> None:
    """Generate the student version (and the gradebook entry) if it is missing."""
    release = course / "release" / assignment
    with gradebook(course) as gb:
        try:
            gb.find_assignment(assignment)
            known = True
        except Exception:  # nbgrader.api.MissingEntry
            known = False
    if known and release.is_dir():
        return
    result = _api(course).generate_assignment(assignment, force=True, create=True)
    if not result.get("success"):
        raise GradingError(
            f"nbgrader no pudo generar la versión del alumnado de {assignment}:\n"
            f"{_last_lines(result.get('error') or result.get('log') or '')}"
        )


def submitted_students(course: Path, assignment: str) -> list[str]:
    """Students with a folder ``submitted/<student>/<assignment>/``, sorted."""
    base = course / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir())


def _assignment_notebooks(course: Path, assignment: str) -> list[str]:
    with gradebook(course) as gb:
        return [nb.name for nb in gb.find_assignment(assignment).notebooks]


def _make_template_gradebook(course: Path, assignment: str, dest: Path) -> None:
    """A copy of the course gradebook holding the assignment structure and no students."""
    from nbgrader.api import Gradebook

    shutil.copy2(course / "gradebook.db", dest)
    with Gradebook(f"sqlite:///{dest}") as gb:
        for student in list(gb.students):
            gb.remove_student(student.id)
        for other in list(gb.assignments):
            if other.name != assignment:
                gb.remove_assignment(other.name)


def _prepare_scratch(
    course: Path, assignment: str, student: str, template_db: Path, notebooks: list[str]
) -> Path:
    scratch = Path(tempfile.mkdtemp(prefix=f"course-grade-{student}-"))
    shutil.copy2(course / "nbgrader_config.py", scratch / "nbgrader_config.py")
    shutil.copy2(template_db, scratch / "gradebook.db")
    # Only non-notebook files of the source assignment (data files): nbgrader copies
    # them beside the submission; the solution notebook itself is never there.
    src = course / SOURCE_DIRNAME / assignment
    dst = scratch / SOURCE_DIRNAME / assignment
    dst.mkdir(parents=True)
    for path in src.rglob("*"):
        rel = path.relative_to(src)
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in rel.parts:
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dst / rel)
    # Only what nbgrader grades: the assignment's notebooks and the timestamp.
    sub_src = course / "submitted" / student / assignment
    sub_dst = scratch / "submitted" / student / assignment
    sub_dst.mkdir(parents=True)
    for name in [f"{nb}.ipynb" for nb in notebooks] + ["timestamp.txt"]:
        if (sub_src / name).is_file():
            shutil.copy2(sub_src / name, sub_dst / name)
    return scratch


def _read_scores(db_path: Path, assignment: str, student: str) -> list[CellScore]:
    from nbgrader.api import Gradebook

    cells: list[CellScore] = []
    with Gradebook(f"sqlite:///{db_path}") as gb:
        submission = gb.find_submission(assignment, student)
        for nb in submission.notebooks:
            for grade in nb.grades:
                score = grade.score if grade.score is not None else 0.0
                cells.append(
                    CellScore(
                        notebook=nb.name,
                        grade_id=grade.name,
                        score=float(score),
                        max_score=float(grade.max_score),
                        needs_manual_grade=bool(grade.needs_manual_grade),
                    )
                )
    return cells


def _last_lines(text: str, n: int = 6) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines[-n:])


def _explain_failure(log: str, notebooks_dir: Path) -> str:
    """A short Spanish reason for a failed autograde, from nbgrader's log."""
    for nb in notebooks_dir.glob("*.ipynb"):
        try:
            json.loads(nb.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            return f"el cuaderno {nb.name} está dañado (no es JSON válido)"
    if "Kernel died" in log or "DeadKernelError" in log:
        return "el núcleo de Python murió durante la ejecución"
    if "CellTimeoutError" in log or "Timeout waiting for execute reply" in log:
        return "una celda superó el tiempo máximo de ejecución"
    if "No notebooks found" in log or "No submitted file" in log:
        return "no se encontró el cuaderno entregado"
    return "nbgrader no pudo corregir la entrega: " + _last_lines(log, 2).replace("\n", " | ")


def _grade_one(
    scratch: Path, assignment: str, student: str, timeout: float
) -> tuple[StudentResult, Path]:
    start = time.monotonic()
    cmd = [
        sys.executable,
        "-m",
        "nbgrader",
        "autograde",
        assignment,
        "--student",
        student,
        "--force",
        "--create",
    ]
    env = quiet_environment()
    env["HOME"] = str(scratch / "home")
    env["TMPDIR"] = str(scratch / "tmp")
    (scratch / "home").mkdir(exist_ok=True)
    (scratch / "tmp").mkdir(exist_ok=True)
    proc = subprocess.Popen(
        cmd,
        cwd=scratch,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        log, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        log = ""
        result = StudentResult(
            student,
            "timeout",
            reason=f"superó el tiempo máximo de {timeout:.0f} s por entrega",
        )
        result.seconds = time.monotonic() - start
        return result, scratch
    elapsed = time.monotonic() - start
    autograded = scratch / "autograded" / student / assignment
    failed = proc.returncode != 0 or "[AutogradeApp | ERROR]" in log
    if failed or not autograded.is_dir():
        reason = _explain_failure(log, scratch / "submitted" / student / assignment)
        return StudentResult(student, "error", reason=reason, seconds=elapsed), scratch
    try:
        cells = _read_scores(scratch / "gradebook.db", assignment, student)
    except Exception as exc:  # gradebook unreadable: report, never crash the batch
        return StudentResult(
            student, "error", reason=f"no se pudieron leer las notas: {exc}", seconds=elapsed
        ), scratch
    return StudentResult(student, "ok", cells=cells, seconds=elapsed), scratch


def _kill_group(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """Kill a grading process and everything it started (kernels run in their own group)."""
    import psutil  # a dependency of ipykernel

    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        family = []
    for child in family:
        try:
            child.kill()
        except psutil.Error:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


def _merge(course: Path, assignment: str, result: StudentResult, scratch: Path) -> None:
    """Write one student's scores into the course gradebook through nbgrader's API."""
    from nbgrader.api import Gradebook

    db_url = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(db_url) as gb:
        gb.update_or_create_student(result.student)
        submission = gb.update_or_create_submission(assignment, result.student)
        by_id = {(c.notebook, c.grade_id): c for c in result.cells}
        for nb in submission.notebooks:
            for grade in nb.grades:
                cell = by_id.get((nb.name, grade.name))
                # Every cell is reset on every (re)grade: a stale score never survives.
                grade.auto_score = cell.score if cell else 0.0
                grade.manual_score = None
                grade.needs_manual_grade = cell.needs_manual_grade if cell else not result.ok
        gb.db.commit()
    dest = course / "autograded" / result.student / assignment
    src = scratch / "autograded" / result.student / assignment
    if dest.exists():
        shutil.rmtree(dest)
    if src.is_dir():
        shutil.copytree(src, dest)


def grade_assignment(
    course: Path,
    assignment: str,
    *,
    students: Iterable[str] | None = None,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = True,
    echo: Callable[[str], None] | None = None,
) -> GradeRun:
    """Autograde every submission of ``assignment`` in parallel (see module docstring)."""
    from tqdm import tqdm

    start = time.monotonic()
    ensure_generated(course, assignment)
    available = submitted_students(course, assignment)
    wanted = list(students) if students else available
    missing = [s for s in wanted if s not in available]
    if missing:
        raise GradingError(
            f"No hay entrega de {', '.join(missing)} para {assignment} en "
            f"{course / 'submitted'}/<alumno>/{assignment}/."
        )
    if not wanted:
        raise GradingError(
            f"No hay entregas de {assignment}: copie cada una en "
            f"{course / 'submitted'}/<alumno>/{assignment}/ (o use «nbgrader collect»)."
        )
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    notebooks = _assignment_notebooks(course, assignment)
    results: list[StudentResult] = []
    with tempfile.TemporaryDirectory(prefix="course-grade-template-") as tmp:
        template = Path(tmp) / "gradebook.db"
        _make_template_gradebook(course, assignment, template)
        scratches = {
            s: _prepare_scratch(course, assignment, s, template, notebooks) for s in wanted
        }
        bar = tqdm(
            total=len(wanted),
            desc=f"Corrigiendo {assignment}",
            unit="entrega",
            disable=not progress,
            dynamic_ncols=True,
        )
        write = echo or (bar.write if progress else print)
        try:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                futures = [
                    pool.submit(_grade_one, scratches[s], assignment, s, timeout) for s in wanted
                ]
                for future in as_completed(futures):
                    result, scratch = future.result()
                    _merge(course, assignment, result, scratch)
                    results.append(result)
                    write(_student_line(result))
                    bar.update(1)
        finally:
            bar.close()
            for scratch in scratches.values():
                shutil.rmtree(scratch, ignore_errors=True)
    results.sort(key=lambda r: r.student)
    return GradeRun(assignment, results, time.monotonic() - start)


def _student_line(result: StudentResult) -> str:
    if result.ok:
        return (
            f"  ✔ {result.student}: {result.score:g} / {result.max_score:g} puntos "
            f"({result.seconds:.1f} s)"
        )
    kind = "tiempo agotado" if result.status == "timeout" else "no corregida"
    return f"  ✘ {result.student}: {kind} — {result.reason}"
