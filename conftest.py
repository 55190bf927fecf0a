"""Project-wide pytest hooks.

Notebook items collected by nbval get the ``notebooks`` marker, so the lecture
notebooks can be run alone (``pytest -m notebooks``) or left out
(``pytest -m "not notebooks"``).
"""

from __future__ import annotations

import os

import pytest

# Keep TensorFlow quiet in every process the tests start (kernels inherit this).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")
# Kernels started by the tests (nbval) have no browser: the playground draws a static
# PNG instead of widgets, so re-run notebooks stay deterministic and hold no widget state.
os.environ.setdefault("COURSE_PLAYGROUND_STATIC", "1")

# nbgrader runs `alembic` by name and Jupyter its `jupyter-*` commands: make this
# interpreter's bin folder visible even when the virtual environment is not activated.
from course._env import ensure_interpreter_on_path  # noqa: E402

ensure_interpreter_on_path()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if str(item.fspath).endswith(".ipynb"):
            item.add_marker(pytest.mark.notebooks)
