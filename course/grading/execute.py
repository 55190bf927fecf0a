"""Execute: run one prepared submission in nbgrader, in a sandboxed kernel, then score it.

The stage writes a scratch nbgrader course for the submission (configuration,
the bundle's gradebook and data files, the sanitised notebooks, a private
kernelspec), runs ``nbgrader autograde`` in a process of its own with a time
limit (killed with everything it started when the limit is reached), and scores
the autograded notebooks from the trusted cell list (the score stage,
:func:`course.grading.scoring.score_submission`).

nbgrader runs in a child process so that a hang or a crash is contained. How
that child starts is a :class:`Runner`: forked from a multiprocessing fork server
that imported nbgrader once (about 2.4 s of CPU saved per submission), or a
plain ``python -m nbgrader`` subprocess (where fork servers do not exist).
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
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

from course.grading.bundle import AssignmentBundle, BundleFolder, place_files
from course.grading.contracts import STATUS_KEY, CellRun, Outcome, StudentResult
from course.grading.coursedir import SOURCE_DIRNAME, GradingError, quiet_environment
from course.grading.nbgrader_errors import explain_nbgrader
from course.grading.prepare import Prepared
from course.grading.sandbox import DEFAULT_LIMITS, Limits, data_folders, namespaces_available
from course.grading.scoring import (
    REASON_BUDGET,
    REASON_DIED,
    REASON_HUNG,
    score_submission,
)


class Runner(str, Enum):
    """How the nbgrader process of one submission is started."""

    FORKSERVER = "forkserver"  # forked from a server that imported nbgrader once
    SUBPROCESS = "subprocess"  # a new interpreter: ``python -m nbgrader autograde``

    @classmethod
    def default(cls) -> Runner:
        import multiprocessing

        if "forkserver" in multiprocessing.get_all_start_methods():
            return cls.FORKSERVER
        return cls.SUBPROCESS


@dataclass(frozen=True)
class ExecuteOptions:
    """How the execute stage runs (explicit, never read from environment variables)."""

    timeout: float = 600.0  # wall-clock limit of the whole submission, seconds
    limits: Limits = DEFAULT_LIMITS
    sandbox: bool = True
    recheck: bool = True  # hidden tests run in the trusted process (False: visible tests only)
    runner: Runner | None = None  # None: Runner.default()
    debug_dir: Path | None = None  # keep each submission's nbgrader log here


#: The id every submission is graded under inside its scratch course. The real id
#: (spaces, accents, an e-mail, a Moodle folder name, any length) only names the
#: result: nbgrader never sees it, so it can neither break a glob nor lengthen a path.
SCRATCH_STUDENT = "alumno"
#: Longest path accepted for a kernel's IPC socket (Linux allows 107 bytes).
MAX_SOCKET_PATH = 100
#: Scratch subfolder where the grading process copies the answers the kernel exported.
ANSWERS = "answers"
#: Scratch subfolder the kernel works in (never where nbgrader writes its output).
KERNEL_WORK = "kernel_work"

_SCRATCH_CONFIG = """

# --- added by course.grading.execute for this grading worker only ------------
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


