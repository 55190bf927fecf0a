"""The student's answers, handed out of the grading kernel as plain data.

This is the one grading module copied into the sandboxed kernel's package (see
:func:`course.grading.sandbox.sandbox_package`). It holds no test and no key.
The grading process (:class:`course.grading.safe_execute.SafeExecute`) runs two
kinds of one-line requests in the kernel, on behalf of the trusted process of
:mod:`course.grading.hidden_tests`:

- :func:`export`: the named variables of the notebook, written into a folder
  with :func:`course.grading.witness.encode` (JSON with exact types, ``.npy``
  without pickle, Keras models as ``.keras``, fitted objects by their
  parameters); a function is written as its name only, to be called later;
- :func:`call`: call one of those functions with arguments that are plain data
  (a callable argument only as the name of a NumPy function or of another
  function of the notebook) and write its result the same way; a Keras model
  passed as argument is written back after the call (a trainer mutates it).

The kernel is the student's process: anything here can be replaced by the
student's code. That is harmless by design: what comes out is data the trusted
side decodes without running code, and no answer key ever comes in.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

RECORD = "record.json"


def _namespace() -> dict[str, Any]:
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:  # pragma: no cover - only ever run in a kernel
        return vars(sys.modules["__main__"])
    return shell.user_ns


def describe(value: Any, folder: Path, name: str = "") -> dict[str, Any]:
    """``value`` as plain data (see :func:`course.grading.witness.encode`)."""
    import inspect

    import numpy as np

    from course.checks._values import is_placeholder
    from course.grading.witness import encode

    if value is Ellipsis:
        return {"t": "ellipsis"}
    if inspect.isroutine(value) or isinstance(value, np.ufunc):
        if is_placeholder(value):
            return {"t": "none"}  # the untouched stub of the released notebook
        return {"t": "function", "name": name}
    history = _history(value)
    if history is not None:
        return {"t": "History", "params": {"history": encode(history, folder)}}
    desc = encode(value, folder)
    if name and type(value) is str:
        attached = _attach_file(value, folder, name)
        if attached:
            desc["file"] = attached
    return desc


#: Largest file of the notebook's folder handed out with a path answer (bytes).
MAX_ATTACHED_BYTES = 64 * 1024 * 1024


def _attach_file(path: str, folder: Path, name: str) -> str:
    """Copy the file a path answer names (e.g. a checkpoint's weights) next to it.

    Only a plain file name in the working folder: the trusted check then finds the
    file under that name in its own working folder.
    """
    import stat

    if "/" in path or path.startswith(".") or not path:
        return ""
    try:
        info = os.lstat(path)
    except OSError:
        return ""
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ATTACHED_BYTES:
        return ""
    target = f"archivo-{name}"
    (folder / target).write_bytes(Path(path).read_bytes())
    return target


def _history(value: Any) -> dict[str, list[float]] | None:
    keras = sys.modules.get("keras")
    if keras is None or type(value) is not keras.callbacks.History:
        return None
    logs = getattr(value, "history", None)
    if not isinstance(logs, dict):
        return None
    try:
        return {str(k): [float(v) for v in values] for k, values in logs.items()}
    except (TypeError, ValueError):
        return None


@contextlib.contextmanager
def _same_random_state() -> Iterator[None]:
    """Leave the notebook's random state as it was (Python, NumPy and Keras).

    A request of the grader (saving a model, rebuilding one, calling a function of
    the student's) must not shift the random numbers the student's later cells
    draw: the notebook trains as it would without the requests.
    """
    import random

    import numpy as np

    python_state = random.getstate()
    numpy_state = np.random.get_state()
    keras_state = _keras_seed_state()
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        if keras_state is not None:
            with contextlib.suppress(Exception):
                keras_state[0].assign(keras_state[1])


def _keras_seed_state() -> tuple[Any, Any] | None:
    """Keras' global seed generator's state variable and its value, if Keras is in use."""
    if "keras" not in sys.modules:
        return None
    try:
        from keras.src.backend.common import global_state
        from keras.src.random.seed_generator import GLOBAL_SEED_GENERATOR
    except ImportError:
        return None
    generator = global_state.get_global_attribute(GLOBAL_SEED_GENERATOR)
    if generator is None:
        return None
    return generator.state, generator.state.value


def _write(folder: Path, record: dict[str, Any]) -> None:
    (folder / RECORD).write_text(json.dumps(record), encoding="utf-8")


def export(names: list[str], folder: str) -> None:
    """Write the notebook variables ``names`` into the new folder ``folder``."""
    with _same_random_state():
        _export(names, folder)


def _export(names: list[str], folder: str) -> None:
    out = Path(folder)
    out.mkdir()
    namespace = _namespace()
    answers: dict[str, Any] = {}
    for name in names:
        if name not in namespace:
            continue
        try:
            answers[name] = describe(namespace[name], out, name)
        except Exception as exc:  # noqa: BLE001 - the trusted side sees an opaque value
            answers[name] = _unexported(exc)
    _write(out, {"answers": answers})


def _disk_full(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it came from) is "no space left on the disk"."""
    import errno

    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if "No space left on device" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _unexported(exc: BaseException) -> dict[str, Any]:
    """The description of a value that could not be written out (``disk_full`` if that is why)."""
    desc: dict[str, Any] = {"t": "opaque", "type": f"sin exportar ({type(exc).__name__})"}
    if _disk_full(exc):
        desc["disk_full"] = True
    return desc


def _argument(desc: dict[str, Any], folder: Path, namespace: dict[str, Any]) -> Any:
    from course.grading.witness import decode

    kind = desc.get("t")
    if kind == "routine":
        import importlib

        module = str(desc.get("module", "numpy"))
        if module != "numpy" and not module.startswith("course."):
            raise ValueError(f"módulo no permitido: {module}")
        return getattr(importlib.import_module(module), str(desc["name"]))
    if kind == "kernel_function":
        return namespace[str(desc["name"])]
    if kind in ("tuple", "list"):
        items = [_argument(d, folder, namespace) for d in desc["items"]]
        return tuple(items) if kind == "tuple" else items
    return decode(desc, folder)


def call(name: str, payload: str, folder: str) -> None:
    """Call the notebook's function ``name``; write its result into ``folder``.

    ``payload`` is base64 of a JSON object: the arguments' descriptions and the
    bytes of their files (arrays, models).
    """
    with _same_random_state():
        _call(name, payload, folder)


def _call(name: str, payload: str, folder: str) -> None:
    out = Path(folder)
    out.mkdir()
    request = json.loads(base64.b64decode(payload).decode("utf-8"))
    # Beside ``out`` in the exchange folder (bound from the host), never in the
    # kernel's own size-capped TMPDIR: a notebook that filled its disk still answers.
    inbox = out.parent / f"{out.name}-args"
    inbox.mkdir()
    for file_name, data in request.get("files", {}).items():
        if "/" in file_name or file_name.startswith("."):
            continue
        (inbox / file_name).write_bytes(base64.b64decode(data))
    namespace = _namespace()
    record: dict[str, Any] = {}
    try:
        fn = namespace[name]
        args = [_argument(d, inbox, namespace) for d in request.get("args", [])]
        kwargs = {k: _argument(d, inbox, namespace) for k, d in request.get("kwargs", {}).items()}
    except Exception as exc:  # noqa: BLE001
        record["raised"] = [type(exc).__name__, str(exc)[:500]]
        _write(out, record)
        return
    try:
        result = fn(*args, **kwargs)
    except BaseException as exc:  # noqa: BLE001 - reported to the trusted check
        record["raised"] = [type(exc).__name__, str(exc)[:500]]
    else:
        try:
            record["result"] = describe(result, out)
        except Exception as exc:  # noqa: BLE001
            record["result"] = _unexported(exc)
    keras = sys.modules.get("keras")
    if keras is not None:
        mutated = {}
        for index, arg in enumerate(args):
            if isinstance(arg, keras.Model):
                try:
                    mutated[str(index)] = describe(arg, out)
                except Exception:  # noqa: BLE001 - the trusted side keeps the old weights
                    pass
        record["mutated"] = mutated
    _write(out, record)
    for leftover in inbox.iterdir():
        leftover.unlink()
    os.rmdir(inbox)
