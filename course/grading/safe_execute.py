"""nbgrader's ``Execute`` preprocessor, hardened for hostile notebooks.

Used only by the ``nbgrader autograde`` worker of :mod:`course.grading.autograde`
(its scratch ``nbgrader_config.py`` puts :class:`SafeExecute` in place of
nbgrader's ``Execute``). Differences from nbgrader 0.9.6:

- the grading process, not the kernel, records in each code cell's metadata
  (``course_grading``) whether it ran and how its execute reply ended;
- a time budget for the whole notebook as well as the per-cell timeout;
- when the kernel dies or hangs (timeout, SIGINT ignored), the cells already run
  keep their outputs, and every later code cell is marked as not run with the
  reason, instead of the whole notebook being lost;
- the output stored per cell is capped (``max_output_bytes``) with a Spanish note;
- every test cell runs in the kernel without its hidden-test regions; once it
  ran without error, the trusted process of :mod:`course.grading.hidden_tests`
  checks it again in full (visible and hidden part), while this process answers
  its requests for the student's answers by running one line at a time in the
  kernel (answers written into ``witness_dir``, copied out with ``O_NOFOLLOW``,
  regular files only, size-capped, each request time-limited); a failing check
  becomes an error output of the cell with the check's message;
- the kernel works in ``kernel_dir`` (a copy of the notebook's data files), never
  in the folder nbgrader writes the executed notebook into: nothing the kernel
  creates can redirect what the grading process writes (a symlink planted as the
  notebook would otherwise make nbgrader write through it);
- :func:`safe_set_permissions` replaces nbgrader's final ``chmod`` walk, which
  followed symbolic links.

nbgrader and nbclient are imported at module level on purpose: this module is
only imported by nbgrader's configuration in a grading worker.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Float, Integer, Unicode

from course.grading.hidden_tests import (
    DISK_FULL,
    HOLD,
    SERVICE_GONE,
    ZERO,
    scrub_hidden_tests,
)
from course.grading.scoring import REASON_BUDGET, REASON_DIED, REASON_HUNG, STATUS_KEY


class SafeExecute(Execute):
    """Execute a notebook cell by cell, surviving a dead or hung kernel."""

    notebook_timeout = Float(480.0, help="Time budget for the whole notebook, in seconds.").tag(
        config=True
    )
    max_output_bytes = Integer(
        100_000, help="Maximum size of the outputs stored per cell, in bytes."
    ).tag(config=True)
    witness_dir = Unicode("", help="Folder where the kernel writes the answers asked for.").tag(
        config=True
    )
    trusted_socket = Unicode(
        "", help="Socket of the trusted process that runs the test cells in full."
    ).tag(config=True)
    kernel_dir = Unicode(
        "", help="The kernel's working folder (never the folder the notebook is written to)."
    ).tag(config=True)

    def preprocess(
        self, nb: NotebookNode, resources: Any = None, km: Any = None
    ) -> tuple[NotebookNode, Any]:
        from nbclient import NotebookClient

        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        if self.kernel_dir:
            meta = self.resources.setdefault("metadata", {})
            copy_regular_files(Path(meta.get("path") or "."), Path(self.kernel_dir))
            meta["path"] = self.kernel_dir
        # The student's time budget; the time the trusted process takes on a cell
        # is added to it (that time is the grader's, not the student's).
        self._deadline = time.monotonic() + self.notebook_timeout
        per_cell = float(self.timeout or self.notebook_timeout)
        self.timeout_func = lambda _cell: max(
            1, int(min(per_cell, self._deadline - time.monotonic()) + 0.999)
        )
        self._out_bytes: dict[int, int] = {}
        self._capped: set[int] = set()
        stopped = ""
        try:
            with self.setup_kernel():
                info_msg = self.wait_for_reply(self.kc.kernel_info())
                if info_msg:
                    self.nb.metadata["language_info"] = info_msg["content"]["language_info"]
                for index, cell in enumerate(self.nb.cells):
                    if cell.cell_type != "code":
                        continue
                    if not stopped and time.monotonic() >= self._deadline:
                        stopped = REASON_BUDGET
                    if stopped:
                        _mark(cell, "not_run", stopped)
                        continue
                    self._timed_out = False
                    test = _is_test(cell)
                    source = cell.source
                    if test:
                        cell.source = scrub_hidden_tests(source)
                    try:
                        # A test cell is kept out of the kernel's input history, so a
                        # later student cell cannot read it through ``In``/``_ih``.
                        self.execute_cell(cell, index, store_history=not test)
                    except DeadKernelError:
                        stopped = REASON_DIED
                        _mark(cell, "died", stopped)
                        continue
                    except CellTimeoutError:
                        stopped = REASON_HUNG
                        _mark(cell, "timeout", stopped)
                        continue
                    finally:
                        cell.source = source
                    if self._timed_out:
                        late = time.monotonic() >= self._deadline
                        stopped = REASON_BUDGET if late else REASON_HUNG
                        _mark(cell, "timeout", stopped)
                    elif test and self.trusted_socket:
                        started = time.monotonic()
                        self._confirm(cell)
                        self._deadline += time.monotonic() - started
        except Exception as exc:  # kernel failed to start or to shut down
            self.log.error("Grading stopped: %r", exc)
            reason = stopped or f"no se pudo ejecutar el cuaderno ({type(exc).__name__}: {exc})"
            for cell in self.nb.cells:
                if cell.cell_type == "code" and STATUS_KEY not in cell.metadata:
                    _mark(cell, "not_run", reason)
        return self.nb, self.resources

    def _confirm(self, cell: NotebookNode) -> None:
        """Have the trusted process check ``cell`` in full if it passed in the kernel."""
        from course.grading.hidden_tests import confirm_cell

        status = cell.metadata.get(STATUS_KEY, {})
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        # Already 0 points: the trusted process only names the mistake (for the report).
        failed = status.get("status") != "ok" or bool(errors)
        gid = str(cell.metadata.get("nbgrader", {}).get("grade_id"))
        notebook = str((self.resources or {}).get("unique_key") or "notebook")
        scratch = Path(self.kernel_dir).parent / "answers" if self.kernel_dir else None
        if scratch is None or not self.witness_dir:
            if not failed:
                apply_verdict(cell, "unconfirmable", "faltan las carpetas de intercambio")
        else:
            scratch.mkdir(exist_ok=True)
            verdict = confirm_cell(
                self.trusted_socket,
                notebook,
                gid,
                scratch,
                self._run_in_kernel,
                Path(self.witness_dir),
            )
            if failed:
                record_mistake(cell, verdict.mistake, verdict.mistake_label)
                return
            apply_verdict(cell, verdict.status, verdict.message, verdict.html, verdict.plain)
            record_mistake(cell, verdict.mistake, verdict.mistake_label)

    def _run_in_kernel(self, code: str, seconds: float) -> str:
        """Run ``code`` in the kernel; ``""`` or a Spanish reason why it did not finish."""
        from nbclient.util import run_sync

        return run_sync(self._async_run_in_kernel)(code, seconds)

    async def _async_run_in_kernel(self, code: str, seconds: float) -> str:
        from queue import Empty

        from jupyter_core.utils import ensure_async

        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + seconds
        while True:
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=1))
            except Empty:
                try:
                    await self._async_check_alive()
                except DeadKernelError:
                    return "el núcleo de Python murió al responder"
                if time.monotonic() >= deadline:
                    with contextlib.suppress(Exception):
                        await ensure_async(self.km.interrupt_kernel())
                    return f"tu código tardó más de {seconds:.0f} s en responder"
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            content = msg.get("content", {})
            if content.get("status") == "ok":
                return ""
            return f"{content.get('ename', 'Error')}: {str(content.get('evalue', ''))[:300]}"

    async def _async_handle_timeout(
        self, timeout: int, cell: NotebookNode | None = None
    ) -> None | dict[str, Any]:
        self._timed_out = True
        return await super()._async_handle_timeout(timeout, cell)

    def on_cell_executed(self, **kwargs: Any) -> None:
        super().on_cell_executed(**kwargs)
        cell = kwargs["cell"]
        reply = kwargs["execute_reply"]
        status = reply.get("content", {}).get("status", "error")
        cell.metadata[STATUS_KEY] = {"status": "ok" if status == "ok" else "error"}

    def output(
        self, outs: list[NotebookNode], msg: dict[str, Any], display_id: Any, cell_index: int
    ) -> NotebookNode | None:
        before = len(outs)
        out = super().output(outs, msg, display_id, cell_index)
        if out is None or self.max_output_bytes <= 0:
            return out
        size = len(json.dumps(out, default=str))
        total = self._out_bytes.get(cell_index, 0) + size
        self._out_bytes[cell_index] = total
        if total <= self.max_output_bytes:
            return out
        if len(outs) > before and outs[-1] is out:
            outs.pop()
        if out.get("output_type") == "error":
            # An error always counts: keep it, shortened.
            out["traceback"] = [str(line)[:2000] for line in out.get("traceback", [])[-10:]]
            out["evalue"] = str(out.get("evalue", ""))[:2000]
            outs.append(out)
        if cell_index not in self._capped:
            self._capped.add(cell_index)
            outs.append(
                NotebookNode(
                    output_type="stream",
                    name="stdout",
                    text=(
                        f"\n[Salida recortada: esta celda produjo más de "
                        f"{self.max_output_bytes // 1000} kB; el resto no se guarda.]\n"
                    ),
                )
            )
        return None


def _is_test(cell: NotebookNode) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


#: Largest single file copied out of a folder the kernel could write (bytes).
MAX_COPIED_FILE = 64 * 1024 * 1024
_NOFOLLOW = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def read_regular_file(
    path: Path, limit: int = MAX_COPIED_FILE, *, dir_fd: int | None = None
) -> bytes:
    """The bytes of ``path`` if it is a regular file no larger than ``limit``.

    Opened with ``O_NOFOLLOW | O_NONBLOCK`` and checked with ``fstat`` on the open
    descriptor: a symbolic link fails to open, and a FIFO, socket or device is
    refused at once (``OSError``), never read or waited on.
    """
    fd = os.open(path, _NOFOLLOW, dir_fd=dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path} no es un archivo normal")
        if info.st_size > limit:
            raise OSError(f"{path} supera {limit} bytes")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1024 * 1024)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise OSError(f"{path} supera {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def copy_regular_files(
    src: Path, dest: Path, *, budget: list[int] | None = None, skip_suffix: str = ".ipynb"
) -> list[str]:
    """Copy the regular files directly inside ``src`` to ``dest`` (created); names copied.

    Nothing is followed: ``src`` itself is opened with ``O_NOFOLLOW`` and every
    file through :func:`read_regular_file` relative to it; links, FIFOs, devices,
    sub-folders, hidden files and ``skip_suffix`` files are skipped. ``budget``
    (a one-element list) is the number of bytes still allowed, shared by calls.
    """
    dest.mkdir(parents=True, exist_ok=True)
    try:
        dir_fd = os.open(src, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return []
    copied: list[str] = []
    try:
        for name in sorted(os.listdir(dir_fd)):
            if name.startswith(".") or (skip_suffix and name.endswith(skip_suffix)):
                continue
            limit = MAX_COPIED_FILE if budget is None else min(MAX_COPIED_FILE, budget[0])
            try:
                data = read_regular_file(Path(name), limit, dir_fd=dir_fd)
            except OSError:
                continue
            if budget is not None:
                budget[0] -= len(data)
            out = os.open(dest / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(out, "wb") as fh:
                fh.write(data)
            copied.append(name)
    finally:
        os.close(dir_fd)
    return copied


def safe_set_permissions(self: Any, assignment_id: str, student_id: str) -> None:
    """nbgrader's ``BaseConverter.set_permissions`` without following links.

    Each regular file is opened with ``O_NOFOLLOW`` and changed with ``fchmod``;
    links and special files are left alone.
    """
    dest = os.path.normpath(self._format_dest(assignment_id, student_id))
    mode = int(str(self.permissions), 8)
    for dirname, _dirs, filenames in os.walk(dest):
        for filename in filenames:
            try:
                fd = os.open(os.path.join(dirname, filename), _NOFOLLOW)
            except OSError:
                continue
            try:
                if stat.S_ISREG(os.fstat(fd).st_mode):
                    os.fchmod(fd, mode)
            finally:
                os.close(fd)


def _mark(cell: NotebookNode, status: str, reason: str) -> None:
    cell.metadata[STATUS_KEY] = {"status": status, "reason": reason}
    if status in ("not_run",):
        cell.outputs = []
    cell.outputs.append(
        NotebookNode(
            output_type="error",
            ename="CorreccionDetenida",
            evalue=reason,
            traceback=[f"CorreccionDetenida: {reason}"],
        )
    )


#: Reason of a cell whose check, run again in the trusted process, did not pass.
REASON_REFUTED = "la comprobación, repetida fuera de tu cuaderno, no dio el mismo resultado"
REASON_UNCONFIRMED = "la prueba no pudo completarse fuera de tu cuaderno"
#: What the student should do about a held result (Spanish).
FIX_HELD = (
    "Se esperaba que tu respuesta superara la prueba sin alterar las comprobaciones del curso "
    "ni los datos del enunciado: corrígela, ejecuta el cuaderno entero de nuevo y vuelve a "
    "entregarlo (tu profesor revisará esta entrega)."
)


def record_mistake(cell: NotebookNode, code: str, label: str) -> None:
    """Record the trusted process's classification of a failed cell (mistake analytics)."""
    if code:
        record = cell.metadata.setdefault(STATUS_KEY, {})
        record["mistake"] = code
        record["mistake_label"] = label


