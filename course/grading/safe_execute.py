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
- the witness records the kernel writes into ``witness_dir`` while a test cell
  runs are filed under ``witness_cells/<notebook>/<grade_id>/`` (records written
  at any other time are deleted), for :mod:`course.grading.recheck`.

nbgrader and nbclient are imported at module level on purpose: this module is
only imported by nbgrader's configuration in a grading worker.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Float, Integer, Unicode

from course.grading.scoring import REASON_BUDGET, REASON_DIED, REASON_HUNG, STATUS_KEY


class SafeExecute(Execute):
    """Execute a notebook cell by cell, surviving a dead or hung kernel."""

    notebook_timeout = Float(480.0, help="Time budget for the whole notebook, in seconds.").tag(
        config=True
    )
    max_output_bytes = Integer(
        100_000, help="Maximum size of the outputs stored per cell, in bytes."
    ).tag(config=True)
    witness_dir = Unicode("", help="Folder where the kernel writes witness records.").tag(
        config=True
    )
    witness_cells = Unicode("", help="Folder where the records are filed per test cell.").tag(
        config=True
    )

    def preprocess(
        self, nb: NotebookNode, resources: Any = None, km: Any = None
    ) -> tuple[NotebookNode, Any]:
        from nbclient import NotebookClient

        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        deadline = time.monotonic() + self.notebook_timeout
        per_cell = float(self.timeout or self.notebook_timeout)
        self.timeout_func = lambda _cell: max(
            1, int(min(per_cell, deadline - time.monotonic()) + 0.999)
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
                    if not stopped and time.monotonic() >= deadline:
                        stopped = REASON_BUDGET
                    if stopped:
                        _mark(cell, "not_run", stopped)
                        continue
                    self._timed_out = False
                    self._file_witnesses(None)
                    try:
                        self.execute_cell(cell, index, store_history=True)
                    except DeadKernelError:
                        stopped = REASON_DIED
                        _mark(cell, "died", stopped)
                        continue
                    except CellTimeoutError:
                        stopped = REASON_HUNG
                        _mark(cell, "timeout", stopped)
                        continue
                    if self._timed_out:
                        stopped = REASON_BUDGET if time.monotonic() >= deadline else REASON_HUNG
                        _mark(cell, "timeout", stopped)
                    else:
                        self._file_witnesses(cell)
        except Exception as exc:  # kernel failed to start or to shut down
            self.log.error("Grading stopped: %r", exc)
            reason = stopped or f"no se pudo ejecutar el cuaderno ({type(exc).__name__}: {exc})"
            for cell in self.nb.cells:
                if cell.cell_type == "code" and STATUS_KEY not in cell.metadata:
                    _mark(cell, "not_run", reason)
        return self.nb, self.resources

    def _file_witnesses(self, cell: NotebookNode | None) -> None:
        """File the records written while ``cell`` ran; delete any other record."""
        if not self.witness_dir:
            return
        root = Path(self.witness_dir)
        meta = cell.metadata.get("nbgrader", {}) if cell is not None else {}
        test = bool(meta.get("grade")) and not meta.get("solution") and meta.get("grade_id")
        notebook = str((self.resources or {}).get("unique_key") or "notebook")
        dest = Path(self.witness_cells) / notebook / str(meta.get("grade_id")) if test else None
        try:
            entries = sorted(root.iterdir())
        except OSError:
            return
        for entry in entries:
            real_dir = entry.is_dir() and not entry.is_symlink()
            if dest is not None and real_dir and not entry.name.startswith("."):
                dest.mkdir(parents=True, exist_ok=True)
                entry.rename(dest / entry.name)
            elif real_dir:
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

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
