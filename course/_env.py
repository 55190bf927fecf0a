"""The process environment the course's tools need before TensorFlow or nbgrader runs.

One job: prepare the process: the variables and logger levels that stop
TensorFlow writing to stderr, which nbgrader counts as a failed test cell
(docs/nbgrader.md explains why every kernel gets them); a quiet Keras import;
this interpreter's ``bin`` folder first on ``PATH`` for the executables nbgrader
and Jupyter run by name.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Iterator

#: Variables that must be set before TensorFlow is imported.
QUIET_TF_ENV: dict[str, str] = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "KERAS_BACKEND": "tensorflow",
    "PYTHONWARNINGS": "ignore",
}


def quiet_tensorflow() -> None:
    """Set :data:`QUIET_TF_ENV` and, if TensorFlow is loaded, quiet its loggers."""
    for key, value in QUIET_TF_ENV.items():
        os.environ.setdefault(key, value)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module="keras")
    if "tensorflow" in sys.modules:
        logging.getLogger("tensorflow").setLevel(logging.ERROR)
        try:
            sys.modules["tensorflow"].get_logger().setLevel(logging.ERROR)
        except AttributeError:
            pass
    logging.getLogger("absl").setLevel(logging.ERROR)


def ensure_interpreter_on_path() -> None:
    """Put this interpreter's ``bin`` folder first on ``PATH``.

    nbgrader runs the ``alembic`` executable by name when it opens a gradebook,
    and Jupyter finds ``jupyter-*`` commands the same way; in a virtual environment
    that was not activated (``.venv/bin/course ...``) they would not be found.
    """
    from pathlib import Path

    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if parts[:1] != [bindir]:
        os.environ["PATH"] = os.pathsep.join([bindir, *[p for p in parts if p != bindir]])


@contextlib.contextmanager
def stderr_silenced() -> Iterator[None]:
    """Point file descriptor 2 at ``os.devnull`` inside the block (restored after)."""
    try:
        sys.stderr.flush()
    except (AttributeError, ValueError):
        pass
    saved = None
    try:
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        saved = None
    try:
        yield
    finally:
        if saved is not None:
            os.dup2(saved, 2)
            os.close(saved)


def import_keras_quietly():  # type: ignore[no-untyped-def]
    """Import TensorFlow and Keras with the process' stderr silenced; return ``keras``.

    Some TensorFlow builds print start-up lines (e.g. "Could not find cuda drivers")
    from C++ straight to file descriptor 2 before ``TF_CPP_MIN_LOG_LEVEL`` is read.
    In a Jupyter kernel that becomes a stderr output, and nbgrader scores a test cell
    with stderr output as failed. So the descriptor is pointed at ``os.devnull`` for
    the duration of the import and restored afterwards (errors still propagate).
    """
    quiet_tensorflow()
    if "keras" in sys.modules and "tensorflow" in sys.modules:
        return sys.modules["keras"]
    with stderr_silenced():
        import keras
        import tensorflow  # noqa: F401
    quiet_tensorflow()
    return keras
