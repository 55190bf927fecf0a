"""Grading on a Dask cluster: :class:`DaskExecutor` (``course grade --cluster ADDR``).

The pipeline (:mod:`course.grading.autograde`) hands its tasks to an
:class:`~course.grading.executors.Executor`; this one sends them to the workers of
a running Dask scheduler (a lab over SSH, SLURM through ``dask-jobqueue``,
Kubernetes). Dask's ``distributed`` already does what a home-made farm would
get wrong: it reruns the task of a worker that died on another worker, gives up
on a task that killed ``distributed.scheduler.allowed-failures`` + 1 workers
(:class:`distributed.KilledWorker`), and streams results back as they complete.
``distributed`` is an optional extra (``pip install -e ".[cluster]"``) imported
only in this module.

What runs where:

- the main process connects, checks every worker (same ``course`` version and
  the same grading code, :func:`code_fingerprint`) before anything is written,
  sends each submission's :func:`course.grading.task.grade_submission` with the
  bundle (scattered once per worker) and publishes each result itself: only it
  writes the gradebook;
- each worker keeps one :class:`~course.grading.task.Workspace` per batch
  (:func:`grade_on_worker`): the bundle written out, the package copy the
  sandboxed kernels import and the trusted hidden-test process on a Unix socket
  of that worker, exactly as locally. Nothing on a worker reads the
  instructor's course folder. The workspaces are closed when the batch ends.

A submission that killed its workers ends as "NO CORREGIDA" with a Spanish
reason; the others go on. A result that arrives twice for one student is
published once (:meth:`DaskExecutor.as_completed`).
"""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from course.grading.coursedir import GradingError

#: Environment variable with the scheduler's address (``--cluster`` wins).
SCHEDULER_ENV = "COURSE_DASK_SCHEDULER"
#: Seconds to reach the scheduler, then to wait for a first worker (15 s in all at most).
CONNECT_SECONDS = 5.0
WORKERS_SECONDS = 8.0

INSTALL_FIX = 'pip install -e ".[cluster]"'


def scheduler_address(option: str | None) -> str | None:
    """The scheduler to use: ``--cluster`` if given, else ``$COURSE_DASK_SCHEDULER``."""
    address = (option or os.environ.get(SCHEDULER_ENV) or "").strip()
    return address or None


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A short hash of the ``course`` package's code (its ``.py`` files and templates).

    Two installations grade alike only if this matches: a worker with the same
    ``__version__`` but an older checkout of the grader is refused.
    """
    import course

    root = Path(course.__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if "__pycache__" in rel.parts or "simulated" in rel.parts or not path.is_file():
            continue
        if path.suffix in {".py", ".j2", ".tpl", ".html", ".css"} or "templates" in rel.parts:
            h.update(rel.as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:12]


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise GradingError(
            "Para corregir en un clúster hace falta el paquete «distributed» de Dask, que no "
            f"está instalado.\nSolución: {INSTALL_FIX} (en este equipo y en cada trabajador)."
        ) from None
    return distributed


def _probe() -> Callable[[], dict[str, Any]]:
    """The check run on every worker (by :meth:`distributed.Client.run`).

    It is a nested function so that Dask sends its code by value: it runs, and
    reports, on a worker where ``course`` is missing or broken.
    """

    def probe() -> dict[str, Any]:
        import importlib
        import multiprocessing
        import os
        import platform
        import socket

        info: dict[str, Any] = {
            "host": socket.gethostname(),
            "python": platform.python_version(),
            "pid": os.getpid(),
            "daemon": bool(multiprocessing.current_process().daemon),
            "data_dir": os.environ.get("COURSE_DATA_DIR", ""),
        }
        try:
            course = importlib.import_module("course")
            info["version"] = getattr(course, "__version__", "?")
            cluster = importlib.import_module("course.grading.cluster")
            info["code"] = cluster.code_fingerprint()
            info["protections"] = cluster.protection_lines()
        except BaseException as exc:  # noqa: BLE001 - reported, never raised on the worker
            info["error"] = f"{type(exc).__name__}: {exc}"[:300]
        return info

    return probe


def protection_lines() -> list[str]:
    """What ``course doctor`` says about the grading sandbox, for this machine."""
    from course.grading.sandbox import doctor_lines

    return list(doctor_lines())


def connect(address: str) -> Any:
    """A :class:`distributed.Client` on ``address`` with at least one worker, or a Spanish error."""
    distributed = _distributed()
    try:
        client = distributed.Client(
            address, timeout=CONNECT_SECONDS, set_as_default=False, name="course-grade"
        )
    except (OSError, TimeoutError, ValueError) as exc:
        raise GradingError(
            f"No se pudo conectar con el planificador de Dask en {address} "
            f"({type(exc).__name__}).\nSolución: arranque el planificador en esa máquina "
            "(«dask scheduler») y compruebe la dirección y el puerto (tcp://HOST:8786) y que "
            "este equipo llega a él (cortafuegos, túnel SSH)."
        ) from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except (TimeoutError, OSError):
        client.close()
        raise GradingError(
            f"El planificador de Dask en {address} no tiene ningún trabajador "
            f"(esperados {WORKERS_SECONDS:.0f} s).\nSolución: arranque al menos uno, p. ej. "
            f"«dask worker {address} --nworkers 1 --nthreads 1», en una máquina con el "
            "paquete del curso instalado."
        ) from None
    return client


def worker_reports(client: Any) -> dict[str, dict[str, Any]]:
    """Each worker's address -> what :func:`_probe` found there."""
    return dict(client.run(_probe(), on_error="return"))