def make_scratch(
    parent: Path,
    bundle: AssignmentBundle,
    bundle_folder: BundleFolder,
    prepared: Prepared,
    options: ExecuteOptions,
    *,
    package: Path | None,
    cgroup_prefix: str = "",
    trusted_socket: Path | None = None,
) -> Path:
    """A scratch nbgrader course for one prepared submission; returns its folder.

    ``trusted_socket`` is the socket of the batch's trusted process
    (:mod:`course.grading.hidden_tests`), which runs each test cell's hidden tests
    while the kernel is still alive; None runs the visible tests only.
    """
    from course.grading.sandbox import write_kernelspec

    limits = options.limits
    # The scratch folder's name never contains the student id: kernel sockets live
    # under it, and a Unix socket path may not exceed about 100 bytes.
    scratch = Path(tempfile.mkdtemp(prefix="g-", dir=parent))
    shutil.copy2(bundle_folder.gradebook, scratch / "gradebook.db")
    # Only non-notebook files of the source assignment (data files): nbgrader copies
    # them beside the submission; the solution notebook itself is never there.
    dst = scratch / SOURCE_DIRNAME / bundle.assignment
    dst.mkdir(parents=True)
    place_files(bundle.data_files, dst)
    sub_dst = scratch / "submitted" / SCRATCH_STUDENT / bundle.assignment
    sub_dst.mkdir(parents=True)
    for name, text in prepared.notebooks.items():
        (sub_dst / f"{name}.ipynb").write_text(text, encoding="utf-8")
    if prepared.timestamp:
        (sub_dst / "timestamp.txt").write_text(prepared.timestamp, encoding="utf-8")
    # nbgrader writes the executed notebook into ``output``; the kernel works in
    # ``work``, a different folder: it can never plant a link where the worker writes.
    output = scratch / "autograded" / SCRATCH_STUDENT / bundle.assignment
    work = scratch / KERNEL_WORK
    home, tmp, runtime = scratch / "home", scratch / "tmp", scratch / "runtime"
    witness = scratch / "witness"
    for folder in (output, work, home, tmp, runtime, witness):
        folder.mkdir(parents=True, exist_ok=True)
    ipc = options.sandbox and namespaces_available()
    if ipc and len(str(runtime / "kernel-00000-shell")) > MAX_SOCKET_PATH:
        raise GradingError(
            f"La carpeta temporal {parent} tiene una ruta demasiado "
            "larga para los sockets del núcleo de Python.\n"
            "Solución: defina TMPDIR con una carpeta de ruta corta (p. ej. /tmp) y repita."
        )
    config = bundle.config + _SCRATCH_CONFIG.format(
        notebook_seconds=float(limits.notebook_seconds),
        output_bytes=int(limits.output_bytes),
        transport="ipc" if ipc else "tcp",
        ip_line=f"c.KernelManager.ip = {str(runtime / 'kernel')!r}" if ipc else "",
        witness=str(witness),
        trusted_socket=str(trusted_socket) if options.recheck and trusted_socket else "",
        kernel_dir=str(work),
    )
    kernel_env: dict[str, str] = {}
    (scratch / "nbgrader_config.py").write_text(config, encoding="utf-8")
    if options.sandbox:
        # The kernel sees a new root built from an allowlist (course.grading.sandbox):
        # the course, the project checkout, the batch's gradebooks and the other
        # students' folders are simply absent; nothing to hide one by one.
        write_kernelspec(
            scratch / "jupyter",
            writable=[runtime, witness],
            work=work,
            home=home,
            tmp=tmp,
            package=package,
            readable=data_folders(package) if package else [],
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


def _grade_one(
    scratch: Path,
    prepared: Prepared,
    bundle: AssignmentBundle,
    student: str,
    options: ExecuteOptions,
) -> StudentResult:
    """Run the scratch course's submission in nbgrader and score it (execute + score stages)."""
    start = time.monotonic()
    assignment, timeout = bundle.assignment, options.timeout
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
    notes = prepared.notes
    extra = {
        "flags": prepared.flags,
        "fingerprint": prepared.fingerprint,
        "anomalies": prepared.anomalies,
    }
    autograded = scratch / "autograded" / SCRATCH_STUDENT / assignment
    if prepared.empty:
        # Nothing to run: no kernel is started for a folder without a notebook.
        reason = "; ".join(extra["anomalies"]) or "no hay cuaderno"
        cells = score_submission(autograded, bundle.trusted, reason)
        return StudentResult(
            student, Outcome.MISSING, cells=cells, reason=reason, notes=notes, **extra
        )
    job = _AutogradeJob(argv, scratch, env, options.runner or Runner.default())
    log, returncode = job.wait(timeout)
    if returncode is None:
        reason = f"superó el tiempo máximo de {timeout:.0f} s por entrega"
        cells = score_submission(autograded, bundle.trusted, "ninguna: " + reason)
        cells = tuple(replace(c, score=0.0, reason=reason) for c in cells)
        return StudentResult(
            student,
            Outcome.TIMEOUT,
            cells=cells,
            reason=reason,
            notes=notes,
            seconds=time.monotonic() - start,
            **extra,
        )
    if options.debug_dir is not None:
        (options.debug_dir / f"{student}.log").write_text(log, encoding="utf-8")
    elapsed = time.monotonic() - start
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
        cells = score_submission(autograded, bundle.trusted, reason)
    except Exception as exc:  # never crash the batch
        return StudentResult(
            student,
            Outcome.ERROR,
            reason=f"no se pudieron calcular las notas: {exc}",
            seconds=elapsed,
            notes=notes,
            **extra,
        )
    status = Outcome.ERROR if failed and not produced else Outcome.OK
    stopped = [c.reason for c in cells if c.reason in (REASON_BUDGET, REASON_HUNG, REASON_DIED)]
    if status == Outcome.OK and stopped:
        # Scores of the cells that ran are kept; the submission is still reported.
        status = Outcome.ERROR if stopped[0] == REASON_DIED else Outcome.TIMEOUT
        reason = stopped[0]
    return StudentResult(
        student, status, cells=cells, reason=reason, seconds=elapsed, notes=notes, **extra
    )


def _kernel_never_ran(folder: Path) -> str:
    """The recorded reason if no code cell of any autograded notebook ran, else ``""``.

    Even an untouched release runs its first cell (the imports), so a notebook in
    which every code cell is "not run" means the kernel never answered.
    """
    reasons: list[str] = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ""
        code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
        statuses = [c.get("metadata", {}).get(STATUS_KEY, {}) for c in code]
        if not code or any(st.get("status") != CellRun.NOT_RUN for st in statuses):
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


# --------------------------------------------------------------------------- runners
#
# Importing nbgrader's autograde application costs about 2.4 s of CPU, more than a
# third of grading a small notebook. With Runner.FORKSERVER each submission is
# still graded in a process of its own (a hang or a crash is contained and killed
# with everything it started), but that process is forked from a multiprocessing
# fork server that imported nbgrader once, instead of being a new interpreter.
# The fork server prepares its children as multiprocessing always does: a script
# that starts grading must keep its top-level code under
# ``if __name__ == "__main__":`` (the ``course`` command does).

_PRELOAD = [
    "nbgrader.apps.nbgraderapp",
    "nbgrader.apps.autogradeapp",
    "nbgrader.converters.autograde",
    "nbclient",
    "course.grading.safe_execute",
    "course.grading.execute",
]
_FORK_CONTEXT = None


def _fork_context() -> Any:
    global _FORK_CONTEXT
    if _FORK_CONTEXT is None:
        import multiprocessing

        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        _FORK_CONTEXT = ctx
    return _FORK_CONTEXT


def warm_runner(runner: Runner | None) -> None:
    """Start the fork server now: it imports nbgrader while the batch is prepared."""
    if (runner or Runner.default()) == Runner.FORKSERVER:
        from multiprocessing import forkserver

        _fork_context()
        forkserver.ensure_running()


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


class _AutogradeJob:
    """One running ``nbgrader autograde``: forked from the fork server or a subprocess."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str], runner: Runner) -> None:
        self._log_path = cwd / "autograde.log"
        self._process = None
        self._popen = None
        if runner == Runner.FORKSERVER:
            self._process = _fork_context().Process(
                target=_autograde_child,
                args=(argv, str(cwd), env, str(self._log_path)),
                daemon=False,
            )
            self._process.start()
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
