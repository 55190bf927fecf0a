"""Confirm graded cells in a process that never ran student code.

A test cell is scored from what happened in the student's kernel, where the
student's own code ran first and could have tampered with the checks. While a
submission is graded, every graded check writes a *witness record* of the
answers it received (see :mod:`course.grading.witness`); the grading process
(never the kernel) files the records of each test cell under
``witness_cells/<notebook>/<grade_id>/``.

This module runs, once per batch, a separate Python process
(``python -m course.grading.recheck --serve``) that imports only the course
package, NumPy and, when a record holds a model, Keras. For each submission it
rebuilds the instructor's namespace by running the *locked* set-up cells of the
source notebook (imports and data loading; cells that need the student's
variables are skipped), then runs each test cell's trusted source from the
source notebook with every ``check`` call replayed from the records: answers
decoded from plain data, models loaded with ``safe_mode=True``, functions
answered from their recorded calls, and the check itself taken from this
package, not from the kernel.

Verdicts per cell:

- ``confirmed``: every re-checked call passed again;
- ``refuted``: a call failed here, a record is missing, forged or left over;
  :mod:`course.grading.autograde` then scores the cell 0 and holds the
  submission for review;
- ``kernel-only``: the cell only calls exercises that cannot be replayed
  (``Exercise(recheck=False)``: model factories, trainers, callbacks) or no
  course check at all (e.g. a cell that computes its own partial score); the
  kernel's score stands;
- ``unconfirmable``: the trusted test code itself failed here (an authoring
  problem, the same for every student); the kernel's score stands and the
  reason is logged.

The protocol is one JSON object per line on stdin/stdout; everything the
trusted code prints goes to stderr (the service's log file).
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import select
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

CONFIRMED, REFUTED, KERNEL_ONLY, UNCONFIRMABLE = (
    "confirmed",
    "refuted",
    "kernel-only",
    "unconfirmable",
)

#: Seconds the service may take to start (imports, the instructor's set-up cells).
REQUEST_TIMEOUT = 300.0
#: Seconds allowed per request on top of the per-record allowance.
REQUEST_SLACK = 60.0


def _record_count(notebooks: list[dict[str, Any]]) -> int:
    """How many record folders a request names (never follows a link)."""
    count = 0
    for nb in notebooks:
        for gid in nb.get("grade_ids", []):
            with contextlib.suppress(OSError):
                with os.scandir(Path(nb["cells"]) / str(gid)) as entries:
                    count += sum(1 for e in entries if e.is_dir(follow_symlinks=False))
    return count


def request_timeout(notebooks: list[dict[str, Any]]) -> float:
    """The time one request may take: a fixed allowance per record it holds.

    Each record is also cut off inside the service after
    :data:`course.grading.witness.RECORD_SECONDS`, so one hostile record costs at
    most that, never the whole batch.
    """
    from course.grading.witness import RECORD_SECONDS

    return REQUEST_SLACK + RECORD_SECONDS * max(1, _record_count(notebooks))


@dataclass
class Verdict:
    status: str
    reason: str = ""


# --------------------------------------------------------------------------- trusted side
class _Namespace(dict):
    """Locals for the trusted test code: a student's name is an inert placeholder.

    ``exec`` looks names up here first, so the instructor's globals and the
    builtins are consulted before a name is taken for a student's variable.
    """

    def __init__(self, globals_: dict[str, Any]) -> None:
        super().__init__()
        self.globals_ = globals_

    def __missing__(self, name: str) -> Any:
        if name in self.globals_:
            return self.globals_[name]
        if hasattr(builtins, name):
            return getattr(builtins, name)
        return _StudentName(name)


class _StudentName:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<variable del alumno {self.name}>"


def _code_cells(source_nb: Path) -> list[tuple[str, dict[str, Any]]]:
    import nbformat

    nb = nbformat.read(source_nb, as_version=4)
    return [
        (c.source, dict(c.metadata.get("nbgrader", {}))) for c in nb.cells if c.cell_type == "code"
    ]


def _python(source: str) -> str:
    """The cell without IPython magics or shell lines (never in trusted set-up code)."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )


_BASES: dict[tuple[str, float], dict[str, Any]] = {}


def base_namespace(source_nb: Path) -> dict[str, Any]:
    """The instructor's namespace: the locked set-up cells of ``source_nb``, run here."""
    key = (str(source_nb), source_nb.stat().st_mtime)
    if key in _BASES:
        return _BASES[key]
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    previous = os.getcwd()
    os.chdir(source_nb.parent)
    try:
        for source, meta in _code_cells(source_nb):
            if not meta.get("locked") or meta.get("grade") or meta.get("solution"):
                continue
            try:
                exec(compile(_python(source), "<preparación>", "exec"), namespace)  # noqa: S102
            except Exception as exc:  # noqa: BLE001 - needs the student's variables
                print(f"[recheck] celda de preparación omitida: {exc!r}", file=sys.stderr)
    finally:
        os.chdir(previous)
    _BASES[key] = namespace
    return namespace


def recheck_notebook(source_nb: Path, cells_dir: Path, grade_ids: list[str]) -> dict[str, Verdict]:
    """Verdicts for the test cells ``grade_ids`` of one notebook of one submission."""
    from course.grading.witness import Replay, replaying

    sources = {
        meta.get("grade_id"): source
        for source, meta in _code_cells(source_nb)
        if meta.get("grade") and not meta.get("solution")
    }
    base = base_namespace(source_nb)
    verdicts: dict[str, Verdict] = {}
    previous = os.getcwd()
    os.chdir(source_nb.parent)
    try:
        for gid in grade_ids:
            if gid not in sources:
                verdicts[gid] = Verdict(UNCONFIRMABLE, "la celda no está en el cuaderno fuente")
                continue
            folder = cells_dir / gid
            records = (
                sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
                if folder.is_dir() and not folder.is_symlink()
                else []
            )
            replay = Replay(records)
            error = ""
            try:
                with replaying(replay):
                    code = compile(_python(sources[gid]), f"<{gid}>", "exec")
                    scope = dict(base)
                    exec(code, scope, _Namespace(scope))  # noqa: S102 - instructor code
            except Exception as exc:  # noqa: BLE001
                error = f"{type(exc).__name__}: {exc}"[:300]
            verdicts[gid] = _verdict(replay, error)
    finally:
        os.chdir(previous)
    return verdicts