def worker_problems(reports: dict[str, dict[str, Any]]) -> list[str]:
    """Spanish lines, one per worker that cannot grade like this machine."""
    issues = worker_issues(reports)
    return [f"{address}: {issues[address]}" for address in sorted(issues)]


def worker_issues(reports: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Worker address -> why it cannot grade like this machine (Spanish), for those that cannot."""
    import course

    here = (course.__version__, code_fingerprint())
    issues = {}
    for address, info in reports.items():
        if not isinstance(info, dict):
            issues[address] = f"no respondió a la comprobación ({info!r})"[:300]
        elif "version" not in info:
            issues[address] = (
                f"sin el paquete «course» en {info.get('host', '?')} "
                f"({info.get('error', 'no se pudo importar')})"
            )
        elif "error" in info:
            issues[address] = f"el paquete «course» falla al cargar ({info['error']})"
        elif (info["version"], info["code"]) != here:
            issues[address] = (
                f"«course» {info['version']} (código {info['code']}) en {info.get('host', '?')}; "
                f"este equipo tiene {here[0]} (código {here[1]})"
            )
    return issues


class DaskExecutor:
    """Grading tasks on the workers of a Dask scheduler (``course grade --cluster ADDR``).

    Connecting checks the scheduler and every worker (see :func:`connect`,
    :func:`worker_problems`) and raises one Spanish :class:`GradingError` naming
    the fix, before the batch writes anything.
    """

    def __init__(self, address: str, *, client: Any = None) -> None:
        self.address = address
        self.client = client or connect(address)
        self.batch = uuid.uuid4().hex[:12]
        self._bundle: Any = None
        self._bundle_ref: Any = None
        self._options: Any = None
        self._tasks: list[_ClusterTask] = []
        try:
            problems = worker_problems(worker_reports(self.client))
        except Exception as exc:  # noqa: BLE001 - e.g. the scheduler went away
            self.client.close()
            raise GradingError(
                f"No se pudo comprobar los trabajadores de {address} ({type(exc).__name__})."
                "\nSolución: compruebe que el planificador y los trabajadores siguen en marcha."
            ) from None
        if problems:
            self.client.close()
            raise GradingError(
                "Hay trabajadores de Dask que no pueden corregir como este equipo:\n  "
                + "\n  ".join(problems)
                + "\nSolución: instale en cada trabajador la misma versión del curso que aquí "
                f"({INSTALL_FIX} desde la misma copia del proyecto) y reinicie los trabajadores."
            )

    def start(self, bundle: Any, options: Any) -> None:
        self._bundle = bundle
        self._options = options
        # Sent once to each worker instead of once per task.
        self._bundle_ref = self.client.scatter(bundle, broadcast=True, hash=False)

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> _ClusterTask:
        """A task for ``fn(*args)``, sent to the scheduler by :meth:`as_completed`."""
        from course.grading.task import grade_submission

        if fn is not grade_submission:
            task = _ClusterTask((fn, *args), None, None)
        else:
            bundle, files, options = args
            ref = self._bundle_ref if bundle is self._bundle else bundle
            task = _ClusterTask(
                (grade_on_worker, self.batch, ref, files, options), bundle, files.student
            )
        self._tasks.append(task)
        return task

    def capacity(self) -> int:
        """How many tasks the cluster runs at once: its workers' threads, now."""
        return max(1, sum(self.client.nthreads().values()))

    def as_completed(self, futures: Iterable[_ClusterTask]) -> Iterator[_ClusterTask]:
        """Each task as soon as it is done; one per student whatever Dask retried.

        At most :meth:`capacity` tasks are on the scheduler at a time (the others
        wait here), so a worker only holds the submissions it is running: when it
        dies, Dask charges the failure to those alone (``allowed-failures``
        counts per task), never to submissions that were waiting in its queue.
        """
        from collections import deque

        from distributed import as_completed

        tasks = list(futures)
        waiting = deque(task for task in tasks if task.future is None)
        running = {task.future: task for task in tasks if task.future is not None}
        stream = as_completed(list(running), loop=self.client.loop)

        def fill() -> None:
            while waiting and len(running) < self.capacity():
                task = waiting.popleft()
                task.future = self.client.submit(*task.call, pure=False)
                running[task.future] = task
                stream.add(task.future)

        fill()
        seen: set[str] = set()
        for future in stream:
            task = running.pop(future)
            fill()
            if task.student is not None:
                if task.student in seen:
                    continue
                seen.add(task.student)
            yield task

    def cancel(self) -> None:
        try:
            self.client.cancel([task.future for task in self._tasks if task.future is not None])
        except Exception:  # noqa: BLE001, S110 - closing anyway
            pass
        try:
            self.client.run(close_workspace, self.batch, on_error="return")
        except Exception:  # noqa: BLE001, S110 - a worker may be gone
            pass
        self.client.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


class _ClusterTask:
    """A call to run on the cluster and, once sent, its Dask future; :meth:`result`
    turns a submission lost with its workers into a Spanish "NO CORREGIDA" result."""

    def __init__(self, call: tuple[Any, ...], bundle: Any, student: str | None) -> None:
        self.call = call
        self.future: Any = None
        self.bundle = bundle
        self.student = student

    def done(self) -> bool:
        return self.future is not None and self.future.done()

    def result(self, timeout: float | None = None) -> Any:
        from distributed import KilledWorker

        try:
            return self.future.result(timeout=timeout)
        except KilledWorker as exc:
            if self.bundle is None or self.student is None:
                raise
            from course.grading.task import failed_result

            tries = getattr(exc, "allowed_failures", None)
            times = f"{tries + 1} veces" if isinstance(tries, int) else "varias veces"
            return failed_result(
                self.bundle,
                self.student,
                f"el proceso que la corregía terminó de golpe {times} en trabajadores del "
                "clúster distintos (p. ej. memoria agotada en la máquina); no se volvió a "
                "intentar. Corríjala sola con «course grade --alumno» y revise el registro de "
                "los trabajadores",
            )


# --------------------------------------------------------------------------- on a worker

_WORKSPACES: dict[str, Any] = {}
_LOCK = threading.Lock()


def _workspace(batch: str) -> Any:
    from course.grading.task import Workspace

    with _LOCK:
        if batch not in _WORKSPACES:
            _WORKSPACES[batch] = Workspace()
        return _WORKSPACES[batch]


def grade_on_worker(batch: str, bundle: Any, files: Any, options: Any) -> Any:
    """Run :func:`course.grading.task.grade_submission` in this worker's workspace of ``batch``.

    A Dask worker under a nanny is a daemonic process by default, which may not
    start the multiprocessing fork server: there nbgrader starts as a new
    interpreter instead (``DASK_DISTRIBUTED__WORKER__DAEMON=False`` keeps the
    faster fork server; see the instructor guide).
    """
    import multiprocessing

    from course.grading.execute import Runner
    from course.grading.task import grade_submission

    runner = options.runner or Runner.default()
    if runner == Runner.FORKSERVER and multiprocessing.current_process().daemon:
        options = replace(options, runner=Runner.SUBPROCESS)
    return grade_submission(bundle, files, options, _workspace(batch))


def close_workspace(batch: str) -> bool:
    """Stop the trusted processes and remove the folders of ``batch`` on this worker."""
    with _LOCK:
        workspace = _WORKSPACES.pop(batch, None)
    if workspace is not None:
        workspace.close()
    return workspace is not None


def doctor_report(address: str) -> tuple[list[str], int]:
    """``course doctor --cluster ADDR``: Spanish lines about each worker, and the problem count.

    For every worker: its host, Python, ``course`` version and code, the data
    folder and the protections of the grading sandbox as ``course doctor``
    reports them on that machine.
    """
    ok, no, warn = "✔", "✘", "!"
    try:
        client = connect(address)
    except GradingError as exc:
        return [
            f"{no} {line}" if i == 0 else f"  {line}"
            for i, line in enumerate(str(exc).splitlines())
        ], 1
    try:
        reports = worker_reports(client)
    finally:
        client.close()
    bad = worker_issues(reports)
    lines = [f"{ok} planificador {address}: {len(reports)} trabajador(es)"]
    for address_, info in sorted(reports.items()):
        info = info if isinstance(info, dict) else {}
        lines.append(
            f"Trabajador {address_} ({info.get('host', '?')}, Python {info.get('python', '?')}):"
        )
        if address_ in bad:
            lines.append(f"  {no} {bad[address_]}. Solución: {INSTALL_FIX} y reinícielo")
            continue
        lines.append(f"  {ok} course {info['version']} (código {info['code']}), como este equipo")
        data = info.get("data_dir")
        lines.append(
            f"  {ok} COURSE_DATA_DIR={data}"
            if data
            else f"  {warn} COURSE_DATA_DIR sin definir: las tareas que leen datos (a05) los "
            "buscarán en la carpeta del proyecto o la caché de ese trabajador"
        )
        if info.get("daemon"):
            lines.append(
                f"  {warn} proceso «daemon» de Dask: nbgrader arranca como intérprete nuevo en "
                "cada entrega (más lento); arranque el trabajador con "
                "DASK_DISTRIBUTED__WORKER__DAEMON=False"
            )
        lines.extend(f"  {line}" for line in info.get("protections", []))
    return lines, len(bad)