def apply_verdict(
    cell: NotebookNode, status: str, message: str, html: str = "", plain: str = ""
) -> None:
    """Write the trusted process's verdict into ``cell``.

    The status goes into the cell's metadata; a 0 also adds the failing check's
    result box (as the kernel shows a check) and an error with its message.
    """
    record = cell.metadata.setdefault(STATUS_KEY, {})
    record["trusted"] = status
    if status not in ZERO:
        return
    record["status"] = "error"
    if html and plain and status not in HOLD:
        cell.outputs.append(
            NotebookNode(
                output_type="display_data",
                data={"text/html": html, "text/plain": plain},
                metadata={},
            )
        )
    text = message
    if status in HOLD and message == DISK_FULL:
        # Not a check that failed outside: the answers never left the kernel.
        record["reason"] = f"{DISK_FULL}. Detalle"
        text = "sin espacio en disco para sacar las respuestas del cuaderno"
    elif status in HOLD and message == SERVICE_GONE:
        # The grader's fault, not the student's: nothing for them to fix.
        record["reason"] = f"{REASON_UNCONFIRMED}: {SERVICE_GONE}. Detalle"
        text = "el proceso de las pruebas ocultas se detuvo"
    elif status in HOLD:
        why = REASON_REFUTED if status == "refuted" else REASON_UNCONFIRMED
        # The reason the student reads first says what to do; the error, what failed.
        record["reason"] = f"{why}. {FIX_HELD} Detalle"
    cell.outputs.append(
        NotebookNode(
            output_type="error",
            ename="PruebaNoSuperada",  # the feedback page shows "ename: evalue"
            evalue=text,
            traceback=[f"PruebaNoSuperada: {text}"],
        )
    )
