"""Environment settings that keep TensorFlow quiet (see DESIGN.md, Grading)."""

from __future__ import annotations

import logging
import os
import sys
import warnings

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
