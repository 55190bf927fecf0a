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
