"""Test cells checked in a trusted process: hidden tests and keys never enter the kernel.

The student's kernel runs every test cell with its ``### BEGIN HIDDEN TESTS`` /
``### END HIDDEN TESTS`` regions removed (:func:`scrub_hidden_tests`): it runs
the student's cells and the visible tests only, and never holds an answer key or
a held-out input it was not given as a plain argument.

Each test cell that ran without error in the kernel is then checked again, in
full (visible and hidden part), by a *trusted process* that never ran student
code: ``python -m course.grading.hidden_tests --serve``, one per grading batch,
started by :func:`course.grading.autograde.grade_assignment`. It imports the
course package, runs the locked set-up cells of the instructor's source notebook
once (imports, data), and serves one test cell per connection on a Unix socket
that only the grading workers know (the kernel's sandbox has no path to it).

While a cell is checked, the grading worker that owns the kernel
(:class:`course.grading.safe_execute.SafeExecute`) answers the trusted process's
requests by running one line in the kernel (:mod:`course.grading.answers`):

- ``export``: the student's variables the test cell names, as plain data
  (:mod:`course.grading.witness`: JSON with exact types, ``.npy`` without
  pickle, Keras models as ``.keras`` loaded with ``safe_mode=True``, fitted
  objects by their parameters); a function answer becomes a *proxy*;
- ``call``: a proxy was called by the trusted check: its arguments go to the
  kernel as plain data (a callable argument only as the name of a NumPy
  function or of another notebook function), the result comes back as plain
  data, and a Keras model the function trained gets its new weights in place.

Files coming out of the kernel are copied by the worker the way
:func:`course.grading.safe_execute.copy_regular_files` copies anything a kernel
could write (``O_NOFOLLOW``, regular files only, size caps), into a folder of
the worker's that the kernel cannot reach; every request has a time limit.

The verdict of each cell (:class:`Verdict`) is written into the cell's outputs
by the worker, so scoring and the feedback page read it like any other result:

- ``confirmed``: every check of the cell passed here;
- ``failed``: a hidden check failed: 0 points with the check's message;
- ``refuted``: a *visible* check failed here although it passed in the kernel
  (the kernel's result was tampered with): 0 points, held for review;
- ``unconfirmable``: the trusted code could not complete (a broken request, an
  answer it could not use, the service unavailable): 0 points, held for review;
- ``no-checks``: the cell calls no course check (e.g. it computes its own
  partial score): the kernel's result stands.
"""

from __future__ import annotations

import ast
import base64
import builtins
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from course.grading.hidden import has_hidden_tests, scrub_hidden_tests, split_hidden_tests

__all__ = ["has_hidden_tests", "scrub_hidden_tests", "split_hidden_tests"]

CONFIRMED, FAILED, REFUTED, UNCONFIRMABLE, NO_CHECKS = (
    "confirmed",
    "failed",
    "refuted",
    "unconfirmable",
    "no-checks",
)
#: Verdicts that score the cell 0.
ZERO = frozenset({FAILED, REFUTED, UNCONFIRMABLE})
#: Verdicts that hold the submission for the instructor's review.
HOLD = frozenset({REFUTED, UNCONFIRMABLE})

#: Seconds the trusted process may spend on one test cell (kernel calls included).
CELL_SECONDS = 300.0
#: Seconds the kernel may take to answer one request.
REQUEST_SECONDS = 120.0
#: Seconds a worker waits for the service to accept and answer (it serves one cell at a time).
SERVICE_WAIT = 2 * CELL_SECONDS + 60.0
#: Most bytes copied out of the kernel per request.
MAX_REQUEST_BYTES = 256 * 1024 * 1024
#: Largest argument payload sent into the kernel (bytes of its files).
MAX_ARGUMENT_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Verdict:
    """The trusted process's word on one test cell.

    ``message`` is the failing check's message on one line; ``html`` and
    ``plain`` are its result box, shown in the cell like a check in the kernel.
    ``mistake`` and ``mistake_label`` classify the first failing check for the
    grade report (:func:`classify`): determined here, never by the kernel.
    """

    status: str
    message: str = ""
    html: str = ""
    plain: str = ""
    mistake: str = ""
    mistake_label: str = ""