def _verdict(replay: Any, error: str) -> Verdict:
    failed = [message for _ident, passed, message in replay.outcomes if not passed]
    if failed:
        return Verdict(REFUTED, failed[0] or "la comprobación no se superó")
    if replay.records:
        return Verdict(
            REFUTED,
            f"el cuaderno dejó {len(replay.records)} registro(s) de comprobación que la prueba "
            "no pidió",
        )
    if error:
        return Verdict(UNCONFIRMABLE, f"la prueba no pudo repetirse: {error}")
    if replay.outcomes:
        return Verdict(CONFIRMED)
    if replay.kernel_only:
        return Verdict(KERNEL_ONLY)
    return Verdict(KERNEL_ONLY, "la celda no usa comprobaciones del curso")


def _serve(warm: list[str]) -> int:
    """The service loop: one JSON request per line on stdin, one answer on stdout."""
    with contextlib.suppress(OSError):
        os.nice(10)  # the kernels being graded come first; re-checks can wait
    with contextlib.suppress(ValueError, OSError):
        import resource

        from course.grading.sandbox import DEFAULT_LIMITS

        cap = DEFAULT_LIMITS.memory_mb * 1024 * 1024  # a forged model fails, never swaps
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # whatever the trusted code prints goes to the log
    sys.stdout = sys.stderr
    for path in warm:
        with contextlib.suppress(Exception):
            base_namespace(Path(path))
    protocol.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        try:
            request = json.loads(line)
            answer: dict[str, Any] = {}
            for nb in request["notebooks"]:
                verdicts = recheck_notebook(
                    Path(nb["source"]), Path(nb["cells"]), list(nb["grade_ids"])
                )
                answer[nb["name"]] = {gid: asdict(v) for gid, v in verdicts.items()}
            protocol.write(json.dumps({"ok": True, "verdicts": answer}) + "\n")
        except Exception as exc:  # noqa: BLE001 - reported to the grader
            protocol.write(
                json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}) + "\n"
            )
    return 0


# --------------------------------------------------------------------------- grader side
class RecheckCrash(RuntimeError):
    """The service died or did not answer while handling a submission's records."""


class RecheckService:
    """The re-check process of one grading batch, used by the grading threads in turn."""

    def __init__(self, log_path: Path, warm: list[Path] | None = None) -> None:
        self._log_path = log_path
        self._warm = [str(p) for p in warm or []]
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._ready = False

    def start(self) -> None:
        """Start the process now (it imports and loads data while kernels run)."""
        from course.grading.coursedir import quiet_environment

        env = quiet_environment()
        env["MPLBACKEND"] = "Agg"
        env.pop("COURSE_WITNESS_DIR", None)
        argv = [sys.executable, "-m", "course.grading.recheck", "--serve"]
        for path in self._warm:
            argv += ["--warm", path]
        log = self._log_path.open("a", encoding="utf-8")
        self._process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=env,
        )
        log.close()
        self._ready = False

    def recheck(self, notebooks: list[dict[str, Any]]) -> dict[str, dict[str, Verdict]]:
        """Verdicts per notebook and grade id.

        Raises :class:`RecheckCrash` if the process died or hung on this request
        (what the records made it do) and RuntimeError if the trusted code failed.
        """
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self.start()
            process = self._process
            if process is None or process.stdin is None:
                raise RuntimeError("no se pudo iniciar la comprobación externa")
            try:
                if not self._ready:
                    self._read(REQUEST_TIMEOUT)
                    self._ready = True
                process.stdin.write(json.dumps({"notebooks": notebooks}) + "\n")
                process.stdin.flush()
                reply = self._read(request_timeout(notebooks))
            except Exception:
                self.close()
                raise
        if not reply.get("ok"):
            raise RuntimeError(str(reply.get("error", "error desconocido")))
        return {
            name: {gid: Verdict(**v) for gid, v in cells.items()}
            for name, cells in reply["verdicts"].items()
        }

    def _read(self, timeout: float) -> dict[str, Any]:
        stdout = self._process.stdout if self._process is not None else None
        if stdout is None:
            raise RuntimeError("el proceso de comprobación externa no está en marcha")
        ready, _, _ = select.select([stdout], [], [], timeout)
        if not ready:
            raise RecheckCrash(f"la comprobación externa no respondió en {timeout:.0f} s")
        line = stdout.readline()
        if not line:
            raise RecheckCrash("el proceso de comprobación externa terminó inesperadamente")
        return json.loads(line)

    def close(self) -> None:
        if self._process is not None:
            with contextlib.suppress(Exception):
                self._process.kill()
                self._process.wait(10)
            for stream in (self._process.stdin, self._process.stdout):
                with contextlib.suppress(Exception):
                    stream.close()  # type: ignore[union-attr]
            self._process = None


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="course.grading.recheck")
    parser.add_argument("--serve", action="store_true", required=True)
    parser.add_argument("--warm", action="append", default=[])
    opts = parser.parse_args(argv)
    return _serve(opts.warm)


if __name__ == "__main__":
    sys.exit(main())
