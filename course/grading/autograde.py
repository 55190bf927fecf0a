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
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.grading.coursedir import SOURCE_DIRNAME, GradingError, quiet_environment
from course.grading.hidden_tests import HiddenTestService
from course.grading.nbgrader_errors import explain_nbgrader
from course.grading.sandbox import (
    DEFAULT_LIMITS,
    Limits,
    cgroup_support,
    data_folders,
    namespaces_available,
    remove_cgroups_named,
    sandbox_package,
    write_kernelspec,
)
from course.grading.scoring import REASON_BUDGET, REASON_DIED, REASON_HUNG
from course.grading.timeouts import SUBMISSION_SECONDS

#: Default wall-clock limit for one submission (all its notebooks), in seconds.
DEFAULT_TIMEOUT = SUBMISSION_SECONDS


@dataclass
class CellScore:
    """The score of one graded cell of one student's notebook."""

    notebook: str
    grade_id: str
    score: float
    max_score: float
    needs_manual_grade: bool = False
    reason: str = ""


@dataclass
class StudentResult:
    """What grading one student's submission produced."""

    student: str
    status: str  # "ok", "error" or "timeout"
    cells: list[CellScore] = field(default_factory=list)
    reason: str = ""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    fingerprint: str = ""
    review: str = ""  # "", "pendiente" or "aprobada"
    # grade_id -> verdict of the re-check outside the kernel (course.grading.recheck)
    verdicts: dict[str, str] = field(default_factory=dict)
    # What was unusual about the submission (course.grading.intake): each holds it for review.
    anomalies: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        """One of :data:`course.grading.states.STATES` (what the grade may be used for)."""
        if self.status == "missing":
            return "sin_entrega"
        if not self.ok:
            return "no_corregida"
        return "retenida" if self.review == "pendiente" else "corregida"

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
            f"nbgrader no pudo generar la versión del alumnado de {assignment}: "
            + explain_nbgrader(f"{result.get('log') or ''}\n{result.get('error') or ''}")
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
    course: Path,
    assignment: str,
    student: str,
    template_db: Path,
    notebooks: list[str],
    *,
    batch_dir: Path | None = None,
    sandbox: bool = True,
    limits: Limits | None = None,
    recheck: bool = True,
    cgroup_prefix: str = "",
    others: dict[str, list[dict[str, str]]] | None = None,
    anomalies: list[str] | None = None,
) -> Path:
    """A scratch course for one student; returns its folder.

    ``others`` holds the fixed cells of the course's other released assignments and
    ``anomalies`` what holds every submission of this batch for review (see
    :mod:`course.grading.intake`).

    The submitted notebooks are parsed and sanitized here, in the main process,
    before any of their code runs (see :mod:`course.grading.scoring`); what could
    not be read or was repaired is recorded in ``notes.json`` beside them.
    """
    from course.grading.scoring import (
        SubmissionUnreadable,
        check_nesting,
        read_submission,
        sanitize_submission,
        trusted_structure,
    )

    limits = limits or DEFAULT_LIMITS
    # The scratch folder's name never contains the student id: kernel sockets live
    # under it, and a Unix socket path may not exceed about 100 bytes.
    scratch = Path(tempfile.mkdtemp(prefix="g-", dir=batch_dir))
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
    sub_src = course / "submitted" / student / assignment
    sub_dst = scratch / "submitted" / SCRATCH_STUDENT / assignment
    sub_dst.mkdir(parents=True)
    from course.grading import review

    trusted = trusted_structure(template_db, assignment)
    notes: list[str] = []
    flags: list[str] = []
    prints: list[str] = []
    import nbformat

    from course.grading.intake import other_assignment_ids, pick_notebooks
    from course.grading.report import exercise_titles

    titles = exercise_titles(course, assignment)

    picked = pick_notebooks(
        sub_src,
        {name: trusted[name] for name in notebooks},
        course / "release" / assignment,
        other_assignment_ids(course, assignment) if others is None else others,
        assignment,
    )
    anomalies = list(picked.anomalies) + list(anomalies or [])
    for nb_name in notebooks:
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
        clean, repaired = sanitize_submission(raw, trusted[nb_name])
        notes.extend(repaired)
        for flag in review.scan_notebook(clean):
            where = review.locate(clean, flag.cell, titles)
            flags.append(f"{flag.reason} ({where} de {nb_name})")
        prints.append(review.fingerprint(clean))
        nbformat.write(clean, sub_dst / f"{nb_name}.ipynb")
    stamp = _clean_timestamp(sub_src / "timestamp.txt", notes)
    if stamp:
        (sub_dst / "timestamp.txt").write_text(stamp, encoding="utf-8")
    meta = {
        "notes": notes,
        "flags": list(dict.fromkeys(anomalies + flags)),
        "anomalies": anomalies,
        "empty": picked.empty,
        "fingerprint": "-".join(prints),
        "hidden_lines": {name: t.hidden_lines for name, t in trusted.items()},
    }
    (scratch / "notes.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    # nbgrader writes the executed notebook into ``output``; the kernel works in
    # ``work``, a different folder: it can never plant a link where the worker writes.
    output = scratch / "autograded" / SCRATCH_STUDENT / assignment
    work = scratch / KERNEL_WORK
    home, tmp, runtime = scratch / "home", scratch / "tmp", scratch / "runtime"
    witness = scratch / "witness"
    for folder in (output, work, home, tmp, runtime, witness):
        folder.mkdir(parents=True, exist_ok=True)
    ipc = sandbox and namespaces_available()
    if ipc and len(str(runtime / "kernel-00000-shell")) > MAX_SOCKET_PATH:
        raise GradingError(
            f"La carpeta temporal {batch_dir or tempfile.gettempdir()} tiene una ruta demasiado "
            "larga para los sockets del núcleo de Python.\n"
            "Solución: defina TMPDIR con una carpeta de ruta corta (p. ej. /tmp) y repita."
        )
    config = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    config += _SCRATCH_CONFIG.format(
        notebook_seconds=float(limits.notebook_seconds),
        output_bytes=int(limits.output_bytes),
        transport="ipc" if ipc else "tcp",
        ip_line=f"c.KernelManager.ip = {str(runtime / 'kernel')!r}" if ipc else "",
        witness=str(witness),
        trusted_socket=str((batch_dir or scratch.parent) / TRUSTED_SOCKET) if recheck else "",
        kernel_dir=str(work),
    )
    kernel_env: dict[str, str] = {}
    (scratch / "nbgrader_config.py").write_text(config, encoding="utf-8")
    if sandbox:
        # The kernel sees a new root built from an allowlist (course.grading.sandbox):
        # the course, the project checkout, the batch's gradebooks and the other
        # students' folders are simply absent; nothing to hide one by one.
        package = (batch_dir or scratch.parent) / "package"
        write_kernelspec(
            scratch / "jupyter",
            writable=[runtime, witness],
            work=work,
            home=home,
            tmp=tmp,
            package=package,
            readable=data_folders(package),
            limits=limits,
            cgroup=f"{cgroup_prefix}{scratch.name}" if cgroup_prefix else "",
            env=kernel_env,
        )
    else:
        spec_dir = scratch / "jupyter" / "kernels" / "python3"
        spec_dir.mkdir(parents=True)
        spec = {
            "argv": [
                sys.executable,
                "-m",
                "ipykernel_launcher",
                "-f",
                "{connection_file}",
                "--IPKernelApp.ignore_cwd=True",
            ],
            "display_name": "Python 3",
            "language": "python",
            "env": {"PYTHONSAFEPATH": "1", **kernel_env},
        }
        (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return scratch


_SCRATCH_CONFIG = """

# --- added by course.grading.autograde for this grading worker only ---------
from nbgrader.preprocessors import CheckCellMetadata, IgnorePattern, LimitOutput  # noqa: E402
from course.grading.safe_execute import SafeExecute  # noqa: E402

# Scores are computed by course.grading.scoring from the notebook, never read
# from this worker's gradebook (nbgrader's SaveAutoGrades would also abort on a
# partial score above the maximum).
c.Autograde.autograde_preprocessors = [SafeExecute, IgnorePattern, LimitOutput, CheckCellMetadata]
c.SafeExecute.notebook_timeout = {notebook_seconds}
c.SafeExecute.max_output_bytes = {output_bytes}
c.SafeExecute.witness_dir = {witness!r}
c.SafeExecute.trusted_socket = {trusted_socket!r}
c.SafeExecute.kernel_dir = {kernel_dir!r}
# nbgrader's final chmod walk follows symbolic links: replaced by one that never does.
from nbgrader.converters.base import BaseConverter  # noqa: E402
from course.grading.safe_execute import safe_set_permissions  # noqa: E402

BaseConverter.set_permissions = safe_set_permissions
c.KernelManager.transport = "{transport}"
{ip_line}
"""

#: Socket of the batch's trusted process (course.grading.hidden_tests), in the batch folder.
TRUSTED_SOCKET = "trusted.sock"
#: Scratch subfolder the kernel works in (never where nbgrader writes its output).
KERNEL_WORK = "kernel_work"

#: The id every submission is graded under inside its scratch course. The real id
#: (spaces, accents, an e-mail, a Moodle folder name, any length) only names the
#: result: nbgrader never sees it, so it can neither break a glob nor lengthen a path.
SCRATCH_STUDENT = "alumno"

#: Longest path accepted for a kernel's IPC socket (Linux allows 107 bytes).
MAX_SOCKET_PATH = 100


def _clean_timestamp(path: Path, notes: list[str]) -> str:
    """The submission time if ``timestamp.txt`` holds a valid one, else ``""``."""
    if not path.is_file():
        return ""
    try:
        text = path.read_text(encoding="utf-8").strip()
        if len(text) > 64:
            raise ValueError(text[:64])
        from nbgrader.utils import parse_utc

        parse_utc(text)
    except Exception:
        notes.append("timestamp.txt no contiene una fecha válida: se ignoró")
        return ""
    return text


def _read_scores(
    scratch: Path, template_db: Path, assignment: str, student: str, reason: str = ""
) -> list[CellScore]:
    """Score the autograded notebooks from their outputs and the trusted cell list.

    The scratch gradebook is never read: the kernel could have written to it.
    """
    from course.grading.scoring import score_notebook, trusted_structure

    cells: list[CellScore] = []
    folder = scratch / "autograded" / SCRATCH_STUDENT / assignment
    for name, trusted in trusted_structure(template_db, assignment).items():
        path = folder / f"{name}.ipynb"
        for s in score_notebook(path if path.is_file() else None, trusted, reason):
            cells.append(
                CellScore(
                    s.notebook, s.grade_id, s.score, s.max_score, s.needs_manual_grade, s.reason
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
    return "nbgrader no pudo corregir la entrega: " + explain_nbgrader(log).replace("\n", " ")


def _confirm(result: StudentResult, scratch: Path) -> None:
    """Collect the trusted process's verdict on each test cell (see hidden_tests.py).

    The verdicts were written into the autograded notebooks by the grading worker
    (the scores already reflect them); a refuted or unconfirmable cell holds the
    submission for review.
    """
    from course.grading.hidden_tests import HOLD
    from course.grading.scoring import STATUS_KEY

    folder = scratch / "autograded" / SCRATCH_STUDENT
    for path in sorted(folder.glob("*/*.ipynb")):
        if not path.is_file() or path.is_symlink():
            continue
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {})
            gid = meta.get("nbgrader", {}).get("grade_id")
            verdict = meta.get(STATUS_KEY, {}).get("trusted")
            if not isinstance(gid, str) or not isinstance(verdict, str):
                continue
            result.verdicts[gid] = verdict
            if verdict in HOLD:
                why = next(
                    (c.reason for c in result.cells if c.grade_id == gid and c.reason), verdict
                )
                result.flags.append(f"{gid} pasó en el cuaderno pero no fuera de él ({why})")


def _grade_one(
    scratch: Path, assignment: str, student: str, timeout: float, template_db: Path
) -> tuple[StudentResult, Path]:
    start = time.monotonic()
    argv = ["autograde", assignment, "--student", SCRATCH_STUDENT, "--force", "--create"]
    env = quiet_environment()
    env["HOME"] = str(scratch / "home")
    env["TMPDIR"] = str(scratch / "tmp")
    env["JUPYTER_PATH"] = str(scratch / "jupyter")
    env["JUPYTER_RUNTIME_DIR"] = str(scratch / "runtime")
    env["JUPYTER_CONFIG_DIR"] = str(scratch / "home" / ".jupyter")
    env["JUPYTER_DATA_DIR"] = str(scratch / "home" / ".local" / "share" / "jupyter")
    env["PYTHONSAFEPATH"] = "1"
    for name in ("home", "tmp", "runtime"):
        (scratch / name).mkdir(exist_ok=True)
    meta = json.loads((scratch / "notes.json").read_text(encoding="utf-8"))
    notes = meta["notes"]
    extra = {
        "flags": meta["flags"],
        "fingerprint": meta["fingerprint"],
        "anomalies": meta.get("anomalies", []),
    }
    if meta.get("empty"):
        # Nothing to run: no kernel is started for a folder without a notebook.
        reason = "; ".join(extra["anomalies"]) or "no hay cuaderno"
        cells = _read_scores(scratch, template_db, assignment, student, reason)
        return StudentResult(
            student, "missing", cells=cells, reason=reason, notes=notes, **extra
        ), scratch
    job = _AutogradeJob(argv, scratch, env)
    log, returncode = job.wait(timeout)
    if returncode is None:
        reason = f"superó el tiempo máximo de {timeout:.0f} s por entrega"
        cells = _read_scores(scratch, template_db, assignment, student, "ninguna: " + reason)
        for cell in cells:
            cell.score, cell.reason = 0.0, reason
        result = StudentResult(student, "timeout", cells=cells, reason=reason, notes=notes, **extra)
        result.seconds = time.monotonic() - start
        return result, scratch
    if os.environ.get("COURSE_GRADE_DEBUG"):
        Path(os.environ["COURSE_GRADE_DEBUG"], f"{student}.log").write_text(log, encoding="utf-8")
    elapsed = time.monotonic() - start
    autograded = scratch / "autograded" / SCRATCH_STUDENT / assignment
    produced = any(autograded.glob("*.ipynb"))
    failed = returncode != 0 or "[AutogradeApp | ERROR]" in log
    reason = ""
    if failed and not produced:
        reason = _explain_failure(log, scratch / "submitted" / SCRATCH_STUDENT / assignment)
        if notes:
            reason = "; ".join(notes)
    never_ran = _kernel_never_ran(autograded) if produced else ""
    if never_ran:
        # No cell ran at all: the kernel could not be started or reached. That is
        # the grader's failure, never a 0 the student earned.
        failed, produced = True, False
        reason = f"no se pudo iniciar el núcleo de Python para ejecutar la entrega ({never_ran})"
    try:
        cells = _read_scores(scratch, template_db, assignment, student, reason)
    except Exception as exc:  # never crash the batch
        return StudentResult(
            student,
            "error",
            reason=f"no se pudieron calcular las notas: {exc}",
            seconds=elapsed,
            notes=notes,
            **extra,
        ), scratch
    status = "error" if failed and not produced else "ok"
    stopped = [c.reason for c in cells if c.reason in (REASON_BUDGET, REASON_HUNG, REASON_DIED)]
    if status == "ok" and stopped:
        # Scores of the cells that ran are kept; the submission is still reported.
        status = "error" if stopped[0] == REASON_DIED else "timeout"
        reason = stopped[0]
    return StudentResult(
        student, status, cells=cells, reason=reason, seconds=elapsed, notes=notes, **extra
    ), scratch


def _kernel_never_ran(folder: Path) -> str:
    """The recorded reason if no code cell of any autograded notebook ran, else ``""``.

    Even an untouched release runs its first cell (the imports), so a notebook in
    which every code cell is "not run" means the kernel never answered.
    """
    from course.grading.scoring import STATUS_KEY

    reasons: list[str] = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ""
        code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
        statuses = [c.get("metadata", {}).get(STATUS_KEY, {}) for c in code]
        if not code or any(st.get("status") != "not_run" for st in statuses):
            return ""
        reasons.append(str(statuses[0].get("reason") or "ninguna celda llegó a ejecutarse"))
    return reasons[0][:300] if reasons else ""


def _kill_tree(pid: int) -> None:
    """Kill a grading process and everything it started (kernels run in their own group)."""
    import psutil  # a dependency of ipykernel

    try:
        family = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        family = []
    for child in family:
        try:
            child.kill()
        except psutil.Error:
            pass
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# --------------------------------------------------------------------------- workers
#
# Importing nbgrader's autograde application costs about 2.4 s of CPU, more than a
# third of grading a small notebook. Each submission is still graded in a process
# of its own (a hang or a crash is contained and killed with everything it
# started), but that process is forked from a multiprocessing *fork server* that
# imported nbgrader once, instead of being a new interpreter. Where fork servers
# do not exist (Windows) or ``COURSE_GRADE_SUBPROCESS=1`` is set, a plain
# ``python -m nbgrader autograde`` subprocess is used.

_PRELOAD = [
    "nbgrader.apps.nbgraderapp",
    "nbgrader.apps.autogradeapp",
    "nbgrader.converters.autograde",
    "nbclient",
    "course.grading.safe_execute",
    "course.grading.autograde",
]
_FORK_CONTEXT = None


def _fork_context():  # noqa: ANN202 - a multiprocessing context
    global _FORK_CONTEXT
    if _FORK_CONTEXT is None:
        import multiprocessing

        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        _FORK_CONTEXT = ctx
    return _FORK_CONTEXT


def _warm_fork_server() -> None:
    """Start the fork server now: it imports nbgrader while the batch is prepared."""
    if _use_fork_server():
        from multiprocessing import forkserver

        _fork_context()
        forkserver.ensure_running()


def _use_fork_server() -> bool:
    import multiprocessing

    return (
        "forkserver" in multiprocessing.get_all_start_methods()
        and os.environ.get("COURSE_GRADE_SUBPROCESS", "") != "1"
    )


def _autograde_child(argv: list[str], cwd: str, env: dict[str, str], log_path: str) -> None:
    """Body of a forked grading process: ``nbgrader <argv>`` in ``cwd`` with ``env``."""
    os.setsid()  # its own process group, as ``start_new_session`` gives a subprocess
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    sys.argv = ["nbgrader", *argv]
    code = 1
    try:
        from nbgrader.apps.nbgraderapp import NbGraderApp

        NbGraderApp.launch_instance(argv=argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported in the log, never raised
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


_START_LOCK = threading.Lock()


def _start_without_main(process: Any) -> None:
    """Start a fork-server process without re-running the parent's ``__main__``.

    multiprocessing normally re-imports the main script in the child (so a script
    without an ``if __name__ == "__main__":`` guard would run again there). The
    child here only needs :func:`_autograde_child`, importable from this module,
    so the main-module entries are dropped from the preparation data.
    """
    from multiprocessing import spawn

    original = spawn.get_preparation_data

    def without_main(name: str) -> dict[str, Any]:
        data = original(name)
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
        return data

    with _START_LOCK:
        spawn.get_preparation_data = without_main
        try:
            process.start()
        finally:
            spawn.get_preparation_data = original


class _AutogradeJob:
    """One running ``nbgrader autograde``: forked from the fork server or a subprocess."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str]) -> None:
        self._log_path = cwd / "autograde.log"
        self._process = None
        self._popen = None
        if _use_fork_server():
            self._process = _fork_context().Process(
                target=_autograde_child,
                args=(argv, str(cwd), env, str(self._log_path)),
                daemon=False,
            )
            _start_without_main(self._process)
        else:
            self._popen = subprocess.Popen(
                [sys.executable, "-m", "nbgrader", *argv],
                cwd=cwd,
                env=env,
                stdout=self._log_path.open("w", encoding="utf-8"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self._process.pid if self._process is not None else self._popen.pid

    def wait(self, timeout: float) -> tuple[str, int | None]:
        """The log and exit code, or ``None`` as the code if it ran out of time (killed)."""
        if self._process is not None:
            self._process.join(timeout)
            code = None if self._process.is_alive() else self._process.exitcode
        else:
            try:
                code = self._popen.wait(timeout)
            except subprocess.TimeoutExpired:
                code = None
        if code is None:
            _kill_tree(self.pid)  # still running: it and everything it started
        else:
            try:  # whatever it left behind in its own process group
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self._process is not None:
            self._process.join()
            self._process.close()
        else:
            self._popen.wait()
            if self._popen.stdout:
                self._popen.stdout.close()
        try:
            log = self._log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            log = ""
        return log, code


def _describe(exc: BaseException) -> str:
    """A short Spanish description of an unexpected failure (never a traceback)."""
    if isinstance(exc, RecursionError):
        return "estructura anidada en exceso"
    if isinstance(exc, MemoryError):
        return "memoria agotada al procesarla"
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _failed_result(student: str, template: Path, assignment: str, reason: str) -> StudentResult:
    """A "NO CORREGIDA" result: every graded cell 0 with ``reason`` (Spanish)."""
    cells: list[CellScore] = []
    try:
        from course.grading.scoring import trusted_structure

        for trusted in trusted_structure(template, assignment).values():
            for gid, tcell in trusted.grade_cells.items():
                cells.append(CellScore(trusted.name, gid, 0.0, tcell.max_score, False, reason))
    except Exception:  # noqa: BLE001 - the result itself must always exist
        cells = []
    return StudentResult(student, "error", cells=cells, reason=reason)


def _merge_guarded(
    course: Path, assignment: str, result: StudentResult, scratch: Path | None, template: Path
) -> None:
    """:func:`_merge`, turning any failure into a "NO CORREGIDA" result for this student."""
    try:
        if scratch is None:
            _merge_scores_only(course, assignment, result)
        else:
            _merge(course, assignment, result, scratch)
        return
    except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError included
        reason = f"no se pudo guardar la corrección ({_describe(exc)})"
    failed = _failed_result(result.student, template, assignment, reason)
    result.status, result.reason, result.cells = "error", reason, failed.cells
    try:
        _merge_scores_only(course, assignment, result)
    except Exception as exc:  # noqa: BLE001
        print(f"[course grade] {result.student}: {reason}; {_describe(exc)}", file=sys.stderr)


def _merge_scores_only(course: Path, assignment: str, result: StudentResult) -> None:
    """Write ``result``'s scores (zeros for a refused submission) into the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_student(result.student)
        submission = gb.update_or_create_submission(assignment, result.student)
        by_id = {(c.notebook, c.grade_id): c for c in result.cells}
        for nb in submission.notebooks:
            for grade in nb.grades:
                cell = by_id.get((nb.name, grade.name))
                grade.auto_score = cell.score if cell else 0.0
                grade.manual_score = None
                grade.needs_manual_grade = False
        gb.db.commit()
    from course.grading.states import record_state

    record_state(course, assignment, result.student, result.state, result.reason)


def _merge(course: Path, assignment: str, result: StudentResult, scratch: Path) -> None:
    """Write one student's scores into the course gradebook through nbgrader's API.

    Also refreshes the review list and copies the autograded notebooks (regular
    ``.ipynb`` files only) with each zero's reason written under its cell.
    """
    from nbgrader.api import Gradebook

    from course.grading import review

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
                grade.needs_manual_grade = cell.needs_manual_grade if cell else False
            for comment in nb.comments:
                comment.auto_comment = None
                comment.manual_comment = None
        gb.db.commit()
    try:
        hidden = json.loads((scratch / "notes.json").read_text(encoding="utf-8"))["hidden_lines"]
    except (OSError, ValueError, KeyError):
        hidden = {}
    dest = course / "autograded" / result.student / assignment
    src = scratch / "autograded" / SCRATCH_STUDENT / assignment
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for path in sorted(src.glob("*.ipynb")) if src.is_dir() else []:
        if path.is_file() and not path.is_symlink():
            if _write_feedback_notebook(path, dest / path.name, result, hidden.get(path.stem, [])):
                result.flags.append(f"la salida de {path.name} mostraba pruebas ocultas")
    result.review = review.record_flags(
        course, assignment, result.student, "; ".join(result.flags), result.fingerprint
    )
    from course.grading.states import record_state

    why = "; ".join(result.flags) if result.state == "retenida" else result.reason
    record_state(course, assignment, result.student, result.state, why)


#: Largest autograded notebook copied back to the course (bytes).
MAX_NOTEBOOK_BYTES = 2_000_000


def _write_feedback_notebook(
    src: Path, dest: Path, result: StudentResult, hidden: list[str]
) -> bool:
    """Copy an autograded notebook adding the grading notes and each zero's reason.

    Outputs quoting hidden-test lines are withdrawn; returns True if any was.
    """
    import nbformat

    from course.grading.preprocessors import HideHiddenTests
    from course.grading.safe_execute import read_regular_file
    from course.grading.scoring import MAX_JSON_DEPTH, json_depth, scrub_hidden

    text = read_regular_file(src, 32 * MAX_NOTEBOOK_BYTES).decode("utf-8", errors="replace")
    if json_depth(text) > MAX_JSON_DEPTH:
        raise ValueError(f"{src.name}: JSON anidado en exceso")
    nb = nbformat.reads(text, as_version=4)
    name = src.stem
    # The copy in the course is what feedback is rendered from: hidden tests (and
    # the tracebacks quoting them) are removed here already, whatever the config.
    hide = HideHiddenTests()
    leaked = False
    for index, cell in enumerate(nb.cells):
        hide.preprocess_cell(cell, {}, index)
        if cell.cell_type == "code":
            leaked |= scrub_hidden(cell.outputs, hidden)
    reasons = {c.grade_id: c for c in result.cells if c.notebook == name and c.reason}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and gid in reasons:
            c = reasons[gid]
            cell.outputs.append(
                nbformat.v4.new_output(
                    "stream",
                    name="stdout",
                    text=f"[Corrección] {c.score:g} de {c.max_score:g} puntos: {c.reason}\n",
                )
            )
    if result.notes:
        note = "**Notas de la corrección automática:**\n\n" + "\n".join(
            f"- {n}" for n in result.notes
        )
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(note))
    text = nbformat.writes(nb)
    if len(text.encode("utf-8")) > MAX_NOTEBOOK_BYTES:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if o.get("output_type") != "display_data"]
        text = nbformat.writes(nb)
    if len(text.encode("utf-8")) > MAX_NOTEBOOK_BYTES:
        # The submission itself is huge (e.g. data pasted into a cell): cut sources.
        for cell in nb.cells:
            if len(cell.source) > 20_000:
                cell.source = (
                    cell.source[:2_000]
                    + f"\n# [Corrección] celda recortada: tenía {len(cell.source)} caracteres.\n"
                )
        text = nbformat.writes(nb)
    dest.write_text(text, encoding="utf-8")
    return leaked


def grade_assignment(
    course: Path,
    assignment: str,
    *,
    students: Iterable[str] | None = None,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = True,
    echo: Callable[[str], None] | None = None,
    sandbox: bool = True,
    limits: Limits | None = None,
    recheck: bool = True,
) -> GradeRun:
    """Autograde every submission of ``assignment`` in parallel (see module docstring).

    ``sandbox=False`` runs kernels without :mod:`course.grading.sandbox` and
    ``recheck=False`` skips :mod:`course.grading.recheck` (both used only to
    measure what they cost); ``limits`` overrides the sandbox's defaults.
    """
    from dataclasses import replace

    from tqdm import tqdm

    start = time.monotonic()
    _warm_fork_server()
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
    limits = limits or DEFAULT_LIMITS
    # The notebook's budget ends well before the worker is killed (nbgrader and
    # the kernel need time to start and to write the results).
    budget = min(limits.notebook_seconds, max(15.0, timeout * 0.8 - 30.0))
    limits = replace(limits, notebook_seconds=budget)
    with tempfile.TemporaryDirectory(prefix="course-grade-", dir=_short_tmp_root()) as tmp:
        template = Path(tmp) / "template" / "gradebook.db"
        template.parent.mkdir()
        _make_template_gradebook(course, assignment, template)
        batch = Path(tmp) / "batch"
        batch.mkdir()
        from course.grading.intake import missing_data_files, other_assignment_ids

        others = other_assignment_ids(course, assignment)
        absent = missing_data_files(course / SOURCE_DIRNAME / assignment)
        batch_anomalies = []
        if absent:
            folder = course / SOURCE_DIRNAME / assignment
            batch_anomalies.append(
                f"faltaba {', '.join(absent)} junto a la tarea fuente ({folder}) al corregir: "
                "el cuaderno no pudo leer sus datos"
            )
            (echo or print)(
                f"⚠ Falta {', '.join(absent)} en {folder}: todas las entregas quedarán retenidas "
                "para revisión. Copie el fichero allí y vuelva a corregir."
            )
        if sandbox:
            sandbox_package(batch / "package")
        cgroup_prefix = f"b{os.getpid()}-{int(time.time() * 1000) % 10**9}-"
        if not (sandbox and cgroup_support()):
            cgroup_prefix = ""
        scratches: dict[str, Path] = {}
        refused: dict[str, StudentResult] = {}
        for s in wanted:
            try:
                scratches[s] = _prepare_scratch(
                    course,
                    assignment,
                    s,
                    template,
                    notebooks,
                    batch_dir=batch,
                    sandbox=sandbox,
                    limits=limits,
                    recheck=recheck,
                    cgroup_prefix=cgroup_prefix,
                    others=others,
                    anomalies=batch_anomalies,
                )
            except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError included
                refused[s] = _failed_result(
                    s, template, assignment, f"no se pudo preparar la entrega ({_describe(exc)})"
                )
        bar = tqdm(
            total=len(wanted),
            desc=f"Corrigiendo {assignment}",
            unit="entrega",
            disable=not progress,
            dynamic_ncols=True,
        )
        write = echo or (bar.write if progress else print)
        sources = course / SOURCE_DIRNAME / assignment
        # The trusted process that runs the test cells in full, hidden tests and keys
        # included (course.grading.hidden_tests): it loads the instructor's set-up
        # while the first kernels start, and the workers reach it on a socket.
        service = HiddenTestService(
            batch / TRUSTED_SOCKET,
            Path(tmp) / "hidden_tests.log",
            warm=[sources / f"{n}.ipynb" for n in notebooks],
        )
        if recheck:
            service.start()
        confirmer = ThreadPoolExecutor(max_workers=1)

        def confirm(result: StudentResult, scratch: Path) -> tuple[StudentResult, Path]:
            if scratch is None:
                return result, scratch
            try:
                _confirm(result, scratch)
            except Exception as exc:  # noqa: BLE001 - a bug here never stops the batch
                print(
                    f"[course grade] {result.student}: veredictos ilegibles "
                    f"({type(exc).__name__}: {exc})",
                    file=sys.stderr,
                )
            for leftover in (scratch / "answers", scratch / "witness"):
                shutil.rmtree(leftover, ignore_errors=True)  # model and array copies
            return result, scratch

        def grade(student: str) -> Any:
            if student in refused:
                done: Future = Future()
                done.set_result((refused[student], None))
                return done
            try:
                graded = _grade_one(scratches[student], assignment, student, timeout, template)
            except Exception as exc:  # noqa: BLE001 - one submission never stops the batch
                reason = f"falló la corrección de esta entrega ({_describe(exc)})"
                graded = (_failed_result(student, template, assignment, reason), scratches[student])
            return confirmer.submit(confirm, *graded)

        try:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                futures = [pool.submit(grade, s) for s in wanted]
                for future in as_completed(futures):
                    result, scratch = future.result().result()
                    _merge_guarded(course, assignment, result, scratch, template)
                    results.append(result)
                    try:
                        write(_student_line(result))
                    except Exception as exc:  # noqa: BLE001
                        write(f"  ✘ {result.student}: no se pudo mostrar ({_describe(exc)})")
                    bar.update(1)
        finally:
            bar.close()
            confirmer.shutdown(wait=True, cancel_futures=True)
            service.close()
            if cgroup_prefix:
                remove_cgroups_named(cgroup_prefix)
            for scratch in scratches.values():
                shutil.rmtree(scratch, ignore_errors=True)
    results.sort(key=lambda r: r.student)
    return GradeRun(assignment, results, time.monotonic() - start)


def _short_tmp_root() -> str | None:
    """Where the batch folder goes: the usual temporary folder unless its path is so
    long that kernel sockets under it would not fit, then ``/tmp`` if usable."""
    default = tempfile.gettempdir()
    if len(default) <= 40:
        return None
    if os.path.isdir("/tmp") and os.access("/tmp", os.W_OK | os.X_OK):
        return "/tmp"
    return None


def recheck_summary(run: GradeRun) -> str:
    """One Spanish line: what the trusted process said about the test cells."""
    verdicts = [v for r in run.results for v in r.verdicts.values()]
    held = sorted(
        {r.student for r in run.results if {"refuted", "unconfirmable"} & set(r.verdicts.values())}
    )
    line = (
        f"Pruebas completas fuera del cuaderno: {verdicts.count('confirmed')} celda(s) "
        f"superadas, {verdicts.count('failed')} con pruebas ocultas no superadas, "
        f"{verdicts.count('refuted')} refutadas"
    )
    if verdicts.count("unconfirmable"):
        line += f", {verdicts.count('unconfirmable')} sin poder completarse (ver el registro)"
    if held:
        line += f" (entregas retenidas: {', '.join(held)})"
    return line + "."


def _student_line(result: StudentResult) -> str:
    if result.status == "missing":
        return f"  ✘ {result.student}: sin entrega — {result.reason}"
    if result.ok:
        held = " — ⏸ retenida para revisión" if result.review == "pendiente" else ""
        return (
            f"  ✔ {result.student}: {result.score:g} / {result.max_score:g} puntos "
            f"({result.seconds:.1f} s){held}"
        )
    kind = "tiempo agotado" if result.status == "timeout" else "no corregida"
    # Points of cells that ran before it stopped are shown, never a bare 0 as a grade.
    partial = f" ({result.score:g} puntos en las celdas ejecutadas)" if result.score > 0 else ""
    return f"  ✘ {result.student}: {kind}{partial} — {result.reason}"