# --------------------------------------------------------------------------- names
def answer_names(source: str, known: Any) -> list[str]:
    """The student's variables a test cell needs from the kernel.

    The answers passed to ``check``/``check_names`` (names, or strings naming
    them) always; any other name the cell reads that the instructor's set-up
    (``known``) does not define and the cell does not assign itself.
    """
    tree = ast.parse(source)
    wanted: list[str] = []
    assigned: set[str] = set()
    loaded: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "check_names":
                wanted += [
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ]
            elif node.func.attr == "check":
                wanted += [a.id for a in node.args if isinstance(a, ast.Name)]
        elif isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Store):
                assigned.add(node.id)
            else:
                loaded.append(node.id)
    for name in loaded:
        if name not in assigned and name not in known and not hasattr(builtins, name):
            wanted.append(name)
    return list(dict.fromkeys(n for n in wanted if n.isidentifier()))


# --------------------------------------------------------------------------- trusted side
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
    """The instructor's namespace: the locked set-up cells of ``source_nb``, run here.

    Cells that need the student's variables fail here and are skipped: the names
    they would define come from the kernel (:func:`answer_names`).
    """
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
                print(f"[hidden-tests] celda de preparación omitida: {exc!r}", file=sys.stderr)
    finally:
        os.chdir(previous)
    _BASES[key] = namespace
    return namespace


class KernelError(Exception):
    """The worker or the kernel could not answer a request."""


class DiskFull(BaseException):  # noqa: N818 - not an Exception: no check may catch it
    """The notebook filled its own disk: its answers could not be written out.

    A :class:`BaseException`, so a check calling the student's function never
    takes it for an error of that function.
    """


#: The reason of a cell whose answers could not leave the kernel because the
#: notebook filled its disk (Spanish: what happened and what to do).
DISK_FULL = (
    "tu cuaderno llenó el espacio de disco que tiene durante la corrección, y sus respuestas "
    "no se pudieron sacar del cuaderno para comprobarlas (no es un fallo de tu respuesta). "
    "Busca qué escribe tu cuaderno en disco (ficheros grandes, modelos o puntos de control "
    "guardados muchas veces), bórralo o guárdalo una sola vez, ejecuta el cuaderno entero "
    "y vuelve a entregarlo"
)


def _is_disk_full(text: str) -> bool:
    return "Errno 28" in text or "No space left on device" in text or "Errno 122" in text


class StudentCodeError(RuntimeError):
    """An exception of a type that is not a built-in one, raised by the student's code."""


def _raise_as_student(kind: str, message: str) -> None:
    """Raise the kernel's exception here, as raised by "the student's code".

    The frame it is raised from is compiled under a file name outside the course
    package, so :func:`course.checks.raised_by_student` attributes it to the
    student and the check words its message as for the student's own error.
    """
    cls = getattr(builtins, kind, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        exc: Exception = cls(message)
    else:
        exc = StudentCodeError(f"{kind}: {message}")
    code = compile("raise exc", "<tu código>", "exec")
    exec(code, {"exc": exc})  # noqa: S102 - raises the exception built above


class KernelBridge:
    """The trusted process's channel to the worker that owns the student's kernel."""

    def __init__(self, reader: Any, writer: Any, scratch: Path, work: Path | None = None) -> None:
        self._reader = reader
        self._writer = writer
        self._scratch = scratch
        self._counter = 0
        #: Where the cell runs: a file a path answer names is placed here under that name.
        self.work = work

    def _ask(self, message: dict[str, Any]) -> Path:
        self._writer.write(json.dumps(message) + "\n")
        self._writer.flush()
        line = self._reader.readline()
        if not line:
            raise KernelError("el proceso de corrección cerró la conexión")
        reply = json.loads(line)
        if "error" in reply:
            if _is_disk_full(str(reply["error"])):
                raise DiskFull(str(reply["error"]))
            raise KernelError(str(reply["error"]))
        folder = Path(str(reply["folder"]))
        return folder

    def _record(self, folder: Path) -> dict[str, Any]:
        from course.grading.witness import MAX_RECORD_BYTES, _inside, _read_regular

        data = _read_regular(_inside(folder, "record.json"), MAX_RECORD_BYTES)
        record = json.loads(data.decode("utf-8"))
        if not isinstance(record, dict):
            raise KernelError("respuesta del cuaderno no válida")
        return record

    def export(self, names: list[str]) -> dict[str, Any]:
        """The kernel's variables ``names`` (absent ones are left out)."""
        if not names:
            return {}
        folder = self._ask({"op": "export", "names": names})
        answers = self._record(folder).get("answers", {})
        values: dict[str, Any] = {}
        for name in names:
            if name in answers:
                values[name] = self.value(answers[name], folder)
        return values

    def value(self, desc: dict[str, Any], folder: Path) -> Any:
        from course.grading.witness import decode

        if isinstance(desc, dict) and desc.get("t") == "function":
            return self.proxy(str(desc.get("name")))
        if isinstance(desc, dict) and desc.get("disk_full"):
            raise DiskFull(str(desc.get("type", "")))
        value = decode(desc, folder)
        if type(value) is str and desc.get("file") and self.work is not None:
            self._place(value, str(desc["file"]), folder)
        return value

    def _place(self, name: str, file: str, folder: Path) -> None:
        """Put the file a path answer names (copied out of the kernel) in the working folder."""
        from course.grading.witness import MAX_ARRAY_BYTES, _inside, _read_regular

        if "/" in name or name.startswith(".") or self.work is None:
            return
        data = _read_regular(_inside(folder, file), MAX_ARRAY_BYTES)
        target = self.work / name
        if not target.exists():
            target.write_bytes(data)

    def proxy(self, name: str) -> Callable[..., Any]:
        bridge = self

        def kernel_function(*args: Any, **kwargs: Any) -> Any:
            return bridge.call(name, args, kwargs)

        kernel_function.__name__ = kernel_function.__qualname__ = name
        kernel_function._kernel_name = name  # type: ignore[attr-defined]
        return kernel_function

    def _argument(self, value: Any, folder: Path) -> dict[str, Any]:
        import numpy as np

        from course.grading.witness import encode

        kernel_name = getattr(value, "_kernel_name", None)
        if kernel_name is not None:
            return {"t": "kernel_function", "name": kernel_name}
        if type(value) in (tuple, list):
            return {"t": type(value).__name__, "items": [self._argument(v, folder) for v in value]}
        if callable(value) and not _is_model(value):
            name = str(getattr(value, "__name__", ""))
            if getattr(np, name, None) is value:
                return {"t": "routine", "module": "numpy", "name": name}
            module = str(getattr(value, "__module__", ""))
            if module.startswith("course.") and not module.startswith("course.grading"):
                if getattr(sys.modules.get(module), name, None) is value:
                    return {"t": "routine", "module": module, "name": name}
            raise KernelError(
                "la prueba pasa a tu función un argumento que no se puede enviar al cuaderno "
                f"({name or type(value).__name__})"
            )
        return encode(value, folder)

    def call(self, name: str, args: tuple, kwargs: dict[str, Any]) -> Any:
        import tempfile

        self._counter += 1
        folder = Path(tempfile.mkdtemp(prefix="args-", dir=self._scratch))
        descs = [self._argument(a, folder) for a in args]
        kdescs = {k: self._argument(v, folder) for k, v in kwargs.items()}
        files: dict[str, str] = {}
        total = 0
        for path in sorted(folder.iterdir()):
            data = path.read_bytes()
            total += len(data)
            if total > MAX_ARGUMENT_BYTES:
                raise KernelError("los argumentos de la prueba son demasiado grandes")
            files[path.name] = base64.b64encode(data).decode("ascii")
        payload = {"args": descs, "kwargs": kdescs, "files": files}
        encoded = base64.b64encode(json.dumps(payload).encode("utf-8")).decode("ascii")
        out = self._ask({"op": "call", "name": name, "payload": encoded})
        record = self._record(out)
        for index, desc in dict(record.get("mutated", {})).items():
            original = args[int(index)] if str(index).isdigit() and int(index) < len(args) else None
            if _is_model(original):
                try:
                    trained = self.value(desc, out)
                    original.set_weights(trained.get_weights())
                except Exception as exc:
                    raise KernelError(
                        f"el modelo que entrenó `{name}` no se pudo recuperar del cuaderno "
                        f"({type(exc).__name__}: {str(exc)[:200]})"
                    ) from None
        if "raised" in record:
            kind, message = (list(record["raised"]) + ["", ""])[:2]
            _raise_as_student(str(kind), str(message))
        return self.value(record.get("result", {"t": "none"}), out)


def _is_model(value: Any) -> bool:
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(value, keras.Model)


class _Outcomes:
    """The check hook of the trusted process: every check is evaluated, never raised."""

    def __init__(self) -> None:
        self.region = "visible"
        self.results: list[tuple[str, bool, str]] = []  # (region, passed, message)
        self.failures: list[Any] = []  # the failing results, in order
        self.failed_exercises: list[str] = []  # the name of each failing result's exercise

    def around(self, exercise: Any, answer: Any, hidden: dict[str, Any], proceed: Any) -> Any:
        if answer is None:
            return proceed(None)  # check_names: looks the values up, then checks them
        result = exercise.evaluate(*answer, **hidden)
        if not result.passed:
            self.failures.append(result)
            self.failed_exercises.append(str(getattr(exercise, "name", "") or ""))
        self.results.append(
            (self.region, bool(result.passed), "" if result.passed else _one_line(result))
        )
        return result


def _one_line(result: Any) -> str:
    try:
        text = result.message()
    except Exception:  # noqa: BLE001
        text = str(result)
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return " ".join(lines)[:600]


def check_cell(
    source_nb: Path, grade_id: str, bridge: KernelBridge, work: Path | None = None
) -> Verdict:
    """Run one test cell of ``source_nb`` (visible, then hidden part) on the kernel's answers.

    The cell runs in ``work`` (where a file a path answer names, such as the weights
    a checkpoint wrote, is placed when exported), else beside ``source_nb``.
    """
    from course.checks._exercise import hooked

    sources = {
        meta.get("grade_id"): source
        for source, meta in _code_cells(source_nb)
        if meta.get("grade") and not meta.get("solution")
    }
    if grade_id not in sources:
        return Verdict(UNCONFIRMABLE, "la celda de pruebas no está en el cuaderno fuente")
    base = base_namespace(source_nb)
    source = _python(sources[grade_id])
    visible, hidden = split_hidden_tests(source)
    outcomes = _Outcomes()
    error = ""
    previous = os.getcwd()
    os.chdir(work if work is not None and work.is_dir() else source_nb.parent)
    try:
        answers = bridge.export(answer_names(source, base))
        scope = {**base, **answers}
        with hooked(outcomes):
            for region, code in (("visible", visible), ("hidden", hidden)):
                outcomes.region = region
                if code.strip():
                    exec(compile(code, f"<{grade_id}>", "exec"), scope)  # noqa: S102
        if any(region == "visible" and not ok for region, ok, _ in outcomes.results):
            # Stricter here than in the kernel (which has no reference implementation,
            # only expected outputs on the visible inputs)? Then it is an honest
            # mistake the full check found, not a tampered kernel.
            seen = _Outcomes()
            with hooked(seen), _as_in_the_kernel():
                exec(compile(visible, f"<{grade_id}>", "exec"), {**base, **answers})  # noqa: S102
            if seen.results and all(ok for _region, ok, _ in seen.results):
                outcomes.results = [("hidden", ok, m) for _r, ok, m in outcomes.results]
    except DiskFull:
        return Verdict(UNCONFIRMABLE, DISK_FULL)
    except AssertionError as exc:
        # A plain `assert` of the cell did not hold: a wrong answer, as in nbgrader (the
        # course's checks never raise here: the hook records them).
        failed = str(exc).strip() or "una condición `assert` de la prueba no se cumplió"
        outcomes.results.append((outcomes.region, False, failed[:600]))
        outcomes.failures.append(None)  # classified "otro": a plain assert names no mistake
        outcomes.failed_exercises.append("")
    except Exception as exc:  # noqa: BLE001 - a broken answer or request fails this cell
        error = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        os.chdir(previous)
    verdict = _verdict(outcomes, error)
    if outcomes.failures:
        prefix = source_nb.stem.split("_")[0]
        code, label = classify(outcomes.failures[0], prefix, outcomes.failed_exercises[0])
        verdict = replace(verdict, mistake=code, mistake_label=label)
    return verdict


def classify(result: Any, assignment: str, exercise: str) -> tuple[str, str]:
    """The outcome code and Spanish label of a failing check result.

    A recognised mistake (``result.mistake``, see ``course/checks/_codes.py``)
    gives ``aNN.ejK.code``; an untouched placeholder ``sin_responder``; an
    exception of the student's code ``error_ejecucion``; anything else ``otro``.
    """
    from course.checks._codes import GENERIC, NOT_ANSWERED, OTHER, RUN_ERROR, Mistake

    if getattr(result, "kind", "") == "not_attempted":
        return NOT_ANSWERED, GENERIC[NOT_ANSWERED]
    if getattr(result, "raised", False):
        return RUN_ERROR, GENERIC[RUN_ERROR]
    found = getattr(result, "mistake", None)
    if isinstance(found, Mistake):
        return f"{assignment}.{exercise or 'ej'}.{found.code}", found.label
    return OTHER, GENERIC[OTHER]


@contextlib.contextmanager
def _as_in_the_kernel() -> Iterator[None]:
    """Within this block the reference implementations cannot be imported (as in the
    sandbox, whose package copy has no ``course.grading``)."""
    import course.grading

    name = "course.grading.references"
    module = sys.modules.get(name)
    sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    attribute = course.grading.__dict__.pop("references", None)
    try:
        yield
    finally:
        if module is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = module
        if attribute is not None:
            course.grading.references = attribute  # type: ignore[attr-defined]


def _box(result: Any) -> tuple[str, str]:
    try:
        return str(result._repr_html_()), str(result.message())
    except Exception:  # noqa: BLE001 - the one-line message is enough
        return "", ""


def _verdict(outcomes: _Outcomes, error: str) -> Verdict:
    failures = iter(outcomes.failures)
    for region, passed, message in outcomes.results:
        if not passed:
            html, plain = _box(next(failures, None))
            if region == "visible":
                return Verdict(
                    REFUTED,
                    "la comprobación visible, repetida fuera de tu cuaderno, no se superó: "
                    + (message or "sin detalle"),
                    html,
                    plain,
                )
            return Verdict(FAILED, message or "la prueba oculta no se superó", html, plain)
    if error:
        return Verdict(UNCONFIRMABLE, f"la prueba no pudo completarse fuera del cuaderno ({error})")
    if outcomes.results:
        return Verdict(CONFIRMED)
    return Verdict(NO_CHECKS)


# --------------------------------------------------------------------------- the service
def _serve(socket_path: str, warm: list[str]) -> int:
    """Serve one test cell per connection on ``socket_path`` (never runs student code)."""
    from course.grading.witness import RecordTimeout, _record_deadline

    with contextlib.suppress(OSError):
        os.nice(5)
    with contextlib.suppress(ValueError, OSError):
        import resource

        from course.grading.sandbox import DEFAULT_LIMITS

        cap = DEFAULT_LIMITS.memory_mb * 1024 * 1024  # a forged model fails, never swaps
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    sys.stdout = sys.stderr  # whatever the trusted code prints goes to the log
    notebooks = {Path(p).stem: Path(p) for p in warm}
    for path in notebooks.values():
        with contextlib.suppress(Exception):
            base_namespace(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with contextlib.suppress(OSError):
        os.unlink(socket_path)  # left behind by a service of this slot that died
    old_umask = os.umask(0o077)
    try:
        server.bind(socket_path)
    finally:
        os.umask(old_umask)
    server.listen(16)
    print("[hidden-tests] ready", file=sys.stderr, flush=True)
    while True:
        conn, _ = server.accept()
        with conn, conn.makefile("r", encoding="utf-8") as reader:
            writer = conn.makefile("w", encoding="utf-8")
            try:
                request = json.loads(reader.readline() or "{}")
                source = notebooks.get(str(request.get("notebook")))
                scratch = Path(str(request.get("scratch")))
                if source is None or not scratch.is_dir():
                    verdict = Verdict(UNCONFIRMABLE, "petición no válida")
                else:
                    import tempfile

                    work = Path(tempfile.mkdtemp(prefix="trabajo-", dir=scratch))
                    bridge = KernelBridge(reader, writer, scratch, work)
                    try:
                        with _record_deadline(CELL_SECONDS):
                            gid = str(request.get("grade_id"))
                            verdict = check_cell(source, gid, bridge, work)
                    except RecordTimeout:
                        verdict = Verdict(
                            UNCONFIRMABLE, f"la prueba tardó más de {CELL_SECONDS:.0f} s"
                        )
                writer.write(json.dumps({"op": "verdict", **asdict(verdict)}) + "\n")
                writer.flush()
            except Exception as exc:  # noqa: BLE001 - one broken session never stops the service
                print(f"[hidden-tests] sesión fallida: {exc!r}", file=sys.stderr, flush=True)
            finally:
                with contextlib.suppress(Exception):
                    writer.close()


class HiddenTestService:
    """One trusted process (started, checked and stopped by the grader's workspace).

    It serves one test cell at a time, so a workspace gives each running
    submission a service of its own (:meth:`course.grading.task.Workspace.trusted`):
    a student's function that hangs on a held-out input keeps only its own
    submission waiting. Its process id is written beside the socket
    (:func:`pid_file`), so a grading worker that cannot connect tells at once a
    service still loading from one that died.
    """

    def __init__(self, socket_path: Path, log_path: Path, warm: list[Path]) -> None:
        self.socket_path = socket_path
        self._log_path = log_path
        self._warm = [str(p) for p in warm]
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def alive(self) -> bool:
        """Whether the process is running (a dead one is reaped here)."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        from course.grading.coursedir import quiet_environment

        env = quiet_environment()
        env["MPLBACKEND"] = "Agg"
        argv = [sys.executable, "-m", "course.grading.hidden_tests", "--serve"]
        argv += ["--socket", str(self.socket_path)]
        for path in self._warm:
            argv += ["--warm", path]
        with self._log_path.open("a", encoding="utf-8") as log:
            self._process = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env
            )
        pid_file(self.socket_path).write_text(str(self._process.pid), encoding="ascii")

    def close(self) -> None:
        if self._process is not None:
            with contextlib.suppress(Exception):
                self._process.kill()
                self._process.wait(10)
            self._process = None
        for path in (self.socket_path, pid_file(self.socket_path)):
            with contextlib.suppress(OSError):
                path.unlink()


def pid_file(socket_path: str | Path) -> Path:
    """Where the grader writes the process id of the service listening on ``socket_path``."""
    return Path(f"{socket_path}.pid")


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (a dead child not yet reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True
        return True
    return stat.rsplit(")", 1)[-1].split()[:1] not in (["Z"], ["X"])


# --------------------------------------------------------------------------- worker side
class ServiceGone(OSError):
    """The trusted process is not running: waiting for it would be in vain."""


#: Seconds a refused connection is retried (the moment between ``bind`` and ``listen``).
REFUSED_GRACE = 2.0


def _service_dead(socket_path: str) -> bool:
    """Whether the service of ``socket_path`` is known to have stopped."""
    try:
        pid = int(pid_file(socket_path).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return False  # no word from the grader: wait as long as allowed
    return not _running(pid)


def _connect(socket_path: str, wait: float) -> socket.socket:
    """Connect to the service, waiting up to ``wait`` s while it loads its set-up.

    A service that died is known at once: its process is gone, or its socket
    exists and refuses connections (nobody listens on it any more); then
    :class:`ServiceGone` is raised without waiting.
    """
    start = time.monotonic()
    deadline = start + wait
    refused_since: float | None = None
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(socket_path)
            return sock
        except OSError as exc:
            sock.close()
            now = time.monotonic()
            if _service_dead(socket_path):
                raise ServiceGone(str(exc)) from None
            if isinstance(exc, ConnectionRefusedError):
                refused_since = now if refused_since is None else refused_since
                if now - refused_since >= REFUSED_GRACE:
                    raise ServiceGone(str(exc)) from None
            else:
                refused_since = None
            if now >= deadline:
                raise
            time.sleep(0.2)


#: Reason of a cell whose trusted process was not running (Spanish, shown to the student).
SERVICE_GONE = (
    "el proceso que ejecuta las pruebas ocultas se detuvo antes de comprobar esta celda "
    "(un fallo del corrector, no de tu cuaderno): la entrega queda retenida para que el "
    "profesor la vuelva a corregir"
)


def confirm_cell(
    socket_path: str,
    notebook: str,
    grade_id: str,
    scratch: Path,
    run_in_kernel: Callable[[str, float], str],
    exchange: Path,
) -> Verdict:
    """Have the trusted process check one test cell, answering its requests.

    ``run_in_kernel(code, seconds)`` runs one line in the student's kernel and
    returns ``""`` or a Spanish reason why it failed; ``exchange`` is the folder
    the kernel writes its answers into; ``scratch`` a folder of the worker's
    (never the kernel's) where they are copied before the trusted side reads them.
    """
    from course.grading.safe_execute import copy_regular_files

    try:
        sock = _connect(socket_path, 300.0)
    except ServiceGone:
        return Verdict(UNCONFIRMABLE, SERVICE_GONE)
    except OSError as exc:
        return Verdict(UNCONFIRMABLE, f"el proceso de pruebas no está disponible ({exc})")
    sock.settimeout(SERVICE_WAIT)
    count = 0
    try:
        with sock, sock.makefile("r", encoding="utf-8") as reader:
            writer = sock.makefile("w", encoding="utf-8")
            request = {
                "notebook": notebook,
                "grade_id": grade_id,
                "scratch": str(scratch),
            }
            writer.write(json.dumps(request) + "\n")
            writer.flush()
            while True:
                line = reader.readline()
                if not line:
                    if _service_dead(socket_path):
                        return Verdict(UNCONFIRMABLE, SERVICE_GONE)
                    return Verdict(UNCONFIRMABLE, "el proceso de pruebas cerró la conexión")
                message = json.loads(line)
                op = message.get("op")
                if op == "verdict":
                    return Verdict(
                        str(message.get("status")),
                        str(message.get("message", "")),
                        str(message.get("html", "")),
                        str(message.get("plain", "")),
                        str(message.get("mistake", ""))[:120],
                        str(message.get("mistake_label", ""))[:120],
                    )
                count += 1
                out = exchange / f"{grade_id}-{os.getpid()}-{count}"
                if op == "export":
                    names = [str(n) for n in message.get("names", []) if str(n).isidentifier()]
                    code = (
                        "import course.grading.answers as __course_answers; "
                        f"__course_answers.export({names!r}, {str(out)!r}); "
                        "del __course_answers"
                    )
                elif op == "call" and str(message.get("name", "")).isidentifier():
                    payload = str(message.get("payload", ""))
                    if not all(c.isalnum() or c in "+/=" for c in payload):
                        payload = ""
                    code = (
                        "import course.grading.answers as __course_answers; "
                        f"__course_answers.call({message['name']!r}, {payload!r}, {str(out)!r}); "
                        "del __course_answers"
                    )
                else:
                    writer.write(json.dumps({"error": "petición desconocida"}) + "\n")
                    writer.flush()
                    continue
                problem = run_in_kernel(code, REQUEST_SECONDS)
                reply: dict[str, Any]
                if problem:
                    reply = {"error": problem}
                else:
                    dest = scratch / out.name
                    copied = copy_regular_files(out, dest, budget=[MAX_REQUEST_BYTES])
                    reply = (
                        {"folder": str(dest)}
                        if "record.json" in copied
                        else {"error": "el cuaderno no devolvió la respuesta pedida"}
                    )
                writer.write(json.dumps(reply) + "\n")
                writer.flush()
    except (OSError, ValueError) as exc:
        return Verdict(UNCONFIRMABLE, f"la comunicación con el proceso de pruebas falló ({exc})")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="course.grading.hidden_tests")
    parser.add_argument("--serve", action="store_true", required=True)
    parser.add_argument("--socket", required=True)
    parser.add_argument("--warm", action="append", default=[])
    opts = parser.parse_args(argv)
    return _serve(opts.socket, opts.warm)


if __name__ == "__main__":
    sys.exit(main())
